"""The time limit, quickly: a query that would run for hours is stopped at a limit of a
fraction of a second, with a message that names the limit. The test waits a bounded
time itself, so a limit that is not applied fails here in seconds, not after the query
finally ends."""

from __future__ import annotations

import threading

import pytest

from server import create_app

LIMIT = 0.3
PATIENCE = 20.0  # seconds: far beyond the limit, far below the hours the query needs
ENDLESS = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } "
           "GRAPH ?g3 { ?g ?h ?i } GRAPH ?g4 { ?j ?k ?l } GRAPH ?g5 { ?m ?n1 ?o } "
           "GRAPH ?g6 { ?p ?q ?r } GRAPH ?g7 { ?s ?t ?u } GRAPH ?g8 { ?v ?w ?x } }")


@pytest.fixture
def limited(tiny_config, tiny_snapshot):
    app = create_app({**tiny_config, "query_timeout": str(LIMIT), "TESTING": True},
                     snapshot=tiny_snapshot)
    yield app
    app.extensions["sparql"].close()  # also ends a query a missing limit left running


def test_a_query_past_a_short_limit_is_stopped_and_says_so(limited):
    answers = []
    asking = threading.Thread(target=lambda: answers.append(limited.test_client().get(
        "/sparql", query_string={"query": ENDLESS}, headers={"Accept": "application/json"})),
        daemon=True)
    asking.start()
    asking.join(PATIENCE)
    assert answers, f"no answer {PATIENCE:g} s after a query with a {LIMIT:g} s time limit"
    [response] = answers
    body = response.get_json()
    assert (response.status_code, body["title"]) == (503, "Query Timeout"), body
    assert f"longer than the {LIMIT:g} s limit" in body["message"], body["message"]
    again = limited.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                                      headers={"Accept": "application/sparql-results+json"})
    assert again.status_code == 200 and again.get_json()["boolean"] is True
