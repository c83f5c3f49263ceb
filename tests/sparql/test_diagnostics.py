"""Errors that teach, the same from the endpoint and from ``ldpub query``; and the queries
that once took a worker down (deep nesting, memory) answered with a status and a message.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from server.runtime.cli import cli

from .conftest import ADA

PLAIN = {"Accept": "text/plain"}
ADA_NAME = "SELECT ?n WHERE {\n  person:ada-lovelace schema:name ?n\n}"
# (query, status, lines the message must hold, in order)
TEACHING = [
    pytest.param(
        "SELECT ?t WHERE {\n  ?s dc:title ?t\n}", 400,
        ["the prefix dc: is not declared (line 2, column 6)",
         "  ?s dc:title ?t", "     ^",
         "add this line at the top of the query:",
         "PREFIX dc: <http://purl.org/dc/elements/1.1/>"],
        id="well-known prefix"),
    pytest.param(
        "SELECT ?t WHERE { ?s zz:title ?t }", 400,
        ["the prefix zz: is not declared (line 1, column 22)",
         "SELECT ?t WHERE { ?s zz:title ?t }", " " * 21 + "^",
         "declare it at the top of the query: PREFIX zz: <…>"],
        id="unknown prefix"),
    pytest.param(
        "SELECT ?s WHERE {\n  ?s ?p ?o\n  ?o ?q 3 .\n} LIMT 3", 400,
        ["syntax error at line 3, column 3: near ?o", "  ?o ?q 3 .", "  ^"],
        id="syntax error"),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o", 400,
        ["syntax error at line 1, column 26: the query ends before it is complete"],
        id="cut short"),
    pytest.param(
        "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }", 400,
        ["SPARQL Update (INSERT DATA) is refused: this SPARQL endpoint is read-only"],
        id="update"),
    pytest.param(
        "DELETE WHERE { ?s ?p ?o }", 400,
        ["SPARQL Update (DELETE WHERE) is refused"], id="delete"),
    pytest.param(
        "SELECT * { " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }", 400,
        ["the query nests groups or expressions too deeply"], id="3000 nested OPTIONALs"),
]


def _in_order(message: str, lines: list[str]) -> None:
    position = 0
    for line in lines:
        found = message.find(line, position)
        assert found >= 0, f"{line!r} not found (in order) in:\n{message}"
        position = found + len(line)


@pytest.mark.parametrize(("query", "status", "lines"), TEACHING)
def test_the_endpoint_teaches(client, query, status, lines):
    response = client.post("/sparql", data={"query": query}, headers=PLAIN)
    assert response.status_code == status
    _in_order(response.get_data(as_text=True), lines)
    # the worker that read it is still there to answer the next query
    assert client.get("/sparql", query_string={"query": "ASK {}"},
                      headers={"Accept": "application/sparql-results+json"}).json["boolean"]


@pytest.fixture(scope="module")
def cli_args(tiny_config) -> list[str]:
    return [f"--{name.replace('_', '-')}={value}" for name, value in tiny_config.items()]


@pytest.mark.parametrize(("query", "status", "lines"), TEACHING)
def test_ldpub_query_says_the_same(cli_args, query, status, lines):
    result = CliRunner().invoke(cli, ["query", query, *cli_args])
    assert result.exit_code == 1
    _in_order(result.output, lines)


def test_the_dataset_prefixes_need_no_declaration(client, cli_args):
    """As on Wikidata's service: ``person:`` (the dataset's) and ``schema:`` just work."""
    response = client.get("/sparql", query_string={"query": ADA_NAME},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert [b["n"]["value"] for b in response.json["results"]["bindings"]] == ["Ada Lovelace"]
    result = CliRunner().invoke(cli, ["query", ADA_NAME, "--format", "csv", *cli_args])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "Ada Lovelace"]


def test_a_declared_prefix_wins_over_the_dataset_one(client):
    query = "PREFIX schema: <https://schema.org/>\nASK { ?s schema:name ?n }"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json["boolean"] is False


def test_relative_iris_resolve_against_the_endpoint_not_a_pasted_base_line(client):
    """The base IRI reaches the engine as a parameter: line numbers stay the client's, and
    a relative IRI becomes the endpoint's."""
    response = client.get("/sparql", query_string={"query": "SELECT (<x> AS ?i) {}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json["results"]["bindings"][0]["i"]["value"] == "http://localhost/x"


def test_the_service_description_lists_the_prefixes_it_knows(client, tiny_snapshot):
    graph = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data,
                          format="turtle")
    service = URIRef("http://localhost/sparql")
    declared = {str(graph.value(d, SH.prefix)): graph.value(d, SH.namespace)
                for d in graph.objects(service, SH.declare)}
    assert declared == {p: Literal(n, datatype=XSD.anyURI)
                        for p, n in tiny_snapshot.prefixes.items()}
    assert declared["person"] == Literal("https://example.org/tiny/id/person/",
                                         datatype=XSD.anyURI)


def test_a_query_over_its_memory_gets_422_and_the_next_one_is_answered(app_with):
    client = app_with(query_memory_mb=160, query_timeout=20).test_client()
    query = ("SELECT * WHERE { ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h } "
             "ORDER BY ?a ?b ?c ?d ?e ?f ?g ?h LIMIT 1")
    response = client.get("/sparql", query_string={"query": query}, headers=PLAIN)
    assert response.status_code == 422
    assert "more than the 160 MiB of memory one query may take" in response.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": f"ASK {{ <{ADA}> ?p ?o }}"},
                      headers={"Accept": "application/sparql-results+json"}).json["boolean"]


def test_an_update_beside_a_direct_query_is_refused_not_ignored(client):
    response = client.post("/sparql?update=CLEAR%20ALL", data=b"ASK {}",
                           headers={"Content-Type": "application/sparql-query", **PLAIN})
    assert response.status_code == 400
    assert "SPARQL Update is refused" in response.get_data(as_text=True)


def test_a_construct_with_blank_nodes_has_a_weak_etag_that_revalidates(client):
    query = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"}
    first, second = (client.get("/sparql", query_string=query) for _ in range(2))
    assert b"_:" in first.data
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["ETag"] == second.headers["ETag"]
    again = client.get("/sparql", query_string=query,
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
