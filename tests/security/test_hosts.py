"""The Host header (``server.web.hosts``): malformed hosts get 400, and without a public URL only
allowed hosts reach the absolute URLs of redirects, the sitemap, robots.txt and VoID."""

from __future__ import annotations

import pytest

from server import create_app
from server.web.hosts import well_formed

ROUTES = ("/", "/robots.txt", "/sitemap.xml", "/dataset.ttl", "/id/person/andrei-tchibis")
MALFORMED = ("a..b", "", ".", "-a.example", "a-.example", "ex ample", "a" * 64 + ".example",
             "example.org:0", "example.org:99999", "example.org:8o", "[::1", "[nonsense]:80",
             "évil.example", "a_b.example", "host/path", "user@host")


# Werkzeug's test client cannot send a port out of range (its cookie jar parses the URL);
# tests/live/test_hardening.py sends it on a socket.
@pytest.mark.parametrize("host", [h for h in MALFORMED if h != "example.org:99999"])
def test_a_malformed_host_is_refused_on_every_route(client, host):
    for path in ROUTES:
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert "Location" not in response.headers


@pytest.mark.parametrize("host", ("localhost", "127.0.0.1:8080", "[::1]:80", "Data.Example.ORG.",
                                  "xn--bcher-kva.example", "192.0.2.7"))
def test_well_formed_hosts(host):
    assert well_formed(host)


@pytest.mark.parametrize("host", MALFORMED)
def test_malformed_hosts(host):
    assert not well_formed(host)


def test_a_spoofed_host_reaches_no_absolute_url(client):
    for path in ROUTES:
        response = client.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
        assert response.status_code == 400, path
        assert b"evil.example/" not in response.data
        assert "evil" not in response.headers.get("Location", "")


@pytest.fixture
def client_with(repo_snapshot):
    """A test client of an app made with the given settings."""
    made = []

    def make(**settings):
        made.append(create_app({"TESTING": True, **settings}, snapshot=repo_snapshot))
        return made[-1].test_client()

    yield make
    for app in made:
        app.extensions["sparql"].close()


def test_an_allowed_host_is_used_in_absolute_urls(client_with):
    client = client_with(allowed_hosts="data.example.org, mirror.example")
    robots = client.get("/robots.txt", headers={"Host": "mirror.example:8080"})
    assert "Sitemap: http://mirror.example:8080/sitemap.xml" in robots.get_data(as_text=True)
    assert client.get("/robots.txt", headers={"Host": "evil.example"}).status_code == 400


def test_with_a_public_url_any_well_formed_host_is_served_but_never_echoed(client_with):
    client = client_with(public_url="https://data.example.org")
    robots = client.get("/robots.txt", headers={"Host": "evil.example"})
    assert robots.status_code == 200
    assert "Sitemap: https://data.example.org/sitemap.xml" in robots.get_data(as_text=True)
    assert client.get("/robots.txt", headers={"Host": "a..b"}).status_code == 400
