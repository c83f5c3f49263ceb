"""Nothing a client sends can change the data, reach another host, or take the server down."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from rdflib.query import Result

from server.problems import BadQuery, QueryRejected, TooManyQueries
from server.sparql.admission import Admission
from server.sparql.lexer import declares_dataset, first_keyword
from server.sparql.safety import check_query
from server.web.errors import problem_headers, problem_status

from .conftest import ADA, CARTESIAN, SCHEMA

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(client) -> int:
    result = Result.parse(io.BytesIO(client.get("/sparql", query_string={"query": COUNT}).data),
                          format="json")
    return int(next(iter(result))[0])


UPDATES = [
    ("form update", lambda c, u: c.post("/sparql", data={"update": u})),
    ("form update beside a query", lambda c, u: c.post("/sparql", data={"query": "ASK {}",
                                                                       "update": u})),
    ("direct update", lambda c, u: c.post("/sparql", data=u.encode(),
                                          content_type="application/sparql-update")),
    ("update by GET", lambda c, u: c.get("/sparql", query_string={"update": u})),
    ("update as a query, GET", lambda c, u: c.get("/sparql", query_string={"query": u})),
    ("update as a query, form", lambda c, u: c.post("/sparql", data={"query": u})),
    ("update as a query, direct", lambda c, u: c.post("/sparql", data=u.encode(),
                                                      content_type="application/sparql-query")),
]
UPDATE_TEXTS = [
    f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <{ADA}> <{SCHEMA}name> \"Mallory\" }} }}",
    "PREFIX s: <http://schema.org/>\n# a comment\ndelete where { ?s s:name ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "WITH <https://example.org/tiny/graph/alpha> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", UPDATE_TEXTS)
@pytest.mark.parametrize("send", [u[1] for u in UPDATES], ids=[u[0] for u in UPDATES])
def test_an_update_is_refused_and_the_data_stays_the_same(client, tiny_snapshot, send, text):
    before = sorted(map(str, tiny_snapshot.store.quads()))
    response = send(client, text)
    assert response.status_code == 400
    assert "read-only" in response.get_data(as_text=True)
    assert sorted(map(str, tiny_snapshot.store.quads())) == before


def test_a_cartesian_product_is_stopped_at_the_limit_and_the_next_query_is_answered(app_with):
    client = app_with(query_timeout=1).test_client()
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": CARTESIAN})
    assert time.monotonic() - started >= 1.0  # it was given its whole time
    assert response.status_code == 503
    assert "Query Timeout" in response.get_data(as_text=True)
    assert count(client) > 0


def test_a_timeout_kills_the_worker_and_a_fresh_one_takes_over(app_with):
    app = app_with(query_timeout=1)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": CARTESIAN}).status_code == 503
        assert count(client) > 0
    assert app.extensions["sparql"].workers() == 1


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    yield server
    server.close()


def connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}>\nSELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE remote:sparql {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ service<{url}>{{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_without_any_connection(client, listener, template):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    response = client.get("/sparql", query_string={"query": template.format(url=url)})
    assert response.status_code == 400
    assert "SERVICE" in response.get_data(as_text=True)
    assert not connected(listener)


def test_a_service_inside_a_comment_is_a_comment(client, listener):
    """The parse, not a scan of the text, says what is a comment: the query runs."""
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    query = f"ASK {{ ?s ?p ?o # SERVICE <{url}> {{ }}\n }}"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json["boolean"] is True
    assert not connected(listener)


def test_service_to_the_discard_port_is_refused(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert response.status_code == 400 and "refused" in response.get_data(as_text=True)


def test_service_to_an_allowed_host_does_connect(app_with, listener):
    """The control: what stops the connections above is the refusal, nothing else."""
    client = app_with(service_hosts="127.0.0.1", query_timeout=3).test_client()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    listener.settimeout(5)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(response=client.get(
        "/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})))
    thread.start()
    assert connected(listener)
    thread.join()
    assert outcome["response"].status_code in (400, 503)


def test_service_to_a_host_not_allowed_is_refused_naming_those_allowed(app_with, listener):
    client = app_with(service_hosts="query.example.org").test_client()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    response = client.get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 400 and "query.example.org" in response.get_data(as_text=True)
    assert not connected(listener)


def test_a_result_over_the_limit_is_refused_whole(app_with):
    client = app_with(result_limit=3).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"})
    assert response.status_code == 422
    assert "LIMIT 3" in response.get_data(as_text=True)
    response = client.get("/sparql", query_string={
        "query": "SELECT * { GRAPH ?g { ?s ?p ?o } } LIMIT 3"})
    assert response.status_code == 200
    response = client.get("/sparql", query_string={
        "query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert response.status_code == 422


@pytest.mark.parametrize("accept", ["text/tab-separated-values", "text/csv",
                                    "application/sparql-results+json",
                                    "application/sparql-results+xml"])
def test_a_row_counts_once_whatever_line_breaks_and_tabs_its_literals_hold(app_with, accept):
    """Rows are counted against the limit as the engine writes them, a line each: a line
    break or a tab inside a literal neither adds a row nor hides one."""
    client = app_with(result_limit=2).test_client()
    two = 'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("a\\nb" "c\\td") ("e\\r\\n" 1) } }'
    answered = client.get("/sparql", query_string={"query": two}, headers={"Accept": accept})
    assert answered.status_code == 200
    three = two.replace("} }", '("g" "h") } }')
    refused = client.get("/sparql", query_string={"query": three}, headers={"Accept": accept})
    assert refused.status_code == 422 and "LIMIT 2" in refused.get_data(as_text=True)
    if accept.endswith("json"):
        rows = answered.get_json()["results"]["bindings"]
        assert [(r["x"]["value"], r["y"]["value"]) for r in rows] == [("a\nb", "c\td"),
                                                                       ("e\r\n", "1")]


def test_a_body_over_the_limit_is_refused_before_it_is_read(app_with):
    client = app_with(max_query_bytes=200).test_client()
    long_query = "ASK {}" + " " * 300
    assert client.post("/sparql", data=long_query.encode(),
                       content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": long_query}).status_code == 413
    assert client.get("/sparql", query_string={"query": long_query}).status_code == 413
    assert client.post("/sparql", data=b"ASK {}",
                       content_type="application/sparql-query").status_code == 200


def test_queries_beyond_the_concurrency_limit_wait_then_get_503(app_with):
    """One slot, three endless queries sent together. Whoever takes the slot first holds
    it for the whole time limit; a waiter gives up after waiting that long, so it runs
    only if the slot came free in time, and then holds it a full time limit too: at
    most two of the three run, the rest are turned away, whatever the machine's load."""
    app = app_with(max_concurrent_queries=1, query_timeout=2)
    client = app.test_client()
    together = threading.Barrier(3)
    responses = []

    def endless():
        together.wait()
        responses.append(client.get("/sparql", query_string={"query": CARTESIAN}))

    threads = [threading.Thread(target=endless) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    titles = [r.get_data(as_text=True).split("\n")[0] for r in responses]
    assert set(titles) == {"503 Query Timeout", "503 Too Many Queries"}, titles
    assert titles.count("503 Query Timeout") <= 2
    assert all(r.headers["Retry-After"] == "1" for r in responses if "Too Many" in r.text)
    assert count(client) > 0  # the slot is free again


def test_a_reload_gives_queries_the_new_data(tiny_copy, sparql_config):
    from .conftest import make_app

    config = {**sparql_config, "data_dir": str(tiny_copy / "data"),
              "ontology_dir": str(tiny_copy / "ontology"), "shapes_dir": str(tiny_copy / "shapes")}
    app = make_app(config, None)
    client = app.test_client()
    query = f"ASK {{ <{ADA}> <{SCHEMA}alternateName> \"Ada King\" }}"
    try:
        assert client.get("/sparql", query_string={"query": query}).json["boolean"] is False
        alpha = tiny_copy / "data" / "alpha.ttl"
        alpha.write_text(alpha.read_text() + f'\n<{ADA}> <{SCHEMA}alternateName> "Ada King" .\n')
        assert app.extensions["publisher"].reload().reloaded
        assert client.get("/sparql", query_string={"query": query}).json["boolean"] is True
    finally:
        app.extensions["sparql"].close()


# Where SERVICE is, and which endpoint it names, is read from the parse: strings, IRIs,
# comments, names and escapes are what the grammar says they are.
@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p 'SERVICE <http://x/>' }", None),
    ('SELECT * { ?s ?p "a\\" } SERVICE <http://x/> { } #" }', None),
    ("SELECT * { ?s ?p '\'\'it\'s \'\'SERVICE\'\' <http://x/>\'\'' }", None),
    ('SELECT * { ?s ?p """SERVICE <http://x/> "" """ }', None),
    ("SELECT * { ?s <http://x/#SERVICE> ?o }", None),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}", None),
    ("SELECT * { ?service ?p ?o . ?s <http://x/SERVICE> ?o . ?s ?p 'x'@service }", None),
    ("SELECT * { SERVICE <http://x/> {} }", "http://x/"),
    ("SELECT * { service silent <http://x/> {} }", "http://x/"),
    ("BASE <http://x/> SELECT * { SERVICE <sparql> {} }", "http://x/sparql"),
    ("PREFIX e: <http://x/> SELECT * { SERVICE e:a {} }", "http://x/a"),
    ("SELECT * { SERVICE<http://x/>{} }", "http://x/"),
    ("SELECT * { \\u0053ERVICE <http://\\u0078/> {} }", "http://x/"),
    ("SELECT * { SERVICE <http://x\\u002Fy/> {} }", "http://x/y/"),
    # a carriage return ends a comment (§19.4), as the engine reads it; found by Hypothesis
    ("SELECT * { #\rSERVICE<http://x/>\n{ } }", "http://x/"),
])
def test_service_is_found_where_the_grammar_puts_it(text, expected):
    """Refused when no host is allowed, allowed when its host is: so the target is read."""
    if expected is None:
        check_query(text, allowed_hosts=(), base=None, prefixes={})
        return
    with pytest.raises(QueryRejected, match=re.escape(f"SERVICE <{expected}>")):
        check_query(text, allowed_hosts=(), base=None, prefixes={})
    host = urlsplit(expected).hostname
    check_query(text, allowed_hosts=(host,), base=None, prefixes={})
    with pytest.raises(QueryRejected, match="endpoints this server may query are on y.org"):
        check_query(text, allowed_hosts=("y.org",), base=None, prefixes={})


def test_a_service_named_by_a_variable_is_refused_even_with_hosts_allowed():
    with pytest.raises(QueryRejected, match="known only at run time"):
        check_query("SELECT * { SERVICE ?endpoint {} }", allowed_hosts=("x",), base=None,
                    prefixes={})


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * {}", "SELECT"),
    ("PREFIX a: <http://a/>\nBASE <http://b/>\n# INSERT\ninsert data {}", "INSERT"),
    ("  ask {}", "ASK"),
    ("PREFIX : <http://a/> LOAD <http://x/>", "LOAD"),
])
def test_first_keyword(text, expected):
    assert first_keyword(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * FROM <http://g> {}", True),
    ("select * from named <http://g> {}", True),
    ("SELECT * { ?s ?p 'FROM' } # FROM <x>", False),
    ("SELECT ?from { ?from ?p ?o }", False),
])
def test_declares_dataset(text, expected):
    assert declares_dataset(text) is expected


# --- Admission: at most ``slots`` queries run, at most ``queue`` wait, no longer than
# ``patience``; the rest are refused at once. Exercised directly, with threads standing
# for the server threads that receive queries.


class _Query:
    """A query on a thread of its own that, once admitted, holds its slot until released."""

    def __init__(self, admission: Admission, running: list[int]) -> None:
        self.admitted, self.release = threading.Event(), threading.Event()
        self.refusal: TooManyQueries | None = None
        self._admission, self._running = admission, running
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self._admission.admitted():
                self._running.append(1)
                self.admitted.set()
                self.release.wait(10)
                self._running.pop()
        except TooManyQueries as refusal:
            self.refusal = refusal

    def done(self) -> None:
        self.release.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "a query stayed stuck in admission"


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, f"still not so after 5 s: {what}"
        time.sleep(0.01)


BUSY = ("every query slot of this server process is busy and enough queries are waiting; "
        "try again in a moment.")


@pytest.mark.parametrize(("slots", "queue"), [(2, 1), (1, 2)])
def test_admission_runs_slots_queries_queues_queue_more_and_refuses_the_next_at_once(slots,
                                                                                    queue):
    admission, running = Admission(slots=slots, queue=queue, patience=10), []
    for round_ in ("first", "second"):  # the second: the counts came back to zero
        holding = [_Query(admission, running) for _ in range(slots)]
        for query in holding:
            assert query.admitted.wait(5), f"{round_} round: a query was kept out of a free slot"
        waiting = []
        for number in range(1, queue + 1):
            waiting.append(_Query(admission, running))
            _until(lambda: admission._waiting == number, f"{number} queries wait in the queue")
        assert not any(q.admitted.is_set() or q.refusal for q in waiting), (
            f"{round_} round: a query beyond the {slots} slots ran, or was refused with room "
            "in the queue")
        started = time.monotonic()
        refused = _Query(admission, running)
        refused.thread.join(5)
        assert refused.refusal is not None, (
            f"{round_} round: a query was let in or queued with {slots} busy slots and "
            f"{queue} waiting")
        assert time.monotonic() - started < 5, "the refusal came only after waiting"
        assert str(refused.refusal) == BUSY and problem_status(refused.refusal) == 503
        assert problem_headers(refused.refusal) == {"Retry-After": "1"}
        holding[0].done()
        _until(lambda: any(q.admitted.is_set() for q in waiting),
               f"{round_} round: a queued query gets the slot given back")
        assert len(running) == slots, f"{round_} round: {len(running)} queries run, {slots} slots"
        for query in (*holding[1:], *waiting):
            query.release.set()
        for query in (*holding[1:], *waiting):
            query.done()
        assert running == [] and admission._waiting == 0


def test_a_queued_query_gives_up_after_the_patience_with_a_message_saying_so():
    admission, running = Admission(slots=1, queue=1, patience=0.3), []
    holder = _Query(admission, running)
    assert holder.admitted.wait(5) and holder.refusal is None
    waiting = _Query(admission, running)
    waiting.thread.join(5)
    assert not waiting.thread.is_alive(), "a queued query waited past its patience"
    assert not waiting.admitted.is_set()
    assert str(waiting.refusal) == ("no query slot of this server process freed up within "
                                    "0.3 s; try again in a moment.")
    assert problem_headers(waiting.refusal) == {"Retry-After": "1"}
    holder.done()
    after = _Query(admission, running)  # the slot and the queue are free again
    assert after.admitted.wait(5), "the slot was not given back"
    after.done()


# --- The parse check (``safety.check_query``) on its own: what it tells the engine about a
# query it lets through, and the whole message of each refusal.

_KNOWN = {"schema": "http://schema.org/"}
_ENDPOINT = "http://localhost/sparql"
_HOSTS = ("allowed.example", "b.example")
_FEDERATION_OFF = "is refused: this endpoint does not query other endpoints (federated queries are not enabled here)."
_READ_ONLY_UPDATE = ("is refused: this SPARQL endpoint is read-only; send a SELECT, CONSTRUCT, "
                     "DESCRIBE or ASK query.")

CHECKED = [
    # (query, allowed hosts, form, prefixes the dataset supplies, FROM graphs, FROM NAMED)
    ("SELECT * WHERE { ?s schema:name ?n }", (), "SELECT", ("schema",), (), ()),
    ("PREFIX ex: <http://example.org/> SELECT * { ?s ex:p ?o ; schema:name ?n . ?o ex:q ?z }",
     (), "SELECT", ("schema",), (), ()),
    ("PREFIX ex: <http://example.org/> CONSTRUCT WHERE { ?s schema:name ?n ; ex:p ?o }",
     (), "CONSTRUCT", ("schema",), (), ()),
    ("BASE <http://example.org/base/> PREFIX g: <graph/> DESCRIBE ?s FROM <a> FROM g:b "
     "FROM NAMED <c> FROM NAMED g:d FROM NAMED g: WHERE { ?s ?p ?o }", (), "DESCRIBE", (),
     ("http://example.org/base/a", "http://example.org/base/graph/b"),
     ("http://example.org/base/c", "http://example.org/base/graph/d",
      "http://example.org/base/graph/")),
    ("BASE <sub/> ASK FROM <a> { }", (), "ASK", (), ("http://localhost/sub/a",), ()),
    ("PREFIX : <http://example.org/> SELECT * FROM :g FROM NAMED <x> WHERE { ?s :p ?o }", (),
     "SELECT", (), ("http://example.org/g",), ("http://localhost/x",)),
    ("SELECT * WHERE { SERVICE <http://allowed.example/sparql> { ?s ?p ?o } }", _HOSTS,
     "SELECT", (), (), ()),
    ("SELECT * WHERE { SERVICE <https://b.example/sparql> { ?s ?p ?o } }", _HOSTS,
     "SELECT", (), (), ()),
]


@pytest.mark.parametrize(("text", "hosts", "form", "implicit", "graphs", "named"), CHECKED)
def test_the_check_reads_the_form_the_missing_prefixes_and_the_dataset(text, hosts, form,
                                                                       implicit, graphs, named):
    checked = check_query(text, allowed_hosts=hosts, base=_ENDPOINT, prefixes=_KNOWN)
    assert checked.form == form, f"read as a {checked.form} query"
    assert checked.implicit_prefixes == implicit, "prefixes to supply to the engine"
    assert (checked.from_graphs, checked.from_named_graphs) == (graphs, named), (
        "the FROM / FROM NAMED graphs, resolved against the base and the declared prefixes")


REFUSED = [
    # (query, allowed hosts, refusal, its whole message)
    ("SELECT * WHERE { SERVICE <ftp://allowed.example/sparql> { ?s ?p ?o } }", _HOSTS,
     QueryRejected, "SERVICE <ftp://allowed.example/sparql> is refused: the endpoints this "
                    "server may query are on allowed.example, b.example."),
    ("PREFIX r: <http://elsewhere.example/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
     _HOSTS, QueryRejected, "SERVICE <http://elsewhere.example/sparql> is refused: the "
                            "endpoints this server may query are on allowed.example, b.example."),
    ("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", _HOSTS, QueryRejected,
     "SERVICE with an endpoint known only at run time is refused; name the endpoint with an IRI."),
    ("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", (), QueryRejected,
     f"SERVICE {_FEDERATION_OFF}"),
    ("SELECT * WHERE { SERVICE <http://allowed.example/sparql> { ?s ?p ?o } }", (),
     QueryRejected, f"SERVICE <http://allowed.example/sparql> {_FEDERATION_OFF}"),
    # SPARQL ends a comment at a carriage return too: the SERVICE after it is no comment
    ("ASK { #\rSERVICE <http://elsewhere.example/> { ?s ?p ?o } }", _HOSTS, QueryRejected,
     "SERVICE <http://elsewhere.example/> is refused: the endpoints this server may query are "
     "on allowed.example, b.example."),
    ("INSERT DATA { <http://a/> <http://b/> <http://c/> }", (), QueryRejected,
     f"SPARQL Update (INSERT DATA) {_READ_ONLY_UPDATE}"),
    ("DELETE DATA { <http://a/> <http://b/> <http://c/> } ; INSERT DATA { <http://a/> "
     "<http://b/> <http://c/> } ; DELETE DATA { <http://a/> <http://b/> <http://d/> }", (),
     QueryRejected, f"SPARQL Update (DELETE DATA, INSERT DATA) {_READ_ONLY_UPDATE}"),
    ("LOAD <http://elsewhere.example/data.ttl>", (), QueryRejected,
     "LOAD is refused: this SPARQL endpoint is read-only and fetches no data."),
    ("CLEAR ALL ; LOAD <http://elsewhere.example/data.ttl>", (), QueryRejected,
     "LOAD is refused: this SPARQL endpoint is read-only and fetches no data."),
    # a prologue alone is an (empty) update to the grammar, but no operation: a syntax error
    ("PREFIX ex: <http://example.org/>", (), BadQuery,
     "syntax error at line 1, column 33: the query ends before it is complete\n"
     "PREFIX ex: <http://example.org/>\n                                ^"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s nope:x ?o }", (), BadQuery,
     "the prefix nope: is not declared (line 1, column 35)\n"
     "CONSTRUCT { ?s ?p ?o } WHERE { ?s nope:x ?o }\n                                  ^\n"
     "declare it at the top of the query: PREFIX nope: <…>"),
    ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, (), BadQuery,
     "the query nests groups or expressions too deeply for this endpoint to read (past about "
     "30 levels); flatten it: most nested OPTIONAL or { } groups can follow one another instead."),
    ('SELECT * WHERE { ?s ?p "\\U00110000" }', (), BadQuery,
     "syntax error: Invalid unicode code point: 00110000"),
]


@pytest.mark.parametrize(("text", "hosts", "refusal", "message"), REFUSED,
                         ids=[r[3][:40] for r in REFUSED])
def test_the_check_refuses_with_a_message_that_says_why(text, hosts, refusal, message):
    with pytest.raises(refusal) as raised:
        check_query(text, allowed_hosts=hosts, base=_ENDPOINT, prefixes=_KNOWN)
    assert str(raised.value) == message
