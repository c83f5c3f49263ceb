"""Hostile data, served without a crash and without letting markup through.

A dataset built in ``tmp_path`` (the tiny fixture's ontology and shapes, plus one data
file) holds literals with HTML and script (``</script>`` included), IRIs with odd
characters and schemes, a literal of half a megabyte, two memberships and two quotations
owning each other, blank nodes in a cycle and a chain of blank nodes 300 deep. Every page
and format that shows them answers, escapes them, and keeps them intact as data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from rdflib import Dataset, Graph, Literal, URIRef
from response_checks import check_answer

from server import create_app
from server.domain.loading import load_snapshot
from server.settings import Settings

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
BASE = "https://example.org/tiny/"
MALLORY = f"{BASE}id/person/mallory"
SCRIPT_NAME = "Mallory </script><script>alert(1)</script>"
IMG_LABEL = "<img src=x onerror=alert(2)>"
ATTRIBUTE_LABEL = "\"'><svg onload=alert(3)>"
TEMPLATE_TEXT = "{{ 7 * 7 }} {% raw %} ${7*7}"
CONTROL_TEXT = "line one\nline two\u2028\u2029 <!-- --> ]]> &amp; &lt; \u0000? no: \u0001"
LONG = "long " * 100_000  # 500 kB
DEPTH = 300
ODD_IRIS = (
    "javascript:alert(4)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==",
    "https://example.org/a'b(c)*!$&;=+,%20?x=<no>#frag",
    "https://example.org/é/日本/😀",
    "urn:x-odd:a:b",
    f"{BASE}id/person/Not%20A%20Slug",
    f"{BASE}id/unknown-kind/x",
    f"{BASE}elsewhere/../id/person/ada-lovelace",
)


def turtle_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Turtle string (\u escapes included)


def hostile_turtle() -> str:
    odd = " ,\n        ".join(f"<{iri.replace('<', '%3C').replace('>', '%3E')}>"
                              for iri in ODD_IRIS)
    chain = "".join("[ rdfs:label " + turtle_string(f"level {n}") + " ; schema:hasPart "
                    for n in range(DEPTH)) + '"bottom"' + " ]" * DEPTH
    return f"""
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix person: <{BASE}id/person/> .
@prefix role: <{BASE}id/role/> .
@prefix quotation: <{BASE}id/quotation/> .
@prefix concept: <{BASE}id/concept/> .

person:mallory a schema:Person ;
    schema:name {turtle_string(SCRIPT_NAME)} ;
    rdfs:label {turtle_string(IMG_LABEL)}@en, {turtle_string(ATTRIBUTE_LABEL)}@fr ;
    schema:alternateName {turtle_string(TEMPLATE_TEXT)} ;
    schema:description {turtle_string(CONTROL_TEXT)}, {turtle_string(LONG)} ;
    schema:sameAs {odd} ;
    schema:knows _:a ;
    schema:subjectOf [ rdfs:label "deep" ; schema:hasPart {chain} ] .

_:a rdfs:label "a" ; schema:knows _:b .
_:b rdfs:label "b" ; schema:knows _:a, _:b .

role:mallory-one a org:Membership ;
    org:member person:mallory ;
    schema:isPartOf role:mallory-two .
role:mallory-two a org:Membership ;
    org:member person:mallory ;
    schema:isPartOf role:mallory-one .

quotation:first a schema:Quotation ;
    schema:text {turtle_string(SCRIPT_NAME)}@en ;
    schema:spokenByCharacter person:mallory ;
    schema:citation quotation:second .
quotation:second a schema:Quotation ;
    schema:text "the second"@en ;
    schema:spokenByCharacter person:mallory ;
    schema:citation quotation:first ;
    schema:about person:mallory .

person:eve a schema:Person ;
    schema:name {turtle_string(SCRIPT_NAME)} ;
    rdfs:label {turtle_string(IMG_LABEL)}@en .

person:trent a schema:Person ;
    schema:name "Trent" ;
    <http://example.org/vocab/123> "a predicate RDF/XML cannot name" .

concept:{"x" * 40}-{"y" * 40} rdfs:label {turtle_string(IMG_LABEL)} ;
    schema:about person:mallory .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    for folder in ("ontology", "shapes"):
        shutil.copytree(TINY / folder, root / folder)
    (root / "data").mkdir()
    (root / "data" / "hostile.ttl").write_text(hostile_turtle(), encoding="utf-8")
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": BASE,
            "dump_dir": str(root / "dumps"), "queries_dir": str(root / "data")}


@pytest.fixture(scope="module")
def client(hostile):
    snapshot = load_snapshot(Settings.load(hostile, environ={}))
    app = create_app({**hostile, "TESTING": True}, snapshot=snapshot)
    yield app.test_client()
    app.extensions["sparql"].close()


HTML_PATHS = (
    "/page/person/mallory",
    "/page/person/mallory?lang=fr",
    "/page/role/mallory-one",
    "/page/quotation/first",
    "/page/quotation/second",
    f"/page/concept/{'x' * 40}-{'y' * 40}",
    "/page/person/mallory/values?p=" + quote("http://schema.org/sameAs"),
    "/search?q=mallory",
    "/search?q=" + quote("<script>"),
    "/browse/person",
    "/browse/concept",
    "/",
    "/dataset",
    "/validation",
    "/sparql?query=" + quote(f"SELECT ?p ?o WHERE {{ <{MALLORY}> ?p ?o }}"),
    "/sparql?query=" + quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2000"),
)


def scripts_and_handlers(soup: BeautifulSoup) -> tuple[list, list]:
    """Elements that could run code: scripts other than data blocks or our own files,
    and any attribute naming an event handler or a script URL."""
    scripts = [s for s in soup.find_all("script")
               if s.get("type") != "application/ld+json" and not s.get("src")]
    handlers = [(tag.name, name, value) for tag in soup.find_all(True)
                for name, value in tag.attrs.items()
                if name.startswith("on") or (name in ("href", "src", "action")
                                             and str(value).strip().lower().startswith(
                                                 ("javascript:", "data:"))
                                             and value != "data:,")]  # the empty favicon
    return scripts, handlers


@pytest.mark.parametrize("path", HTML_PATHS)
def test_pages_show_hostile_values_escaped(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    check_answer(response, "GET", path)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    scripts, handlers = scripts_and_handlers(soup)
    assert scripts == [], path
    assert handlers == [], path
    assert not soup.find_all(["img", "svg", "iframe", "object", "embed"]), path


def test_the_page_shows_the_values_as_text(client):
    page = BeautifulSoup(client.get("/page/person/mallory", headers={
        "Accept": "text/html", "Accept-Language": "en"}).get_data(as_text=True), "html.parser")
    text = page.get_text()
    assert IMG_LABEL in text or SCRIPT_NAME in text
    assert TEMPLATE_TEXT in text, "data is never evaluated as a template"


def test_the_embedded_json_ld_cannot_break_out_and_keeps_the_data(client):
    html = client.get("/page/person/mallory", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">')
    end = html.index("</script>", start)
    block = html[start:end]
    assert "<" not in block and ">" not in block, "no markup inside the data block"
    assert "\u2028" not in block and "\u2029" not in block
    graph = Graph().parse(data=block, format="json-ld")
    names = set(graph.objects(URIRef(MALLORY), URIRef("http://schema.org/name")))
    assert Literal(SCRIPT_NAME) in names, "the literal survives intact"
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script", type="application/ld+json")) == 1


PARSERS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld", "trig": "trig",
           "nq": "nquads"}


def parsed(response, ext: str) -> Graph:
    graph = Dataset(default_union=True) if ext in ("trig", "nq") else Graph()
    return graph.parse(data=response.get_data(as_text=True), format=PARSERS[ext])


@pytest.mark.parametrize("ext", [e for e in PARSERS if e != "rdf"])
def test_every_format_keeps_hostile_literals_and_odd_iris_intact(client, ext):
    response = client.get(f"/data/person/mallory.{ext}")
    assert response.status_code == 200
    check_answer(response, "GET", ext)
    graph = parsed(response, ext)
    objects = set(graph.objects(URIRef(MALLORY), None))
    assert Literal(SCRIPT_NAME) in objects
    assert Literal(LONG) in objects, "the long literal is whole"
    assert Literal(CONTROL_TEXT) in objects
    sameas = {str(o) for o in graph.objects(URIRef(MALLORY), URIRef("http://schema.org/sameAs"))}
    assert "javascript:alert(4)" in sameas


def test_rdf_xml_carries_markup_as_text(client):
    response = client.get("/data/person/eve.rdf")
    assert response.status_code == 200
    check_answer(response, "GET", "eve.rdf")
    names = set(parsed(response, "rdf").objects(URIRef(f"{BASE}id/person/eve"),
                                                URIRef("http://schema.org/name")))
    assert names == {Literal(SCRIPT_NAME)}


@pytest.mark.parametrize(("path", "reason"), [
    ("/data/person/mallory.rdf", "character XML 1.0 cannot carry"),
    ("/data/person/trent.rdf", "<http://example.org/vocab/123>"),
    ("/sparql?format=xml&query=" + quote(
        f"SELECT ?o WHERE {{ <{MALLORY}> <http://schema.org/description> ?o }}"),
     "character XML 1.0 cannot carry"),
    ("/sparql?format=rdf&query=" + quote(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{BASE}id/person/trent> AS ?s) ?s ?p ?o }}"),
     "<http://example.org/vocab/123>"),
])
def test_what_xml_cannot_carry_is_406_naming_the_other_formats(client, path, reason):
    """RDF/XML and SPARQL XML are XML 1.0: a control character in a literal, or a predicate
    no XML element can be named after, cannot be written; the client is told which
    formats can carry the data, never sent a malformed document."""
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 406, response.get_data()
    text = response.get_data(as_text=True)
    assert reason in text
    assert "text/turtle" in text or "application/sparql-results+json" in text


def test_the_cycles_of_owned_nodes_are_described_once(client):
    for path in ("/data/role/mallory-one.nt", "/data/quotation/first.nt",
                 "/data/person/mallory.nt"):
        response = client.get(path)
        assert response.status_code == 200, path
        lines = response.get_data(as_text=True).splitlines()
        assert len(lines) == len(set(lines)), f"a statement repeated in {path}"


def test_search_json_echoes_markup_as_json_escapes(client):
    response = client.get("/search", query_string={"q": "</script><b>", "format": "json"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<" not in body
    assert json.loads(body)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_query_results_carry_hostile_literals_in_every_format(client, fmt):
    query = f"SELECT ?o WHERE {{ <{MALLORY}> <http://schema.org/name> ?o }}"
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200
    check_answer(response, "GET", fmt)
    if fmt == "json":
        values = [b["o"]["value"] for b in response.get_json()["results"]["bindings"]]
        assert values == [SCRIPT_NAME]
