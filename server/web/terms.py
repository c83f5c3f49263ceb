"""Terms and literals as pages show them: labels, kinds, formatted values, sources.

The small value objects every page shares (a linked term, a literal, the footnote
marks of the graphs stating a statement), and JSON made safe to embed in HTML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from server.domain import iris
from server.domain.describe import Source, Sources
from server.domain.labels import Label, Labels
from server.domain.texts import parse_text_iri
from server.web.literals import literal_text

if TYPE_CHECKING:
    from server.web.footnotes import Cited
    from server.web.presenters import Nested

__all__ = [
    "SERVED_DOCUMENTS",
    "SourceMark",
    "Term",
    "Value",
    "embed_json",
    "literal_value",
    "source_marks",
    "term_of",
]

# IRIs under the base, other than resources and named graphs, that this server dereferences.
SERVED_DOCUMENTS = frozenset({"", "ontology", "shapes", "dataset"})
# Sites identity links lead to, by the start of their IRIs: how a page names them.
LINKED_SITES: tuple[tuple[str, str], ...] = (
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("https://www.wikidata.org/wiki/", "Wikidata"),
    ("http://dbpedia.org/resource/", "DBpedia"),
    ("https://dbpedia.org/page/", "DBpedia"),
)


@dataclass(frozen=True)
class SourceMark:
    """A footnote mark saying which graph states a statement."""

    mark: str
    role: str  # article, curated, derived, other
    label: str
    lang: str | None
    article: str | None  # the article's IRI, to link to
    graph: str | None = None  # the graph's IRI, to link to its page
    cited: Cited | None = None  # the sentences it quotes, or the rule and premises


@dataclass(frozen=True)
class Term:
    """An IRI as a reader sees it: a label, a kind badge, a link."""

    iri: str
    label: str
    lang: str | None
    kind: str | None = None  # our kind (person, place…) for IRIs under the base
    external: bool = False
    gist: tuple[Label, ...] = ()  # e.g. a photo's caption, shown beside the link
    linkable: bool = True  # False for IRIs of ours that this server does not serve
    site: str | None = None  # the site an external link leads to ("Wikidata")
    site_id: str | None = None  # its identifier there, when it is not the label ("Q90")


@dataclass(frozen=True)
class Value:
    """One value of a row: a term, a literal or a nested node, with its sources."""

    sources: tuple[SourceMark, ...]
    term: Term | None = None
    text: str | None = None
    lang: str | None = None
    datatype: str | None = None  # a label for a non-string datatype
    machine: str | None = None  # the literal's lexical form, e.g. for <time datetime>
    nested: Nested | None = None


def term_of(iri: str, labels: Labels, lang: str, base: str, gist: tuple[Label, ...] = ()) -> Term:
    """An IRI as a reader sees it: its label in ``lang``, its kind if it is ours."""
    label = labels.get(iri, lang)
    key = iris.parse_resource_iri(base, iri)
    ours = iri.startswith(base)
    linkable = (not ours or key is not None or iri[len(base):].split("#")[0] in SERVED_DOCUMENTS
                or iris.parse_graph_iri(base, iri) is not None
                or parse_text_iri(base, iri) is not None)
    site, site_id = _site_of(iri, label.text)
    return Term(iri, label.text, label.lang, key.kind if key else None, not ours, gist[:2],
                linkable, site, site_id)


def _site_of(iri: str, label: str) -> tuple[str | None, str | None]:
    """The site an IRI belongs to and the identifier it has there.

    >>> _site_of("http://www.wikidata.org/entity/Q90", "Paris")
    ('Wikidata', 'Q90')
    >>> _site_of("http://dbpedia.org/resource/Saint_Petersburg", "Saint Petersburg")
    ('DBpedia', None)
    """
    for start, site in LINKED_SITES:
        if iri.startswith(start):
            local = iri[len(start):]
            return site, None if local.replace("_", " ") == label else local
    return None, None


def literal_value(node: ox.Literal, labels: Labels, lang: str,
                  sources: tuple[SourceMark, ...]) -> Value:
    """A literal as a reader sees it: formatted, with its language or datatype."""
    text, machine = literal_text(node, lang)
    datatype = node.datatype.value
    plain = datatype in (str(XSD.string), str(RDF.langString))
    return Value(sources, text=text, lang=node.language, machine=machine,
                 datatype=None if plain else labels.get(datatype, lang).text)


def source_marks(sources: Sources, graphs: Sequence[str], lang: str) -> tuple[SourceMark, ...]:
    """The footnote marks of the graphs stating one statement."""
    return tuple(_mark(source, sources, lang) for source in sources.of(graphs))


def _mark(source: Source, sources: Sources, lang: str) -> SourceMark:
    label = sources.labels.get(source.names, lang)
    return SourceMark(source.mark, source.role, label.text, label.lang, source.article,
                      source.graph)


def embed_json(document: bytes | str) -> str:
    """JSON made safe inside ``<script>``: ``<``, ``>`` and ``&`` as JSON escapes.

    >>> embed_json('{"a": "</script><!--"}')
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = document.decode("utf-8") if isinstance(document, bytes) else document
    json.loads(text)  # a page never embeds what is not JSON
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))

