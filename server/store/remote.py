"""A remote SPARQL 1.1 endpoint as the store: for data that outgrows one machine.

``LDPUB_STORE=sparql+http://host/path`` (or ``sparql+https``) names the endpoint; any
SPARQL 1.1 Protocol server will do (Fuseki, Virtuoso, GraphDB, QLever, Neptune). Every
operation is a query (SPARQL 1.1 Protocol §2.1.2, POST form-encoded) under a time limit.
A connection refused, a time-out or a 5xx raises ``StoreUnavailable`` (answered 503
with ``Retry-After``), never a "not found". Our own queries name their graphs
(``GRAPH ?g``) and do not depend on the default graph.

The data of a remote store is loaded by its operator with the engine's own bulk loader,
from ``ldpub dump --with-default-graph`` of validated data: the named graphs and their
merge as the default graph, as the embedded store holds them, so that the engine's
default graph is the set DESIGN §4 asks for with no union of its own (the union
defaults of Oxigraph, Comunica and Virtuoso are bags: a triple once per graph that
states it; docs/deployment.md shows how Virtuoso is loaded).
Opening the store compares the two counts and warns when they differ. The snapshot's
version is derived from the counts the endpoint reports when it is opened or reloaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime

import pyoxigraph as ox
import requests

from server.domain import formats
from server.domain.iris import graph_iri
from server.domain.loading import Snapshot, Staged
from server.domain.namespaces import prefixes_for
from server.settings import Settings
from server.store import QueryError, QueryResult, Stats, StoreUnavailable, queries
from server.store.blank_labels import RelabelledXML, readable, relabel_json
from server.store.embedded import LABEL_PREDICATES, OWNED_CLASSES

__all__ = ["RemoteStore", "open_snapshot", "endpoint_of", "SCHEMES"]

log = logging.getLogger(__name__)

SCHEMES = ("sparql+http", "sparql+https")
RETRY_AFTER = 10
GRAPH_ACCEPT = "application/n-triples"
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
SLOW_FACTOR = 6  # counts and dumps read the whole store: allow them longer than a query
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*", re.I)
_PREFIX_NAME = re.compile(r"[A-Za-z](?:[\w.-]*[\w-])?")  # PN_PREFIX (SPARQL 1.1 §19.8), ASCII
_FORM = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.I)
# Solutions in JSON first: pyoxigraph's XML results parser trims the whitespace at the
# ends of a literal (oxigraph issue 1881), which would change the text selectors' prefix
# and suffix, and Comunica's TSV names its variables without the "?" the format requires.
# JSON is read whole (within MAX_RESPONSE_BYTES) to drop the members engines add to it
# (Comunica's "metadata"), which a strict parser refuses; XML, when that is all an engine
# writes, is streamed. Booleans in JSON first too: Comunica cannot write them in XML.
RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                  "text/tab-separated-values;q=0.8")
BOOLEAN_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_BY_FORM = {"SELECT": RESULTS_ACCEPT, "ASK": BOOLEAN_ACCEPT,
                  "CONSTRUCT": GRAPH_ACCEPT, "DESCRIBE": GRAPH_ACCEPT}


def endpoint_of(settings: Settings) -> str:
    """``sparql+http://host/path`` → ``http://host/path``."""
    return settings.store.removeprefix("sparql+")


class RemoteStore:
    """A ``Store`` answered by a SPARQL 1.1 endpoint over HTTP."""

    def __init__(self, endpoint: str, *, timeout: float, session: requests.Session | None = None):
        self.endpoint = endpoint
        self.timeout = timeout
        self._owned_session = (os.getpid(), session or requests.Session())
        self._owned_classes: list[ox.NamedNode] | None = None
        self._relabels: bool | None = None

    @property
    def _session(self) -> requests.Session:
        """This process's HTTP session. The connections the gunicorn master kept alive
        when it opened the store must not pass to the workers forked from it: two
        processes writing to one socket read each other's answers."""
        pid, session = self._owned_session
        if pid != os.getpid():
            session = requests.Session()
            self._owned_session = (os.getpid(), session)
        return session

    def exists(self, iri: str) -> bool:
        return bool(self._ask(queries.bind(queries.EXISTS, s=[ox.NamedNode(iri)])))

    def describe(self, iri: str) -> list[ox.Quad]:
        node = ox.NamedNode(iri)
        found = dict.fromkeys(self._quads(queries.bind(
            queries.DESCRIBE_CLOSURE, root=[node], ownedClass=self._owned())))
        found.update(dict.fromkeys(self._quads(queries.bind(queries.DESCRIBE_INCOMING, o=[node]))))
        linked = {q.object for q in found if isinstance(q.object, ox.NamedNode)}
        linked |= {q.subject for q in found if isinstance(q.subject, ox.NamedNode)}
        linked |= {q.predicate for q in found}
        linked.discard(node)
        if linked:
            found.update(dict.fromkeys(self._quads(queries.bind(
                queries.LABELS, s=sorted(linked, key=str), p=LABEL_PREDICATES))))
        return list(found)

    def _owned(self) -> list[ox.NamedNode]:
        """The classes described inline with what they belong to, as the embedded store's."""
        if self._owned_classes is None:
            composite = {s["class"] for s in self._select(queries.COMPOSITE_CLASSES)
                         if isinstance(s["class"], ox.NamedNode)}
            self._owned_classes = sorted(OWNED_CLASSES | composite, key=str)
        return self._owned_classes

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        text = _declared(prefixes or {}) + text
        accept = ACCEPT_BY_FORM[_form(text)]
        response = self._post(text, accept, default_graphs or (), named_graphs or ())
        if accept == GRAPH_ACCEPT:
            return _triples(_bounded_body(response), _media(response))
        return self._read(response)

    def graphs(self) -> list[str]:
        return sorted(s["g"].value for s in self._select(queries.GRAPHS, slow=True)
                      if isinstance(s["g"], ox.NamedNode))

    def stats(self) -> Stats:
        return queries.collect_stats(lambda text: self._select(text, slow=True))

    def default_graph_size(self) -> int:
        """The statements of the engine's default graph, as a query counts them."""
        rows = list(self._select(queries.COUNT_DEFAULT_GRAPH, slow=True))
        return int(rows[0]["n"].value) if rows else 0

    def quads(self, graphs: Iterable[str] | None = None) -> Iterable[ox.Quad]:
        if graphs is None:
            text = queries.ALL_QUADS
        else:
            text = queries.bind(queries.QUADS, g=[ox.NamedNode(g) for g in graphs])
        response = self._post(text, RESULTS_ACCEPT, (), (), stream=True, slow=True)
        return _as_quads(self._read(response, stream=True))

    # --- the protocol

    def _post(self, text: str, accept: str, default_graphs: Sequence[str],
              named_graphs: Sequence[str], *, stream: bool = False,
              slow: bool = False) -> requests.Response:
        form = {"query": text, "default-graph-uri": list(default_graphs),
                "named-graph-uri": list(named_graphs)}
        read_timeout = self.timeout * (SLOW_FACTOR if slow else 1)
        try:
            response = self._session.post(
                self.endpoint, data=form, headers={"Accept": accept}, stream=stream,
                timeout=(min(self.timeout, 5.0), read_timeout))
        except requests.Timeout:
            raise StoreUnavailable(f"the SPARQL store did not answer within {read_timeout:g} s",
                                   RETRY_AFTER) from None
        except requests.RequestException as error:
            raise StoreUnavailable(f"the SPARQL store cannot be reached: {_reason(error)}",
                                   RETRY_AFTER) from None
        if response.status_code == 400:
            raise QueryError(response.text.strip()[:2000] or "the SPARQL store refused the query")
        if not response.ok:
            raise StoreUnavailable(f"the SPARQL store answered {response.status_code} "
                                   f"{response.reason}", RETRY_AFTER)
        return response

    def _select(self, text: str, *, slow: bool = False) -> ox.QuerySolutions:
        return self._read(self._post(text, RESULTS_ACCEPT, (), (), slow=slow))

    def _read(self, response: requests.Response, *, stream: bool = False) -> QueryResult:
        return _results(response, stream=stream, relabel=self._relabelling())

    def _relabelling(self) -> bool:
        """Whether the engine writes blank nodes with labels no reader accepts (Virtuoso's
        ``nodeID://b1``): asked once, of a blank node of the data."""
        if self._relabels is None:
            answer = self._post(queries.SOME_BLANK_NODE, "application/sparql-results+json",
                                (), (), slow=True)
            try:
                rows = json.loads(_bounded_body(answer))["results"]["bindings"]
                self._relabels = any(not readable(row["b"]["value"]) for row in rows)
            except (ValueError, KeyError, TypeError) as error:
                raise _unreadable(error) from None
        return self._relabels

    def _ask(self, text: str) -> bool:
        return bool(_results(self._post(text, BOOLEAN_ACCEPT, (), ())))

    def _quads(self, text: str) -> Iterator[ox.Quad]:
        return _as_quads(self._select(text))



def open_snapshot(settings: Settings) -> Snapshot:
    """A snapshot read from the endpoint: its counts, its graphs and a version from both.

    Raises:
        StoreUnavailable: the endpoint cannot be reached.
    """
    store = RemoteStore(endpoint_of(settings), timeout=settings.query_timeout)
    stats = store.stats()
    default = store.default_graph_size()
    if default != stats.triples:
        log.warning("the default graph of %s holds %d triples where the merge of its named "
                    "graphs holds %d: load it from `ldpub dump --with-default-graph` and turn "
                    "its union default graph off", store.endpoint, default, stats.triples)
    base = settings.base_iri
    ontology_graph, shapes_graph = f"{base}ontology", f"{base}shapes"
    derived_graph = graph_iri(base, "derived")
    reserved = {ontology_graph, shapes_graph, derived_graph}
    digest = hashlib.sha256(json.dumps([store.endpoint, asdict(stats)], sort_keys=True).encode())
    version = digest.hexdigest()[:20]
    staged = Staged(
        store=None,
        files=(),
        data_graphs=tuple(sorted(g for g in stats.graphs if g not in reserved)),
        derived_graph=derived_graph,
        ontology_graph=ontology_graph,
        shapes_graph=shapes_graph,
        prefixes=prefixes_for({}),
        version=version,
        graph_files={},
    )
    return Snapshot(store=store, version=version, loaded_at=datetime.now(UTC).replace(microsecond=0),
                    report=None, staged=staged, stats=stats)


def _declared(prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` lines for the prefixes the endpoint supplies, since the protocol has no
    parameter for them; each name and IRI is checked first, so nothing but a declaration
    can be written. ``base_iri`` is not sent: the remote engine resolves relative IRIs
    against its own endpoint, as the protocol says."""
    lines = []
    for name, namespace in prefixes.items():
        if not _PREFIX_NAME.fullmatch(name):
            raise QueryError(f"{name!r} cannot be a prefix name")
        lines.append(f"PREFIX {name}: <{ox.NamedNode(namespace).value}>\n")
    return "".join(lines)


def _form(text: str) -> str:
    start = _PROLOGUE.match(text)
    match = _FORM.match(text, start.end() if start else 0)
    if match is None:
        raise QueryError("expected a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    return match.group(1).upper()


def _media(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _results(response: requests.Response, *, stream: bool = False,
             relabel: bool = False) -> QueryResult:
    """Parse SELECT/ASK results in the format the endpoint chose (streamed for XML, TSV),
    with every blank node relabelled if ``relabel`` (``blank_labels``)."""
    fmt = next((f for f in formats.RESULT_FORMATS
                if _media(response) in f.media_types and f.name != "csv"), None)
    if fmt is None:
        raise StoreUnavailable(f"the SPARQL store answered {_media(response) or 'no type'}, "
                               "not SPARQL results", RETRY_AFTER)
    if fmt.name == "json":
        # Keep the members SPARQL 1.1 Query Results JSON defines; engines add their own.
        try:
            document = json.loads(_bounded_body(response))
        except ValueError as error:
            raise _unreadable(error) from None
        if relabel:
            relabel_json(document)
        source = json.dumps({k: document[k] for k in ("head", "results", "boolean")
                             if k in document}).encode()
    elif stream:
        response.raw.decode_content = True
        source = RelabelledXML(response.raw) if relabel and fmt.name == "xml" else response.raw
    else:
        source = _bounded_body(response)
    try:
        if relabel and fmt.name == "xml" and not stream:
            source = RelabelledXML(io.BytesIO(source)).read()
        result = ox.parse_query_results(source, format=fmt.ox)
        if stream or isinstance(result, ox.QueryBoolean):
            return result
        list(result)  # read it all now: engines report errors inside a 200 body
        return ox.parse_query_results(source, format=fmt.ox)
    except (SyntaxError, ValueError) as error:
        raise _unreadable(error) from None


def _bounded_body(response: requests.Response) -> bytes:
    body = response.content
    if len(body) > MAX_RESPONSE_BYTES:
        raise QueryError(f"the result is larger than {MAX_RESPONSE_BYTES // 2**20} MiB")
    return body


def _triples(body: bytes, media: str) -> ox.QueryTriples:
    """Parse a graph answer into the same result type the embedded store returns."""
    fmt = next((f for f in formats.RDF_FORMATS if media in f.media_types),
               formats.by_name("nt", formats.RDF_FORMATS))
    holder = ox.Store()
    try:
        holder.extend(ox.parse(io.BytesIO(body), format=fmt.ox))
    except (SyntaxError, ValueError) as error:
        raise _unreadable(error) from None
    return holder.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _as_quads(solutions: ox.QuerySolutions) -> Iterator[ox.Quad]:
    try:
        for s in solutions:
            yield ox.Quad(s["s"], s["p"], s["o"], s["g"])
    except (SyntaxError, ValueError) as error:  # a streamed answer broken off
        raise _unreadable(error) from None


def _unreadable(error: Exception) -> StoreUnavailable:
    """An answer cut short or garbled (Comunica writes "!TIMEDOUT!" into a 200)."""
    return StoreUnavailable(f"the SPARQL store sent an unreadable answer: {error}", RETRY_AFTER)


def _reason(error: requests.RequestException) -> str:
    text = str(error)
    return "connection refused" if "refused" in text.lower() else text[:200]
