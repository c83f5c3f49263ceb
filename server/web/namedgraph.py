"""What the page of a named graph shows: what the graph is, and what it states facts about.

Every named graph minted under ``BASE graph/`` dereferences (SPARQL 1.1 Graph Store
Protocol §4.1, direct graph identification): its contents in every RDF format, and for
people a page saying which kind of graph it is (the source graph of an article, the
derived graph, a curated graph: DESIGN §2) from what the data states about the graph
IRI, how many statements it holds, and the resources it states facts about, a page at
a time, so that a graph of millions of statements stays quick to show. Its subjects are
listed once per data version.

A large graph's statements are not held in memory either: above ``LARGE_GRAPH``
statements each format is written once per data version to a file beside the dumps
(``dumps.DumpCache``), streamed from the store in its own order rather than sorted, and
sent from there. JSON-LD is written there too, by the same streaming writer, in
expanded form (no ``@context``): compacting it as for small graphs goes through rdflib,
which for the 363k statements of a 1M-statement dataset's derived graph took 28-36 s and
1 GB of peak memory, where the expanded form costs what Turtle costs (about 5 s, once a
version, and no memory).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS

from server.domain import iris
from server.domain.describe import describe, labels_of, scope, sources
from server.domain.dumps import Contents, Dump, DumpCache, Statements
from server.domain.formats import Format, checked_statements
from server.domain.labels import Label, Labels
from server.domain.loading import Snapshot
from server.domain.paging import checked_page_count
from server.domain.provenance import EXPLAINING_CLASSES
from server.memo import Memo
from server.problems import ResourceNotFound
from server.store import Store
from server.web.terms import Term, term_of

__all__ = ["LARGE_GRAPH", "GraphPage", "Listing", "graph_file", "graph_listing", "graph_page",
           "graph_subjects", "is_large"]

# Statements above which a graph is served from a file rather than from memory. In memory,
# with 1M statements on disk (docs/deployment.md), compacted JSON-LD cost ~80-100 µs and
# ~2.9 kB of peak memory a statement, Turtle ~25 µs and ~0.7 kB, and the bytes stay in
# memory per format: 20k statements is ~2 s and ~60 MB at worst, what one request may
# cost. The repository's graphs, the ontology and the shapes stay well below it.
LARGE_GRAPH = 20_000
RDF_TYPE = str(RDF.type)
COMMENTS = (str(RDFS.comment), str(DCTERMS.description))
_SUBJECTS: Memo[tuple[str, ...]] = Memo(64)
_PAGES: Memo[GraphPage] = Memo(512)


@dataclass(frozen=True)
class GraphPage:
    """Everything ``graph.html`` shows about one named graph, in one reader's language."""

    iri: str
    slug: str
    lang: str
    title: Label
    types: tuple[Term, ...]
    comments: tuple[Label, ...]
    role: str  # article, curated, derived or other (``describe.Source.role``)
    article: Term | None  # the article a source graph holds the facts of
    statements: int
    subjects: tuple[Term, ...]  # one page of them
    total: int
    page: int
    pages: int


def graph_subjects(snapshot: Snapshot, iri: str) -> tuple[str, ...]:
    """The IRIs the graph states facts about, sorted, leaving out the provenance that
    explains them (reifiers, sentences, texts, rules); made once per data version."""

    def make() -> tuple[str, ...]:
        quads = list(snapshot.store.quads(graphs=[iri]))
        explaining = {q.subject for q in quads
                      if q.predicate.value == RDF_TYPE and q.object in EXPLAINING_CLASSES}
        found = {q.subject.value for q in quads
                 if isinstance(q.subject, ox.NamedNode) and q.subject not in explaining}
        return tuple(sorted(found))

    return _SUBJECTS.get(scope(snapshot), iri, make)


@dataclass(frozen=True)
class Listing:
    """One page of the resources a graph states facts about (``graph_subjects``)."""

    subjects: tuple[str, ...]
    total: int
    page: int
    pages: int


def graph_listing(snapshot: Snapshot, iri: str, *, page: int, per_page: int) -> Listing:
    """The ``page``-th ``per_page`` of the graph's subjects; a graph with none has one
    empty page.

    Raises:
        ResourceNotFound: the page is past the last.
    """
    subjects = graph_subjects(snapshot, iri)
    pages = checked_page_count(len(subjects), per_page, page)
    return Listing(subjects[(page - 1) * per_page: page * per_page], len(subjects), page, pages)


def graph_page(snapshot: Snapshot, iri: str, lang: str, base: str, *, page: int,
               per_page: int) -> GraphPage:
    """The page of the named graph ``iri`` for a reader of ``lang``, made once per version.

    Raises:
        ResourceNotFound: the snapshot holds no such graph, or the page is past the last.
    """
    return _PAGES.get(scope(snapshot), (iri, lang, base, page, per_page),
                      lambda: _graph_page(snapshot, iri, lang, base, page, per_page))


def _graph_page(snapshot: Snapshot, iri: str, lang: str, base: str, page: int,
                per_page: int) -> GraphPage:
    slug = iris.parse_graph_iri(base, iri)
    statements = snapshot.stats.graphs.get(iri, 0)
    if slug is None or not statements:
        raise ResourceNotFound(f"no named graph {iri} is published")
    listing = graph_listing(snapshot, iri, page=page, per_page=per_page)
    about = describe(snapshot, iri).quads if snapshot.store.exists(iri) else ()
    labels = Labels(about)
    own = [q for q in about if q.subject.value == iri]
    source = sources(snapshot).by_graph.get(iri)
    article = None
    if source is not None and source.article is not None:
        article = term_of(source.article, sources(snapshot).labels, lang, base)
    listed = labels_of(snapshot, [ox.NamedNode(s) for s in listing.subjects])
    return GraphPage(
        iri=iri, slug=slug, lang=lang,
        title=labels.get(iri, lang),
        types=tuple(dict.fromkeys(term_of(q.object.value, labels, lang, base) for q in own
                                  if q.predicate.value == RDF_TYPE
                                  and isinstance(q.object, ox.NamedNode))),
        comments=_comments(own, lang),
        role=source.role if source is not None else "other",
        article=article,
        statements=statements,
        subjects=tuple(term_of(s, listed, lang, base) for s in listing.subjects),
        total=listing.total, page=page, pages=listing.pages,
    )


def _comments(own: Iterable[ox.Quad], lang: str) -> tuple[Label, ...]:
    """The graph's descriptions in the reader's language, else all of them."""
    found = [Label(q.object.value, q.object.language) for q in own
             if q.predicate.value in COMMENTS and isinstance(q.object, ox.Literal)]
    found = list(dict.fromkeys(found))  # a description stated in two graphs is shown once
    return tuple([c for c in found if c.lang == lang] or found)


def is_large(snapshot: Snapshot, iri: str) -> bool:
    """Whether the graph is served from a file (``graph_file``) rather than from memory."""
    return snapshot.stats.graphs.get(iri, 0) > LARGE_GRAPH


def graph_file(snapshot: Snapshot, iri: str, base: str, fmt: Format, root: Path) -> Dump:
    """The named graph ``iri`` in ``fmt``, as a file under ``root``: written on first need,
    once per data version and format, by one worker while the others wait for it.

    Raises:
        formats.Unserializable: the graph holds what ``fmt`` cannot carry.
    """
    contents = Contents(f"graph-{iris.parse_graph_iri(base, iri)}",
                        partial(_graph_statements, iri), gzipped=False)
    return DumpCache(root).get(snapshot.store, snapshot.version, snapshot.prefixes, fmt, contents)


def _graph_statements(iri: str, store: Store, fmt: Format) -> Statements:
    """The graph's quads for TriG and N-Quads, which keep its name; its triples otherwise."""
    quads = store.quads(graphs=[iri])
    return checked_statements(quads if fmt.carries_graphs else (q.triple for q in quads), fmt)
