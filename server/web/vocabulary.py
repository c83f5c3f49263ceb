"""The ontology as documentation: every class and property, in French and English.

Read from the ontology graph as published (never from a remote vocabulary): for each of
our terms its labels and definitions in every language, its kind (class, object or
datatype property…), its place in the hierarchy, domain and range, the properties used
with a class and the shapes that apply to it; then the terms reused from other
vocabularies with the labels the ontology gives them. Anchors are the terms' fragments,
so ``BASE ontology#Agreement`` dereferences to its own section (a hash namespace,
"Cool URIs for the Semantic Web" §4.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, VANN

from server.domain.describe import scope
from server.domain.labels import CORE_LABELS, Label, Labels
from server.domain.loading import Snapshot
from server.domain.namespaces import curie
from server.memo import Memo
from server.web.i18n import messages

__all__ = [
    "Fact",
    "GraphIndex",
    "Ref",
    "Section",
    "TermDoc",
    "VocabularyPage",
    "anchor",
    "ontology_page",
]

_CLASS_TYPES = (str(OWL.Class), str(RDFS.Class))
_PROPERTY_TYPES = (str(OWL.ObjectProperty), str(OWL.DatatypeProperty),
                   str(OWL.AnnotationProperty), str(RDF.Property))
_DEFINITIONS = (str(SKOS.definition), str(RDFS.comment), str(DCTERMS.description))
_PAGES: Memo[VocabularyPage] = Memo(16)
_INDEXES: Memo[GraphIndex] = Memo(8)


@dataclass(frozen=True)
class Ref:
    """A term a documentation page links to: on the page itself, or elsewhere."""

    iri: str
    label: str
    lang: str | None
    curie: str
    anchor: str | None = None  # set when the term is documented on the same page


@dataclass(frozen=True)
class Fact:
    title: str
    refs: tuple[Ref, ...] = ()
    texts: tuple[Label, ...] = ()
    code: str | None = None


@dataclass(frozen=True)
class TermDoc:
    iri: str
    anchor: str
    curie: str
    label: Label
    labels: tuple[Label, ...]
    definitions: tuple[Label, ...]
    kinds: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    table: tuple = ()  # property-shape rows, for shapes

    @property
    def by_language(self) -> tuple[tuple[str | None, str | None, tuple[str, ...]], ...]:
        """(language, label, definitions) per language, for a side-by-side reading."""
        languages = sorted({x.lang for x in (*self.labels, *self.definitions)}, key=lambda x: x or "")
        return tuple(
            (lang, next((x.text for x in self.labels if x.lang == lang), None),
             tuple(x.text for x in self.definitions if x.lang == lang))
            for lang in languages
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    terms: tuple[TermDoc, ...]


@dataclass(frozen=True)
class VocabularyPage:
    which: str  # "ontology" or "shapes"
    lang: str
    iri: str
    title: Label
    descriptions: tuple[Label, ...]
    facts: tuple[Fact, ...]
    sections: tuple[Section, ...]


class GraphIndex:
    """One named graph, indexed both ways, with the labels its statements give."""

    def __init__(self, quads: Iterable[ox.Quad], extra_labels: Iterable[ox.Quad] = ()):
        self.out: dict = {}
        self.back: dict = {}
        quads = list(quads)
        for quad in quads:
            self.out.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)
            self.back.setdefault(quad.object, {}).setdefault(quad.predicate.value, []).append(quad.subject)
        self.labels = Labels([*quads, *extra_labels])

    def objects(self, subject, predicate: str) -> list:
        return self.out.get(subject, {}).get(predicate, [])

    def subjects(self, predicate: str, obj) -> list:
        return self.back.get(obj, {}).get(predicate, [])

    def literals(self, subject, predicates: Sequence[str]) -> tuple[Label, ...]:
        found = []
        for predicate in predicates:
            for value in self.objects(subject, predicate):
                if isinstance(value, ox.Literal):
                    label = Label(value.value, value.language)
                    if label not in found:
                        found.append(label)
        return tuple(sorted(found, key=lambda label: label.lang or ""))

    def items(self, node) -> list:
        """The members of an RDF list."""
        found, seen = [], set()
        while isinstance(node, (ox.BlankNode, ox.NamedNode)) and node not in seen:
            seen.add(node)
            found.extend(self.objects(node, str(RDF.first)))
            rest = self.objects(node, str(RDF.rest))
            node = rest[0] if rest else None
        return found

    def typed(self, types: Sequence[str]) -> list[ox.NamedNode]:
        found = {s for t in types for s in self.subjects(str(RDF.type), ox.NamedNode(t))}
        return sorted((s for s in found if isinstance(s, ox.NamedNode)), key=lambda n: n.value)


def anchor(iri: str, namespace: str, prefixes: dict[str, str]) -> str:
    """The fragment a term is documented under: its own for ours, a prefixed name else.

    >>> anchor("https://x.org/ontology#Agreement", "https://x.org/ontology#", {})
    'Agreement'
    >>> anchor("http://schema.org/Person", "https://x.org/ontology#", {"schema": "http://schema.org/"})
    'schema-Person'
    """
    if iri.startswith(namespace):
        return iri[len(namespace):]
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in curie(iri, prefixes))


def graph_index(snapshot: Snapshot, graph: str) -> GraphIndex:
    return _INDEXES.get(scope(snapshot), graph,
                        lambda: GraphIndex(snapshot.store.quads(graphs=[graph])))


def ontology_page(snapshot: Snapshot, lang: str) -> VocabularyPage:
    """The documentation of the ontology graph for a reader of ``lang``."""
    return _PAGES.get(scope(snapshot), ("ontology", lang), lambda: _ontology(snapshot, lang))


def _ontology(snapshot: Snapshot, lang: str) -> VocabularyPage:
    ui = messages(lang)
    staged, prefixes = snapshot.staged, snapshot.prefixes
    index = graph_index(snapshot, staged.ontology_graph)
    shapes = graph_index(snapshot, staged.shapes_graph)
    namespace = staged.ontology_graph + "#"
    own = [s for s in index.out if isinstance(s, ox.NamedNode) and s.value.startswith(namespace)]
    classes = [s for s in own if set(_types(index, s)) & set(_CLASS_TYPES)]
    properties = [s for s in own if set(_types(index, s)) & set(_PROPERTY_TYPES)]
    base = staged.ontology_graph.removesuffix("ontology")  # loading: BASE ontology
    others = [s for s in own if s not in classes and s not in properties]
    others += [s for s in index.out if isinstance(s, ox.NamedNode) and s.value.startswith(base)
               and not s.value.startswith(namespace) and s.value != staged.ontology_graph]
    external = [s for s in index.out if isinstance(s, ox.NamedNode)
                and not s.value.startswith(base) and index.labels.has(s.value)]
    documented = {n.value for n in (*own, *others, *external)}
    refs = _Refs(index.labels, prefixes, namespace, documented, lang)

    def doc(node: ox.NamedNode, facts: tuple[Fact, ...]) -> TermDoc:
        iri = node.value
        return TermDoc(iri, anchor(iri, namespace, prefixes), curie(iri, prefixes),
                       index.labels.get(iri, lang),
                       index.literals(node, (str(RDFS.label), str(SKOS.prefLabel))),
                       index.literals(node, _DEFINITIONS),
                       tuple(refs.label(t) for t in _types(index, node)), facts)

    def class_facts(node: ox.NamedNode) -> tuple[Fact, ...]:
        shaped = [s for s in shapes.subjects(str(SH.targetClass), node)]
        return _facts(
            (ui["subclass_of"], refs.many(index.objects(node, str(RDFS.subClassOf)), index)),
            (ui["subclasses"], refs.many(index.subjects(str(RDFS.subClassOf), node), index)),
            (ui["used_with"], refs.many(index.subjects(str(RDFS.domain), node), index)),
            (ui["shaped_by"], refs.many(shaped, index, page="shapes")),
        )

    def property_facts(node: ox.NamedNode) -> tuple[Fact, ...]:
        return _facts(
            (ui["domain"], refs.many(index.objects(node, str(RDFS.domain)), index)),
            (ui["range"], refs.many(index.objects(node, str(RDFS.range)), index)),
            (ui["subproperty_of"], refs.many(index.objects(node, str(RDFS.subPropertyOf)), index)),
            (refs.label(str(OWL.inverseOf)), refs.many(index.objects(node, str(OWL.inverseOf)), index)),
        )

    def ordered(nodes: list[ox.NamedNode]) -> list[ox.NamedNode]:
        return sorted(nodes, key=lambda n: index.labels.get(n.value, lang).text.casefold())

    sections = (
        Section("classes", ui["classes"], tuple(doc(n, class_facts(n)) for n in ordered(classes))),
        Section("properties", ui["object_properties"],
                tuple(doc(n, property_facts(n)) for n in ordered(properties))),
        Section("others", ui["other_terms"], tuple(doc(n, ()) for n in ordered(others))),
        Section("external", ui["external_terms"],
                tuple(doc(n, class_facts(n) if set(_types(index, n)) & set(_CLASS_TYPES)
                          or index.objects(n, str(RDFS.subClassOf)) else ())
                      for n in sorted(external, key=lambda n: curie(n.value, prefixes)))),
    )
    head = ox.NamedNode(staged.ontology_graph)
    return VocabularyPage(
        which="ontology", lang=lang, iri=staged.ontology_graph,
        title=index.labels.get(staged.ontology_graph, lang) if index.labels.has(
            staged.ontology_graph) else Label(ui["ontology"], lang),
        descriptions=index.literals(head, (str(DCTERMS.description), str(RDFS.comment))),
        facts=_facts(
            (ui["namespace"], (), (Label(namespace, None),)),
            (ui["version"], (), index.literals(head, (str(OWL.versionInfo),))),
            (ui["license"], refs.many(index.objects(head, str(DCTERMS.license)), index)),
            (refs.label(str(VANN.preferredNamespacePrefix)), (),
             index.literals(head, (str(VANN.preferredNamespacePrefix),))),
        ),
        sections=tuple(section for section in sections if section.terms),
    )


def _types(index: GraphIndex, node) -> list[str]:
    return [t.value for t in index.objects(node, str(RDF.type)) if isinstance(t, ox.NamedNode)]


def _facts(*rows) -> tuple[Fact, ...]:
    facts = []
    for row in rows:
        title, refs = row[0], row[1]
        texts = row[2] if len(row) > 2 else ()
        if refs or texts:
            facts.append(Fact(title, tuple(refs), tuple(texts)))
    return tuple(facts)


class _Refs:
    """Makes ``Ref``s: an anchor on this page for documented terms, a link otherwise."""

    def __init__(self, labels: Labels, prefixes: dict[str, str], namespace: str,
                 documented: set[str], lang: str):
        self.labels, self.prefixes, self.namespace = labels, prefixes, namespace
        self.documented, self.lang = documented, lang

    def label(self, iri: str) -> str:
        return self.labels.get(iri, self.lang).text

    def one(self, node, page: str = "ontology") -> Ref | None:
        if not isinstance(node, ox.NamedNode):
            return None
        iri = node.value
        named = self.labels.has(iri) or iri in CORE_LABELS
        label = self.labels.get(iri, self.lang) if named else Label(curie(iri, self.prefixes), None)
        here = page == "ontology" and iri in self.documented
        return Ref(iri, label.text, label.lang, curie(iri, self.prefixes),
                   anchor(iri, self.namespace, self.prefixes) if here else None)

    def many(self, nodes: Iterable, index: GraphIndex, page: str = "ontology") -> tuple[Ref, ...]:
        found: list[Ref] = []
        for node in nodes:
            if isinstance(node, ox.BlankNode):  # owl:unionOf ( … ), as its members
                for member in index.items(next(iter(index.objects(node, str(OWL.unionOf))), None)):
                    ref = self.one(member, page)
                    if ref and ref not in found:
                        found.append(ref)
                continue
            ref = self.one(node, page)
            if ref and ref not in found:
                found.append(ref)
        return tuple(sorted(found, key=lambda r: r.label.casefold()))
