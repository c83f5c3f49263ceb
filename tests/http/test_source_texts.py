"""``/source/{slug}.txt``: each article's text as published, the bytes of its file, with
its SHA-256 as a strong ETag, a year's caching, ``304`` on revalidation, CORS like the
other data routes, and a negotiated ``404`` for a text that does not exist."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from http_helpers import BROWSER, parse_links

from server.settings import REPOSITORY

SOURCES = REPOSITORY / "data" / "sources"
SLUGS = sorted(p.name.removesuffix(".txt") for p in SOURCES.glob("*.txt"))


def test_both_articles_have_a_text():
    assert SLUGS == ["grand-paris-expertise-exported-to-russia", "pce-makers-grand-paris-russie"]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_text_is_the_file_byte_for_byte(repo_client, slug):
    path: Path = SOURCES / f"{slug}.txt"
    response = repo_client.get(f"/source/{slug}.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.data == path.read_bytes()
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_etag_is_the_content_hash_and_revalidation_gets_304(repo_client, slug):
    body = (SOURCES / f"{slug}.txt").read_bytes()
    response = repo_client.get(f"/source/{slug}.txt")
    etag, weak = response.get_etag()
    assert (etag, weak) == (hashlib.sha256(body).hexdigest(), False)
    cache = response.cache_control
    assert cache.public and cache.max_age >= 30 * 24 * 3600
    again = repo_client.get(f"/source/{slug}.txt", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == f'"{etag}"'
    stale = repo_client.get(f"/source/{slug}.txt", headers={"If-None-Match": '"0123"'})
    assert stale.status_code == 200 and stale.data == body


def test_head_gives_the_headers_without_the_body(repo_client):
    slug = SLUGS[0]
    response = repo_client.head(f"/source/{slug}.txt")
    assert response.status_code == 200
    assert response.data == b""
    assert int(response.headers["Content-Length"]) == (SOURCES / f"{slug}.txt").stat().st_size


def test_the_text_links_to_its_reading_view(repo_client):
    slug = SLUGS[0]
    links = parse_links(repo_client.get(f"/source/{slug}.txt").headers.get("Link"))
    assert any(link["url"].endswith(f"/page/article/{slug}") and link.get("type") == "text/html"
               for link in links), links


@pytest.mark.parametrize(("accept", "media"), [(BROWSER, "text/html"),
                                               ("text/plain", "text/plain"),
                                               ("application/json", "application/json")])
def test_an_unknown_text_is_a_negotiated_404(repo_client, accept, media):
    response = repo_client.get("/source/no-such-article.txt", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.mimetype == media
    assert b"no-such-article" in response.data


@pytest.mark.parametrize("path", ["/source/Grand-Paris.txt", "/source/../pyproject.toml",
                                  "/source/pce-makers-grand-paris-russie.sentences.tsv",
                                  "/source/pce-makers-grand-paris-russie"])
def test_only_slugs_name_texts(repo_client, path):
    assert repo_client.get(path).status_code == 404
