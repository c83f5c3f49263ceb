"""What the publisher says about one resource, and who says it.

A description (DESIGN §3) is the resource's concise bounded description: its own
statements, the blank and owned nodes below it (memberships, quotations), the labels of
every IRI it links to, and its incoming links, each statement in the named graph that
states it. The graph tells its provenance: an article's graph (the article resource is
found through the graph's ``prov:wasDerivedFrom``, or shares the graph's slug), a
curated graph, or the derived graph of what the rules infer. Everything here is
computed once per data version and kept (``cache.Memo``).
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF

from server.domain import formats, iris, triple_terms
from server.domain.labels import LABEL_PREDICATES, Labels
from server.domain.loading import Snapshot
from server.domain.namespaces import SCHEMA
from server.domain.paging import checked_page_count, page_count
from server.memo import Memo
from server.problems import ResourceNotFound
from server.store import queries

__all__ = [
    "SOURCES",
    "Description",
    "Source",
    "Sources",
    "ValuesPage",
    "describe",
    "decoded_sources",
    "description_bytes",
    "encoded_sources",
    "graph_bytes",
    "graph_part_bytes",
    "label_quads",
    "labels_of",
    "once_per_version",
    "sources",
    "values_page",
]

# Predicates that name the article a graph was taken from, in order of preference.
SOURCE_LINKS = (str(PROV.wasDerivedFrom), str(PROV.hadPrimarySource), str(DCTERMS.source),
                str(SCHEMA.isBasedOn))
# Facts about a linked resource worth showing beside the link (a photo's caption).
GIST_PREDICATES = (str(SCHEMA.caption),)
GIST_NEIGHBOURS = 200
SOURCES = "sources"  # their name among the values made at load (``domain.precomputed``)
RDF_TYPE = str(RDF.type)

T = TypeVar("T")

_STORE_NUMBERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COUNTER = itertools.count(1)
_NUMBERING = threading.Lock()
_DESCRIPTIONS: Memo[Description] = Memo(1024)
_BYTES: Memo[bytes] = Memo(2048)
# The last few descriptions made ready for serialisation: a client (or the export) asking
# for a second format of one resource asks soon after the first.
_PREPARED: Memo[formats.Prepared] = Memo(32)
_SOURCES: Memo[Sources] = Memo(4)
_VALUES: Memo[ValuesPage] = Memo(512)
_ROWS: Memo[tuple] = Memo(64)


@dataclass(frozen=True)
class Source:
    """A named graph as a page cites it: which article, or curated, or derived."""

    graph: str
    mark: str  # a short footnote mark, stable for a data version: "1", "2", …
    role: str  # "article", "curated", "derived" or "other"
    names: str  # the IRI whose labels name it: the article's, else the graph's
    article: str | None = None
    language: str | None = None  # the article's language


@dataclass(frozen=True)
class Sources:
    by_graph: MappingProxyType[str, Source]
    labels: Labels

    def ordered(self) -> list[Source]:
        return sorted(self.by_graph.values(), key=lambda s: int(s.mark))

    def of(self, graphs: Iterable[str]) -> tuple[Source, ...]:
        found = {self.by_graph[g] for g in graphs if g in self.by_graph}
        return tuple(sorted(found, key=lambda s: int(s.mark)))


@dataclass(frozen=True)
class Description:
    """A resource's description, with the graphs stating each statement.

    ``quads`` is what the data formats serialise: the facts and their ``provenance``
    (the reifiers of the resource's own statements, the sentences and words they cite
    with their selectors, the rules of derived ones). ``graphs`` holds the facts only,
    so pages never list a reifier or a sentence as a link. ``gist`` holds display-only
    facts about linked resources (captions, credits), never served as the description.
    """

    iri: str
    quads: tuple[ox.Quad, ...]
    gist: tuple[ox.Quad, ...]
    sources: Sources
    graphs: MappingProxyType[ox.Triple, tuple[str, ...]] = field(repr=False)
    provenance: tuple[ox.Quad, ...] = ()

    @property
    def types(self) -> list[str]:
        """The classes the resource is stated (or derived) to belong to."""
        return [t.object.value for t in self.graphs
                if t.subject.value == self.iri and t.predicate.value == RDF_TYPE
                and isinstance(t.object, ox.NamedNode)]


@dataclass(frozen=True)
class ValuesPage:
    """One page of the values of a property (or of the resources linking with it)."""

    iri: str
    predicate: str
    inverse: bool
    values: tuple[ox.NamedNode | ox.BlankNode | ox.Literal, ...]
    graphs: tuple[tuple[str, ...], ...]  # per value, the graphs stating it
    total: int
    page: int
    per_page: int
    labels: Labels

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def scope(snapshot: Snapshot) -> tuple[str, int]:
    """What a memoised value depends on: the data version, as this snapshot's store holds it
    (a replaced store with the same version, as in a failover, is not taken for the other).

    Stores are numbered once, weakly: unlike ``id()``, a number is never given again to a
    store made later at the same address.
    """
    store = snapshot.store
    with _NUMBERING:
        number = _STORE_NUMBERS.get(store)
        if number is None:
            number = _STORE_NUMBERS[store] = next(_COUNTER)
    return (snapshot.version, number)


def once_per_version(snapshot: Snapshot, name: str, memo: Memo[T], make: Callable[[], T]) -> T:
    """The value ``name`` made at load (``domain.precomputed``), else made by ``make`` once
    per data version and kept in ``memo``."""
    return snapshot.kept(name, lambda: memo.get(scope(snapshot), name, make))


def describe(snapshot: Snapshot, iri: str) -> Description:
    """The description of ``iri`` in this snapshot.

    Raises:
        ResourceNotFound: nothing is said about ``iri``.
    """
    return _DESCRIPTIONS.get(scope(snapshot), iri, lambda: _describe(snapshot, iri))


def _describe(snapshot: Snapshot, iri: str) -> Description:
    store = snapshot.store
    if not store.exists(iri):
        raise ResourceNotFound(f"nothing is published about {iri}")
    provenance = tuple(dict.fromkeys(_quads(store.query(queries.bind(
        queries.DESCRIBE_PROVENANCE, root=[ox.NamedNode(iri)])))))
    # an article's sentences and text link to it: provenance, not links to list
    cited = {q.subject for q in provenance}
    facts = tuple(q for q in store.describe(iri) if q.subject not in cited)
    graphs: dict[ox.Triple, list[str]] = {}
    for quad in facts:
        names = graphs.setdefault(quad.triple, [])
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value not in names:
            names.append(quad.graph_name.value)
    seen = set(facts)
    return Description(
        iri=iri,
        quads=(*facts, *(q for q in provenance if q not in seen)),
        gist=_gist(snapshot, iri, facts),
        sources=sources(snapshot),
        graphs=MappingProxyType({t: tuple(sorted(g)) for t, g in graphs.items()}),
        provenance=provenance,
    )


def _gist(snapshot: Snapshot, iri: str, quads: Sequence[ox.Quad]) -> tuple[ox.Quad, ...]:
    neighbours: dict[ox.NamedNode, None] = {}
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value != iri:
                neighbours.setdefault(term)
    if not neighbours:
        return ()
    chosen = list(neighbours)[:GIST_NEIGHBOURS]
    predicates = [ox.NamedNode(p) for p in GIST_PREDICATES]
    return tuple(_quads(snapshot.store.query(queries.bind(queries.LABELS, s=chosen, p=predicates))))


def description_bytes(snapshot: Snapshot, iri: str, fmt: formats.Format) -> bytes:
    """The description serialised in ``fmt`` (in the RDF version it names), made once per
    data version."""
    return _serialized(snapshot, ("description", iri), fmt,
                       lambda: describe(snapshot, iri).quads)


def graph_bytes(snapshot: Snapshot, graph: str, fmt: formats.Format) -> bytes:
    """A whole named graph (the ontology, the shapes) serialised, once per version."""
    return _serialized(snapshot, ("graph", graph), fmt,
                       lambda: snapshot.store.quads(graphs=[graph]))


def graph_part_bytes(snapshot: Snapshot, graph: str, subjects: Sequence[str],
                     fmt: formats.Format) -> bytes:
    """What the named graph ``graph`` states of ``subjects`` (a page of its listing)
    serialised, once per version."""

    def quads() -> Iterable[ox.Quad]:
        text = queries.bind(queries.QUADS_ABOUT, g=[ox.NamedNode(graph)],
                            s=[ox.NamedNode(s) for s in subjects])
        return (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in snapshot.store.query(text))

    return _serialized(snapshot, ("graph-part", graph, *subjects), fmt, quads)


def _serialized(snapshot: Snapshot, key: tuple[str, ...], fmt: formats.Format,
                quads: Callable[[], Iterable[ox.Quad]]) -> bytes:
    """``quads()`` in ``fmt``, each RDF version's view prepared once for all its formats."""

    def make() -> bytes:
        return _PREPARED.get(scope(snapshot), (*key, fmt.version), lambda: formats.Prepared.of(
            triple_terms.view(quads(), fmt.version), snapshot.prefixes)).serialize(fmt)

    return _BYTES.get(scope(snapshot), (*key, fmt.key), make)


def sources(snapshot: Snapshot) -> Sources:
    """Every data graph and the derived graph, as a page cites them."""
    return once_per_version(snapshot, SOURCES, _SOURCES, lambda: _sources(snapshot))


def encoded_sources(found: Sources) -> dict:
    """``found`` as JSON values."""
    return {"sources": [[s.graph, s.mark, s.role, s.names, s.article, s.language]
                        for s in found.by_graph.values()],
            "labels": found.labels.encoded()}


def decoded_sources(document: dict) -> Sources:
    """The sources ``encoded_sources`` wrote."""
    return Sources(MappingProxyType({row[0]: Source(*row) for row in document["sources"]}),
                   Labels.decoded(document["labels"]))


def _sources(snapshot: Snapshot) -> Sources:
    staged, store = snapshot.staged, snapshot.store
    base = _base(snapshot)
    found: list[tuple[int, str, Source]] = []
    statements: list[ox.Quad] = []
    for graph in (*staged.data_graphs, staged.derived_graph):
        about = store.describe(graph) if store.exists(graph) else []
        statements.extend(about)
        article = _article_of(graph, about, snapshot, base)
        language = None
        if article is not None:
            article_quads = store.describe(article)
            statements.extend(article_quads)
            language = next((q.object.value for q in article_quads
                             if q.subject.value == article
                             and q.predicate.value == str(SCHEMA.inLanguage)
                             and isinstance(q.object, ox.Literal)), None)
        if graph == staged.derived_graph:
            role, order = "derived", 2
        elif article is not None:
            role, order = "article", 0
        else:
            role, order = "curated", 1
        found.append((order, graph, Source(graph, "", role, article or graph, article, language)))
    found.sort(key=lambda item: (item[0], item[1]))
    by_graph = {
        source.graph: Source(source.graph, str(n), source.role, source.names, source.article,
                             source.language)
        for n, (_, _, source) in enumerate(found, start=1)
    }
    return Sources(MappingProxyType(by_graph), Labels(statements))


def _article_of(graph: str, about: Sequence[ox.Quad], snapshot: Snapshot,
                base: str) -> str | None:
    for predicate in SOURCE_LINKS:
        for quad in about:
            if (quad.subject.value == graph and quad.predicate.value == predicate
                    and isinstance(quad.object, ox.NamedNode)):
                return quad.object.value
    prefix = iris.graph_iri(base, "")
    if graph.startswith(prefix):
        candidate = iris.resource_iri(base, "article", graph[len(prefix):])
        if iris.is_slug(graph[len(prefix):]) and snapshot.store.exists(candidate):
            return candidate
    return None


def _base(snapshot: Snapshot) -> str:
    """The base IRI the snapshot was loaded under (its derived graph is ``BASE graph/derived``)."""
    derived = snapshot.staged.derived_graph
    return derived[: -len("graph/derived")]


def values_page(snapshot: Snapshot, iri: str, predicate: str, *, inverse: bool, page: int,
                per_page: int) -> ValuesPage:
    """One page of the distinct values of ``predicate`` on ``iri`` (or, ``inverse``, of
    the resources linking to ``iri`` with it), ordered, with their labels and graphs.

    Raises:
        ResourceNotFound: ``iri`` is unknown, or the page is past the last.
    """
    key = (iri, predicate, inverse, page, per_page)
    return _VALUES.get(scope(snapshot), key, lambda: _values_page(
        snapshot, iri, predicate, inverse=inverse, page=page, per_page=per_page))


def _values_page(snapshot: Snapshot, iri: str, predicate: str, *, inverse: bool, page: int,
                 per_page: int) -> ValuesPage:
    rows = _ROWS.get(scope(snapshot), (iri, predicate, inverse),
                     lambda: _value_rows(snapshot, iri, predicate, inverse))
    total = len(rows)
    checked_page_count(total, per_page, page)
    chosen = rows[(page - 1) * per_page: page * per_page]
    named = [value for value, _ in chosen if isinstance(value, ox.NamedNode)]
    return ValuesPage(
        iri=iri, predicate=predicate, inverse=inverse,
        values=tuple(value for value, _ in chosen), graphs=tuple(g for _, g in chosen),
        total=total, page=page, per_page=per_page, labels=labels_of(snapshot, named),
    )


def _value_rows(snapshot: Snapshot, iri: str, predicate: str,
                inverse: bool) -> tuple[tuple[ox.NamedNode | ox.BlankNode | ox.Literal, tuple[str, ...]], ...]:
    store = snapshot.store
    if not store.exists(iri):
        raise ResourceNotFound(f"nothing is published about {iri}")
    node, pred = ox.NamedNode(iri), ox.NamedNode(predicate)
    slots = {"o": [node]} if inverse else {"s": [node]}
    template = queries.VALUES_IN if inverse else queries.VALUES_OUT
    rows: dict = {}
    for solution in store.query(queries.bind(template, p=[pred], **slots)):
        graph = solution["g"]
        names = rows.setdefault(solution["v"], [])
        if isinstance(graph, ox.NamedNode) and graph.value not in names:
            names.append(graph.value)
    return tuple((value, tuple(sorted(rows[value]))) for value in sorted(rows, key=_term_order))


def labels_of(snapshot: Snapshot, terms: Sequence[ox.NamedNode]) -> Labels:
    """The labels of a few terms, read from the store."""
    return Labels(label_quads(snapshot, terms))


def label_quads(snapshot: Snapshot, terms: Sequence[ox.NamedNode]) -> list[ox.Quad]:
    """The label statements of a few terms (``labels.LABEL_PREDICATES``)."""
    if not terms:
        return []
    predicates = [ox.NamedNode(p) for p in LABEL_PREDICATES]
    text = queries.bind(queries.LABELS, s=list(terms), p=predicates)
    return list(_quads(snapshot.store.query(text)))


def _quads(solutions) -> Iterable[ox.Quad]:
    for solution in solutions:
        graph = solution["g"]
        yield ox.Quad(solution["s"], solution["p"], solution["o"],
                      graph if isinstance(graph, ox.NamedNode) else ox.DefaultGraph())


def _term_order(term) -> tuple[int, str]:
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.Literal):
        return (1, term.value)
    return (2, str(term))
