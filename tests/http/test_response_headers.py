"""The headers every answer carries: ``Vary: Accept`` (303s and errors included),
``Content-Type`` with its charset, CORS for reads, and ``Link`` to the alternates."""

from __future__ import annotations

import pytest
from header_tokens import assert_varies_on
from http_helpers import BROWSER, parse_links

from server.web.i18n import LANGUAGES

ROUTES = [
    ("/", 200),
    ("/id/person/ada-lovelace", 303),
    ("/page/person/ada-lovelace", 200),
    ("/page/person/ada-lovelace/values?p=schema:name", 200),
    ("/data/person/ada-lovelace", 200),
    ("/data/person/ada-lovelace.nq", 200),
    ("/ontology", 200),
    ("/ontology.jsonld", 200),
    ("/shapes", 200),
    ("/search?q=lovelace", 200),
    ("/search?q=lovelace&format=json", 200),
    ("/browse", 200),
    ("/browse/organization", 200),
    ("/id/person/nobody", 404),
    ("/page/place/nowhere", 404),
    ("/data/person/ada-lovelace.docx", 406),
    ("/browse/person?page=zero", 400),
]


@pytest.mark.parametrize(("path", "status"), ROUTES)
@pytest.mark.parametrize("accept", [None, "text/html", "*/*"])
def test_vary_cors_and_charset_on_every_route(client, path, status, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get(path, headers=headers, base_url="http://localhost")
    data_only = path == "/data/person/ada-lovelace"  # negotiated, and HTML is not data
    expected = 406 if accept == "text/html" and data_only else status
    assert response.status_code == expected, (path, accept)
    assert_varies_on(response, "Accept", where=(path, accept))
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]
    if response.status_code != 303:
        assert "charset=utf-8" in response.headers["Content-Type"].lower()


# One URL of each family whose answer depends on Accept, errors included.
NEGOTIATED = ["/", "/id/person/ada-lovelace", "/page/person/ada-lovelace",
              "/page/person/ada-lovelace/values?p=schema:name", "/data/person/ada-lovelace",
              "/data/person/ada-lovelace.ttl", "/ontology", "/ontology.ttl", "/shapes",
              "/shapes.jsonld", "/graph/alpha", "/graph/alpha.nq", "/graph/derived", "/sparql",
              "/sparql?query=ASK%7B%7D", "/dataset", "/dataset.ttl", "/.well-known/void",
              "/validation", "/validation.ttl", "/search?q=ada", "/browse", "/browse/person",
              "/id/person/nobody", "/graph/nowhere", "/sparql?query=ASK", "/sparql/editor/x"]


@pytest.mark.parametrize("path", NEGOTIATED)
@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "application/sparql-results+json"])
def test_every_negotiated_answer_varies_on_accept_beside_accept_encoding(client, path, accept):
    """The compression layer adds ``Accept-Encoding``; ``Accept`` must be a token of its own,
    or a shared cache hands Turtle to a browser and HTML to a crawler."""
    response = client.get(path, headers={"Accept": accept, "Accept-Encoding": "gzip"})
    assert_varies_on(response, "Accept", "Accept-Encoding", where=(path, accept))


def test_a_sparql_post_varies_on_accept(client):
    response = client.post("/sparql", data={"query": "ASK {}"},
                           headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert_varies_on(response, "Accept", where="POST /sparql")


@pytest.mark.parametrize("path", ["/dumps/dataset.ttl.gz", "/dumps/dataset.nq.gz",
                                  "/sitemap.xml", "/robots.txt"])
def test_an_answer_without_vary_accept_does_not_depend_on_accept(client, path):
    """Files with one representation need no ``Vary: Accept``: every client gets the same
    bytes, so a cache keyed on the URL alone serves each of them right."""
    answers = set()
    for accept in (BROWSER, "text/turtle", "application/json"):
        with client.get(path, headers={"Accept": accept}) as response:
            answers.add((response.status_code, response.headers["Content-Type"], response.data))
    assert len(answers) == 1 and answers.pop()[0] == 200, path


@pytest.mark.parametrize(("path", "status"), [r for r in ROUTES if r[1] < 400])
def test_every_document_links_to_its_alternates(client, path, status):
    response = client.get(path)
    links = parse_links(response.headers.get("Link"))
    assert any(link["rel"] == "alternate" and link.get("type") for link in links), path


@pytest.mark.parametrize("path", ["/", "/page/person/ada-lovelace", "/search?q=ada",
                                  "/browse/person", "/ontology"])
def test_pages_link_to_themselves_in_every_language(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    languages = {link["hreflang"]: link["url"] for link in parse_links(response.headers["Link"])
                 if "hreflang" in link}
    assert set(languages) == set(LANGUAGES)
    assert all(f"lang={code}" in url for code, url in languages.items())
    assert_varies_on(response, "Accept-Language")


def test_public_url_is_used_for_every_absolute_url(tiny_config, tiny_snapshot):
    from server import create_app

    app = create_app({**tiny_config, "public_url": "https://data.example.net/base/",
                      "TESTING": True}, snapshot=tiny_snapshot)
    client = app.test_client()
    redirect = client.get("/id/person/ada-lovelace", headers={"Accept": "text/html"},
                          base_url="http://10.0.0.7:8080")
    assert redirect.headers["Location"] == "https://data.example.net/base/page/person/ada-lovelace"
    page = client.get("/page/person/ada-lovelace", base_url="http://10.0.0.7:8080")
    text = page.get_data(as_text=True)
    assert "10.0.0.7" not in text and "10.0.0.7" not in page.headers["Link"]
    assert 'href="https://data.example.net/base/id/person/charles-babbage"' in text
    assert all(link["url"].startswith(("https://data.example.net/base/", "https://example.org/"))
               for link in parse_links(page.headers["Link"]))
