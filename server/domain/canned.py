"""Canned queries: example queries that take parameters, like Datasette's named queries.

A reader's value never becomes query text. It is parsed into an RDF term of the
parameter's type (``PARSERS``: an IRI that is an instance of the declared class, an
``xsd:date``, a plain literal, a language tag), and that term, written out by Oxigraph
(which escapes literals and refuses malformed IRIs), fills the parameter's empty
``VALUES ?name { }`` block (``examples``). A ``VALUES`` block holds data only (SPARQL
1.1 §10.2), so whatever the value, the query keeps its shape; the bound text is ordinary
SPARQL, run the same way on every store, remote ones included. A value that is not of
the parameter's type is refused, naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from server.domain.catalogue import Catalogue
from server.domain.examples import ExampleQuery, Parameter, slot_pattern
from server.domain.languages import LANGUAGE_NAMES
from server.domain.namespaces import SCHEMA
from server.problems import BadRequest

__all__ = ["Bound", "Choice", "PARSERS", "action_quads", "bind", "choices", "parse_value"]

MAX_LITERAL = 500
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Choice:
    """One option of a picker: the value sent and what the reader sees."""

    value: str
    label: str
    lang: str | None = None


@dataclass(frozen=True)
class Bound:
    """A canned query with the reader's values.

    Attributes:
        text: the query to run, every parameter bound; None while one has no value.
        values: the value of each parameter as given (or its default), for the form.
        missing: the parameters still without a value.
    """

    text: str | None
    values: Mapping[str, str]
    missing: tuple[str, ...] = ()


def _date(text: str, parameter: Parameter, found: Catalogue) -> ox.Literal:
    # xsd:date's own lexical form only (Python also reads 20181129 and 2018-W48-4)
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise _refused(parameter, text, "a date written YYYY-MM-DD") from None
    return ox.Literal(text, datatype=ox.NamedNode(str(XSD.date)))


def _literal(text: str, parameter: Parameter, found: Catalogue) -> ox.Literal:
    if not text.strip() or len(text) > MAX_LITERAL:
        raise _refused(parameter, text, f"a text of 1 to {MAX_LITERAL} characters")
    return ox.Literal(text)


def _language(text: str, parameter: Parameter, found: Catalogue) -> ox.Literal:
    if not _LANGUAGE_TAG.fullmatch(text):
        raise _refused(parameter, text, "a language tag such as fr or en")
    return ox.Literal(text.lower())


def _instance(text: str, parameter: Parameter, found: Catalogue) -> ox.NamedNode:
    cls = parameter.of_class or ""
    if text not in found.by_class.get(cls, ()):
        raise _refused(parameter, text, f"the IRI of a {found.labels.get(cls, 'en').text} "
                                        "of this dataset")
    return ox.NamedNode(text)


# How a value is read, by parameter type; any other type is a class.
PARSERS: dict[str, Callable[[str, Parameter, Catalogue], ox.NamedNode | ox.Literal]] = {
    "date": _date,
    "literal": _literal,
    "language": _language,
}


def parse_value(parameter: Parameter, text: str, found: Catalogue) -> ox.NamedNode | ox.Literal:
    """The RDF term ``text`` stands for as a value of ``parameter``.

    Raises:
        BadRequest: ``text`` is not a value of the parameter's type (the message names
            the parameter).
    """
    return PARSERS.get(parameter.type, _instance)(text, parameter, found)


def bind(query: ExampleQuery, given: Mapping[str, str], found: Catalogue) -> Bound:
    """``query`` with each parameter's value (given, else its default) in its slot.

    Raises:
        BadRequest: a value is not of its parameter's type, naming the parameter.
    """
    values: dict[str, str] = {}
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for parameter in query.parameters:
        text = given.get(parameter.name, "").strip() or parameter.default
        if text is None:
            continue
        values[parameter.name] = text
        terms[parameter.name] = parse_value(parameter, text, found)
    missing = tuple(p.name for p in query.parameters if p.name not in terms)
    if missing:
        return Bound(None, values, missing)
    text = query.text
    for name, term in terms.items():
        filled = f"VALUES ?{name} {{ {term} }}"
        text = slot_pattern(name).sub(lambda _match, filled=filled: filled, text, count=1)
    return Bound(text, values)


def choices(parameter: Parameter, found: Catalogue, lang: str) -> tuple[Choice, ...]:
    """What a picker offers: the instances of the class, by label in ``lang``; the
    languages of the data's labels; nothing for a date or a free text."""
    if parameter.of_class is not None:
        options = []
        for iri in found.by_class.get(parameter.of_class, ()):
            label = found.label(iri, lang)
            options.append(Choice(iri, label.text, label.lang))
        return tuple(sorted(options, key=lambda c: (c.label.casefold(), c.value)))
    if parameter.type == "language":
        codes = sorted({name.lang.split("-")[0] for entry in found.entries.values()
                        for name in entry.names if name.lang})
        return tuple(Choice(code, LANGUAGE_NAMES.get(code, code)) for code in codes)
    return ()


def _refused(parameter: Parameter, text: str, wanted: str) -> BadRequest:
    return BadRequest(f"parameter {parameter.name}: {text[:80]!r} is not {wanted}.")


def action_quads(subject: str, queries: Iterable[ExampleQuery],
                 page: Callable[[str], str]) -> list[ox.Quad]:
    """Each query as a ``schema:SearchAction`` of ``subject`` (the endpoint in the service
    description, the dataset in VoID): its titles, its SPARQL text, and its page's URL
    template with one RFC 6570 variable per parameter (``page`` maps a name to its URL)."""
    out: list[ox.Quad] = []

    def add(s, p, o) -> None:
        out.append(ox.Quad(s, ox.NamedNode(str(p)), o))

    for query in queries:
        action, target = ox.NamedNode(page(query.name)), ox.BlankNode()
        add(ox.NamedNode(subject), SCHEMA.potentialAction, action)
        add(action, RDF.type, ox.NamedNode(str(SCHEMA.SearchAction)))
        for lang, title in sorted(query.titles.items()):
            add(action, SCHEMA.name, ox.Literal(title, language=lang))
        add(action, SCHEMA.query, ox.Literal(query.text))
        add(action, SCHEMA.target, target)
        add(target, RDF.type, ox.NamedNode(str(SCHEMA.EntryPoint)))
        names = ",".join(p.name for p in query.parameters)
        add(target, SCHEMA.urlTemplate,
            ox.Literal(page(query.name) + (f"{{?{names}}}" if names else "")))
    return out
