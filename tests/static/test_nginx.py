"""The static export behind nginx answers as the live server does (DESIGN §3, §9).

Every URL of the export is asked of both, in every format and language it has, and the
bytes must be the same; then the parts of the contract that the rules carry: 303s with
``Vary``, q-values, 404 and 406 as negotiated, ETag and 304, ``Link``, CORS, languages.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urldefrag, urljoin

import pytest
import requests
from bs4 import BeautifulSoup

from server.domain.formats import HTML
from server.runtime.export import SITE_DIR
from server.web.export.accept import COMMON_ACCEPTS
from server.web.export.negotiated import FAMILIES
from server.web.i18n import LANGUAGES

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAMILY = {family.name: family for family in FAMILIES}
RESOURCE = "/id/organization/cci-paris-ile-de-france"
DATA = "/data/organization/cci-paris-ile-de-france"
PAGE = "/page/organization/cci-paris-ile-de-france"
# What a browser sends as it follows a link (Chromium's).
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp," \
          "*/*;q=0.8"
Q_VALUES = (
    "application/ld+json;q=0.5, text/turtle;q=0.4",
    "text/turtle;q=0.2, application/n-triples;q=0.9, */*;q=0.1",
    "application/rdf+xml;q=0.8, application/trig",
    "text/html;q=0.5, application/ld+json;q=0.6",
    "text/turtle;q=0, */*",
    "application/n-quads;q=0.3, text/*;q=0.7",
)


def _requests(exported) -> list[tuple[str, dict[str, str]]]:
    """Every (URL, headers) the export answers with a file: each format and language."""
    asked = []
    for url, family_name in sorted(exported.urls.items()):
        family = FAMILY.get(family_name) if family_name else None
        if family is None:
            for lang in (LANGUAGES if url.partition("?")[0].endswith(".html") else ("en",)):
                asked.append((url, {"Accept-Language": lang}))
        elif not family.redirect:
            for fmt in family.formats:
                for lang in (LANGUAGES if fmt is HTML else ("en",)):
                    asked.append((url, {"Accept": fmt.media_type, "Accept-Language": lang}))
    return asked


def _both(nginx_url, live_url, url, headers, session_pair):
    nginx_session, live_session = session_pair
    return (nginx_session.get(nginx_url + url, headers=headers, allow_redirects=False),
            live_session.get(live_url + url, headers=headers, allow_redirects=False))


def test_every_file_is_the_live_bytes(static_site, nginx_url, export_live_url):
    asked = _requests(static_site.exported)
    pages = sum(1 for _, headers in asked if headers.get("Accept") == HTML.media_type)
    assert pages > 200 and len(asked) > 1000  # the whole site, not a sample

    def compare(item):
        url, headers = item
        with requests.Session() as a, requests.Session() as b:
            ours, live = _both(nginx_url, export_live_url, url, headers, (a, b))
        if live.status_code == 303:  # the home page sends RDF clients to /dataset
            same = ours.status_code == 303 and \
                ours.headers["Location"] == live.headers["Location"]
        elif live.status_code == 406:  # this URL lacks a format of its family
            same = ours.status_code == 406
        else:
            same = (ours.status_code, ours.headers.get("Content-Type"), ours.content) == \
                (live.status_code, live.headers.get("Content-Type"), live.content)
        if not same:
            return f"{url} {headers}: nginx {ours.status_code} {ours.headers.get('Content-Type')}"\
                   f" {len(ours.content)} B, live {live.status_code} " \
                   f"{live.headers.get('Content-Type')} {len(live.content)} B"
        return None

    with ThreadPoolExecutor(4) as pool:
        differences = [d for d in pool.map(compare, asked) if d]
    assert differences == [], f"{len(differences)} of {len(asked)} differ: {differences[:8]}"


def test_every_link_and_form_of_every_page_leads_somewhere_on_the_static_host(static_site,
                                                                            nginx_url):
    """A reader of the static copy follows a page's links and sends its forms, the search
    box among them: none may end on a 404, so a page names no live-only service (search,
    SPARQL) that the export was not given the address of."""
    public = static_site.public_url
    targets: set[str] = set()
    pages = sorted((static_site.directory / SITE_DIR).rglob("*.html"))
    for page in pages:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        # the URLs a page sends a reader to: links, sources and form actions
        references = [element[name] for name in ("href", "src")
                      for element in soup.find_all(attrs={name: True})]
        references += [form["action"] for form in soup.find_all("form", action=True)]
        for reference in references:
            absolute = urldefrag(urljoin(public, reference)).url
            if absolute.startswith(public):
                targets.add("/" + absolute[len(public):])
    assert len(pages) > 200 and "/browse" in targets and "/dataset" in targets

    def status(url: str) -> str | None:
        answer = requests.get(nginx_url + url, headers={"Accept": BROWSER}, timeout=30)
        return None if answer.status_code == 200 else f"{url}: {answer.status_code}"

    with ThreadPoolExecutor(4) as pool:
        broken = sorted(filter(None, pool.map(status, sorted(targets))))
    assert broken == [], f"{len(broken)} of {len(targets)} links lead nowhere: {broken[:10]}"


@pytest.mark.parametrize("accept", [*COMMON_ACCEPTS, *Q_VALUES, ""])
def test_303_as_live_with_vary(nginx_url, export_live_url, accept):
    headers = {"Accept": accept} if accept else {}
    ours = requests.get(nginx_url + RESOURCE, headers=headers, allow_redirects=False)
    live = requests.get(export_live_url + RESOURCE, headers=headers, allow_redirects=False)
    assert ours.status_code == live.status_code
    assert ours.headers.get("Location") == live.headers.get("Location")
    if live.status_code == 303:
        assert "Accept" in ours.headers["Vary"]
        assert ours.headers["Link"] == live.headers["Link"]


@pytest.mark.parametrize("accept", [*Q_VALUES, "application/ld+json", "text/turtle; charset=utf-8",
                                    "application/n-triples, */*;q=0.1"])
@pytest.mark.parametrize("url", [DATA, "/dataset", "/ontology", "/changes", "/"])
def test_q_values_choose_as_live(nginx_url, export_live_url, url, accept):
    ours = requests.get(nginx_url + url, headers={"Accept": accept})
    live = requests.get(export_live_url + url, headers={"Accept": accept})
    assert ours.status_code == live.status_code
    if live.ok:
        assert ours.headers["Content-Type"] == live.headers["Content-Type"]
        assert ours.content == live.content
        assert "Accept" in ours.headers["Vary"]


@pytest.mark.parametrize("url", ["/id/person/nobody-at-all", "/page/person/nobody-at-all",
                                 "/data/person/nobody-at-all", "/no/such/thing"])
@pytest.mark.parametrize("accept", ["text/html", "text/plain", "application/json",
                                    "text/turtle"])
def test_404_negotiated(nginx_url, url, accept):
    response = requests.get(nginx_url + url, headers={"Accept": accept})
    assert response.status_code == 404
    expected = {"text/html": "text/html", "application/json": "application/json"}.get(
        accept, "text/plain")
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("url,accept", [(DATA, "image/png"), (DATA, "text/html"),
                                        (RESOURCE, "image/png"), (PAGE, "application/json"),
                                        ("/dataset", "application/pdf")])
def test_406_lists_the_formats(nginx_url, export_live_url, url, accept):
    ours = requests.get(nginx_url + url, headers={"Accept": accept}, allow_redirects=False)
    live = requests.get(export_live_url + url, headers={"Accept": accept},
                        allow_redirects=False)
    assert live.status_code == ours.status_code == 406
    assert ours.headers["Content-Type"] == live.headers["Content-Type"]
    if not live.headers["Content-Type"].startswith("text/html"):  # a page names its URL
        assert ours.content == live.content


def test_etag_and_304(nginx_url):
    first = requests.get(nginx_url + DATA + ".ttl")
    etag = first.headers["ETag"]
    again = requests.get(nginx_url + DATA + ".ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert first.headers["Last-Modified"] == "Thu, 15 Jan 2026 12:00:00 GMT"


@pytest.mark.parametrize("url", [DATA, DATA + ".jsonld", PAGE, "/dataset", "/ontology.ttl"])
def test_link_and_cors_as_live(nginx_url, export_live_url, url):
    headers = {"Origin": "https://elsewhere.example"}
    ours = requests.get(nginx_url + url, headers=headers)
    live = requests.get(export_live_url + url, headers=headers)
    assert ours.headers["Link"] == live.headers["Link"]
    for name in ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
                 "Content-Security-Policy", "X-Content-Type-Options"):
        assert ours.headers[name] == live.headers[name]


@pytest.mark.parametrize("how", [{"params": {"lang": "fr"}},
                                 {"headers": {"Accept-Language": "fr-CA, en;q=0.5"}},
                                 {"cookies": {"lang": "fr"}},
                                 {"headers": {"Accept-Language": "de, *;q=0.5"}}])
def test_language_chosen_as_live(nginx_url, export_live_url, how):
    ours = requests.get(nginx_url + PAGE, **how)
    live = requests.get(export_live_url + PAGE, **how)
    assert ours.headers["Content-Language"] == live.headers["Content-Language"]
    assert ours.content == live.content
    assert _cookie(ours) == _cookie(live)


def _cookie(response) -> dict | None:
    """The language cookie the switch sets, its attributes but the date (``Max-Age`` rules)."""
    header = response.headers.get("Set-Cookie")
    if header is None:
        return None
    jar = SimpleCookie()
    jar.load(header)
    morsel = jar["lang"]
    return {"value": morsel.value, **{k: v for k, v in morsel.items() if v and k != "expires"}}


def test_head_answers_without_body(nginx_url):
    response = requests.head(nginx_url + PAGE)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
