"""What crawlers and auditors read besides the description: the sitemap, the report.

The sitemap lists the page of every resource minted under ``BASE id/`` and of every named
graph under ``BASE graph/`` (sitemaps.org protocol: at most 50,000 URLs a file, then an
index of files). The SHACL report of the live data is served as RDF from the report graph
the SHACL engine produced at load.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

import pyoxigraph as ox

from server.domain.iris import ResourceKey, parse_graph_iri, parse_resource_iri
from server.domain.validation import ValidationReport
from server.store import Store, queries

__all__ = ["SITEMAP_LIMIT", "resource_keys", "graph_slugs", "sitemap_chunks", "report_quads"]

SITEMAP_LIMIT = 50_000
T = TypeVar("T")


def resource_keys(store: Store, base_iri: str) -> list[ResourceKey]:
    """Every resource under ``BASE id/`` that has statements, sorted by kind and slug."""
    text = queries.bind(queries.SUBJECTS_UNDER, space=[ox.Literal(f"{base_iri}id/")])
    keys = {parse_resource_iri(base_iri, s["s"].value) for s in store.query(text)}
    keys.discard(None)
    return sorted(keys)


def graph_slugs(graphs: Iterable[str], base_iri: str) -> list[str]:
    """The slugs of the named graphs served at ``/graph/{slug}``, sorted.

    >>> graph_slugs(["https://x.org/graph/b", "https://x.org/ontology",
    ...              "https://x.org/graph/a"], "https://x.org/")
    ['a', 'b']
    """
    return sorted(filter(None, (parse_graph_iri(base_iri, g) for g in graphs)))


def sitemap_chunks(keys: Sequence[T], limit: int = SITEMAP_LIMIT) -> list[Sequence[T]]:
    """Pages cut into sitemap files of at most ``limit`` URLs.

    >>> [len(c) for c in sitemap_chunks(list(range(5)), limit=2)]
    [2, 2, 1]
    >>> sitemap_chunks([], limit=2)
    [[]]
    """
    return [keys[i:i + limit] for i in range(0, len(keys), limit)] or [keys[:0]]


def report_quads(report: ValidationReport) -> list[ox.Quad]:
    """The report graph (SHACL §3.6) as quads in the default graph."""
    text = report.graph.serialize(format="nt", encoding="utf-8")
    return [ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
