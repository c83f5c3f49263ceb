"""The embedded store: Oxigraph (pyoxigraph), in memory or on disk.

Chosen by measurement (``bench/store_engines.py``): against rdflib's memory store it
loads about 10x faster in a fifth of the memory and answers SPARQL 30-200x faster, while
rdflib stays our toolkit for SHACL.

The default graph is the RDF merge of the named graphs (DESIGN §4), a set. Oxigraph's
union default graph is a bag (a triple once per graph that states it), so the loader
writes the merge into the store's own default graph (``merge_default_graph``), and the
named graphs keep the provenance; a query naming several default graphs (``FROM``,
``default-graph-uri``) runs over their merge, made for it. ``bench/default_graph.py``
measured the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from server.domain.namespaces import ORG, SCHEMA, STANDARD_PREFIXES
from server.store import QueryError, QueryResult, Stats, queries

__all__ = ["EmbeddedStore", "merge_default_graph", "named_quads"]

RDFS_LABEL = ox.NamedNode(STANDARD_PREFIXES["rdfs"] + "label")
LABEL_PREDICATES = (
    RDFS_LABEL,
    ox.NamedNode(STANDARD_PREFIXES["skos"] + "prefLabel"),
    ox.NamedNode(str(SCHEMA.name)),
)
RDF_TYPE = ox.NamedNode(STANDARD_PREFIXES["rdf"] + "type")
# Nodes that exist only as part of another resource, described inline with it: these,
# and the classes of the properties the shapes mark ``dash:composite true``.
OWNED_CLASSES = frozenset({ox.NamedNode(str(ORG.Membership)), ox.NamedNode(str(SCHEMA.Quotation))})
INCOMING_LIMIT = 1000
_REIFICATION = frozenset(ox.NamedNode(p) for p in queries.REIFICATION)
DEFAULT_GRAPH = ox.DefaultGraph()
MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def merge_default_graph(store: ox.Store) -> None:
    """Write the RDF merge of the store's named graphs as its default graph.

    Once, at load: queries then read a set at the engine's own speed, where the union
    flag would read a bag; the named graphs are left as they are (provenance, dumps).
    """
    store.update(MERGE)


def named_quads(store: ox.Store, subject=None, predicate=None, object=None) -> Iterator[ox.Quad]:
    """The quads of the named graphs matching a pattern: the statements as their
    sources state them, without their merge in the default graph."""
    return (quad for quad in store.quads_for_pattern(subject, predicate, object, None)
            if quad.graph_name != DEFAULT_GRAPH)


class EmbeddedStore:
    """A ``Store`` over a pyoxigraph ``Store`` that is never written once published."""

    # Queries may run in processes forked from the server, sharing the store
    # copy-on-write, so that a query past its time limit can be killed (server.sparql).
    query_isolation = "fork"

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._owned_classes = OWNED_CLASSES | {
            s["class"] for s in store.query(queries.COMPOSITE_CLASSES)
            if isinstance(s["class"], ox.NamedNode)
        }

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(self._store.quads_for_pattern(node, None, None, DEFAULT_GRAPH), None) is not None

    def describe(self, iri: str) -> list[ox.Quad]:
        node = ox.NamedNode(iri)
        found: dict[ox.Quad, None] = {}
        self._closure(node, found)
        for owned in self._owned(node):
            self._closure(owned, found)
        incoming = (q for q in named_quads(self._store, None, None, node)
                    if q.predicate not in _REIFICATION)
        for count, quad in enumerate(incoming):
            if count >= INCOMING_LIMIT:
                break
            found.setdefault(quad)
        linked = {q.object for q in found if isinstance(q.object, ox.NamedNode)}
        linked |= {q.subject for q in found if isinstance(q.subject, ox.NamedNode)}
        linked |= {q.predicate for q in found}
        linked.discard(node)
        for other in linked:
            for predicate in LABEL_PREDICATES:
                for quad in named_quads(self._store, other, predicate):
                    found.setdefault(quad)
        return list(found)

    def _closure(self, node: ox.NamedNode | ox.BlankNode, found: dict[ox.Quad, None]) -> None:
        """The node's own statements and those of the blank nodes below it."""
        pending = [node]
        seen = set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            for quad in named_quads(self._store, current):
                found.setdefault(quad)
                if isinstance(quad.object, ox.BlankNode):
                    pending.append(quad.object)

    def _owned(self, node: ox.NamedNode) -> Iterator[ox.NamedNode | ox.BlankNode]:
        """Memberships, quotations and the like that point to or from the node."""
        neighbours = {q.subject for q in self._store.quads_for_pattern(None, None, node, DEFAULT_GRAPH)}
        neighbours |= {
            q.object
            for q in self._store.quads_for_pattern(node, None, None, DEFAULT_GRAPH)
            if isinstance(q.object, ox.NamedNode)
        }
        for other in neighbours:
            types = {q.object for q in self._store.quads_for_pattern(other, RDF_TYPE, None, DEFAULT_GRAPH)}
            if types & self._owned_classes:
                yield other

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        store, options = self._store, {"base_iri": base_iri, "prefixes": dict(prefixes or {})}
        if default_graphs is not None and len(set(default_graphs)) > 1:
            named_graphs = self.graphs() if named_graphs is None else named_graphs
            store = self._merged(default_graphs, named_graphs)
            default_graphs = [DEFAULT_GRAPH]
        if default_graphs is not None:
            options["default_graph"] = [g if g == DEFAULT_GRAPH else ox.NamedNode(g)
                                        for g in default_graphs]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return store.query(text, **options)
        except (SyntaxError, ValueError) as error:
            raise QueryError(str(error)) from None

    def _merged(self, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> ox.Store:
        """A store for one query: the merge of ``default_graphs`` as its default graph,
        beside ``named_graphs``. Its cost grows with those graphs, not with the store."""
        merged = ox.Store()
        merged.bulk_extend(
            ox.Quad(quad.subject, quad.predicate, quad.object)
            for graph in dict.fromkeys(default_graphs)
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        merged.bulk_extend(
            quad for graph in dict.fromkeys(named_graphs)
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return merged

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def stats(self) -> Stats:
        return queries.collect_stats(self._store.query)

    def quads(self, graphs: Iterable[str] | None = None) -> Iterable[ox.Quad]:
        if graphs is None:
            graphs = self.graphs()
        return (
            quad
            for graph in graphs
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        )
