"""Security headers on every kind of response, and CORS for reads only, never with
credentials (Fetch standard §3.2)."""

from __future__ import annotations

import pytest
from header_tokens import assert_varies_on

from server import create_app
from server.web.security import CONTENT_SECURITY_POLICY

PERSON = "/page/person/andrei-tchibis"
# (method, path, headers, expected status): one row per kind of response.
RESPONSES = [
    ("GET", "/", {"Accept": "text/html"}, 200),
    ("GET", PERSON, {"Accept": "text/html"}, 200),
    ("GET", "/data/person/andrei-tchibis.ttl", {}, 200),
    ("GET", "/data/person/andrei-tchibis.jsonld", {}, 200),
    ("GET", "/id/person/andrei-tchibis", {"Accept": "text/html"}, 303),
    ("GET", "/search?q=paris&format=json", {}, 200),
    ("GET", "/sparql", {"Accept": "text/html"}, 200),
    ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}, 200),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, 200),
    ("GET", "/sparql?query=SELEC", {"Accept": "text/html"}, 400),
    ("GET", "/page/person/nobody", {"Accept": "text/html"}, 404),
    ("GET", "/data/person/andrei-tchibis.xyz", {}, 406),
    ("DELETE", PERSON, {}, 405),
    ("GET", "/robots.txt", {}, 200),
    ("GET", "/static/style.css", {}, 200),
]


@pytest.mark.parametrize(("method", "path", "headers", "status"), RESPONSES)
def test_every_response_carries_the_security_headers(client, method, path, headers, status):
    with client.open(path, method=method, headers=headers, data=b"ASK {}") as response:
        assert response.status_code == status, path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_is_strict():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src"):
        assert directives[name] == "'self'", "no inline code, no other host"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "*" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/", PERSON, "/data/person/andrei-tchibis.ttl",
                                  "/id/person/andrei-tchibis", "/sparql?query=ASK%7B%7D"])
def test_reads_are_open_to_every_origin_without_credentials(client, path):
    response = client.get(path, headers={"Origin": "https://elsewhere.example",
                                         "Cookie": "session=1"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_query_sent_by_post_is_a_read_too(client):
    response = client.post("/sparql", data={"query": "ASK {}"},
                           headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_writes_get_no_cors_and_no_preflight_approval(client, method):
    response = client.open(PERSON, method=method, headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options(PERSON, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": method})
    assert method not in preflight.headers.get("Access-Control-Allow-Methods", "")
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_the_sparql_preflight_allows_reads_only(client):
    preflight = client.options("/sparql", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    allowed = {m.strip() for m in preflight.headers["Access-Control-Allow-Methods"].split(",")}
    assert allowed <= {"GET", "HEAD", "POST", "OPTIONS"}
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_a_named_origin_varies_on_origin(repo_snapshot):
    app = create_app({"TESTING": True, "cors_origin": "https://app.example"},
                     snapshot=repo_snapshot)
    try:
        response = app.test_client().get(PERSON, headers={"Origin": "https://evil.example"})
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert_varies_on(response, "Origin")
        assert "Access-Control-Allow-Credentials" not in response.headers
    finally:
        app.extensions["sparql"].close()
