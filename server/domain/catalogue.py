"""Every resource the dataset mints, for browsing, searching and counting.

One query per data version reads the types and names of every IRI under ``BASE id/``
(``queries.CATALOGUE``); browse lists, search and the home page's counts are then
answered from memory. Classes follow the ontology's ``rdfs:subClassOf``: a class counts
and lists the resources of its subclasses too, and nothing else (a commitment is not an
agreement unless the ontology says so), whatever kind its IRI names. Search compares folded text (``labels.fold``: no case, no
accents), across every name a resource has in any language: labels, alternate names
and headlines, so "tchibis" and "Andrei" both find Andreï Tchibis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from server.domain import iris
from server.domain.describe import label_quads, once_per_version, scope
from server.domain.labels import LABEL_PREDICATES, Label, Labels, fold
from server.domain.loading import Snapshot
from server.domain.namespaces import SCHEMA
from server.domain.paging import page_count
from server.memo import Memo
from server.store import queries

__all__ = ["PRECOMPUTED", "Catalogue", "Entry", "Hit", "Listing", "catalogue", "decoded", "encoded",
           "listing", "search"]

NAME_PREDICATES = (*LABEL_PREDICATES, str(SCHEMA.alternateName), str(SKOS.altLabel),
                   str(SCHEMA.headline))
DESCRIPTION_PREDICATES = (str(SCHEMA.description), str(DCTERMS.description), str(RDFS.comment),
                          str(SKOS.definition))
RDF_TYPE = str(RDF.type)
SUBCLASS_OF = str(RDFS.subClassOf)
MAX_QUERY = 200
PRECOMPUTED = "catalogue"  # its name among the values made at load (``domain.precomputed``)

_CATALOGUES: Memo[Catalogue] = Memo(2)
_SEARCHES: Memo[tuple] = Memo(512)
_LISTINGS: Memo[tuple] = Memo(256)


@dataclass(frozen=True)
class Entry:
    iri: str
    kind: str
    slug: str
    names: tuple[Label, ...]  # every name, in any language
    folded: tuple[str, ...]  # the names as search compares them
    types: tuple[str, ...]
    descriptions: tuple[Label, ...] = ()

    def description(self, lang: str) -> Label | None:
        """A one-line description in ``lang`` (else in any language), for lists."""
        chosen = next((d for d in self.descriptions if d.lang == lang), None)
        return chosen or next(iter(self.descriptions), None)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    matched: Label  # the name that matched
    score: int  # 0 exact, 1 prefix, 2 every word starts a word, 3 inside a word


@dataclass(frozen=True)
class Catalogue:
    entries: MappingProxyType[str, Entry]
    by_kind: MappingProxyType[str, tuple[str, ...]]
    by_class: MappingProxyType[str, tuple[str, ...]]  # with the subclasses' members
    labels: Labels = field(repr=False)  # of the entries and of their classes
    superclasses: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    def subclasses(self, cls: str) -> tuple[str, ...]:
        """The classes with members directly below ``cls`` in the ontology."""
        return tuple(c for c in self.by_class if cls in self.superclasses.get(c, ()))

    def top_classes(self) -> tuple[str, ...]:
        """The classes with members whose superclasses have none."""
        return tuple(c for c in self.by_class
                     if not any(s in self.by_class for s in self.superclasses.get(c, ())))

    def covering_class(self, iris: Sequence[str]) -> str | None:
        """The class with the fewest members, the most specific on a tie, that has every
        one of ``iris`` among them: where a page that shows some of them sends the reader
        for all (None if no class holds them all)."""
        ancestors = _ancestors(dict(self.superclasses))

        def lineage(entry: Entry | None) -> set[str]:
            types = entry.types if entry else ()
            return set(types).union(*(ancestors.get(t, ()) for t in types))

        common = set.intersection(*(lineage(self.entries.get(iri)) for iri in iris)) \
            if iris else set()
        return min((c for c in common if c in self.by_class),
                   key=lambda c: (len(self.by_class[c]), -len(ancestors.get(c, ())), c),
                   default=None)

    def label(self, iri: str, lang: str) -> Label:
        return self.labels.get(iri, lang)

    def known_label(self, iri: str, lang: str) -> tuple[str, str | None] | None:
        """The text and language of the label the data gives ``iri``; None if it has none
        (a results table then shows the IRI's short form)."""
        if not self.labels.has(iri):
            return None
        label = self.labels.get(iri, lang)
        return label.text, label.lang


@dataclass(frozen=True)
class Listing:
    """One page of a sorted list of entries."""

    entries: tuple[Entry, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def catalogue(snapshot: Snapshot, base: str) -> Catalogue:
    """The catalogue of this data version (made at load, else read once, then kept)."""
    return once_per_version(snapshot, PRECOMPUTED, _CATALOGUES,
                            lambda: _catalogue(snapshot, base))


def encoded(found: Catalogue) -> dict:
    """The catalogue as JSON values; lists name entries by their place in ``entries``."""
    place = {iri: n for n, iri in enumerate(found.entries)}
    return {
        "entries": [[e.iri, e.kind, e.slug, [[n.text, n.lang] for n in e.names], list(e.folded),
                     list(e.types), [[d.text, d.lang] for d in e.descriptions]]
                    for e in found.entries.values()],
        "by_kind": {kind: [place[iri] for iri in members]
                    for kind, members in found.by_kind.items()},
        "by_class": {cls: [place[iri] for iri in members]
                     for cls, members in found.by_class.items()},
        "labels": found.labels.encoded(),
        "superclasses": {cls: list(parents) for cls, parents in found.superclasses.items()},
    }


def decoded(document: dict) -> Catalogue:
    """The catalogue ``encoded`` wrote."""
    entries = [Entry(iri, kind, slug, tuple(Label(t, lang) for t, lang in names), tuple(folded),
                     tuple(types), tuple(Label(t, lang) for t, lang in descriptions))
               for iri, kind, slug, names, folded, types, descriptions in document["entries"]]
    iris_at = [e.iri for e in entries]
    return Catalogue(
        entries=MappingProxyType({e.iri: e for e in entries}),
        by_kind=MappingProxyType({kind: tuple(iris_at[n] for n in members)
                                  for kind, members in document["by_kind"].items()}),
        by_class=MappingProxyType({cls: tuple(iris_at[n] for n in members)
                                   for cls, members in document["by_class"].items()}),
        labels=Labels.decoded(document["labels"]),
        superclasses=MappingProxyType({cls: tuple(parents)
                                       for cls, parents in document["superclasses"].items()}),
    )


def _catalogue(snapshot: Snapshot, base: str) -> Catalogue:
    space = ox.Literal(iris.resource_iri(base, "", "")[:-1])  # BASE id/
    predicates = [ox.NamedNode(p) for p in (RDF_TYPE, *NAME_PREDICATES, *DESCRIPTION_PREDICATES)]
    text = queries.bind(queries.CATALOGUE, space=[space], p=predicates)
    names: dict[str, list[Label]] = {}
    types: dict[str, list[str]] = {}
    descriptions: dict[str, list[Label]] = {}
    statements = []
    for solution in snapshot.store.query(text):
        subject, predicate, obj = solution["s"], solution["p"], solution["o"]
        iri = subject.value
        if predicate.value == RDF_TYPE:
            if isinstance(obj, ox.NamedNode) and obj.value not in types.setdefault(iri, []):
                types[iri].append(obj.value)
        elif predicate.value in DESCRIPTION_PREDICATES:
            if isinstance(obj, ox.Literal):
                descriptions.setdefault(iri, []).append(Label(obj.value, obj.language))
        elif isinstance(obj, ox.Literal):
            label = Label(obj.value, obj.language)
            if label not in names.setdefault(iri, []):
                names[iri].append(label)
            statements.append(ox.Triple(subject, predicate, obj))
    superclasses = _direct_superclasses(snapshot)
    ancestors = _ancestors(superclasses)
    entries: dict[str, Entry] = {}
    by_kind: dict[str, list[str]] = {}
    by_class: dict[str, dict[str, None]] = {}
    for iri in sorted(set(names) | set(types)):
        key = iris.parse_resource_iri(base, iri)
        if key is None:
            continue
        found = tuple(names.get(iri, ()))
        entries[iri] = Entry(iri, key.kind, key.slug, found,
                             tuple(fold(n.text) for n in found), tuple(types.get(iri, ())),
                             tuple(descriptions.get(iri, ())))
        by_kind.setdefault(key.kind, []).append(iri)
        for cls in types.get(iri, ()):
            for member_of in (cls, *ancestors.get(cls, ())):
                by_class.setdefault(member_of, {})[iri] = None
    class_labels = label_quads(snapshot, [ox.NamedNode(c) for c in by_class])
    return Catalogue(
        entries=MappingProxyType(entries),
        by_kind=MappingProxyType({k: tuple(v) for k, v in by_kind.items()}),
        by_class=MappingProxyType({k: tuple(v) for k, v in by_class.items()}),
        labels=Labels([*statements, *class_labels]),
        superclasses=MappingProxyType(superclasses),
    )


def _direct_superclasses(snapshot: Snapshot) -> dict[str, tuple[str, ...]]:
    """``rdfs:subClassOf`` as the ontology states it (not the data: a dataset does not
    reshape the class tree)."""
    found: dict[str, list[str]] = {}
    for quad in snapshot.store.quads(graphs=[snapshot.staged.ontology_graph]):
        if (quad.predicate.value == SUBCLASS_OF and isinstance(quad.subject, ox.NamedNode)
                and isinstance(quad.object, ox.NamedNode)):
            found.setdefault(quad.subject.value, []).append(quad.object.value)
    return {cls: tuple(parents) for cls, parents in found.items()}


def _ancestors(direct: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Every superclass of each class, transitively (cycles stop where they close)."""
    closed: dict[str, tuple[str, ...]] = {}
    for cls in direct:
        seen: dict[str, None] = {}
        pending = list(direct[cls])
        while pending:
            current = pending.pop()
            if current not in seen and current != cls:
                seen[current] = None
                pending.extend(direct.get(current, ()))
        closed[cls] = tuple(seen)
    return closed


def search(snapshot: Snapshot, base: str, text: str, lang: str) -> tuple[Hit, ...]:
    """Every entry with a name containing each word of ``text``, best matches first."""
    wanted = fold(text)[:MAX_QUERY]
    if not wanted:
        return ()
    return _SEARCHES.get(scope(snapshot), (wanted, lang),
                         lambda: _search(catalogue(snapshot, base), wanted, lang))


def _search(found: Catalogue, wanted: str, lang: str) -> tuple[Hit, ...]:
    words = wanted.split()
    hits = []
    for entry in found.entries.values():
        best: tuple[int, Label] | None = None
        for name, folded in zip(entry.names, entry.folded):
            if not all(word in folded for word in words):
                continue
            score = _score(folded, wanted, words)
            if best is None or score < best[0]:
                best = (score, name)
        if best is not None:
            hits.append(Hit(entry, best[1], best[0]))
    hits.sort(key=lambda h: (h.score, fold(found.label(h.entry.iri, lang).text), h.entry.iri))
    return tuple(hits)


def _score(folded: str, wanted: str, words: Sequence[str]) -> int:
    if folded == wanted:
        return 0
    if folded.startswith(wanted):
        return 1
    starts = {w for w in _words(folded)}
    if all(any(s.startswith(word) for s in starts) for word in words):
        return 2
    return 3


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]


def listing(snapshot: Snapshot, base: str, lang: str, *, kind: str | None = None,
            cls: str | None = None, page: int = 1, per_page: int = 50) -> Listing:
    """A page of the entries of one kind (or of one class), sorted by their label."""
    found = catalogue(snapshot, base)
    key = ("kind", kind) if kind is not None else ("class", cls)
    ordered = _LISTINGS.get(scope(snapshot), (key, lang), lambda: tuple(sorted(
        (found.by_kind.get(kind, ()) if kind is not None else found.by_class.get(cls or "", ())),
        key=lambda iri: (fold(found.label(iri, lang).text), iri))))
    chosen = ordered[(page - 1) * per_page: page * per_page]
    return Listing(tuple(found.entries[iri] for iri in chosen), len(ordered), page, per_page)
