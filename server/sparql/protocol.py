"""The SPARQL 1.1 Protocol's query operation, read from the parts of an HTTP request.

§2.1: a query arrives as ``GET ?query=``, as ``POST`` with a form-encoded body, or as
``POST`` with an ``application/sparql-query`` body (UTF-8); ``default-graph-uri`` and
``named-graph-uri`` (repeatable, in the URL or the form) replace the query's dataset.
Anything else is a client error with a message: more than one query, an update (this
endpoint is read-only), a body of another media type, text that is not UTF-8. Parameters
are decoded once, strictly (``%41`` in a query stays ``A``, never decoded twice).

The result format may also be named by ``format``, ``output`` or ``results``, as
SPARQL clients send it (SPARQLWrapper sends all three, sometimes twice each).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox

from server.domain.formats import lenient_name
from server.problems import BadRequest, PayloadTooLarge, QueryRejected, UnsupportedMediaType
from server.sparql.safety import READ_ONLY

__all__ = ["DIRECT", "FORM", "UPDATE", "QueryRequest", "parse_request"]

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output", "results")
# Most parameters one request may carry (URL and form alike), as Flask's MAX_FORM_PARTS for
# multipart forms: a query needs a handful, and 100,000 cost a web thread over a second.
MAX_PARAMETERS = 1000


@dataclass(frozen=True)
class QueryRequest:
    """One query operation (SPARQL 1.1 Protocol §2.1).

    ``default_graphs``/``named_graphs`` are None unless the request names a dataset; when
    it names either, both replace the query's own (an empty tuple is an empty graph set).
    """

    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    format_names: tuple[str, ...] = ()

    @property
    def names_dataset(self) -> bool:
        return self.default_graphs is not None


def parse_request(method: str, media_type: str | None, charset: str | None,
                  query_string: bytes, body: bytes) -> QueryRequest | None:
    """The query operation a request carries, or None when it carries no query.

    Raises:
        BadRequest: malformed parameters, several queries, an empty query.
        PayloadTooLarge: more than ``MAX_PARAMETERS`` parameters in the URL or the form.
        QueryRejected: an update.
        UnsupportedMediaType: a POST body that is not a query operation.
    """
    params = _params(query_string, "URL")
    if method in ("GET", "HEAD"):
        _refuse_updates(params)
        queries = params.get("query", [])
        if not queries:
            _dataset(params)  # malformed graph IRIs are an error even without a query
            return None
    elif media_type == FORM:
        form = _params(body, "form")
        _refuse_updates(form)
        _refuse_updates(params)
        for name, values in form.items():
            params.setdefault(name, []).extend(values)
        queries = params.get("query", [])
        if not queries:
            raise BadRequest("the form has no 'query' field.")
    elif media_type == DIRECT:
        _refuse_updates(params)
        if charset and charset.lower().replace("-", "") != "utf8":
            raise UnsupportedMediaType(f"a query must be sent in UTF-8, not {charset}.")
        if "query" in params:
            raise BadRequest("a query sent as application/sparql-query goes in the body only, "
                             "not also in the URL.")
        queries = [_utf8(body, "the query")]
    elif media_type == UPDATE:
        raise QueryRejected(f"SPARQL Update is refused: {READ_ONLY}.")
    else:
        raise UnsupportedMediaType(
            f"a query is sent as {FORM} or {DIRECT}, not as {media_type or 'an unnamed type'}."
        )
    return _request(queries, params)


def _request(queries: list[str], params: dict[str, list[str]]) -> QueryRequest:
    if len(queries) > 1:
        raise BadRequest(f"one query per request, this one has {len(queries)}.")
    text = queries[0]
    if not text.strip():
        raise BadRequest("the query is empty.")
    defaults, named = _dataset(params)
    dataset = bool(defaults or named)
    names = tuple(lenient_name(v) for p in FORMAT_PARAMETERS for v in params.get(p, []) if v.strip())
    return QueryRequest(text, defaults if dataset else None, named if dataset else None, names)


def _dataset(params: dict[str, list[str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The graphs named by ``default-graph-uri`` and ``named-graph-uri``, checked."""
    return (tuple(_iri(v, "default-graph-uri") for v in params.get("default-graph-uri", [])),
            tuple(_iri(v, "named-graph-uri") for v in params.get("named-graph-uri", [])))


def _refuse_updates(params: dict[str, list[str]]) -> None:
    if "update" in params:
        raise QueryRejected(f"SPARQL Update is refused: {READ_ONLY}.")


def _params(raw: bytes, where: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                          errors="strict", max_num_fields=MAX_PARAMETERS)
    except UnicodeError:
        raise BadRequest(f"the {where} parameters are not URL-encoded UTF-8.") from None
    except ValueError:  # parse_qsl counts the separators before it decodes anything
        raise PayloadTooLarge(f"the {where} has more than {MAX_PARAMETERS} parameters; "
                              "a query needs a handful.") from None
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"{what} is not UTF-8 (byte {error.start}).") from None


def _iri(value: str, parameter: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as error:
        raise BadRequest(f"{parameter}={value!r} is not an absolute IRI: {error}") from None
