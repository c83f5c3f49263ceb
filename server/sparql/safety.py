"""The endpoint is read-only and calls no one: decided on the parsed query, before the
engine runs.

A query text can hide a keyword from any scanner (``\\u`` escapes are expanded before
parsing, SPARQL 1.1 §19.2; ``#`` starts a comment outside IRIs and strings), so every
decision here is taken on a parse tree: rdflib's SPARQL 1.1 parser. A text it does not
read as a query is never handed to the engine: it is an update (refused), or a syntax
error (400 with the position), or nested past what the parser follows (400). The engine
(Oxigraph) parses again and must agree; where it does not, it refuses the text itself,
and a ``SERVICE`` only it could see finds no network in the query worker (``pool``).

``SERVICE`` makes the engine open connections to other hosts, so it is refused unless
every endpoint it names sits on a host the administrator allows
(``LDPUB_SERVICE_HOSTS``, empty by default); a variable endpoint can never be checked
and is always refused. Nothing here connects anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from server.problems import BadQuery, QueryRejected
from server.sparql import diagnostics

__all__ = ["READ_ONLY", "CheckedQuery", "check_query"]

READ_ONLY = "this SPARQL endpoint is read-only"
# pyparsing, under rdflib's SPARQL grammar, is not thread-safe (pyparsing issue #89): two
# threads parsing at once, in a fresh process, bind parse actions with the wrong number
# of arguments for good, and every later query of that process fails with a TypeError.
# One parse at a time per process (threads serve a remote store's queries).
_GRAMMAR = threading.Lock()


@dataclass(frozen=True)
class CheckedQuery:
    """What the parse says about a query the endpoint will run."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    # Prefixes the query uses without declaring them, which the dataset's prefix map
    # supplies (the engine gets them as parameters, never as text).
    implicit_prefixes: tuple[str, ...] = ()
    # The graphs of its FROM and of its FROM NAMED clauses, resolved.
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


def check_query(text: str, *, allowed_hosts: Collection[str], base: str | None,
                prefixes: Mapping[str, str]) -> CheckedQuery:
    """Refuse what is not a read-only query calling only allowed hosts.

    Args:
        text: the query as the client sent it.
        allowed_hosts: hosts ``SERVICE`` may call (none: ``SERVICE`` is refused).
        base: the IRI relative IRIs resolve against.
        prefixes: the prefixes the endpoint knows without a declaration.

    Raises:
        QueryRejected: an update, LOAD, or SERVICE to a host not allowed.
        BadQuery: the text is not a query: with line, column and the line itself.
    """
    return _checked(text, tuple(sorted(allowed_hosts)), base, tuple(sorted(prefixes.items())))


def _check(text: str, allowed_hosts: tuple[str, ...], base: str | None,
           prefixes: tuple[tuple[str, str], ...]) -> CheckedQuery:
    prologue, query = _parse(text)
    base, declared = _prologue(prologue, base)
    known = dict(prefixes)
    implicit: dict[str, None] = {}
    for prefix in _used_prefixes(query):
        if prefix in declared:
            continue
        if prefix not in known:
            raise BadQuery(diagnostics.undeclared_prefix(text, prefix, known))
        implicit[prefix] = None
    namespaces = {**{p: known[p] for p in implicit}, **declared}
    for target in _service_targets(query, namespaces, base):
        _check_service(target, allowed_hosts)
    default, named = _dataset(query, namespaces, base)
    return CheckedQuery(query.name.removesuffix("Query").upper(), tuple(implicit),
                        default, named)


# The check, remembered for the texts seen last (only successes are: an exception is never
# cached), since the same queries come back: examples, dashboards. (Wrapped here rather
# than decorated, so that mutation testing, which leaves decorated functions alone,
# reaches the check itself.)
_checked = lru_cache(maxsize=512)(_check)


def _as_the_grammar_reads(text: str) -> str:
    """The text for rdflib's parser, with each carriage return made a line feed.

    SPARQL 1.1 §19.4 ends a comment at either (and so does Oxigraph); rdflib ends it at a
    line feed only, so ``#\rSERVICE <…>`` would be a comment to the check and a call to
    the engine. One character for one, so positions stay those of the text as written;
    elsewhere both are white space, and neither may stand raw in an IRI or short string.
    """
    return text.replace("\r", "\n")


def _parse(text: str) -> tuple[list, CompValue]:
    try:
        with _GRAMMAR:
            prologue, query = parseQuery(_as_the_grammar_reads(text))
    except RecursionError:
        raise BadQuery(diagnostics.too_deep()) from None
    except ParseBaseException as error:
        _refuse_update(text)
        raise BadQuery(diagnostics.syntax_error(text, error.loc)) from None
    except ValueError as error:  # an escape that names no code point
        raise BadQuery(f"syntax error: {error}") from None
    return prologue, query


def _refuse_update(text: str) -> None:
    """Raise ``QueryRejected`` if the text parses as SPARQL Update (with operations)."""
    try:
        with _GRAMMAR:
            update = parseUpdate(_as_the_grammar_reads(text))
    except (ParseBaseException, RecursionError, ValueError):
        return
    operations = [op for request in update.get("request", []) or [] for op in _flat(request)]
    if not operations:
        return
    if any(op.name == "Load" for op in operations):
        raise QueryRejected(f"LOAD is refused: {READ_ONLY} and fetches no data.")
    names = ", ".join(dict.fromkeys(diagnostics.update_name(op.name) for op in operations))
    raise QueryRejected(f"SPARQL Update ({names}) is refused: {READ_ONLY}; "
                        "send a SELECT, CONSTRUCT, DESCRIBE or ASK query.")


def _flat(node) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
    elif isinstance(node, list | tuple | ParseResults):
        for item in node:
            yield from _flat(item)


def _prologue(prologue, base: str | None) -> tuple[str | None, dict[str, str]]:
    """The base and the prefixes the query declares, each resolved in order (§4.1.1)."""
    declared: dict[str, str] = {}
    for declaration in prologue:
        if declaration.name == "Base":
            base = urljoin(base or "", str(declaration.iri))
        elif declaration.name == "PrefixDecl":
            declared[declaration.prefix or ""] = urljoin(base or "", str(declaration.iri))
    return base, declared


def _nodes(node) -> Iterator[CompValue]:
    """Every ``CompValue`` of a parse tree, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)


def _used_prefixes(query: CompValue) -> Iterator[str]:
    for node in _nodes(query):
        if node.name == "pname":
            yield node.prefix or ""


def _dataset(query: CompValue, namespaces: dict[str, str],
             base: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The graphs the query's ``FROM`` and ``FROM NAMED`` clauses name, in order."""
    default: list[str] = []
    named: list[str] = []
    # (``CompValue.get`` answers a missing key with its name, so ask ``in`` first.)
    for clause in query["datasetClause"] if "datasetClause" in query else ():
        if "default" in clause:
            default.append(_iri(clause["default"], namespaces, base))
        else:
            named.append(_iri(clause["named"], namespaces, base))
    return tuple(default), tuple(named)


def _iri(term, namespaces: dict[str, str], base: str | None) -> str:
    if isinstance(term, CompValue):  # a prefixed name
        return namespaces[term.prefix or ""] + (term.localname or "")
    return urljoin(base or "", str(term))


def _service_targets(query: CompValue, namespaces: dict[str, str],
                     base: str | None) -> Iterator[str | None]:
    """The endpoint of every ``SERVICE``; None where only the run can tell."""
    for node in _nodes(query):
        if node.name != "ServiceGraphPattern":
            continue
        term = node.term
        yield None if isinstance(term, Variable) else _iri(term, namespaces, base)


def _check_service(target: str | None, allowed_hosts: Collection[str]) -> None:
    if not allowed_hosts:
        where = f" <{target}>" if target else ""
        raise QueryRejected(f"SERVICE{where} is refused: this endpoint does not query other "
                            "endpoints (federated queries are not enabled here).")
    if target is None:
        raise QueryRejected("SERVICE with an endpoint known only at run time is refused; "
                            "name the endpoint with an IRI.")
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in allowed_hosts:
        raise QueryRejected(f"SERVICE <{target}> is refused: the endpoints this server may "
                            f"query are on {', '.join(sorted(allowed_hosts))}.")
