"""The SHACL shapes as documentation: what the data promises, shape by shape.

For each node shape: what it applies to (SHACL §2.1.3 targets), its severity, and a
table of its property shapes (§2.3): the path (inverse, sequence and alternative paths
written as in SPARQL), the count, what the values must be (datatype, class, node kind,
list, pattern, languages…) and the message, in every language it is given. SPARQL
constraints (§5) show their message and their query.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, SH

from server.domain.describe import scope
from server.domain.labels import Label
from server.domain.loading import Snapshot
from server.domain.namespaces import curie
from server.memo import Memo
from server.web.i18n import messages
from server.web.vocabulary import (
    Fact,
    GraphIndex,
    Ref,
    Section,
    TermDoc,
    VocabularyPage,
    anchor,
    graph_index,
)

__all__ = ["ShapeRow", "shapes_page"]

_PAGES: Memo[VocabularyPage] = Memo(8)
_TARGETS = (str(SH.targetClass), str(SH.targetNode), str(SH.targetSubjectsOf),
            str(SH.targetObjectsOf))
_MESSAGES = (str(SH.message),)
_NAMES = (str(SH.name), str(RDFS.label))
_DESCRIPTIONS = (str(SH.description), str(RDFS.comment))


@dataclass(frozen=True)
class ShapeRow:
    """One property shape, as a row of its node shape's table."""

    path: str
    path_ref: Ref | None
    count: str
    values: tuple[str, ...]
    value_refs: tuple[Ref, ...]
    names: tuple[Label, ...]
    messages: tuple[Label, ...]
    order: float


def shapes_page(snapshot: Snapshot, lang: str) -> VocabularyPage:
    """The documentation of the shapes graph for a reader of ``lang``."""
    return _PAGES.get(scope(snapshot), ("shapes", lang), lambda: _shapes(snapshot, lang))


def _shapes(snapshot: Snapshot, lang: str) -> VocabularyPage:
    ui = messages(lang)
    staged, prefixes = snapshot.staged, snapshot.prefixes
    shapes = graph_index(snapshot, staged.shapes_graph)
    # labels from the ontology too, so that paths and classes read as words
    index = GraphIndex(snapshot.store.quads(graphs=[staged.shapes_graph]),
                       snapshot.store.quads(graphs=[staged.ontology_graph]))
    namespace = staged.shapes_graph + "#"
    node_shapes = [s for s in shapes.typed((str(SH.NodeShape),))]
    node_shapes += [s for s in shapes.out if isinstance(s, ox.NamedNode) and s not in node_shapes
                    and any(shapes.objects(s, t) for t in _TARGETS)]
    here = {s.value for s in node_shapes}

    def ref(node) -> Ref | None:
        if not isinstance(node, ox.NamedNode):
            return None
        label = index.labels.get(node.value, lang)
        on_page = node.value in here
        return Ref(node.value, label.text, label.lang, curie(node.value, prefixes),
                   anchor(node.value, namespace, prefixes) if on_page else None)

    def refs(nodes) -> tuple[Ref, ...]:
        return tuple(r for r in (ref(n) for n in nodes) if r is not None)

    docs = []
    for shape in sorted(node_shapes, key=lambda s: s.value):
        facts = [Fact(ui["targets"], refs(o for t in _TARGETS for o in shapes.objects(shape, t)))]
        severity = refs(shapes.objects(shape, str(SH.severity)))
        if severity:
            facts.append(Fact(ui["severity"], severity))
        if shapes.literals(shape, _MESSAGES):
            facts.append(Fact(ui["message"], texts=shapes.literals(shape, _MESSAGES)))
        for constraint in shapes.objects(shape, str(SH.sparql)):
            select = shapes.literals(constraint, (str(SH.select), str(SH.ask)))
            facts.append(Fact(ui["constraints"], texts=shapes.literals(constraint, _MESSAGES),
                              code=select[0].text.strip() if select else None))
        rows = tuple(sorted(
            (_row(shapes, index, p, ref, lang) for p in shapes.objects(shape, str(SH.property))),
            key=lambda r: (r.order, r.path)))
        label = (index.labels.get(shape.value, lang) if index.labels.has(shape.value)
                 else Label(anchor(shape.value, namespace, prefixes), None))
        docs.append(TermDoc(
            shape.value, anchor(shape.value, namespace, prefixes), curie(shape.value, prefixes),
            label, shapes.literals(shape, (str(RDFS.label),)),
            shapes.literals(shape, _DESCRIPTIONS),
            tuple(index.labels.get(t.value, lang).text for t in shapes.objects(shape, str(RDF.type))
                  if isinstance(t, ox.NamedNode)),
            tuple(f for f in facts if f.refs or f.texts or f.code), rows))
    head = ox.NamedNode(staged.shapes_graph)
    return VocabularyPage(
        which="shapes", lang=lang, iri=staged.shapes_graph,
        title=shapes.labels.get(staged.shapes_graph, lang) if shapes.labels.has(
            staged.shapes_graph) else Label(ui["shapes"], lang),
        descriptions=shapes.literals(head, _DESCRIPTIONS),
        facts=(Fact(ui["namespace"], texts=(Label(namespace, None),)),),
        sections=(Section("shapes", ui["shapes"], tuple(docs)),) if docs else (),
    )


def _row(shapes: GraphIndex, index: GraphIndex, node, ref, lang: str) -> ShapeRow:
    path_node = next(iter(shapes.objects(node, str(SH.path))), None)
    values: list[str] = []
    value_refs: list[Ref] = []

    def one(predicate) -> ox.Literal | ox.NamedNode | None:
        return next(iter(shapes.objects(node, str(predicate))), None)

    for predicate in (SH.datatype, SH.nodeKind):
        found = one(predicate)
        if isinstance(found, ox.NamedNode):
            values.append(index.labels.get(found.value, lang).text)
    value_refs.extend(r for r in (ref(c) for c in shapes.objects(node, str(SH["class"]))) if r)
    value_refs.extend(r for r in (ref(c) for c in shapes.objects(node, str(SH.node))) if r)
    for predicate, words in ((SH.disjoint, "≠"), (SH.equals, "="), (SH.lessThan, "<"),
                             (SH.lessThanOrEquals, "≤")):
        for other in shapes.objects(node, str(predicate)):
            if isinstance(other, ox.NamedNode):
                values.append(f"{words} {index.labels.get(other.value, lang).text}")
    for predicate, words in ((SH["in"], "∈"), (SH.languageIn, "@")):
        listed = one(predicate)
        if listed is not None:
            members = ", ".join(_show(m, index, lang) for m in shapes.items(listed))
            values.append(f"{words} {{ {members} }}")
    for predicate, words in ((SH.hasValue, "="), (SH.pattern, "~"), (SH.minLength, "≥"),
                             (SH.maxLength, "≤"), (SH.minInclusive, "≥"), (SH.maxInclusive, "≤"),
                             (SH.minExclusive, ">"), (SH.maxExclusive, "<")):
        found = one(predicate)
        if found is not None:
            values.append(f"{words} {_show(found, index, lang)}")
    if isinstance(one(SH.uniqueLang), ox.Literal) and one(SH.uniqueLang).value == "true":
        values.append({"fr": "une valeur par langue"}.get(lang, "one value per language"))
    order = one(SH.order)
    return ShapeRow(
        path=_path(path_node, shapes, index, lang),
        path_ref=ref(path_node) if isinstance(path_node, ox.NamedNode) else None,
        count=_count(one(SH.minCount), one(SH.maxCount)),
        values=tuple(values), value_refs=tuple(value_refs),
        names=shapes.literals(node, _NAMES), messages=shapes.literals(node, _MESSAGES),
        order=float(order.value) if isinstance(order, ox.Literal) else float("inf"),
    )


def _count(low, high) -> str:
    """``1``, ``0..1``, ``1..*`` from ``sh:minCount``/``sh:maxCount``.

    >>> _count(None, None), _count(ox.Literal("1"), ox.Literal("1")), _count(ox.Literal("1"), None)
    ('0..*', '1', '1..*')
    """
    low_text = low.value if isinstance(low, ox.Literal) else "0"
    high_text = high.value if isinstance(high, ox.Literal) else "*"
    return low_text if low_text == high_text else f"{low_text}..{high_text}"


def _path(node, shapes: GraphIndex, index: GraphIndex, lang: str, depth: int = 0) -> str:
    """A SHACL property path (§2.3.1) in SPARQL property-path syntax, with labels."""
    if isinstance(node, ox.NamedNode):
        return index.labels.get(node.value, lang).text
    if node is None or depth > 5:
        return "?"
    members = shapes.items(node)
    if members:
        return " / ".join(_path(m, shapes, index, lang, depth + 1) for m in members)
    for predicate, form in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                            (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = next(iter(shapes.objects(node, str(predicate))), None)
        if inner is not None:
            return form.format(_path(inner, shapes, index, lang, depth + 1))
    alternatives = next(iter(shapes.objects(node, str(SH.alternativePath))), None)
    if alternatives is not None:
        return " | ".join(_path(m, shapes, index, lang, depth + 1) for m in shapes.items(alternatives))
    return "?"


def _show(term, index: GraphIndex, lang: str) -> str:
    if isinstance(term, ox.NamedNode):
        return index.labels.get(term.value, lang).text
    if isinstance(term, ox.Literal):
        return f'"{term.value}"' if not term.value.isdigit() else term.value
    return "…"
