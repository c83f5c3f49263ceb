"""``GET /sparql`` without a query: the service description for RDF clients, the query
page for browsers; and the query page's results table."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from server.domain import formats
from server.web.views.sparql import NODE_MODULES

from .conftest import ADA, TINY

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(("accept", "parser"), [
    (None, "turtle"), ("*/*", "turtle"), ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"), ("application/trig", "trig"),
])
def test_the_service_description(client, accept, parser):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and "Accept" in response.vary
    graph = Graph().parse(data=response.data, format=parser)
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.feature, SD.BasicFederatedQuery) not in graph
    advertised = {str(o) for o in graph.objects(service, SD.resultFormat)}
    registry = {formats.format_iri(f) for f in (*formats.RESULT_FORMATS, *formats.RDF_FORMATS)}
    assert advertised == registry
    dataset = graph.value(service, SD.defaultDataset)
    assert dataset == URIRef(f"{TINY}dataset")
    assert (dataset, VOID.sparqlEndpoint, service) in graph
    named = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
    assert URIRef(f"{TINY}graph/alpha") in named and URIRef(f"{TINY}graph/derived") in named
    assert any(str(o).endswith("/dataset") for o in graph.objects(dataset, None)
               if isinstance(o, URIRef) and str(o).startswith("http://localhost"))


def test_federation_is_advertised_only_when_allowed(app_with):
    response = app_with(service_hosts="query.example.org").test_client().get(
        "/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("http://localhost/sparql"), SD.feature, SD.BasicFederatedQuery) in graph


def test_the_description_uses_the_public_url(app_with):
    response = app_with(public_url="https://data.example.org").test_client().get("/sparql")
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("https://data.example.org/sparql"), RDF.type, SD.Service) in graph


def page(response) -> BeautifulSoup:
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


def test_browsers_get_the_query_page(client, tiny_snapshot):
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    soup = page(response)
    editor = soup.find("textarea", id="query")
    for name, iri in tiny_snapshot.prefixes.items():
        assert f"PREFIX {name}:" in editor.text and f"<{iri}>" in editor.text
    examples = {a.text: a["href"] for a in soup.select("a.example")}
    assert "Who are the people, and what are they called?" in examples
    assert "Which organisation is each member part of?" in examples


def test_an_example_runs_and_links_our_iris_to_our_pages(client):
    soup = page(client.get("/sparql", headers={"Accept": BROWSER}))
    href = next(a["href"] for a in soup.select("a.example") if "people" in a.text)
    results = page(client.get(href, headers={"Accept": BROWSER}))
    table = results.find("table", class_="results-table")
    assert [th.text for th in table.select("thead th")] == ["person", "name"]
    links = {a["href"] for a in table.select("tbody a")}
    assert "http://localhost/id/person/ada-lovelace" in links  # local_href of our IRI
    assert any(td.text == "Ada Lovelace" for td in table.select("td"))
    assert results.find("input", id="share")["value"].startswith("http://localhost/sparql?query=")


def test_the_page_offers_the_results_in_every_format(client):
    soup = page(client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
                           headers={"Accept": BROWSER}))
    offered = {a["type"]: a["href"] for a in soup.select(".downloads a")}
    assert set(offered) == {f.media_type for f in formats.RESULT_FORMATS}
    for media_type, href in offered.items():
        assert client.get(href).mimetype == media_type
    soup = page(client.get("/sparql", query_string={"query": f"DESCRIBE <{ADA}>"},
                           headers={"Accept": BROWSER}))
    assert {a["type"] for a in soup.select(".downloads a")} == {
        f.media_type for f in formats.RDF_FORMATS}
    assert soup.find("table", class_="results-table").select("thead th")[0].text == "subject"


def test_an_ask_shows_its_answer(client):
    soup = page(client.get("/sparql", query_string={"query": f"ASK {{ <{ADA}> ?p ?o }}"},
                           headers={"Accept": BROWSER}))
    assert soup.find(class_="boolean").text == "true"


def test_an_error_is_shown_beside_the_query_with_its_status(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"},
                          headers={"Accept": BROWSER})
    assert response.status_code == 400
    soup = page(response)
    shown = soup.find(class_="query-error").text
    assert "line 1, column 19" in shown
    assert "SELECT ?s WHERE { ?s ?p }\n" + " " * 18 + "^" in shown
    assert soup.find("textarea", id="query").text == "SELECT ?s WHERE { ?s ?p }"


def test_the_page_works_without_the_editor_files(client, monkeypatch, tmp_path):
    monkeypatch.setattr("server.web.views.sparql.NODE_MODULES", tmp_path)
    soup = page(client.get("/sparql", headers={"Accept": BROWSER}))
    assert soup.find("textarea", id="query") is not None
    assert not [s for s in soup.find_all("script") if "editor" in (s.get("src") or "")]
    assert client.get("/sparql/editor/codemirror.js").status_code == 404


@pytest.mark.skipif(not (NODE_MODULES / "codemirror").is_dir(),
                    reason="the editor is not installed (npm ci)")
def test_the_editor_is_served_from_the_npm_install(client):
    soup = page(client.get("/sparql", headers={"Accept": BROWSER}))
    scripts = [s["src"] for s in soup.find_all("script") if s.get("src")]
    assert "/sparql/editor/codemirror.js" in scripts and "/sparql/editor/sparql-mode.js" in scripts
    with client.get("/sparql/editor/codemirror.js") as response:
        assert response.status_code == 200 and b"CodeMirror" in response.data
    assert client.get("/sparql/editor/package.json").status_code == 404


def test_the_shared_link_and_downloads_keep_the_dataset(client):
    graph = f"{TINY}graph/beta"
    soup = page(client.get("/sparql", query_string={
        "query": "SELECT ?s { ?s a <http://schema.org/Person> }", "default-graph-uri": graph},
        headers={"Accept": BROWSER}))
    # the label, with the IRI on hover
    assert [(a.text, a["title"]) for a in soup.select("table.results-table tbody a")] == [
        ("Charles Babbage", f"{TINY}id/person/charles-babbage")]
    shared = soup.find("input", id="share")["value"]
    download = soup.select_one('.downloads a[type="text/csv"]')["href"]
    for url in (shared, download):
        response = client.get(url.removeprefix("http://localhost"), headers={"Accept": "text/csv"})
        assert response.get_data(as_text=True).split() == [
            "s", "https://example.org/tiny/id/person/charles-babbage"]
