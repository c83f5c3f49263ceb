"""SSRF through ``SERVICE``: no spelling of a query makes the server connect anywhere.

A text scanner can be fooled: ``\\u`` escapes are expanded before parsing (SPARQL 1.1
§19.2), ``#`` starts a comment outside IRIs and strings, keywords have any case. A
Hypothesis strategy writes ``SERVICE <http://127.0.0.1:PORT/>`` in all those ways, and a
listener on that port must see no connection. Each wall is tested alone, then together:

1. the parse check (``sparql.safety``) refuses every variant;
2. a query worker (``sparql.pool``) has no network, whatever the engine is asked;
3. the endpoint and ``ldpub query`` answer 400 / exit 1, and nothing connects.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.problems import BadQuery, QueryRejected
from server.runtime.cli import cli
from server.sparql.pool import WorkerPool
from server.sparql.safety import check_query

SETTLE = 0.2  # seconds a connection attempt has to reach the listener


def _escaped(char: str) -> str:
    return f"\\u{ord(char):04X}"


def _long_escaped(char: str) -> str:
    return f"\\U{ord(char):08x}"


@st.composite
def spelled(draw, word: str) -> str:
    """A keyword in any case, some letters written as escapes."""
    out = []
    for char in word:
        form = draw(st.sampled_from(("upper", "lower", "escape", "long")))
        out.append({"upper": char.upper(), "lower": char.lower(),
                    "escape": _escaped(char), "long": _long_escaped(char)}[form])
    return "".join(out)


def gaps() -> st.SearchStrategy[str]:
    """What may stand between two tokens: nothing, spaces, comments (with the '#' itself
    written plainly: an escaped '#' is no comment, and the text then is no query)."""
    piece = st.sampled_from((" ", "\t", "\n", "\r\n", "#c\n", "# SERVICE\n", "#\r", "  "))
    return st.lists(piece, max_size=3).map("".join)


@st.composite
def iri_text(draw, iri: str) -> str:
    """An IRI with some characters written as escapes."""
    return "".join(_escaped(c) if draw(st.booleans()) and c not in "<>" else c for c in iri)


DECOYS = (
    "",
    "?s <http://x/\\u0023> ?o .",
    '?s ?p "#" .',
    "?s ?p '''\n#''' .",
    "?s <http://x/#> ?o .",
    "?s ?p 'SERVICE' .",
)


@st.composite
def service_queries(draw, url: str) -> str:
    keyword = draw(spelled("SERVICE"))
    silent = draw(st.sampled_from(("", " SILENT", " silent", " " + draw(spelled("SILENT")))))
    form = draw(st.sampled_from(("iri", "prefix", "base")))
    prologue, target = "", "<" + draw(iri_text(url)) + ">"
    if form == "prefix":
        prologue, target = f"PREFIX r: <{draw(iri_text(url))}>\n", "r:"
    elif form == "base":
        prologue, target = f"BASE <{draw(iri_text(url))}>\n", "<>"
    decoy = draw(st.sampled_from(DECOYS))
    head = draw(st.sampled_from(("SELECT * WHERE", "select *", "ASK")))
    return (f"{prologue}{head} {{ {decoy}{draw(gaps())}{keyword}{silent}{draw(gaps())}"
            f"{target}{draw(gaps())}{{ ?s ?p ?o }} }}")


HYPOTHESIS = settings(max_examples=80, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


@settings(HYPOTHESIS, max_examples=300)
@given(data=st.data())
def test_the_parse_check_refuses_every_spelling_of_service(listener, data):
    query = data.draw(service_queries(listener.url))
    with pytest.raises((QueryRejected, BadQuery)):
        check_query(query, allowed_hosts=(), base="http://localhost/sparql", prefixes={})


def _engine(text: str) -> str:
    """Run a query as a worker would, without any check: what the engine itself does."""
    try:
        result = ox.Store().query(text)
        if isinstance(result, ox.QuerySolutions):
            list(result)
        return "ran"
    except (SyntaxError, OSError, ValueError, RuntimeError) as error:
        return type(error).__name__


@pytest.fixture
def walled_worker():
    pool = WorkerPool("test", _engine, 5.0, memory=512 * 1024**2)
    worker = pool.take()
    yield pool, worker
    pool.discard(worker)
    pool.retire()


def test_a_worker_with_network_reaches_the_listener(listener):
    """The other walls' tests could not fail if the engine never connected at all."""
    pool = WorkerPool("test", _engine, 5.0, network=True, memory=512 * 1024**2)
    try:
        worker = pool.take()
        worker.ask(f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", 5.0)
        pool.discard(worker)
    finally:
        pool.retire()
    time.sleep(SETTLE)
    assert listener.connections >= 1


@HYPOTHESIS
@given(data=st.data())
def test_a_query_worker_has_no_network_whatever_the_engine_is_asked(listener, walled_worker,
                                                                    data):
    pool, worker = walled_worker
    assert pool.network_closed, "this system refuses network namespaces"
    worker.ask(data.draw(service_queries(listener.url)), 5.0)
    assert listener.connections == 0


@HYPOTHESIS
@given(data=st.data())
def test_the_endpoint_refuses_every_spelling_and_connects_nowhere(client, listener, data):
    query = data.draw(service_queries(listener.url))
    binding = data.draw(st.sampled_from(("get", "form", "direct")))
    if binding == "get":
        response = client.get("/sparql", query_string={"query": query})
    elif binding == "form":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post("/sparql", data=query.encode(),
                               headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400, (query, response.get_data(as_text=True))
    assert listener.connections == 0


@pytest.mark.parametrize("template", [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s <http://x/\\u0023> ?o . SERVICE#\n<{url}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{url}> ASK {{ service silent r: {{ ?s ?p ?o }} }}",
])
def test_ldpub_query_refuses_service_and_connects_nowhere(listener, tiny_config, template):
    args = [f"--{name.replace('_', '-')}={value}" for name, value in tiny_config.items()]
    result = CliRunner().invoke(cli, ["query", template.format(url=listener.url), *args])
    assert result.exit_code == 1, result.output
    assert "SERVICE" in result.output or "syntax error" in result.output
    time.sleep(SETTLE)
    assert listener.connections == 0
