"""Named graphs dereference: ``/graph/{slug}`` gives the graph's statements in every format
of the registry (TriG and N-Quads keeping its name) and, for browsers, a page saying what
the graph is; the graph IRIs the pages, the dataset page and the sitemap show lead there."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from header_tokens import assert_varies_on
from http_helpers import BROWSER, RDFLIB, TINY, parse_links, rdflib_graph, stored
from jinja2 import StrictUndefined
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from server import create_app
from server.domain import iris
from server.domain.formats import RDF_FORMATS
from server.web.namedgraph import graph_subjects

REPO = "https://w3id.org/grand-paris-russia/"
EXPERTISE = "grand-paris-expertise-exported-to-russia"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# What rdflib's parser is called for each extension of the registry.
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml",
                  "trig": "trig", "nq": "nquads"}


def served(snapshot, base: str) -> list[str]:
    """The slugs of the store's graphs under ``BASE graph/``."""
    slugs = [iris.parse_graph_iri(base, g) for g in snapshot.store.graphs()]
    return sorted(s for s in slugs if s)


def html(client, path: str, language: str = "en") -> BeautifulSoup:
    response = client.get(path, headers={"Accept": BROWSER, "Accept-Language": language})
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


# --- contents


def test_the_fixture_and_the_repository_have_graphs_to_serve(tiny_snapshot, repo_snapshot):
    assert served(tiny_snapshot, TINY) == ["alpha", "beta", "derived"]
    assert {EXPERTISE, "pce-makers-grand-paris-russie", "derived", "roles", "links",
            "dataset"} <= set(served(repo_snapshot, REPO))


def test_every_graph_answers_with_its_statements_in_turtle(repo_client, repo_snapshot):
    for slug in served(repo_snapshot, REPO):
        response = repo_client.get(f"/graph/{slug}", headers={"Accept": "*/*"})
        assert response.status_code == 200, slug
        assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
        assert response.headers["Content-Location"] == f"/graph/{slug}.ttl"
        answered = Graph().parse(data=response.data, format="turtle")
        assert isomorphic(answered, stored(repo_snapshot, iris.graph_iri(REPO, slug))), slug


@pytest.mark.parametrize("slug", ["alpha", "beta", "derived"])
@pytest.mark.parametrize("ext", sorted(RDFLIB_FORMATS))
def test_every_format_carries_the_graph(client, tiny_snapshot, slug, ext):
    iri = iris.graph_iri(TINY, slug)
    response = client.get(f"/graph/{slug}.{ext}")
    assert response.status_code == 200
    fmt = next(f for f in RDF_FORMATS if f.name == ext)
    assert response.mimetype == fmt.media_type
    if fmt.carries_graphs:
        dataset = Dataset().parse(data=response.data, format=RDFLIB_FORMATS[ext])
        names = {str(c.identifier) for c in dataset.graphs() if len(c)}
        assert names == {iri}, "TriG and N-Quads keep the graph name"
        answered = dataset.graph(URIRef(iri))
    else:
        answered = Graph().parse(data=response.data, format=RDFLIB_FORMATS[ext])
    assert isomorphic(answered, stored(tiny_snapshot, iri))


@pytest.mark.parametrize(("path", "accept", "media"), [
    ("/graph/alpha", None, "text/turtle"),
    ("/graph/alpha", "*/*", "text/turtle"),
    ("/graph/alpha", BROWSER, "text/html"),
    ("/graph/alpha", RDFLIB, "text/turtle"),
    ("/graph/alpha", "application/n-quads", "application/n-quads"),
    ("/graph/alpha", "application/trig;q=0.5, application/ld+json", "application/ld+json"),
    ("/graph/alpha?format=nq", BROWSER, "application/n-quads"),
    ("/graph/alpha?format=turtle", "application/ld+json", "text/turtle"),
    ("/graph/alpha.nt", "text/turtle", "application/n-triples"),
    ("/graph/alpha.trig?format=nq", "text/turtle", "application/trig"),
    ("/graph/alpha.html", "text/turtle", "text/html"),
])
def test_the_extension_wins_then_format_then_accept(client, path, accept, media):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media
    assert_varies_on(response, "Accept")


# --- what every representation carries


@pytest.mark.parametrize("path", ["/graph/alpha", "/graph/alpha.nq", "/graph/derived"])
@pytest.mark.parametrize("accept", ["text/turtle", BROWSER])
def test_etag_304_vary_links_and_cors(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    slug = path.removeprefix("/graph/").split(".")[0]
    links = {(link["url"], link.get("type")) for link in parse_links(response.headers["Link"])
             if link["rel"] == "alternate"}
    assert {(f"http://localhost/graph/{slug}.{f.name}", f.media_type) for f in RDF_FORMATS} <= links
    assert (f"http://localhost/graph/{slug}.html", "text/html") in links
    again = client.get(path, headers={"Accept": accept, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == response.headers["ETag"]


def test_each_format_and_language_has_its_own_etag(client):
    tags = {client.get("/graph/alpha", headers={"Accept": accept, "Accept-Language": lang}
                       ).headers["ETag"]
            for accept, lang in (("text/turtle", "en"), ("application/trig", "en"),
                                 (BROWSER, "en"), (BROWSER, "fr"))}
    assert len(tags) == 4
    page = client.get("/graph/alpha", headers={"Accept": BROWSER})
    assert_varies_on(page, "Accept-Language")


def test_head_has_the_headers_and_no_body(client):
    response = client.head("/graph/beta.ttl")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"


# --- errors


@pytest.mark.parametrize(("accept", "media", "marker"), [
    ("text/html", "text/html", "<h1>404 Not Found</h1>"),
    ("application/json", "application/json", '"status": 404'),
    (None, "text/plain", "404 Not Found"),
])
@pytest.mark.parametrize("path", ["/graph/nowhere", "/graph/nowhere.ttl", "/graph/ontology",
                                  "/graph/Alpha", "/graph/alpha/x"])
def test_an_unknown_graph_is_a_negotiated_404(client, path, accept, media, marker):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert response.mimetype == media
    assert marker in response.get_data(as_text=True)
    assert_varies_on(response, "Accept")


@pytest.mark.parametrize(("path", "accept"), [
    ("/graph/alpha", "image/png"),
    ("/graph/alpha.docx", "text/turtle"),
    ("/graph/alpha?format=pdf", "text/turtle"),
])
def test_a_format_we_cannot_produce_is_406_listing_ours(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    assert all(f"{f.media_type} (.{f.name})" in text for f in RDF_FORMATS)
    assert "text/html (.html)" in text


@pytest.mark.parametrize("accept", [BROWSER, "text/turtle"])
@pytest.mark.parametrize(("query", "status"), [("?page=0", 400), ("?page=x", 400),
                                                ("?page=2", 404)])
def test_a_bad_or_missing_page_is_a_clean_error(client, query, status, accept):
    assert client.get("/graph/alpha" + query, headers={"Accept": accept}).status_code == status


@pytest.mark.parametrize("page", [1, 2])
def test_a_page_of_the_listing_in_rdf_is_what_the_graph_states_of_the_resources_it_lists(
        repo_client, repo_snapshot, page):
    """A crawler following the listing's pages with an RDF ``Accept`` gets each page's
    share of the graph, not the whole graph once a page."""
    iri = iris.graph_iri(REPO, EXPERTISE)
    listed = set(graph_subjects(repo_snapshot, iri)[(page - 1) * 50:page * 50])
    assert len(listed) > 1
    response = repo_client.get(f"/graph/{EXPERTISE}?page={page}",
                               headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    answered = Dataset().parse(data=response.data, format="nquads")
    assert {str(c.identifier) for c in answered.graphs() if len(c)} == {iri}
    expected = rdflib_graph(q for q in repo_snapshot.store.quads(graphs=[iri])
                            if q.subject.value in listed)
    assert isomorphic(answered.graph(URIRef(iri)), expected)
    assert {str(s) for s in expected.subjects()} == listed  # each listed resource is there


def test_the_pages_of_the_listing_link_each_other_in_every_format(repo_client):
    pages = {n: f"http://localhost/graph/{EXPERTISE}?page={n}" for n in (1, 2)}
    for accept in (BROWSER, "text/turtle", "application/ld+json"):
        for number, others in ((1, {"next": pages[2]}), (2, {"prev": pages[1]})):
            response = repo_client.get(pages[number], headers={"Accept": accept})
            assert response.status_code == 200, (accept, number)
            paging = {link["rel"]: link["url"] for link in parse_links(response.headers["Link"])
                      if link["rel"] in ("prev", "next")}
            assert paging == others, (accept, number)
    whole = repo_client.get(f"/graph/{EXPERTISE}", headers={"Accept": "text/turtle"})
    assert not {link["rel"] for link in parse_links(whole.headers["Link"])} & {"prev", "next"}


# --- the page


def test_a_source_graph_page_names_its_article_and_its_kind(repo_client, repo_snapshot):
    iri = iris.graph_iri(REPO, EXPERTISE)
    soup = html(repo_client, f"/graph/{EXPERTISE}", "fr")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True).startswith("Faits affirmés par l’article")
    assert "Graphe source" in [b.get_text(strip=True) for b in soup.select("ul.badges .badge")]
    kind = soup.select_one("p.kind")
    assert "Graphe source" in kind.get_text()
    assert kind.a["href"] == f"http://localhost/id/article/{EXPERTISE}"
    assert repo_client.get(kind.a["href"]).status_code == 303
    assert soup.select_one("code").get_text() == iri
    count = f"{repo_snapshot.stats.graphs[iri]} triplet(s)"
    assert count in soup.select_one("p.count").get_text()


@pytest.mark.parametrize(("slug", "kind", "badge"), [
    ("derived", "Derived graph: what the rules infer", "Derived graph"),
    ("links", "Curated graph", "Curated graph"),
    ("roles", "Curated graph", "Curated graph"),
])
def test_derived_and_curated_graphs_say_what_they_are(repo_client, slug, kind, badge):
    soup = html(repo_client, f"/graph/{slug}")
    assert soup.select_one("p.kind").get_text().startswith(kind)
    assert badge in [b.get_text(strip=True) for b in soup.select("ul.badges .badge")]


def test_a_graph_the_data_does_not_describe_still_has_a_page(client, tiny_snapshot):
    soup = html(client, "/graph/beta")
    assert soup.h1.get_text(strip=True) == "beta"
    assert soup.select_one("p.kind").get_text().startswith("Curated graph")
    assert not soup.select('script[type="application/ld+json"]')
    listed = [a["href"] for a in soup.select("section.subjects ol a")]
    assert listed == ["http://localhost/id/" + s[len(f"{TINY}id/"):]
                      for s in graph_subjects(tiny_snapshot, f"{TINY}graph/beta")]
    assert "Charles Babbage" in soup.select_one("section.subjects").get_text()


def test_the_resources_are_listed_a_page_at_a_time(repo_client, repo_snapshot):
    subjects = graph_subjects(repo_snapshot, iris.graph_iri(REPO, EXPERTISE))
    assert len(subjects) > 50, "the source graph needs more than one page for this test"
    first = html(repo_client, f"/graph/{EXPERTISE}")
    assert len(first.select("section.subjects ol li")) == 50
    next_page = first.select_one("nav.pager a[rel=next]")["href"]
    assert next_page == f"/graph/{EXPERTISE}?page=2"
    second = html(repo_client, next_page)
    assert second.select_one("section.subjects ol")["start"] == "51"
    assert second.select_one("nav.pager a[rel=prev]")
    found = [a["href"] for soup in (first, second) for a in soup.select("section.subjects ol a")]
    assert len(found) == len(subjects) == len(set(found))
    assert repo_client.get(f"/graph/{EXPERTISE}?page=3", headers={"Accept": BROWSER}
                           ).status_code == 404


def test_the_page_links_every_format_and_embeds_its_metadata(repo_client):
    soup = html(repo_client, "/graph/derived")
    hrefs = {a["type"]: a["href"] for a in soup.select("section.formats a")}
    assert hrefs == {f.media_type: f"/graph/derived.{f.name}" for f in RDF_FORMATS}
    for href in hrefs.values():
        assert repo_client.get(href).status_code == 200
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    text = str(scripts[0].string)
    assert json.loads(text)
    metadata = Graph().parse(data=text, format="json-ld")
    me = URIRef(iris.graph_iri(REPO, "derived"))
    assert (me, None, URIRef(f"{REPO}ontology#DerivedGraph")) in metadata


def test_the_language_switch_keeps_the_page(repo_client):
    soup = html(repo_client, "/graph/derived?lang=fr&page=1", "en")
    assert soup.h1.get_text(strip=True) == "Faits déduits"
    switch = {a["hreflang"]: a["href"] for a in soup.select("nav.languages a")}
    assert switch == {"en": "/graph/derived?page=1&lang=en", "fr": "/graph/derived?page=1&lang=fr"}


# --- links that lead here


def test_provenance_footnotes_link_to_the_graph_pages(repo_client):
    soup = html(repo_client, "/page/person/andrei-tchibis")
    graphs = {a["href"] for a in soup.select("section.sources li a.graph")}
    assert f"http://localhost/graph/{EXPERTISE}" in graphs
    assert "http://localhost/graph/derived" in graphs
    for href in graphs:
        assert repo_client.get(href, headers={"Accept": BROWSER}).status_code == 200, href


def test_the_article_page_links_the_graph_derived_from_it(repo_client):
    soup = html(repo_client, f"/page/article/{EXPERTISE}")
    assert soup.select(f'main dd a[href="http://localhost/graph/{EXPERTISE}"]')


def test_the_dataset_page_links_every_graph_page(repo_client, repo_snapshot):
    soup = html(repo_client, "/dataset")
    linked = {a["href"] for a in soup.select("table.partitions a")}
    assert {f"http://localhost/graph/{slug}" for slug in served(repo_snapshot, REPO)} <= linked


def test_graph_links_follow_the_public_url(repo_snapshot):
    app = create_app({"public_url": "https://data.example.net/", "TESTING": True},
                     snapshot=repo_snapshot)
    app.jinja_env.undefined = StrictUndefined
    client = app.test_client()
    soup = html(client, "/page/person/andrei-tchibis")
    hrefs = {a["href"] for a in soup.select("section.sources li a.graph")}
    assert "https://data.example.net/graph/derived" in hrefs
    links = parse_links(client.get("/graph/derived").headers["Link"])
    assert all(link["url"].startswith("https://data.example.net/graph/derived.") for link in links)


def test_the_sitemap_lists_every_graph_page(repo_client, repo_snapshot):
    response = repo_client.get("/sitemap.xml")
    locations = {e.text for e in ET.fromstring(response.data).iter(f"{SITEMAP}loc")}
    graphs = {loc for loc in locations if loc.startswith("http://localhost/graph/")}
    assert graphs == {f"http://localhost/graph/{slug}" for slug in served(repo_snapshot, REPO)}


# --- graphs a TriG file names


TRIG = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/tiny/graph/notes> { <https://example.org/tiny/id/person/ada-lovelace> rdfs:comment "noted" . }
<https://example.org/tiny/graph/Odd_Notes> { <https://example.org/tiny/id/person/ada-lovelace> rdfs:comment "odd" . }
<https://elsewhere.example/graph/notes> { <https://example.org/tiny/id/person/ada-lovelace> rdfs:comment "elsewhere" . }
"""


def test_only_graphs_under_base_graph_with_a_slug_are_served(tiny_copy, tiny_config):
    (tiny_copy / "data" / "notes.trig").write_text(TRIG)
    config = {**tiny_config, **{k: str(tiny_copy / k.removesuffix("_dir"))
                                for k in ("data_dir", "ontology_dir", "shapes_dir")}}
    app = create_app({**config, "TESTING": True})
    app.jinja_env.undefined = StrictUndefined
    client = app.test_client()
    response = client.get("/graph/notes.nq")
    assert response.status_code == 200
    assert b'"noted"' in response.data and b"odd" not in response.data
    locations = {e.text for e in ET.fromstring(client.get("/sitemap.xml").data).iter(f"{SITEMAP}loc")}
    assert {loc for loc in locations if "/graph/" in loc} == {
        f"http://localhost/graph/{slug}" for slug in ("alpha", "beta", "derived", "notes")}
    legend = html(client, "/page/person/ada-lovelace").select("section.sources li")
    graph_links = {a["href"] for li in legend for a in li.select("a.graph")}
    assert graph_links == {f"http://localhost/graph/{slug}" for slug in ("alpha", "beta", "derived", "notes")}
    unlinked = {li.select_one("span:not(.mark):not(.role)").get_text()
                for li in legend if not li.select("a")}
    assert unlinked == {"notes", "Odd Notes"}, "the other two graphs are named, not linked"


# --- a real client on a real socket


@pytest.mark.live
@pytest.mark.parametrize("slug", [EXPERTISE, "derived"])
def test_rdflib_dereferences_a_graph_iri_over_http(live_url, repo_snapshot, slug):
    iri = iris.graph_iri(REPO, slug)
    graph = Graph().parse(f"{live_url}/graph/{slug}")
    assert isomorphic(graph, stored(repo_snapshot, iri))
    dataset = Dataset().parse(f"{live_url}/graph/{slug}.trig", format="trig")
    assert {str(c.identifier) for c in dataset.graphs() if len(c)} == {iri}


@pytest.mark.parametrize("number", ["0", "100001", "99999999999999999999", "\u0661", "1.0"])
def test_a_page_number_the_document_does_not_allow_is_400_in_every_format(client, number):
    """``docs/openapi.yaml``: ``page`` is an integer from 1 to 100000, on the graph's data
    as on its page (and a digit of another script is no number here)."""
    for path in ("/graph/alpha", "/graph/alpha.nt", "/graph/alpha.html", "/browse"):
        assert client.get(path, query_string={"page": number}).status_code == 400, path
