"""The RDF 1.2 view of our statements: each reifier names its triple by a triple term.

On the wire, RDF 1.1 is the default (DESIGN §8): a reifier is an ``rdf:Statement`` with
``rdf:subject``, ``rdf:predicate`` and ``rdf:object``, which every client parses. A client
that asks for ``version=1.2`` gets the same statements, except that those four of each
reifier become one ``?st rdf:reifies <<( s p o )>>`` (RDF 1.2 Concepts, "Triple Terms and
Reification"); what else the reifier says (``prov:wasDerivedFrom``, ``gpr:inWords``, …)
stays as it is.

A reifier is rewritten only when its four statements are whole in one graph: typed
``rdf:Statement``, exactly one subject (an IRI or blank node), one predicate (an IRI) and
one object. Anything else is left in its RDF 1.1 form, which RDF 1.2 still reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib.namespace import RDF

__all__ = ["VIEWS", "view", "with_triple_terms"]

_TYPE = ox.NamedNode(str(RDF.type))
_STATEMENT = ox.NamedNode(str(RDF.Statement))
_REIFIES = ox.NamedNode(str(RDF) + "reifies")
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(str(RDF[name]))
                                  for name in ("subject", "predicate", "object"))
# The reification properties, by the position of the triple term each one fills.
_PARTS: dict[ox.NamedNode, int] = {_SUBJECT: 0, _PREDICATE: 1, _OBJECT: 2}
# What each position of a triple term may hold (RDF 1.2 Concepts, "RDF Graphs").
_ALLOWED = ((ox.NamedNode, ox.BlankNode), (ox.NamedNode,),
            (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple))

_Reifier = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode | ox.BlankNode | ox.DefaultGraph]


def with_triple_terms(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with each whole RDF 1.1 reification replaced by one ``rdf:reifies``.

    >>> ex = "http://example.org/"
    >>> st, s, p = ox.NamedNode(ex + "st"), ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p")
    >>> cites = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    >>> quads = [ox.Quad(st, _TYPE, _STATEMENT), ox.Quad(st, _SUBJECT, s),
    ...          ox.Quad(st, _PREDICATE, p), ox.Quad(st, _OBJECT, ox.Literal("o")),
    ...          ox.Quad(st, cites, ox.NamedNode(ex + "s1"))]
    >>> viewed = with_triple_terms(quads)
    >>> [str(q.object) for q in viewed if q.predicate == _REIFIES]
    ['<http://example.org/s> <http://example.org/p> "o"']
    >>> sorted(q.predicate.value.rsplit("#", 1)[1] for q in viewed)
    ['reifies', 'wasDerivedFrom']
    """
    unique = list(dict.fromkeys(quads))
    typed: set[_Reifier] = set()
    parts: dict[_Reifier, list[list]] = defaultdict(lambda: [[], [], []])
    for quad in unique:
        reifier = (quad.subject, quad.graph_name)
        if quad.predicate == _TYPE and quad.object == _STATEMENT:
            typed.add(reifier)
        elif quad.predicate in _PARTS:
            parts[reifier][_PARTS[quad.predicate]].append(quad.object)
    terms = {reifier: ox.Triple(*(found[0] for found in parts[reifier]))
             for reifier in typed if _whole(parts[reifier])}
    kept = [quad for quad in unique
            if (quad.subject, quad.graph_name) not in terms or not _reifying(quad)]
    return kept + [ox.Quad(subject, _REIFIES, term, graph)
                   for (subject, graph), term in terms.items()]


def _whole(parts: list[list]) -> bool:
    return all(len(found) == 1 and isinstance(found[0], allowed)
               for found, allowed in zip(parts, _ALLOWED, strict=True))


def _reifying(quad: ox.Quad) -> bool:
    """One of the four statements a triple term stands for."""
    return quad.predicate in _PARTS or (quad.predicate == _TYPE and quad.object == _STATEMENT)


# What each RDF version a client may ask for (``Format.version``) makes of our statements:
# RDF 1.1 is the data as stored.
VIEWS: dict[str | None, Callable[[Iterable[ox.Quad]], Iterable[ox.Quad]]] = {
    None: lambda quads: quads,
    "1.2": with_triple_terms,
}


def view(quads: Iterable[ox.Quad], version: str | None) -> Iterable[ox.Quad]:
    """``quads`` as a client of RDF ``version`` reads them (None: the RDF 1.1 default)."""
    return VIEWS[version](quads)
