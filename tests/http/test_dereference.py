"""``/id/…`` answers 303 See Other to the representation chosen for the client
("Cool URIs for the Semantic Web" §4.3): the page for browsers, data for the others."""

from __future__ import annotations

import re

import pytest
from header_tokens import assert_varies_on
from http_helpers import ADA, BROWSER, RDFLIB, TINY, parse_links

PAGE = "http://localhost/page/person/ada-lovelace"
DATA = "http://localhost/data/person/ada-lovelace."


@pytest.mark.parametrize(("accept", "location"), [
    (None, DATA + "ttl"),
    ("*/*", DATA + "ttl"),
    ("text/html", PAGE),
    ("application/xhtml+xml", PAGE),
    (BROWSER, PAGE),
    ("text/turtle", DATA + "ttl"),
    ("application/x-turtle", DATA + "ttl"),
    ("application/ld+json", DATA + "jsonld"),
    ("application/json", DATA + "jsonld"),
    ("application/n-triples", DATA + "nt"),
    ("text/plain", DATA + "nt"),
    ("application/rdf+xml", DATA + "rdf"),
    ("application/xml", DATA + "rdf"),
    ("application/trig", DATA + "trig"),
    ("application/n-quads", DATA + "nq"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", DATA + "jsonld"),
    ("text/html;q=0.1, text/turtle;q=0.2", DATA + "ttl"),
    ("text/html;q=0, */*", DATA + "ttl"),
    ("text/*", DATA + "ttl"),
    ("image/png, */*;q=0.01", DATA + "ttl"),
    ("text/turtle; charset=utf-8", DATA + "ttl"),
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', DATA + "jsonld"),
    (RDFLIB, DATA + "ttl"),
    ("garbage;;;,,", DATA + "ttl"),
])
def test_accept_header_chooses_the_303_target(client, accept, location):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/id/person/ada-lovelace", headers=headers)
    assert response.status_code == 303, accept
    assert response.headers["Location"] == location, accept
    assert_varies_on(response, "Accept")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("query", "location"), [
    ("format=jsonld", DATA + "jsonld"),
    ("format=html", PAGE),
    ("format=nq", DATA + "nq"),
    ("format=application/rdf%2Bxml", DATA + "rdf"),
])
def test_format_parameter_overrides_accept(client, query, location):
    response = client.get(f"/id/person/ada-lovelace?{query}", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"] == location


def test_the_303_lists_every_representation_and_the_thing_it_is_about(client):
    response = client.get("/id/person/ada-lovelace", headers={"Accept": "text/turtle"})
    links = parse_links(response.headers["Link"])
    types = {link.get("type") for link in links if link["rel"] == "alternate"}
    assert types == {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                     "application/rdf+xml", "application/trig", "application/n-quads"}
    assert {"url": ADA, "rel": "describes"} in links
    assert response.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize("path", ["/page/person/ada-lovelace",
                                  "/page/person/ada-lovelace/values?p=schema:name"])
def test_the_page_links_to_every_format_and_the_thing_it_is_about(client, path):
    """A harvester that lands on the HTML page (or the full list of one of its values)
    finds, in its ``Link`` header, the resource's data in every format at its own URL,
    its page, and the IRI it is about (besides this page in each language, ``hreflang``)."""
    from server.domain.formats import RDF_FORMATS

    links = parse_links(client.get(path).headers["Link"])
    formats = {(link["url"], link.get("type")) for link in links
               if link["rel"] == "alternate" and "hreflang" not in link}
    data = "http://localhost/data/person/ada-lovelace"
    assert formats == {("http://localhost/page/person/ada-lovelace", "text/html"),
                       *((f"{data}.{fmt.name}", fmt.media_type) for fmt in RDF_FORMATS)}, formats
    assert {"url": ADA, "rel": "describes"} in links


def test_a_303_is_cacheable_only_per_accept_header_and_head_works(client):
    head = client.head("/id/person/ada-lovelace", headers={"Accept": "text/html"})
    assert head.status_code == 303 and head.data == b""
    assert head.headers["Location"] == PAGE
    assert_varies_on(head, "Accept")


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_a_303_says_where_it_points_and_is_cached_as_long_as_its_target(client, accept):
    """RFC 9110 §15.4.4: a short note with the new URL; a cache keeps the redirect as long
    as the representation it leads to."""
    response = client.get("/id/person/ada-lovelace", headers={"Accept": accept})
    target = client.get(response.headers["Location"], headers={"Accept": accept})
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).strip() == f"See Other: {response.headers['Location']}"
    assert response.cache_control.public and target.cache_control.public
    assert response.cache_control.max_age == target.cache_control.max_age, accept


# RFC 8288 §3: link-value *( "," link-value ), each "<" URI-Reference ">" *( ";" link-param )
LINK_VALUE = r'<[^<>\s]*>(?:; [a-z]+="[^"]*")+'
LINK_HEADER = re.compile(rf"{LINK_VALUE}(?:, {LINK_VALUE})*")


@pytest.mark.parametrize(("path", "accept"), [
    ("/id/person/ada-lovelace", "text/turtle"), ("/page/person/ada-lovelace", "text/html"),
    ("/data/person/ada-lovelace.ttl", "*/*"),
])
def test_link_headers_are_well_formed_and_pages_name_their_languages(client, path, accept):
    value = client.get(path, headers={"Accept": accept}).headers["Link"]
    assert LINK_HEADER.fullmatch(value), f"{path}: malformed Link header {value!r}"
    if path.startswith("/page/"):
        assert {link.get("hreflang") for link in parse_links(value)} >= {"en", "fr"}, value


@pytest.mark.parametrize("accept", ["image/png", "text/html;q=0", "application/pdf, text/csv"])
def test_nothing_acceptable_is_406_listing_what_we_can_produce(client, accept):
    response = client.get("/id/person/ada-lovelace", headers={"Accept": accept})
    assert response.status_code == 406
    text = client.get("/id/person/ada-lovelace",
                      headers={"Accept": accept + ", text/plain;q=0.001"})
    # the error body itself is plain text when the client names nothing we produce as data
    assert "406" in response.get_data(as_text=True)
    for media in ("text/turtle", "application/ld+json", "application/n-triples", "text/html"):
        assert media in response.get_data(as_text=True)
    assert_varies_on(response, "Accept")
    assert text.status_code in (303, 406)


@pytest.mark.parametrize("path", [
    "/id/person/nobody",
    "/id/person/Ada-Lovelace",
    "/id/unicorn/ada-lovelace",
    "/id/person/ada-lovelace/",
    "/id/person/",
])
def test_unknown_resources_are_404(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert_varies_on(response, "Accept")


def test_the_page_offers_each_format_at_its_own_url_which_serves_that_format(client):
    """A reader who clicks "Turtle" or "JSON-LD" on a page (or a crawler following the
    page's ``<link rel="alternate">``) gets that format, whatever its browser accepts."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/page/person/ada-lovelace").data, "html.parser")
    for where, links in (("the list of formats", page.select("section.formats a[type]")),
                         ("the head", page.select('link[rel="alternate"][type]'))):
        offered = {link["type"]: link["href"] for link in links}
        assert len(offered) >= 6, f"{where} offers only {sorted(offered)}"
        for media, href in offered.items():
            response = client.get(href, headers={"Accept": "text/html"})
            assert response.status_code == 200, f"{where}: {href} answers {response.status_code}"
            assert response.mimetype == media, (
                f"{where}: the {media} link {href} serves {response.mimetype} to a browser")


def test_the_page_names_a_url_for_each_language_which_serves_the_page_in_it(client):
    """Search engines and readers follow ``<link rel="alternate" hreflang>`` to the page
    in their language: each must lead to the page in that language, not the same page."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/page/person/ada-lovelace").data, "html.parser")
    alternates = {link["hreflang"]: link["href"]
                  for link in page.select('link[rel="alternate"][hreflang]')}
    assert set(alternates) >= {"en", "fr"}, alternates
    assert len(set(alternates.values())) == len(alternates), (
        f"two languages share one URL: {alternates}")
    for code, href in alternates.items():
        served = BeautifulSoup(client.get(href).data, "html.parser")
        assert served.html.get("lang") == code, (
            f"the {code} alternate {href} serves a page in {served.html.get('lang')}")


@pytest.mark.parametrize("inverse", ["1", "true", "yes"])
def test_the_full_list_of_incoming_links_lists_what_links_here(client, inverse):
    """"Show all" under an incoming row ("Positions held") asks for ``inverse``: the
    resources that link to this one with the property. Ada states no ``org:member``; the
    membership states ``org:member`` Ada, so the two lists differ."""
    from bs4 import BeautifulSoup

    def listed(query: str) -> tuple[str, list[str]]:
        response = client.get(f"/page/person/ada-lovelace/values?p=org:member{query}")
        assert response.status_code == 200, f"{query or 'forward'}: {response.status_code}"
        page = BeautifulSoup(response.data, "html.parser")
        return (page.h1.get_text(strip=True),
                [a["href"] for a in page.select("ol.values > li > a:not(.mark)")])

    title, linking = listed(f"&inverse={inverse}")
    assert linking == ["http://localhost/id/role/ada-lovelace-member"], (
        f"inverse={inverse} lists {linking}, not the membership that names Ada as its member")
    assert title == "Positions held", f"inverse={inverse} is titled {title!r}"
    title, values = listed("")
    assert (title, values) == ("All values of “member”", []), (
        f"without inverse, Ada's own org:member values: {title!r}, {values}")
    title, _ = listed(f"&inverse={inverse}&lang=fr")
    assert title == "Fonctions occupées", f"in French, inverse={inverse} is titled {title!r}"


def test_the_incoming_list_pages_on_past_the_end_of_the_forward_one(tiny_copy):
    """Sixty more memberships name Ada as their member: the incoming list has two pages
    while Ada's own ``org:member`` list is empty. Its second page lists the rest, and a
    page past its end is not found, each judged on the incoming list, not the forward one."""
    from bs4 import BeautifulSoup

    from tests.conftest import dataset_config, make_app

    org = "http://www.w3.org/ns/org#"
    (tiny_copy / "data" / "gamma.ttl").write_text("".join(
        f"<{TINY}id/role/m{n:02}> a <{org}Membership> ; <{org}member> <{ADA}> ;"
        f" <{org}organization> <{TINY}id/organization/analytical-society> .\n"
        for n in range(60)))
    client = make_app(dataset_config(tiny_copy, TINY)).test_client()
    url = "/page/person/ada-lovelace/values?p=org:member&inverse=1"
    first, second = (client.get(f"{url}&page={n}") for n in (1, 2))
    assert (first.status_code, second.status_code) == (200, 200), (
        f"the incoming list's pages answer {first.status_code} and {second.status_code}")
    listed = [a["href"] for response in (first, second) for a in
              BeautifulSoup(response.data, "html.parser").select("ol.values > li > a:not(.mark)")]
    assert len(listed) == len(set(listed)) == 61, f"the two pages list {len(listed)} links"
    assert client.get(f"{url}&page=3").status_code == 404


def test_two_properties_that_read_the_same_name_their_vocabularies(repo_client):
    """A person in a membership is "member of" in schema.org and in the W3C Organization
    Ontology: the page names each row's vocabulary (from the dataset's prefixes), so a
    reader can tell the two rows apart."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(repo_client.get("/page/person/alexandre-missoffe",
                                         headers={"Accept-Language": "en"}).data, "html.parser")
    titles = {row.dt.a["title"]: row.dt.get_text(strip=True)
              for row in page.select(".row") if row.dt.a is not None}
    schema, org = (titles.get("http://schema.org/memberOf"),
                   titles.get("http://www.w3.org/ns/org#memberOf"))
    assert (schema, org) == ("member of (schema.org)", "member of (W3C Organization Ontology)"), (
        f"schema:memberOf reads {schema!r}, org:memberOf {org!r}")
    read = sorted(titles.values())
    assert len(set(read)) == len(read), f"two rows read the same: {read}"
