"""The generated rules behind Debian's Apache (``.htaccess``) and Caddy (``Caddyfile``):
the core of DESIGN §3.

They carry less than nginx's (see ``server.web.export.apache`` and ``caddy``); what they
carry must answer as live.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.live, pytest.mark.slow]


@pytest.fixture(params=["apache", "caddy"])
def server_url(request):
    return request.getfixturevalue(f"{request.param}_url")

RESOURCE = "/id/organization/cci-paris-ile-de-france"
DATA = "/data/organization/cci-paris-ile-de-france"
PAGE = "/page/organization/cci-paris-ile-de-france"


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "*/*",
                                    "application/ld+json;q=0.5, text/turtle;q=0.4",
                                    ("text/html,application/xhtml+xml,application/xml;q=0.9,"
                                    "*/*;q=0.8"), "image/png"])
def test_303_by_accept(server_url, export_live_url, accept):
    ours = requests.get(server_url + RESOURCE, headers={"Accept": accept},
                        allow_redirects=False)
    live = requests.get(export_live_url + RESOURCE, headers={"Accept": accept},
                        allow_redirects=False)
    assert ours.status_code == live.status_code
    assert ours.headers.get("Location") == live.headers.get("Location")
    assert "Accept" in ours.headers["Vary"]


@pytest.mark.parametrize("url,headers", [
    (DATA, {"Accept": "application/ld+json"}),
    (DATA, {"Accept": "application/n-triples;q=0.9, text/turtle;q=0.5"}),
    (DATA + ".rdf", {}),
    (PAGE, {"Accept-Language": "fr"}),
    (PAGE + "?lang=fr", {}),
    ("/dataset", {"Accept": "text/turtle"}),
    ("/", {"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}),
])
def test_the_live_bytes(server_url, export_live_url, url, headers):
    ours = requests.get(server_url + url, headers=headers)
    live = requests.get(export_live_url + url, headers=headers)
    assert ours.status_code == live.status_code == 200
    assert ours.headers["Content-Type"] == live.headers["Content-Type"]
    assert ours.content == live.content


@pytest.mark.parametrize("url,accept,status", [
    ("/id/person/nobody-at-all", "text/turtle", 404),
    ("/page/person/nobody-at-all", "text/html", 404),
    (DATA, "image/png", 406),
    (PAGE, "application/json", 406),
])
def test_404_and_406(server_url, url, accept, status):
    assert requests.get(server_url + url, headers={"Accept": accept},
                        allow_redirects=False).status_code == status


def test_etag_and_304(server_url):
    first = requests.get(server_url + DATA + ".ttl")
    again = requests.get(server_url + DATA + ".ttl",
                         headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
