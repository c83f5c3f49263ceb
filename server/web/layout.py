"""How the shapes lay out a resource page: groups, order, names, help, expected values.

SHACL's non-validating properties (SHACL §2.3.2, ``sh:group``, ``sh:order``,
``sh:name``, ``sh:description``) say where a property goes and what it is called, for
the classes a shape targets and their superclasses as the ontology states them. One
annotation of ours, ``gpr:expected true`` on a property shape, says that a resource of
the class should have the property although the sources may not give it: the page then
says so instead of leaving a gap (a ``sh:minCount`` would refuse the data, and
``sh:severity sh:Info`` would still make the report non-conforming).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, SH

from server.domain.describe import scope
from server.domain.labels import Label
from server.domain.loading import Snapshot
from server.memo import Memo
from server.web.ordering import SHAPE_GROUPS, Hint, PropertyHints
from server.web.vocabulary import GraphIndex, graph_index

__all__ = ["property_hints"]

_HINTS: Memo[PropertyHints] = Memo(256)


def property_hints(snapshot: Snapshot, classes: Sequence[str]) -> PropertyHints:
    """The order, groups, names, help and expected values the shapes give the
    properties of ``classes`` (and their superclasses, as the ontology states them)."""
    key = tuple(sorted(classes))
    return _HINTS.get(scope(snapshot), ("hints", key), lambda: _hints(snapshot, key))


def _hints(snapshot: Snapshot, classes: tuple[str, ...]) -> PropertyHints:
    ontology = graph_index(snapshot, snapshot.staged.ontology_graph)
    shapes = graph_index(snapshot, snapshot.staged.shapes_graph)
    expected_flag = f"{snapshot.staged.ontology_graph}#expected"  # gpr:expected, under the base
    by_path: dict[str, list] = {}
    for cls in _with_superclasses(ontology, classes):
        for shape in shapes.subjects(str(SH.targetClass), cls):
            for prop in shapes.objects(shape, str(SH.property)):
                path = _first(shapes, prop, SH.path)
                if isinstance(path, ox.NamedNode):
                    by_path.setdefault(path.value, []).append(prop)
    hints: dict[str, Hint] = {}
    expected: dict[str, Hint] = {}
    for path, props in by_path.items():
        wanted = next((p for p in props if _true(_first(shapes, p, expected_flag))), None)
        # a property shape of its own saying a value is expected does not lay out the
        # values that are there (a person's organisation among the shortcuts)
        plain = [p for p in props if p is not wanted] or props
        hint = _layout(shapes, plain)
        if hint is not None:
            hints[path] = hint
        if wanted is not None:
            own = _layout(shapes, [wanted]) or Hint(float("inf"))
            names = own.names or (hint.names if hint else ()) or ontology.literals(
                ox.NamedNode(path), (str(RDFS.label),))
            placed = own if own.group is not None or hint is None else hint
            expected[path] = Hint(placed.order, placed.group, placed.group_order, names,
                                  own.help or (hint.help if hint else ()))
    groups = shapes.subjects(str(RDF.type), ox.NamedNode(str(SH.PropertyGroup)))
    group_labels = {g.value: shapes.literals(g, (str(RDFS.label),)) for g in groups}
    group_orders = {g.value: _number(_first(shapes, g, SH.order)) for g in groups}
    builtin = {key: f"{snapshot.staged.shapes_graph}#{name}" for key, name in SHAPE_GROUPS.items()
               if f"{snapshot.staged.shapes_graph}#{name}" in group_labels}
    return PropertyHints(hints, group_labels, expected, builtin, group_orders)


def _with_superclasses(ontology: GraphIndex, classes: Sequence[str]) -> set[ox.NamedNode]:
    pending, seen = [ox.NamedNode(c) for c in classes], set()
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(o for o in ontology.objects(current, str(RDFS.subClassOf))
                           if isinstance(o, ox.NamedNode))
    return seen


def _layout(shapes: GraphIndex, props: list) -> Hint | None:
    """What some property shapes of one path say: the rank and group of the one with the
    lowest ``sh:order``, and every name and help text they give."""
    names = _union(shapes, props, SH.name)
    help_text = _union(shapes, props, SH.description)
    ordered = [p for p in props if isinstance(_first(shapes, p, SH.order), ox.Literal)]
    if not ordered:
        return Hint(float("inf"), names=names, help=help_text) if names or help_text else None
    first = min(ordered, key=lambda p: _number(_first(shapes, p, SH.order)))
    group = _first(shapes, first, SH.group)
    group_iri = group.value if isinstance(group, ox.NamedNode) else None
    group_order = _first(shapes, group, SH.order) if group_iri else None
    return Hint(_number(_first(shapes, first, SH.order)), group_iri, _number(group_order, 0.0),
                names, help_text)


def _first(index: GraphIndex, node, predicate) -> ox.NamedNode | ox.Literal | ox.BlankNode | None:
    return next(iter(index.objects(node, str(predicate))), None)


def _union(index: GraphIndex, nodes: list, predicate) -> tuple[Label, ...]:
    found: list[Label] = []
    for node in nodes:
        found.extend(x for x in index.literals(node, (str(predicate),)) if x not in found)
    return tuple(found)


def _true(node) -> bool:
    return isinstance(node, ox.Literal) and node.value in ("true", "1")


def _number(literal, default: float = float("inf")) -> float:
    if not isinstance(literal, ox.Literal):
        return default
    try:
        return float(literal.value)
    except ValueError:
        return default
