"""From a description to what a page shows: labelled, grouped, ordered, with sources.

Templates receive these frozen dataclasses and nothing else: no rdflib or pyoxigraph
object reaches a template, and every IRI is a plain string the template turns into a
local link (``local_href``). Properties are grouped and ordered by importance (names,
description, when and where, related resources, facts, identity links, notes); a SHACL
shape with ``sh:order``/``sh:group`` for the resource's class overrides that order.
Owned nodes (memberships, quotations) and blank nodes are shown inline, once. A derived
shortcut that only restates, the other way round, what a source states (``subjectOf``
for a photo's ``about``) gives way to the stated link, so a page shows each fact once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass, replace

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from server.domain import iris
from server.domain.describe import Description
from server.domain.labels import LABEL_PREDICATES, Label, Labels, fold
from server.domain.namespaces import SCHEMA
from server.domain.reifiers import Citations
from server.web.footnotes import cited_marks
from server.web.i18n import LANGUAGES, messages
from server.web.ordering import (
    GROUP_ORDER,
    Hint,
    PropertyHints,
    group_of,
    incoming_title,
    rank_in_group,
)
from server.web.terms import SourceMark, Term, Value, literal_value, source_marks, term_of

__all__ = ["Figure", "Group", "Nested", "Quote", "ResourcePage", "Row", "resource_page"]

ROW_LIMIT = 12
NESTING = 3
RDF_TYPE = str(RDF.type)
QUOTE_TEXT = (str(SCHEMA.text),)
SPEAKERS = (str(SCHEMA.spokenByCharacter), str(SCHEMA.creator), str(SCHEMA.author))
CAPTION, CREDIT = str(SCHEMA.caption), str(SCHEMA.creditText)
_QUOTATION = str(SCHEMA.Quotation)
_HIDDEN_IN_NESTED = frozenset(LABEL_PREDICATES) | {RDF_TYPE}
_TEXT_TYPES = (str(XSD.string), str(RDF.langString))


@dataclass(frozen=True)
class Quote:
    text: str
    lang: str | None
    speakers: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Figure:
    captions: tuple[Label, ...]
    credits: tuple[str, ...]


@dataclass(frozen=True)
class Nested:
    """An owned node or blank node shown inside the page of the resource it belongs to."""

    iri: str | None
    title: Label | None
    types: tuple[Term, ...]
    rows: tuple[Row, ...]
    quote: Quote | None = None


@dataclass(frozen=True)
class Row:
    predicate: Term
    title: str  # the predicate's label, or the inverse phrase for incoming links
    values: tuple[Value, ...]
    total: int
    inverse: bool = False
    help: Label | None = None  # the shapes' sh:description of the property
    only_lang: str | None = None  # the one language its texts are given in, if only one
    missing: bool = False  # a value the shapes expect and the sources do not state

    @property
    def truncated(self) -> bool:
        return self.total > len(self.values)


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: tuple[Row, ...]
    folded: bool = False  # a shapes' group of derived shortcuts only: shown closed


@dataclass(frozen=True)
class ResourcePage:
    """Everything ``resource.html`` shows about one resource, in one reader's language."""

    iri: str
    kind: str
    slug: str
    lang: str
    title: Label
    types: tuple[Term, ...]
    groups: tuple[Group, ...]
    incoming: tuple[Row, ...]
    sources: tuple[SourceMark, ...]
    quote: Quote | None = None
    figure: Figure | None = None
    other_names: tuple[Label, ...] = ()


class _Context:
    """What building one page needs: the description indexed, the labels, the reader."""

    def __init__(self, description: Description, lang: str, base: str, hints: PropertyHints,
                 citations: Citations | None = None):
        self.description = description
        self.citations = citations
        self.lang = lang
        self.base = base
        self.hints = hints
        self.labels = Labels((*description.quads, *description.gist))
        self.outgoing: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        self.incoming: dict[ox.NamedNode | ox.BlankNode | ox.Literal, list[ox.Triple]] = {}
        for triple in description.graphs:
            self.outgoing.setdefault(triple.subject, []).append(triple)
            self.incoming.setdefault(triple.object, []).append(triple)
        self.gist: dict[str, list[ox.Literal]] = {}
        for quad in description.gist:
            self.gist.setdefault(quad.subject.value, []).append(quad.object)
        self.shown_nested: set = set()

    def owned(self, node) -> bool:
        """A node described inline: a blank node, or one whose type the description holds."""
        if isinstance(node, ox.BlankNode):
            return True
        return isinstance(node, ox.NamedNode) and node.value != self.description.iri and any(
            t.predicate.value == RDF_TYPE for t in self.outgoing.get(node, ()))

    def sources_of(self, triple: ox.Triple) -> tuple[SourceMark, ...]:
        marks = source_marks(self.description.sources, self.description.graphs.get(triple, ()),
                             self.lang)
        return cited_marks(marks, triple, self.citations, self.description.sources, self.lang,
                           self.base)

    def derived_only(self, triple: ox.Triple) -> bool:
        graphs = self.description.graphs.get(triple, ())
        return bool(graphs) and all(
            self.description.sources.by_graph.get(g) is not None
            and self.description.sources.by_graph[g].role == "derived" for g in graphs)


def resource_page(description: Description, lang: str, base: str,
                  hints: PropertyHints | None = None,
                  prefixes: Mapping[str, str] | None = None,
                  citations: Citations | None = None) -> ResourcePage:
    """The page of a described resource for a reader of ``lang``.

    Args:
        description: the resource's description (``describe.describe``).
        lang: the reader's language, one of ``i18n.LANGUAGES``.
        base: the dataset's base IRI (for kinds and local links).
        hints: the order and groups the shapes give the resource's classes.
        prefixes: to tell apart two properties with the same label ("member of").
        citations: the sentences (or rules and premises) each statement cites, which
            its footnotes open to.
    """
    ctx = _Context(description, lang, base, hints or PropertyHints(), citations)
    subject = ox.NamedNode(description.iri)
    own = _visible_outgoing(ctx, subject)
    types = tuple(term(ctx, t.object.value)
                  for t in own if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode))
    title = ctx.labels.get(description.iri, lang)
    key = iris.parse_resource_iri(base, description.iri)
    used_marks: dict[str, SourceMark] = {}
    groups = _groups(ctx, [t for t in own if t.predicate.value != RDF_TYPE], used_marks,
                     prefixes or {})
    incoming = _incoming_rows(ctx, subject, {t.object for t in own}, used_marks)
    for t in own:
        if t.predicate.value == RDF_TYPE:
            for mark in ctx.sources_of(t):
                used_marks.setdefault(mark.mark, mark)
    return _numbered(ResourcePage(
        iri=description.iri,
        kind=key.kind if key else "",
        slug=key.slug if key else "",
        lang=lang,
        title=title,
        types=types,
        groups=groups,
        incoming=incoming,
        sources=tuple(sorted(used_marks.values(), key=lambda m: int(m.mark))),
        quote=_quote(ctx, subject),
        figure=_figure(ctx, subject),
        other_names=tuple(label for label in ctx.labels.all(description.iri)
                          if label.text != title.text),
    ))


def _numbered(page: ResourcePage) -> ResourcePage:
    """The page's footnotes numbered 1, 2, 3… in reading order, whatever the graphs'
    numbers in the whole dataset."""
    order: dict[str, str] = {}

    def visit(node):
        if isinstance(node, SourceMark):
            order.setdefault(node.mark, str(len(order) + 1))
        elif isinstance(node, tuple):
            for part in node:
                visit(part)
        elif is_dataclass(node):
            for part in fields(node):
                if part.name != "sources" or not isinstance(node, ResourcePage):
                    visit(getattr(node, part.name))

    def renumbered(node):
        if isinstance(node, SourceMark):
            return replace(node, mark=order[node.mark])
        if isinstance(node, tuple):
            return tuple(renumbered(part) for part in node)
        if is_dataclass(node) and not isinstance(node, type):
            return replace(node, **{f.name: renumbered(getattr(node, f.name)) for f in fields(node)
                                    if f.init})
        return node

    visit(page)
    for mark in page.sources:  # marks of statements shown only as types
        order.setdefault(mark.mark, str(len(order) + 1))
    page = renumbered(page)
    return replace(page, sources=tuple(sorted(page.sources, key=lambda m: int(m.mark))))


def _visible_outgoing(ctx: _Context, subject: ox.NamedNode) -> list[ox.Triple]:
    """The subject's statements, less derived inverses of links a source states."""
    stated_back = {t.subject for t in ctx.incoming.get(subject, ()) if not ctx.derived_only(t)}
    return [t for t in ctx.outgoing.get(subject, ())
            if not (ctx.derived_only(t) and t.object in stated_back)]


def _groups(ctx: _Context, triples: list[ox.Triple], used: dict[str, SourceMark],
            prefixes: Mapping[str, str]) -> tuple[Group, ...]:
    by_predicate: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        by_predicate.setdefault(triple.predicate.value, []).append(triple)
    placed: dict[str, tuple[float, str, list[tuple[tuple, Row]]]] = {}
    derived: dict[str, bool] = {}
    for predicate, found in by_predicate.items():
        row = _row(ctx, predicate, found, inverse=False, depth=0, used=used)
        derived[predicate] = all(ctx.derived_only(t) for t in found)
        _place(ctx, placed, row, ctx.hints.get(predicate), [t.object for t in found])
    for predicate, hint in ctx.hints.expected.items():
        if predicate not in by_predicate:
            _place(ctx, placed, _missing_row(ctx, predicate), hint, [])
    ui = messages(ctx.lang)
    ordered = sorted(placed.items(), key=lambda item: item[1][0])
    groups = tuple(
        Group(key, title, _one_name_row(tuple(row for _, row in sorted(rows, key=lambda r: r[0])),
                                        ui["name"]),
              folded=ctx.hints.is_group(key) and not ctx.hints.stands_for_builtin(key)
              and all(derived.get(row.predicate.iri, False) for _, row in rows))
        for key, (_, title, rows) in ordered
    )
    return _disambiguated(groups, prefixes, ctx.lang)


def _place(ctx: _Context, placed: dict, row: Row, hint: Hint | None, values: list) -> None:
    """Put a row in its group: the shapes' group if they give one, else the built-in
    group (or the shapes' group that stands for it), ranked by ``sh:order``."""
    predicate = row.predicate.iri
    if hint is not None and hint.group is not None:
        key = hint.group
    else:
        builtin = group_of(predicate, values)
        key = ctx.hints.builtin_groups.get(builtin, builtin)
    if ctx.hints.is_group(key):
        rank = ctx.hints.group_orders.get(key, hint.group_order if hint else 0.0)
        title = ctx.hints.group_title(key, ctx.lang)
    else:  # names first, then the shapes' groups by their sh:order, then the others
        rank = -1.0 if key == "names" else 1000.0 + GROUP_ORDER.index(key)
        title = messages(ctx.lang)[f"group_{key}"]
    order = (hint.order if hint is not None else float("inf"), rank_in_group(predicate),
             fold(row.title))
    placed.setdefault(key, (rank, title, []))[2].append((order, row))


def _missing_row(ctx: _Context, predicate: str) -> Row:
    """The row of a property the shapes expect and the resource lacks: the page says the
    sources do not state it, so a reader knows the gap is in the articles."""
    predicate_term = term(ctx, predicate)
    name = ctx.hints.name(predicate, ctx.lang, missing=True)
    if name is not None:
        predicate_term = replace(predicate_term, label=name.text, lang=name.lang)
    return Row(predicate_term, predicate_term.label, (), 0,
               help=ctx.hints.help(predicate, ctx.lang, missing=True), missing=True)


def _one_name_row(rows: tuple[Row, ...], title: str) -> tuple[Row, ...]:
    """``rdfs:label``, ``skos:prefLabel`` and ``schema:name`` as one row of distinct names:
    the same name stated as a label and as a schema.org name is one name."""
    names = [row for row in rows if row.predicate.iri in LABEL_PREDICATES]
    if len(names) < 2:
        return rows
    values: dict[tuple[str | None, str | None], Value] = {}
    for row in names:
        for value in row.values:
            key = (value.text, value.lang)
            known = values.get(key)
            merged = value.sources if known is None else (
                *known.sources, *(m for m in value.sources
                                  if m.mark not in {k.mark for k in known.sources}))
            values[key] = replace(value, sources=merged)
    merged_row = replace(names[0], title=title, values=tuple(values.values()), total=len(values))
    first = rows.index(names[0])
    return tuple(merged_row if i == first else row for i, row in enumerate(rows)
                 if row not in names or i == first)


def _disambiguated(groups: tuple[Group, ...], prefixes: Mapping[str, str],
                   lang: str) -> tuple[Group, ...]:
    """Rows whose properties read the same get their vocabulary's name:
    "member of (schema.org)", "member of (W3C Organization Ontology)"."""
    titles: dict[str, int] = {}
    for group in groups:
        for row in group.rows:
            titles[row.title] = titles.get(row.title, 0) + 1
    if all(n == 1 for n in titles.values()):
        return groups
    names = Labels(())

    def retitled(row: Row) -> Row:
        if titles[row.title] == 1:
            return row
        namespace = next((ns for ns in prefixes.values()
                          if row.predicate.iri.startswith(ns)
                          and "/" not in row.predicate.iri[len(ns):]), None)
        if namespace is None:
            return row
        return replace(row, title=f"{row.title} ({names.get(namespace, lang).text})")

    return tuple(replace(g, rows=tuple(retitled(r) for r in g.rows)) for g in groups)


def _row(ctx: _Context, predicate: str, triples: list[ox.Triple], *, inverse: bool, depth: int,
         used: dict[str, SourceMark], skip: object = None) -> Row:
    values = []
    for triple in sorted(triples, key=lambda t: _sort_key(ctx, t.subject if inverse else t.object)):
        node = triple.subject if inverse else triple.object
        if node == skip:
            continue
        value = value_of(ctx, node, ctx.sources_of(triple), depth)
        for mark in value.sources:
            used.setdefault(mark.mark, mark)
        values.append(value)
    predicate_term = term(ctx, predicate)
    if inverse:
        return Row(predicate_term, incoming_title(predicate, predicate_term.label, ctx.lang),
                   tuple(values[:ROW_LIMIT]), len(values), inverse)
    name = ctx.hints.name(predicate, ctx.lang)
    if name is not None:
        predicate_term = replace(predicate_term, label=name.text, lang=name.lang)
    return Row(predicate_term, predicate_term.label, tuple(values[:ROW_LIMIT]), len(values),
               help=ctx.hints.help(predicate, ctx.lang), only_lang=_only_language(values))


def _only_language(values: list[Value]) -> str | None:
    """The language of a property's texts when they are all in one of the site's
    languages and none in another: a reader then knows the other is missing."""
    texts = [v for v in values if v.term is None and v.nested is None and v.machine is None]
    languages = {v.lang for v in texts}
    if len(texts) == len(values) and len(languages) == 1 and languages <= set(LANGUAGES):
        return next(iter(languages))
    return None


def _sort_key(ctx: _Context, node) -> tuple:
    if isinstance(node, ox.Literal):
        other_language = bool(node.language) and node.language != ctx.lang
        text = fold(node.value) if node.datatype.value in _TEXT_TYPES else node.value
        return (1, other_language, text)
    if isinstance(node, ox.NamedNode):
        return (0, fold(ctx.labels.get(node.value, ctx.lang).text), node.value)
    return (2, str(node))


def _incoming_rows(ctx: _Context, subject: ox.NamedNode, linked_out: set,
                   used: dict[str, SourceMark]) -> tuple[Row, ...]:
    by_predicate: dict[str, list[ox.Triple]] = {}
    for triple in ctx.incoming.get(subject, ()):
        if triple.subject == subject:
            continue
        if ctx.derived_only(triple) and triple.subject in linked_out:
            continue
        by_predicate.setdefault(triple.predicate.value, []).append(triple)
    rows = [_row(ctx, predicate, found, inverse=True, depth=0, used=used, skip=subject)
            for predicate, found in by_predicate.items()]
    rows.sort(key=lambda row: (not any(v.nested for v in row.values), fold(row.title)))
    return tuple(rows)


def value_of(ctx: _Context, node, sources: tuple[SourceMark, ...], depth: int) -> Value:
    """One value for a template: literal, linked term, or a nested node shown once."""
    if isinstance(node, ox.Literal):
        return literal_value(node, ctx.labels, ctx.lang, sources)
    if ctx.owned(node) and node not in ctx.shown_nested and depth < NESTING:
        ctx.shown_nested.add(node)
        return Value(sources, nested=_nested(ctx, node, depth + 1))
    if isinstance(node, ox.BlankNode):
        return Value(sources, text="…")
    return Value(sources, term=term(ctx, node.value))


def _nested(ctx: _Context, node, depth: int) -> Nested:
    page_subject = ox.NamedNode(ctx.description.iri)
    triples = [t for t in ctx.outgoing.get(node, ()) if t.predicate.value not in _HIDDEN_IN_NESTED]
    by_predicate: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        by_predicate.setdefault(triple.predicate.value, []).append(triple)
    used: dict[str, SourceMark] = {}
    # the link back to the page's resource goes without saying (``skip``; emptied rows go)
    rows = [_row(ctx, p, found, inverse=False, depth=depth, used=used, skip=page_subject)
            for p, found in by_predicate.items()]
    quote = _quote(ctx, node)
    if quote is not None:  # what the quotation box shows already
        shown = {*QUOTE_TEXT, *SPEAKERS, str(SCHEMA.inLanguage)}
        rows = [row for row in rows if row.predicate.iri not in shown]
    rows = [row for row in rows if row.values]
    rows.sort(key=lambda row: (ctx.hints.get(row.predicate.iri).order
                               if ctx.hints.get(row.predicate.iri) else float("inf"),
                               fold(row.title)))
    iri = node.value if isinstance(node, ox.NamedNode) else None
    types = tuple(term(ctx, t.object.value) for t in ctx.outgoing.get(node, ())
                  if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode))
    key = iri if iri is not None else f"_:{node.value}"  # how ``Labels`` names a blank node
    title = ctx.labels.get(key, ctx.lang) if ctx.labels.has(key) else None
    return Nested(iri, title, types, tuple(rows), quote)


def _quote(ctx: _Context, node) -> Quote | None:
    statements = ctx.outgoing.get(node, ())
    if not any(t.predicate.value == RDF_TYPE and t.object.value == _QUOTATION for t in statements):
        return None
    texts = [t.object for t in statements
             if t.predicate.value in QUOTE_TEXT and isinstance(t.object, ox.Literal)]
    if not texts:
        return None
    chosen = next((t for t in texts if t.language == ctx.lang), texts[0])
    speakers = tuple(term(ctx, t.object.value) for t in statements
                     if t.predicate.value in SPEAKERS and isinstance(t.object, ox.NamedNode))
    return Quote(chosen.value, chosen.language, speakers)


def _figure(ctx: _Context, node) -> Figure | None:
    statements = ctx.outgoing.get(node, ())
    captions = tuple(Label(t.object.value, t.object.language) for t in statements
                     if t.predicate.value == CAPTION and isinstance(t.object, ox.Literal))
    if not captions:
        return None
    credits = tuple(t.object.value for t in statements
                    if t.predicate.value == CREDIT and isinstance(t.object, ox.Literal))
    return Figure(captions, credits)


def term(ctx: _Context, iri: str) -> Term:
    """An IRI of the page, with its label in the reader's language and, for ours, its kind."""
    gist = tuple(Label(lit.value, lit.language) for lit in ctx.gist.get(iri, ())
                 if isinstance(lit, ox.Literal))
    return term_of(iri, ctx.labels, ctx.lang, ctx.base, gist)
