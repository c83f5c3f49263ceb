"""Constants and helpers shared by the HTTP tests."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDFLIB = ("application/rdf+xml, text/n3, text/turtle, application/n-triples, "
          "application/ld+json, application/n-quads, application/trig, application/trix")


def parse_links(value: str | None) -> list[dict[str, str]]:
    """A ``Link`` header as a list of ``{"url": …, "rel": …, "type": …}`` (RFC 8288)."""
    found = []
    for part in re.findall(r"<[^>]*>(?:\s*;\s*[a-z]+=\"[^\"]*\")*", value or ""):
        url = part[1:part.index(">")]
        params = dict(re.findall(r'([a-z]+)="([^"]*)"', part[part.index(">"):]))
        found.append({"url": url, **params})
    return found


def rdflib_graph(quads) -> Graph:
    """Quads of the store as an rdflib graph (graph names dropped), to compare with a response."""
    nquads = ox.serialize([ox.Quad(q.subject, q.predicate, q.object) for q in quads],
                          format=ox.RdfFormat.N_QUADS)
    return Graph().parse(data=nquads, format="nquads")


def as_rdflib(quads) -> set[tuple]:
    return set(rdflib_graph(quads))


def stored(snapshot, iri: str) -> Graph:
    """The triples of one named graph, as the store holds them."""
    return rdflib_graph(snapshot.store.quads(graphs=[iri]))


def ground(triples: set[tuple]) -> set[tuple]:
    """The triples without a blank node, which can be compared one by one across graphs."""
    return {t for t in triples if not any(isinstance(term, BNode) for term in t)}
