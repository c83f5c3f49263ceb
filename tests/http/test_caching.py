"""Caching: strong ETags from the data version, 304 on revalidation, HEAD, gzip, and
answers replayed from memory until the data changes."""

from __future__ import annotations

import gzip
import zlib

import pytest
from header_tokens import assert_varies_on
from rdflib import Graph
from rdflib.compare import isomorphic
from werkzeug.http import parse_date

from server import create_app

ROUTES = [
    "/",
    "/page/person/ada-lovelace",
    "/page/person/ada-lovelace?lang=fr",
    "/page/person/ada-lovelace/values?p=schema:name",
    "/data/person/ada-lovelace",
    "/data/person/ada-lovelace.ttl",
    "/data/person/ada-lovelace.jsonld",
    "/ontology",
    "/ontology.ttl",
    "/shapes",
    "/shapes.nq",
    "/search?q=ada",
    "/search?q=ada&format=json",
    "/browse",
    "/browse/person",
    "/browse?class=schema:Person",
]


@pytest.mark.parametrize("path", ROUTES)
def test_a_strong_etag_revalidates_to_304(client, path):
    first = client.get(path, headers={"Accept": "text/html"} if "data" not in path else {})
    assert first.status_code == 200, path
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/"), path
    assert first.headers["Last-Modified"]
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get(path, headers={"If-None-Match": etag,
                                      **({"Accept": "text/html"} if "data" not in path else {})})
    assert again.status_code == 304, path
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert_varies_on(again, "Accept")


@pytest.mark.parametrize("path", ROUTES)
def test_if_modified_since_revalidates_too(client, path):
    first = client.get(path)
    again = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304, path


@pytest.mark.parametrize("path", [*ROUTES, "/id/person/ada-lovelace"])
def test_head_has_the_headers_of_get_and_no_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code
    assert head.data == b""
    for name in ("Content-Type", "ETag", "Vary", "Link", "Location", "Content-Length"):
        assert head.headers.get(name) == get.headers.get(name), (path, name)


def test_each_language_and_each_format_has_its_own_etag(client):
    english = client.get("/page/person/ada-lovelace", headers={"Accept-Language": "en"})
    french = client.get("/page/person/ada-lovelace", headers={"Accept-Language": "fr"})
    assert english.headers["ETag"] != french.headers["ETag"]
    assert_varies_on(english, "Accept-Language")
    stale = client.get("/page/person/ada-lovelace", headers={
        "Accept-Language": "fr", "If-None-Match": english.headers["ETag"]})
    assert stale.status_code == 200
    turtle = client.get("/data/person/ada-lovelace", headers={"Accept": "text/turtle"})
    triples = client.get("/data/person/ada-lovelace", headers={"Accept": "application/n-triples"})
    assert turtle.headers["ETag"] != triples.headers["ETag"]


def test_gzip_has_its_own_etag_and_the_same_content(client):
    plain = client.get("/page/person/ada-lovelace")
    packed = client.get("/page/person/ada-lovelace", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert_varies_on(packed, "Accept-Encoding")
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/page/person/ada-lovelace", headers={
        "Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    turtle = client.get("/data/person/ada-lovelace.ttl", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(turtle.data) == client.get("/data/person/ada-lovelace.ttl").data


def test_a_repeated_request_is_replayed_without_running_the_view(client, monkeypatch):
    from server.web.views import resources

    first = client.get("/data/person/ada-lovelace.ttl")
    calls = []
    monkeypatch.setattr(resources, "description_bytes", lambda *a: calls.append(a) or b"")
    second = client.get("/data/person/ada-lovelace.ttl")
    assert calls == []
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    other_encoding = client.get("/data/person/ada-lovelace.ttl", headers={"Accept": "*/*"})
    assert other_encoding.status_code == 200 and calls  # a different request runs the view


def test_new_data_gets_new_etags_and_is_never_served_stale(tiny_copy):
    config = {"data_dir": str(tiny_copy / "data"), "ontology_dir": str(tiny_copy / "ontology"),
              "shapes_dir": str(tiny_copy / "shapes"), "base_iri": "https://example.org/tiny/",
              "TESTING": True}
    app = create_app(config)
    client = app.test_client()
    before = client.get("/page/person/ada-lovelace")
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text() + '\n<https://example.org/tiny/id/person/ada-lovelace> '
                     '<http://schema.org/alternateName> "Countess of Lovelace" .\n')
    assert app.extensions["publisher"].reload().reloaded
    after = client.get("/page/person/ada-lovelace")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Countess of Lovelace" in after.get_data(as_text=True)
    old = client.get("/page/person/ada-lovelace", headers={"If-None-Match": before.headers["ETag"]})
    assert old.status_code == 200


def test_a_page_rendered_for_one_query_string_is_not_served_for_another(client):
    client.get("/browse/person?q=spam")
    page = client.get("/browse/person").get_data(as_text=True)
    assert "spam" not in page


@pytest.mark.parametrize("path", [p for p in ROUTES if not p.startswith(("/search", "/browse"))])
def test_last_modified_is_when_the_data_was_loaded(client, tiny_snapshot, path):
    """A cache revalidates with ``If-Modified-Since``: the date must be the data's, not the
    moment of the response (which would make every copy look stale a second later)."""
    response = client.get(path, headers={"Accept": "text/html"} if "data" not in path else {})
    loaded = tiny_snapshot.loaded_at.replace(microsecond=0)
    assert parse_date(response.headers["Last-Modified"]) == loaded, (
        f"{path}: Last-Modified {response.headers['Last-Modified']}, data loaded {loaded}")


@pytest.mark.parametrize(("accept", "coding"), [
    ("zstd, br, deflate, gzip", "gzip"),
    ("gzip;q=0.5, br", "br"),
    ("deflate, zstd, br", "br"),
])
def test_where_a_client_weighs_codings_alike_gzip_is_preferred(client, accept, coding):
    """A weight a client gives wins; between codings it weighs alike the server's order
    decides (RFC 9110 §12.5.3): gzip, which every client that compresses can decode,
    then br, zstd and deflate."""
    response = client.get("/.well-known/void", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == coding, (
        f"Accept-Encoding: {accept} got {response.headers.get('Content-Encoding')}")


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd", "deflate"])
@pytest.mark.parametrize("path", ["/.well-known/void", "/sitemap.xml"])  # Turtle, XML
def test_each_content_coding_a_client_asks_for_is_used(client, encoding, path):
    """Harvesters fetch descriptions and sitemaps often: each coding they name (RFC 9110
    §8.4) is used, and the decoded body is the plain one."""
    plain = client.get(path).data
    packed = client.get(path, headers={"Accept-Encoding": encoding})
    assert packed.headers.get("Content-Encoding") == encoding, (
        f"{path} asked as {encoding} came as {packed.headers.get('Content-Encoding')}")
    assert len(packed.data) < len(plain)
    if encoding in ("gzip", "deflate"):
        body = zlib.decompress(packed.data, wbits=47)  # either zlib or gzip framing
        if path == "/sitemap.xml":
            assert body == plain
        else:  # the description's blank nodes are labelled afresh on each request
            assert isomorphic(Graph().parse(data=body, format="turtle"),
                              Graph().parse(data=plain, format="turtle"))
