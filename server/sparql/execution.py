"""Running one query: checks, evaluation, the result-size limit and serialisation.

``execute`` is what a query worker process does with a ``Job`` (see ``runner``); it runs
in the request's own thread only for stores that cannot be forked. The result is
serialised where it was computed, so the time limit covers the serialisation too and
only bytes cross the pipe. The format for each result form was negotiated beforehand
(``Job.formats``); which one applies is known only once the engine has answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal, NamedTuple

import pyoxigraph as ox

from server.domain import formats
from server.problems import BadQuery, FormatUnusable, ResultTooLarge
from server.sparql.columns import column_order
from server.sparql.diagnostics import engine_error
from server.sparql.safety import check_query
from server.store import QueryError, Store

__all__ = ["FORMS", "Answer", "Cell", "Form", "Job", "Table", "execute"]

Form = Literal["solutions", "boolean", "graph"]

# What each result form can be sent as, in order of preference for ``*/*``; HTML is the
# query page with its results table.
FORMS: dict[Form, tuple[formats.Format, ...]] = {
    "solutions": (*formats.RESULT_FORMATS, formats.HTML),
    "boolean": (*formats.RESULT_FORMATS, formats.HTML),
    "graph": (*formats.RDF_FORMATS, formats.HTML),
}

@dataclass(frozen=True)
class Job:
    """One query as the engine will run it, with every decision the web layer made."""

    text: str
    base: str | None  # what relative IRIs resolve against: the endpoint's URL
    formats: dict[Form, str | None]
    limit: int
    allowed_hosts: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


class Cell(NamedTuple):
    """One RDF term of a results table, in plain values a template can show."""

    kind: Literal["iri", "bnode", "literal", "triple"]
    value: str
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Table:
    variables: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]


@dataclass(frozen=True)
class Answer:
    """A query's answer: its form, the chosen format (None: none was acceptable) and the
    body in that format, or for HTML the table (or boolean) the page shows."""

    form: Form
    format: str | None
    body: bytes = b""
    table: Table | None = None
    boolean: bool | None = None
    count: int = field(default=0)


def execute(store: Store, prefixes: dict[str, str], job: Job) -> Answer:
    """Check, run and serialise one query.

    Raises:
        QueryRejected: an update, LOAD, or SERVICE to a host not allowed.
        BadQuery: the parser's message, with line and column.
        ResultTooLarge: more results than ``job.limit``.
        FormatUnusable: the answer holds what the chosen format cannot carry.
    """
    checked = check_query(job.text, allowed_hosts=job.allowed_hosts, base=job.base,
                          prefixes=prefixes)
    default_graphs, named_graphs = job.default_graphs, job.named_graphs
    if default_graphs is None and named_graphs is None and len(set(checked.from_graphs)) > 1:
        # The engine would read several FROM graphs as a bag; named, the store merges them.
        default_graphs, named_graphs = checked.from_graphs, checked.from_named_graphs
    try:
        result = store.query(job.text, base_iri=job.base,
                             prefixes={p: prefixes[p] for p in checked.implicit_prefixes},
                             default_graphs=default_graphs, named_graphs=named_graphs)
    except QueryError as error:
        raise BadQuery(engine_error(job.text, str(error))) from None
    try:
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, job)
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, job)
        return _graph(result, job, prefixes)
    except formats.Unserializable as error:
        raise FormatUnusable.of(error) from None


def _boolean(result: ox.QueryBoolean, job: Job) -> Answer:
    fmt = _format(job, "boolean")
    if fmt is None or fmt is formats.HTML:
        return Answer("boolean", fmt and fmt.name, boolean=bool(result), count=1)
    return Answer("boolean", fmt.name, formats.serialize_results(result, fmt), count=1)


def _solutions(result: ox.QuerySolutions, job: Job) -> Answer:
    fmt = _format(job, "solutions")
    variables = column_order(job.text, [v.value for v in result.variables])
    rows = [tuple(row[name] for name in variables) for row in _bounded(result, job.limit)]
    if fmt is None:
        return Answer("solutions", None, count=len(rows))
    if fmt is formats.HTML:
        table = Table(tuple(variables), tuple(tuple(map(_cell, row)) for row in rows))
        return Answer("solutions", fmt.name, table=table, count=len(rows))
    # The rows were counted one by one; the engine's own serialiser writes them, read
    # back from TSV (whose terms are N-Triples terms, so nothing is lost).
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else _nt(term) for term in row) for row in rows]
    counted = ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)
    return Answer("solutions", fmt.name, formats.serialize_results(counted, fmt), count=len(rows))


def _graph(result: Iterable[ox.Triple], job: Job, prefixes: dict[str, str]) -> Answer:
    fmt = _format(job, "graph")
    triples = list(dict.fromkeys(_bounded(result, job.limit)))
    if fmt is None:
        return Answer("graph", None, count=len(triples))
    if fmt is formats.HTML:
        rows = tuple((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in triples)
        return Answer("graph", fmt.name, table=Table(("subject", "predicate", "object"), rows),
                      count=len(triples))
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    return Answer("graph", fmt.name, formats.serialize_quads(quads, fmt, prefixes),
                  count=len(triples))


def _format(job: Job, form: Form) -> formats.Format | None:
    name = job.formats.get(form)
    return formats.by_name(name, FORMS[form]) if name else None


def _bounded(items: Iterable, limit: int) -> Sequence:
    found = list(islice(items, limit + 1))
    if len(found) > limit:
        raise ResultTooLarge(
            f"the query has more than {limit} results, the most this endpoint returns: "
            f"add LIMIT {limit} (and OFFSET to page through them) or narrow it down."
        )
    return found


def _nt(term) -> str:
    """A term in N-Triples syntax, triple terms (RDF 1.2) included."""
    if isinstance(term, ox.Triple):
        return f"<<( {_nt(term.subject)} {_nt(term.predicate)} {_nt(term.object)} )>>"
    return str(term)


def _cell(term) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Cell("literal", term.value, term.language, term.datatype.value)
    return Cell("triple", _nt(term))
