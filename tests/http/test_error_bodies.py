"""What an error and a ``304`` say, not only their status: an error names the condition
and what to do about it in the canonical JSON shape (``status``, ``title``, ``message``),
and a ``304`` is empty and carries the validators a ``200`` would (RFC 9110 §15.4.5)."""

from __future__ import annotations

import json

import pytest

from server import create_app

SPARQL_LIMIT = 200
LONG_QUERY = "ASK {}" + " " * SPARQL_LIMIT

ERRORS = [
    ("/id/person/nobody", 404, "Not Found",
     "nothing is published about https://example.org/tiny/id/person/nobody"),
    ("/data/person/nobody.ttl", 404, "Not Found", "nothing is published about"),
    ("/graph/nowhere", 404, "Not Found",
     "no named graph https://example.org/tiny/graph/nowhere is published"),
    ("/dumps/other.ttl.gz", 404, "Not Found",
     "the dumps are: dataset.trig.gz, dataset.nq.gz, dataset.ttl.gz"),
    ("/sitemaps/4.xml", 404, "Not Found", "no sitemap part 4; there are 1"),
    ("/page/person/ada-lovelace/values?p=schema:name&page=9", 404, "Not Found",
     "page 9 is past the last page (1)"),
    ("/browse/person?page=zero", 400, "Bad Request",
     "page must be a whole number from 1 to 100000, not 'zero'"),
    ("/page/person/ada-lovelace/values?p=nope:x", 400, "Bad Request",
     "p must be an IRI or a prefixed name"),
    ("/sparql?query=ASK%20%7B", 400, "Malformed Query", "line 1, column 6"),
    ("/sparql?query=DELETE%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", 400, "Query Refused",
     "SPARQL Update (DELETE WHERE) is refused: this SPARQL endpoint is read-only"),
    ("/data/person/ada-lovelace.docx", 406, "Not Acceptable",
     "unknown format 'docx'; available formats: text/turtle (.ttl)"),
]


def error_of(response) -> dict:
    assert response.mimetype == "application/json", response.data[:200]
    return json.loads(response.data)


@pytest.mark.parametrize(("path", "status", "title", "words"), ERRORS)
def test_an_error_names_its_condition(client, path, status, title, words):
    with client.get(path, headers={"Accept": "application/json"}) as response:
        body = error_of(response)
    assert (response.status_code, body["status"], body["title"]) == (status, status, title), path
    assert words in body["message"], f"{path}: {body['message']!r} does not say {words!r}"


@pytest.fixture
def limited(tiny_config, tiny_snapshot):
    app = create_app({**tiny_config, "max_query_bytes": str(SPARQL_LIMIT), "TESTING": True},
                     snapshot=tiny_snapshot)
    yield app.test_client()
    app.extensions["sparql"].close()


@pytest.mark.parametrize(("how", "words"), [
    ("get", f"the URL is longer than {SPARQL_LIMIT} bytes; send a long query with POST"),
    ("form", f"the request body is larger than the {SPARQL_LIMIT} bytes this endpoint accepts"),
    ("direct", f"the request body is larger than the {SPARQL_LIMIT} bytes this endpoint accepts"),
])
def test_a_query_over_the_size_limit_is_413_saying_the_limit(limited, how, words):
    headers = {"Accept": "application/json"}
    response = {
        "get": lambda: limited.get("/sparql", query_string={"query": LONG_QUERY}, headers=headers),
        "form": lambda: limited.post("/sparql", data={"query": LONG_QUERY}, headers=headers),
        "direct": lambda: limited.post("/sparql", data=LONG_QUERY.encode(), headers=headers,
                                       content_type="application/sparql-query"),
    }[how]()
    body = error_of(response)
    assert (response.status_code, body["title"]) == (413, "Content Too Large"), how
    assert words in body["message"], f"{how}: {body['message']!r}"


@pytest.mark.parametrize("path", [
    "/page/person/ada-lovelace", "/data/person/ada-lovelace.ttl",
    "/ontology", "/graph/alpha", "/dataset", "/validation", "/sitemap.xml",
    "/dumps/dataset.trig.gz", "/sparql?query=ASK%7B%7D",
])
def test_a_304_is_empty_and_keeps_the_validators_and_vary_of_the_200(client, path):
    with client.get(path, headers={"Accept-Encoding": "gzip"}) as first:
        etag = first.headers.get("ETag")
    assert first.status_code == 200 and etag, path
    with client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        body = again.data
    assert again.status_code == 304 and body == b"", f"{path}: {again.status_code}, {body[:80]!r}"
    assert first.headers.get("Last-Modified"), path
    for name in ("ETag", "Vary", "Cache-Control"):
        assert again.headers.get(name) == first.headers.get(name), (path, name)
