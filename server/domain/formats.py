"""The format registry: one table feeds parsing, negotiation, links, headers and docs.

Every format has a short stable name that is also its file extension and its
``?format=`` value. Graph formats carry triples, dataset formats carry quads (so a
description in TriG or N-Quads keeps the article graph of each statement), result
formats carry SPARQL SELECT/ASK results.

RDF 1.1 is the default on the wire (DESIGN §8). The syntaxes that can write RDF 1.2
triple terms (``triple_terms``) each have a second entry, ``version="1.2"``, in
``RDF12_FORMATS``: the same syntax, named by its media type with ``version=1.2``, for the
view of our statements in which each reifier names its triple by a triple term
(``triple_terms.with_triple_terms``). Those entries have no name of their own in URLs:
an extension or ``?format=`` always names the RDF 1.1 representation.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

__all__ = [
    "FORMATS",
    "HTML",
    "JSON",
    "JSONLD",
    "RDF12_FORMATS",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "TURTLE",
    "Format",
    "Prepared",
    "Unserializable",
    "by_extension",
    "by_name",
    "checked_statements",
    "file_type_iri",
    "format_iri",
    "lenient_name",
    "serialize_quads",
    "serialize_results",
]

Family = Literal["html", "graph", "dataset", "results", "json"]


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media_type: str
    family: Family
    ox: ox.RdfFormat | ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = field(default=())
    triple_terms: bool = False  # the syntax can write RDF 1.2 triple terms
    version: str | None = None  # the RDF version its media type names; None: 1.1, unnamed

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def parameters(self) -> str:
        """The media-type parameters that tell this representation apart (``; version=1.2``)."""
        return f"; version={self.version}" if self.version else ""

    @property
    def media_range(self) -> str:
        """
        >>> TURTLE.media_range, RDF12_FORMATS[0].media_range
        ('text/turtle', 'text/turtle; version=1.2')
        """
        return self.media_type + self.parameters

    @property
    def content_type(self) -> str:
        """
        >>> TURTLE.content_type, RDF12_FORMATS[0].content_type
        ('text/turtle; charset=utf-8', 'text/turtle; charset=utf-8; version=1.2')
        """
        return f"{self.media_type}; charset=utf-8{self.parameters}"

    @property
    def key(self) -> str:
        """What tells its bytes and validators apart from every other format's."""
        return self.name + self.parameters

    @property
    def carries_graphs(self) -> bool:
        return self.family == "dataset"


HTML = Format("html", "HTML", "text/html", "html", aliases=("application/xhtml+xml",))
TURTLE = Format("ttl", "Turtle", "text/turtle", "graph", ox.RdfFormat.TURTLE,
                aliases=("application/x-turtle",), triple_terms=True)
JSONLD = Format("jsonld", "JSON-LD", "application/ld+json", "graph", ox.RdfFormat.JSON_LD,
                aliases=("application/json",), extensions=("json",))
NTRIPLES = Format("nt", "N-Triples", "application/n-triples", "graph", ox.RdfFormat.N_TRIPLES,
                  aliases=("text/plain",), triple_terms=True)
RDFXML = Format("rdf", "RDF/XML", "application/rdf+xml", "graph", ox.RdfFormat.RDF_XML,
                aliases=("application/xml", "text/xml"), extensions=("xml", "owl"))
TRIG = Format("trig", "TriG", "application/trig", "dataset", ox.RdfFormat.TRIG,
              triple_terms=True)
NQUADS = Format("nq", "N-Quads", "application/n-quads", "dataset", ox.RdfFormat.N_QUADS,
                triple_terms=True)

RESULTS_JSON = Format("json", "SPARQL JSON", "application/sparql-results+json", "results",
                      ox.QueryResultsFormat.JSON, aliases=("application/json",))
RESULTS_XML = Format("xml", "SPARQL XML", "application/sparql-results+xml", "results",
                     ox.QueryResultsFormat.XML, aliases=("application/xml", "text/xml"))
RESULTS_CSV = Format("csv", "CSV", "text/csv", "results", ox.QueryResultsFormat.CSV)
RESULTS_TSV = Format("tsv", "TSV", "text/tab-separated-values", "results",
                     ox.QueryResultsFormat.TSV)

# Plain JSON for what is not RDF nor SPARQL results: search results.
JSON = Format("json", "JSON", "application/json", "json")

FORMATS: tuple[Format, ...] = (
    HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS,
    RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV, JSON,
)
# Turtle first: ties in negotiation (``*/*``) go to the first, and crawlers want data.
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.family in ("graph", "dataset"))
RESULT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.family == "results")
# The RDF 1.2 view, in the syntaxes that can carry it (JSON-LD 1.1 and RDF/XML 1.1 cannot).
RDF12_FORMATS: tuple[Format, ...] = tuple(replace(f, version="1.2") for f in RDF_FORMATS
                                          if f.triple_terms)
# The version labels (RDF 1.2 Concepts, "Version Labels") the default, unlabelled RDF 1.1 answer
# satisfies: RDF 1.2 Basic is RDF 1.2 without triple terms. A client naming no version
# gets that answer too.
BASIC_RDF_VERSIONS = frozenset({"1.1", "1.2-basic"})


def by_name(name: str, candidates: Iterable[Format] = FORMATS) -> Format | None:
    """The format called ``name`` (or with that extension) among ``candidates``; a name
    always means the RDF 1.1 representation.

    >>> by_name("ttl").media_type, by_name("owl").name, by_name("docx")
    ('text/turtle', 'rdf', None)
    >>> by_name("ttl", RDF12_FORMATS) is None
    True
    """
    for fmt in candidates:
        if fmt.version is None and (name == fmt.name or name in fmt.extensions):
            return fmt
    return None


def by_extension(filename: str, candidates: Iterable[Format] = RDF_FORMATS) -> Format | None:
    """
    >>> by_extension("data/article.trig").name, by_extension("README.md")
    ('trig', None)
    """
    _, dot, ext = filename.rpartition(".")
    return by_name(ext.lower(), candidates) if dot else None


# Names that SPARQL clients put in ``format=`` / ``output=`` for our formats (SPARQLWrapper
# sends ``turtle``, ``n3``, ``rdf+xml``, ``json-ld``); N3 readers read Turtle.
LENIENT_NAMES: dict[str, str] = {
    "turtle": "ttl", "n3": "ttl", "rdf+xml": "rdf", "rdfxml": "rdf", "json-ld": "jsonld",
    "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
}

# The W3C identifiers of the formats (https://www.w3.org/ns/formats/), as a service
# description and a VoID description name them.
W3C_FORMATS = "http://www.w3.org/ns/formats/"
_W3C_NAMES: dict[str, str] = {
    "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF_XML", "trig": "TriG",
    "nq": "N-Quads", "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV",
}


def lenient_name(name: str) -> str:
    """Our name for a format as clients spell it.

    >>> lenient_name("rdf+xml"), lenient_name(" Turtle "), lenient_name("csv")
    ('rdf', 'ttl', 'csv')
    """
    cleaned = name.strip().lower()
    return LENIENT_NAMES.get(cleaned, cleaned)


# The EU Publications Office's file types (the vocabulary DCAT-AP asks ``dct:format`` from).
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
_EU_FILE_TYPE_NAMES: dict[str, str] = {
    "ttl": "RDF_TURTLE", "jsonld": "JSON_LD", "nt": "RDF_N_TRIPLES", "rdf": "RDF_XML",
    "trig": "RDF_TRIG", "nq": "RDF_N_QUADS",
}


def file_type_iri(fmt: Format) -> str | None:
    """
    >>> file_type_iri(TRIG)
    'http://publications.europa.eu/resource/authority/file-type/RDF_TRIG'
    """
    local = _EU_FILE_TYPE_NAMES.get(fmt.name)
    return EU_FILE_TYPES + local if local else None


def format_iri(fmt: Format) -> str | None:
    """
    >>> format_iri(TURTLE), format_iri(HTML)
    ('http://www.w3.org/ns/formats/Turtle', None)
    """
    local = _W3C_NAMES.get(fmt.name)
    return W3C_FORMATS + local if local else None


def serialize_quads(quads: Iterable[ox.Quad], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Serialise quads, grouped by graph and subject so that the output reads well.

    Graph formats drop the graph names (a triple stated in two graphs appears once);
    JSON-LD is compacted with a context made of our prefixes, embedded in the document.
    Blank nodes get their RDFC-1.0 canonical labels, so the same data is always the same
    bytes (a static export equals the live answer; strong validators hold).
    """
    return Prepared.of(quads, prefixes).serialize(fmt)


@dataclass(frozen=True)
class Prepared:
    """Quads made ready for every format once: canonical labels, order, the prefixes each
    kind of format uses. A resource's six formats share it instead of redoing it six times."""

    quads: list[ox.Quad]
    triples: list[ox.Triple]
    prefixes: dict[str, str]

    @classmethod
    def of(cls, quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> Prepared:
        ordered = sorted(_canonical(quads), key=_quad_key)
        return cls(ordered, list(dict.fromkeys(q.triple for q in ordered)), prefixes)

    @functools.cached_property
    def quad_prefixes(self) -> dict[str, str]:
        return _usable(self.prefixes, self.quads)

    @functools.cached_property
    def triple_prefixes(self) -> dict[str, str]:
        return _usable(self.prefixes, self.triples)

    def serialize(self, fmt: Format) -> bytes:
        if fmt.family == "dataset":
            return ox.serialize(self.quads, format=fmt.ox, prefixes=self.quad_prefixes)
        if fmt is JSONLD:
            return _jsonld(self.triples, self.triple_prefixes)
        if fmt is RDFXML:
            _check_xml_names(self.triples)
        return _checked(ox.serialize(self.triples, format=fmt.ox, prefixes=self.triple_prefixes),
                        fmt)


def serialize_results(result: ox.QuerySolutions | ox.QueryBoolean, fmt: Format) -> bytes:
    return _checked(result.serialize(format=fmt.ox), fmt)


class Unserializable(ValueError):
    """Data that a format cannot carry: the client has to ask for another format.

    RDF/XML and SPARQL XML are XML 1.0, which has no way to write most control
    characters (XML 1.0 §2.2) and writes each predicate as an element name (RDF 1.1 XML
    Syntax §2.2), which some IRIs cannot end in (``…/123``, ``…/``).
    """

    def __init__(self, fmt: Format, reason: str) -> None:
        super().__init__(f"this data cannot be written as {fmt.label}: {reason}")
        self.format = fmt


# Characters XML 1.0 cannot carry, as UTF-8: C0 controls but tab, LF and CR; U+FFFE, U+FFFF.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
               "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
               "\ufdf0-\ufffd\U00010000-\U000effff")
# An IRI's last run of XML name characters, which must hold a name start (XML 1.0 §2.3).
_NAME_TAIL = re.compile(f"[{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f\u2040]*\\Z")
_NAME_START_CHAR = re.compile(f"[{_NAME_START}]")


_NOT_XML_REASON = ("a literal holds a character XML 1.0 cannot carry (a control character, "
                   "U+FFFE or U+FFFF)")
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _checked(body: bytes, fmt: Format) -> bytes:
    if fmt in (RDFXML, RESULTS_XML) and _NOT_XML.search(body):
        raise Unserializable(fmt, _NOT_XML_REASON)
    return body


def _check_xml_names(triples: Iterable[ox.Triple]) -> None:
    for predicate in {t.predicate.value for t in triples}:
        tail = _NAME_TAIL.search(predicate)
        if not _NAME_START_CHAR.search(tail.group() if tail else ""):
            raise Unserializable(RDFXML, f"the predicate <{predicate}> cannot end an XML "
                                         "element name")


def checked_statements(statements: Iterable, fmt: Format) -> Iterator:
    """``statements`` unchanged, raising ``Unserializable`` at the first that ``fmt`` cannot
    carry: the checks of ``serialize_quads`` for output written as it is read, never whole."""
    check = _STATEMENT_CHECKS.get(fmt.name)
    if check is None:
        yield from statements
        return
    for statement in statements:
        check(statement)
        yield statement


def _xml_statement(statement: ox.Triple | ox.Quad) -> None:
    """RDF/XML: an element name for the predicate, XML characters in a literal."""
    _xml_predicate(statement.predicate)
    if isinstance(statement.object, ox.Literal) and _NOT_XML_TEXT.search(statement.object.value):
        raise Unserializable(RDFXML, _NOT_XML_REASON)


@functools.lru_cache(maxsize=4096)  # a graph uses few predicates; a raise is not kept
def _xml_predicate(predicate: ox.NamedNode) -> None:
    _check_xml_names([ox.Triple(predicate, predicate, predicate)])


_STATEMENT_CHECKS = {RDFXML.name: _xml_statement}


def _canonical(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The quads, blank nodes relabelled by RDFC-1.0 when there are any (W3C RDF Dataset
    Canonicalization): labels drawn afresh on each description would change the bytes."""
    unique = set(quads)
    if not any(isinstance(term, ox.BlankNode) for quad in unique
               for term in (quad.subject, quad.object, quad.graph_name)):
        return unique
    dataset = ox.Dataset(unique)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _quad_key(quad: ox.Quad) -> tuple:
    return (str(quad.graph_name), _term_key(quad.subject), quad.predicate.value, str(quad.object))


def _term_key(term) -> tuple[int, str]:
    return (1 if isinstance(term, ox.BlankNode) else 0, str(term))


def _usable(prefixes: dict[str, str], statements) -> dict[str, str]:
    """Prefixes actually used, so a description does not open with twenty unused lines."""
    used = set()
    for statement in statements:
        for term in _terms(statement):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
            elif isinstance(term, ox.Literal):
                used.add(term.datatype.value)
    return {
        name: iri
        for name, iri in prefixes.items()
        if any(value.startswith(iri) and "/" not in value[len(iri):] for value in used)
    }


def _terms(statement: ox.Triple | ox.Quad) -> Iterator:
    """The terms of a statement, those of its triple terms (RDF 1.2) included."""
    for term in (statement.subject, statement.predicate, statement.object):
        if isinstance(term, ox.Triple):
            yield from _terms(term)
        else:
            yield term


# rdflib labels the blank nodes it reads afresh; they cross it as IRIs under this scheme
# and come back as their canonical labels.
_BLANK = "urn:x-ldpub-blank:"


def _jsonld(triples: list[ox.Triple], context: dict[str, str]) -> bytes:
    graph = Graph(bind_namespaces="none")
    for triple in triples:
        graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate),
                   _rdflib_term(triple.object)))
    text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    document = _blank_labels(json.loads(text))
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """``term`` as rdflib reads it from N-Triples (blank nodes as ``_BLANK`` IRIs): a
    simple literal without datatype, a language-tagged one without either."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return URIRef(_BLANK + term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    return RdfLiteral(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def _blank_labels(node, ordered: bool = False):
    """The JSON-LD document with ``_BLANK`` IRIs written back as blank-node labels, and in
    one order: rdflib writes nodes and values in its sets' order, which changes from one
    process to the next. Keys and the members of a set (every array but an ``@list``) are
    sorted; an ``@list`` keeps its order."""
    if isinstance(node, list):
        items = [_blank_labels(item) for item in node]
        return items if ordered else sorted(items, key=_json_key)
    if isinstance(node, dict):
        return {key: ("_:" + value[len(_BLANK):]
                      if key == "@id" and isinstance(value, str) and value.startswith(_BLANK)
                      else _blank_labels(value, ordered=key in ("@list", "@context")))
                for key, value in sorted(node.items())}
    return node


def _json_key(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
