"""The pages around the resources: home, search, browse, and a property's full list.

Like ``presenters``, these build frozen dataclasses from domain results, for one
reader's language; templates get nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS

from server.domain import iris
from server.domain.catalogue import Catalogue, Entry, Hit, Listing
from server.domain.describe import Description, Sources, ValuesPage
from server.domain.examples import ExampleQuery
from server.domain.labels import Label, Labels
from server.domain.paging import page_count
from server.domain.reifiers import Citations
from server.store import Stats
from server.web.footnotes import cited_marks
from server.web.i18n import messages
from server.web.ordering import incoming_title
from server.web.terms import SourceMark, Term, Value, literal_value, source_marks, term_of

DESCRIPTION_LIMIT = 140
# The articles the home page lists; past them it links to the class that holds them all.
HOME_SOURCES = 12

__all__ = [
    "BrowsePage",
    "ClassCount",
    "HomePage",
    "Item",
    "SearchPage",
    "ValuesList",
    "browse_page",
    "home_page",
    "item",
    "search_json",
    "search_page",
    "values_list",
]


@dataclass(frozen=True)
class ClassCount:
    """A class, how many resources it has (its subclasses' included), and its subclasses."""

    term: Term
    count: int
    subclasses: tuple[ClassCount, ...] = ()


@dataclass(frozen=True)
class Item:
    """A resource in a list: its label, kind and types, and the name that matched."""

    term: Term
    types: tuple[Term, ...]
    matched: Label | None = None
    description: Label | None = None  # one line, to tell apart resources named alike


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    href: str | None  # the query's own page (``/queries/{name}``), when it is there


@dataclass(frozen=True)
class HomePage:
    lang: str
    title: Label
    descriptions: tuple[Label, ...]
    sources: tuple[SourceMark, ...]  # the first HOME_SOURCES
    sources_total: int
    sources_class: str | None  # where all the articles are listed
    classes: tuple[ClassCount, ...]
    stats: Stats
    resources: int
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class SearchPage:
    lang: str
    query: str
    items: tuple[Item, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class BrowsePage:
    lang: str
    title: str
    kind: str | None
    cls: Term | None
    items: tuple[Item, ...]
    total: int
    page: int
    pages: int
    classes: tuple[ClassCount, ...]


@dataclass(frozen=True)
class ValuesList:
    iri: str
    kind: str
    slug: str
    lang: str
    resource: Term
    predicate: Term
    title: str
    p: str  # the property as the query string names it
    inverse: bool
    values: tuple[Value, ...]
    total: int
    page: int
    pages: int


def item(found: Catalogue, entry: Entry, lang: str, base: str, matched: Label | None = None) -> Item:
    term = term_of(entry.iri, found.labels, lang, base)
    types = tuple(term_of(cls, found.labels, lang, base) for cls in _most_specific(found, entry.types))
    if matched is not None and matched.text == term.label:
        matched = None
    description = entry.description(lang)
    if description is not None:
        description = Label(_one_line(description.text), description.lang)
    return Item(term, types, matched, description)


def _most_specific(found: Catalogue, types: Sequence[str]) -> tuple[str, ...]:
    """The types less those that another of them already implies (a city is a place)."""
    implied = {s for t in types for s in found.superclasses.get(t, ())}
    return tuple(t for t in types if t not in implied) or tuple(types)


def _one_line(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first sentence of ``text``, cut at a word within ``limit`` characters.

    >>> _one_line("PCE will set up teams. Then more.")
    'PCE will set up teams.'
    >>> _one_line("a b c d", limit=4)
    'a b…'
    """
    first = " ".join(text.split())
    end = first.find(". ")
    if end != -1:
        first = first[:end + 1]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def class_counts(found: Catalogue, lang: str, base: str) -> tuple[ClassCount, ...]:
    """The classes as a tree that follows the ontology, each with its count."""

    def node(cls: str, above: frozenset[str]) -> ClassCount:
        below = tuple(node(sub, above | {cls}) for sub in found.subclasses(cls) if sub not in above)
        return ClassCount(term_of(cls, found.labels, lang, base), len(found.by_class[cls]),
                          _by_count(below))

    return _by_count(tuple(node(cls, frozenset()) for cls in found.top_classes()))


def _by_count(counts: tuple[ClassCount, ...]) -> tuple[ClassCount, ...]:
    return tuple(sorted(counts, key=lambda c: (-c.count, c.term.label.casefold())))


def home_page(found: Catalogue, sources: Sources, dataset: Sequence[ox.Quad], dataset_iri: str,
              stats: Stats, examples: Sequence[tuple[ExampleQuery, str | None]], lang: str,
              base: str) -> HomePage:
    """The home page: what the dataset is, its sources, what it holds, where to start."""
    ui = messages(lang)
    labels = Labels(dataset)
    descriptions = tuple(
        Label(q.object.value, q.object.language) for q in dataset
        if q.subject.value == dataset_iri and isinstance(q.object, ox.Literal)
        and q.predicate.value in (str(DCTERMS.description), str(RDFS.comment)))
    chosen = [d for d in descriptions if d.lang == lang] or list(descriptions[:1])
    graphs = [s.graph for s in sources.ordered() if s.role == "article"]
    articles = tuple(source_marks(sources, graphs[:HOME_SOURCES], lang))
    return HomePage(
        lang=lang,
        title=labels.get(dataset_iri, lang) if labels.has(dataset_iri) else Label(ui["home_title"], lang),
        descriptions=tuple(chosen),
        sources=articles,
        sources_total=len(graphs),
        sources_class=found.covering_class([sources.by_graph[g].article for g in graphs]),
        classes=class_counts(found, lang, base),
        stats=stats,
        resources=len(found.entries),
        examples=tuple(Example(q.title_in(lang), q.text, href) for q, href in examples),
    )


def search_page(found: Catalogue, hits: Sequence[Hit], query: str, page: int, per_page: int,
                lang: str, base: str) -> SearchPage:
    chosen = hits[(page - 1) * per_page: page * per_page]
    return SearchPage(
        lang=lang, query=query,
        items=tuple(item(found, h.entry, lang, base, h.matched) for h in chosen),
        total=len(hits), page=page, pages=page_count(len(hits), per_page),
    )


def search_json(page: SearchPage, href) -> dict:
    """The search results as plain JSON (``href`` maps an IRI to a local link)."""
    return {
        "query": page.query,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "results": [
            {
                "iri": i.term.iri,
                "href": href(i.term.iri),
                "label": i.term.label,
                "lang": i.term.lang,
                "kind": i.term.kind,
                "types": [{"iri": t.iri, "label": t.label} for t in i.types],
                "description": i.description.text if i.description else None,
                "matched": {"text": i.matched.text, "lang": i.matched.lang} if i.matched else None,
            }
            for i in page.items
        ],
    }


def browse_page(found: Catalogue, listing: Listing | None, lang: str, base: str, *,
                kind: str | None = None, cls: str | None = None) -> BrowsePage:
    ui = messages(lang)
    cls_term = term_of(cls, found.labels, lang, base) if cls else None
    if kind is not None:
        title = ui["resources_of_kind"].format(kind=kind)
    elif cls_term is not None:
        title = cls_term.label
    else:
        title = ui["browse_title"]
    return BrowsePage(
        lang=lang, title=title, kind=kind, cls=cls_term,
        items=tuple(item(found, e, lang, base) for e in listing.entries) if listing else (),
        total=listing.total if listing else 0,
        page=listing.page if listing else 1,
        pages=listing.pages if listing else 1,
        classes=class_counts(found, lang, base),
    )


def value_triple(found: ValuesPage, value) -> ox.Triple:
    """The statement one value of a values page stands for."""
    node, predicate = ox.NamedNode(found.iri), ox.NamedNode(found.predicate)
    return ox.Triple(value, predicate, node) if found.inverse else ox.Triple(node, predicate, value)


def values_list(found: ValuesPage, description: Description, sources: Sources, lang: str,
                base: str, citations: Citations | None = None) -> ValuesList:
    """A property's values (or the resources linking here), one page of them, each with
    the sentences its footnote opens to (``citations``)."""
    page_labels = Labels(description.quads)
    values = []
    for value, graphs in zip(found.values, found.graphs):
        marks = cited_marks(source_marks(sources, graphs, lang), value_triple(found, value),
                            citations, sources, lang, base)
        if isinstance(value, ox.Literal):
            values.append(literal_value(value, page_labels, lang, marks))
        elif isinstance(value, ox.NamedNode):
            labels = found.labels if found.labels.has(value.value) else page_labels
            values.append(Value(marks, term=term_of(value.value, labels, lang, base)))
        else:
            values.append(Value(marks, text="…"))
    predicate = term_of(found.predicate, page_labels, lang, base)
    ui = messages(lang)
    if found.inverse:
        title = incoming_title(found.predicate, predicate.label, lang)
    else:
        title = ui["values_of"].format(p=predicate.label)
    key = iris.parse_resource_iri(base, found.iri)
    return ValuesList(
        iri=found.iri, kind=key.kind if key else "", slug=key.slug if key else "", lang=lang,
        resource=term_of(found.iri, page_labels, lang, base), predicate=predicate, title=title,
        p=found.predicate, inverse=found.inverse, values=tuple(values), total=found.total,
        page=found.page, pages=found.pages,
    )
