"""What the query page shows: the editor's text, example queries, a results table.

The template gets one documented ``QueryPage``; every link in it was made by the web
layer (``link`` maps an IRI to where a reader follows it: our resource pages for our
IRIs), and every term is shown short (``schema:name`` rather than the full IRI).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from server.domain.examples import ExampleQuery
from server.sparql.execution import Answer, Cell

__all__ = [
    "CannedPage",
    "Example",
    "Field",
    "Link",
    "QueryPage",
    "Results",
    "Shown",
    "compact",
    "example_links",
    "results_view",
    "starter_query",
]

STARTER = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o .\n}\nLIMIT 25\n"
_SHORT_TYPES = ("string", "langString")


@dataclass(frozen=True)
class Shown:
    """One term in the table: its short text, where it links, and a note (language or
    datatype) for a literal."""

    text: str
    kind: str
    href: str | None = None
    note: str | None = None
    title: str | None = None
    lang: str | None = None  # the language of ``text``, for a ``lang`` attribute


@dataclass(frozen=True)
class Results:
    form: str  # "solutions", "boolean" or "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Shown | None, ...], ...] = ()
    boolean: bool | None = None
    count: int = 0


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    media_type: str = ""
    filename: str = ""


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    href: str


@dataclass(frozen=True)
class QueryPage:
    """The query page (``sparql.html``).

    Attributes:
        endpoint: the URL the form sends the query to.
        query: the editor's text: the query asked, or our prefixes and a starter query.
        prefixes: the dataset's prefix map, shown beside the editor.
        examples: the example queries (``queries/*.rq``), each a link that runs it.
        results: the answer, when a query was run.
        error: the error's title and message, when the query failed.
        downloads: the answer in each format it can take.
        share: a URL that runs the same query again (None when it is too long for a URL).
        editor: URLs of the editor's script and styles; empty without the npm assets
            (the page is then a plain text area, and works the same).
        limits: the time limit (seconds) and the most results, to tell the reader.
    """

    endpoint: str
    query: str
    prefixes: dict[str, str]
    examples: tuple[Example, ...] = ()
    results: Results | None = None
    error: tuple[str, str] | None = None
    downloads: tuple[Link, ...] = ()
    share: str | None = None
    editor: dict[str, str] = field(default_factory=dict)
    limits: tuple[float, int] = (0.0, 0)


@dataclass(frozen=True)
class Field:
    """One parameter of a canned query, as its form shows it.

    Attributes:
        name: the query-string name (the variable, without ``?``).
        type: ``iri`` (a picker of ``choices``), ``date``, ``literal`` or ``language``.
        label: what it is called in the reader's language.
        value: the value given (or the default), selected or filled in.
        choices: the picker's options (``canned.Choice``), empty for a date or a text.
    """

    name: str
    type: str
    label: str
    value: str
    choices: tuple = ()


@dataclass(frozen=True)
class CannedPage:
    """A canned query's page (``canned.html``): its form, the query, the answer."""

    name: str
    title: str
    text: str
    fields: tuple[Field, ...] = ()
    results: Results | None = None
    downloads: tuple[Link, ...] = ()
    editor: str | None = None  # the bound query in the SPARQL editor


def starter_query(prefixes: dict[str, str]) -> str:
    """Our prefixes, then a query that shows some data."""
    width = max((len(name) for name in prefixes), default=0)
    lines = [f"PREFIX {name + ':':<{width + 1}} <{iri}>" for name, iri in sorted(prefixes.items())]
    return "\n".join(lines) + "\n\n" + STARTER


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` when a prefix fits, else the IRI.

    >>> compact("http://schema.org/name", {"schema": "http://schema.org/"})
    'schema:name'
    >>> compact("http://schema.org/a/b", {"schema": "http://schema.org/"})
    'http://schema.org/a/b'
    """
    best: str | None = None
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(prefixes[best])):
            local = iri[len(namespace):]
            if local and all(c.isalnum() or c in "-_." for c in local) and local[-1] != ".":
                best = name
    return iri if best is None else f"{best}:{iri[len(prefixes[best]):]}"


Labeller = Callable[[str], "tuple[str, str | None] | None"]


def results_view(answer: Answer, link: Callable[[str], str], prefixes: dict[str, str],
                 label: Labeller = lambda iri: None) -> Results:
    """The answer as the page's table: an IRI shows its label (``label`` gives the text
    and its language, or None) else its short form, with the IRI itself on hover."""
    if answer.table is None:
        return Results(answer.form, boolean=answer.boolean, count=answer.count)
    rows = tuple(tuple(_shown(cell, link, prefixes, label) for cell in row)
                 for row in answer.table.rows)
    return Results(answer.form, answer.table.variables, rows, count=answer.count)


def _shown(cell: Cell | None, link: Callable[[str], str], prefixes: dict[str, str],
           label: Labeller) -> Shown | None:
    if cell is None:
        return None
    if cell.kind == "iri":
        found = label(cell.value)
        if found is not None:
            return Shown(found[0], "iri", link(cell.value), title=cell.value, lang=found[1])
        return Shown(compact(cell.value, prefixes), "iri", link(cell.value), title=cell.value)
    if cell.kind == "bnode":
        return Shown(f"_:{cell.value}", "bnode")
    if cell.kind == "literal":
        note = cell.language
        if note is None and cell.datatype:
            short = compact(cell.datatype, prefixes)
            note = None if short.partition(":")[2] in _SHORT_TYPES else short
        return Shown(cell.value, "literal", note=note)
    return Shown(cell.value, cell.kind)


def example_links(examples: Sequence[ExampleQuery], href: Callable[[ExampleQuery], str],
                  lang: str) -> tuple[Example, ...]:
    """Each example with its title in the reader's language and where it runs."""
    return tuple(Example(e.title_in(lang), e.text, href(e)) for e in examples)
