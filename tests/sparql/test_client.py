"""Real SPARQL clients over a real socket, against the production server (gunicorn)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .conftest import ADA, CARTESIAN, SCHEMA

pytestmark = pytest.mark.live

PEOPLE = f"SELECT ?name WHERE {{ ?p a <{SCHEMA}Person> ; <{SCHEMA}name> ?name }} ORDER BY ?name"
NAMES = ["Ada Lovelace", "Charles Babbage"]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, sparql_config):
    """``ldpub serve`` with two gunicorn workers and a 1 s time limit, for the module."""
    from .conftest import _live_servers

    args = ["serve", "--workers", "2", "--threads", "4"]
    for key, value in {**sparql_config, "query_timeout": "1"}.items():
        args += [f"--{key.replace('_', '-')}", value]
    folder = tmp_path_factory.mktemp("served")
    server = _live_servers()(args, folder, folder / "server.log")
    server.wait_until_up()
    yield server.url + "/sparql"
    server.stop()


def client(endpoint: str, query: str, fmt: str, method: str = GET, how: str | None = None):
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    if how:
        wrapper.setRequestMethod(how)
    return wrapper.query()


@pytest.mark.parametrize(("method", "how"), [(GET, None), (POST, None), (POST, POSTDIRECTLY)])
def test_select(endpoint, method, how):
    result = client(endpoint, PEOPLE, JSON, method, how).convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == NAMES


def test_select_as_xml_and_csv(endpoint):
    document = client(endpoint, PEOPLE, XML).convert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == NAMES
    assert client(endpoint, PEOPLE, CSV).convert().decode().split() == [
        "name", "Ada", "Lovelace", "Charles", "Babbage"]


@pytest.mark.parametrize("method", [GET, POST])
def test_ask(endpoint, method):
    assert client(endpoint, f"ASK {{ <{ADA}> ?p ?o }}", JSON, method).convert()["boolean"] is True
    assert client(endpoint, "ASK { ?s <urn:x:none> ?o }", XML, method).convert() is not None


@pytest.mark.parametrize(("fmt", "parser"), [
    (RDFXML, "xml"), (TURTLE, "turtle"), (N3, "turtle"), (XML, "xml"), (JSONLD, "json-ld")])
def test_construct(endpoint, fmt, parser):
    query = f"CONSTRUCT {{ ?p <{SCHEMA}name> ?n }} WHERE {{ ?p a <{SCHEMA}Person> ; <{SCHEMA}name> ?n }}"
    # read the body ourselves: SPARQLWrapper's convert() uses a deprecated rdflib class
    body = client(endpoint, query, fmt).response.read()
    graph = Graph().parse(data=body, format=parser)
    assert (URIRef(ADA), URIRef(f"{SCHEMA}name"), Literal("Ada Lovelace")) in graph
    assert len(graph) == 2


def test_a_malformed_query_is_reported_to_the_client(endpoint):
    with pytest.raises(QueryBadFormed, match="line 1"):
        client(endpoint, "SELECT ?s WHERE { ?s ?p }", JSON)


def test_a_timeout_under_gunicorn_and_the_next_queries_are_answered(endpoint):
    response = requests.get(endpoint, params={"query": CARTESIAN}, timeout=30)
    assert response.status_code == 503 and "Query Timeout" in response.text
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client(endpoint, PEOPLE, JSON).convert(), range(16)))
    assert all(len(a["results"]["bindings"]) == 2 for a in answers)


def test_slow_queries_do_not_hold_up_the_others(served):
    """Two endless queries run to a 10 s limit; a small query sent after them is answered
    while they still run (an order, which a loaded machine does not change)."""
    endpoint = served("--threads", "4", "--query-timeout", "10").url + "/sparql"
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(requests.get, endpoint, params={"query": CARTESIAN}, timeout=60)
                for _ in range(2)]
        time.sleep(0.2)  # a head start: they are sent first
        assert client(endpoint, PEOPLE, JSON).convert()["results"]["bindings"]
        assert not any(f.done() for f in slow)
        assert all(f.result().status_code == 503 for f in slow)
