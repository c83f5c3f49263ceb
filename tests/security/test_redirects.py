"""No open redirect: whatever a client puts in the URL, a redirect stays on this server.

The ``/id`` 303s, Werkzeug's slash redirects and every route given ``?next=`` and friends
are followed to where their ``Location`` points: always this server's own address (the
configured public URL, or the host the client itself asked for), never a host named in
the request's path or query.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest

from server import create_app

EVIL = ("https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "http:evil.example",
        "https:/evil.example", "\\\\evil.example")
REDIRECT_PARAMETERS = ("next", "url", "redirect", "redirect_uri", "return_to", "continue",
                       "target", "dest", "go", "callback", "format", "lang")
SAMPLES = {"kind": "person", "slug": "andrei-tchibis", "ext": "ttl", "name": "dataset",
           "number": "1", "filename": "style.css"}


def concrete(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES.get(m[1], "x"), rule)


def assert_stays_here(response, request_url: str, here: str = "localhost") -> None:
    if 300 <= response.status_code < 400:
        target = urljoin(request_url, response.headers["Location"])
        assert urlsplit(target).hostname == here, (request_url, response.headers["Location"])


@pytest.fixture
def paths(app) -> list[str]:
    return sorted({concrete(rule.rule) for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods})


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "*/*"])
def test_redirect_parameters_never_lead_elsewhere(client, paths, accept):
    for path in paths:
        for evil in EVIL:
            query = "&".join(f"{name}={quote(evil, safe='')}" for name in REDIRECT_PARAMETERS)
            url = f"http://localhost{path}?{query}"
            with client.get(url, headers={"Accept": accept}) as response:
                assert response.status_code < 500, url
                assert_stays_here(response, url)


@pytest.mark.parametrize("path", [
    "//evil.example/", "//evil.example/id/person/andrei-tchibis", "/\\evil.example/",
    "/%2F%2Fevil.example/", "/%5Cevil.example", "/id/person/andrei-tchibis/",
    "/page//person/andrei-tchibis", "/sparql//", "/browse/person/", "/static//style.css",
    "/.well-known//void", "/id/person/andrei-tchibis/..%2F..%2F..%2Fevil.example",
])
def test_odd_paths_redirect_only_here(app, path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost"}
    with app.test_client().get("/", environ_overrides=environ,
                               headers={"Accept": "text/html"}) as response:
        assert response.status_code < 500, path
        assert_stays_here(response, f"http://localhost{path}")


def test_the_303_uses_the_public_url_whatever_the_host_header(repo_snapshot):
    app = create_app({"TESTING": True, "public_url": "https://data.example.org"},
                     snapshot=repo_snapshot)
    try:
        client = app.test_client()
        for host in ("evil.example", "localhost:8080", "evil.example:443"):
            response = client.get("/id/person/andrei-tchibis", headers={
                "Host": host, "Accept": "text/html", "X-Forwarded-Host": "evil.example"})
            assert response.status_code == 303
            assert response.headers["Location"].startswith("https://data.example.org/page/")
            assert "evil" not in response.headers.get("Link", "")
    finally:
        app.extensions["sparql"].close()


def test_without_a_public_url_the_303_points_at_the_allowed_host_the_client_asked(repo_snapshot):
    """Behind no proxy, the server's address is the one the client used, if the operator
    allowed it: a client can only redirect itself, and forwarding headers are not trusted."""
    app = create_app({"TESTING": True, "allowed_hosts": "asked.example"}, snapshot=repo_snapshot)
    client = app.test_client()
    response = client.get("/id/person/andrei-tchibis", headers={
        "Host": "asked.example", "Accept": "text/turtle", "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).hostname == "asked.example"
    assert response.headers["Location"].startswith("http://")
    app.extensions["sparql"].close()
