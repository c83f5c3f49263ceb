"""On every store, a query may use the dataset's prefixes without declaring them, and an
undeclared unknown prefix gets the same teaching message (the remote store receives the
prefixes as declarations checked name by name, never as client text)."""

from __future__ import annotations

JSON = {"Accept": "application/sparql-results+json"}


def test_the_known_prefixes_need_no_declaration_on_every_store(backend_client):
    response = backend_client.get("/sparql", headers=JSON, query_string={
        "query": 'ASK { ?s schema:name "Ada Lovelace" ; rdfs:label ?l }'})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["boolean"] is True


def test_an_unknown_prefix_is_named_on_every_store(backend_client):
    response = backend_client.get("/sparql", headers={"Accept": "text/plain"},
                                  query_string={"query": "ASK { ?s zz:name ?n }"})
    assert response.status_code == 400
    assert "the prefix zz: is not declared (line 1, column 10)" in response.get_data(
        as_text=True)
