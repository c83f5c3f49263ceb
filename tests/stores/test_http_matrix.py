"""The same HTTP contract on every backend: resources, named graphs, SPARQL, dataset, dumps,
sitemap."""

from __future__ import annotations

import gzip
import hashlib
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from server import create_app
from server.store import queries

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
DUMPS = ("trig", "nq", "ttl")
SPDX_VALUE = URIRef("http://spdx.org/rdf/terms#checksumValue")
SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksum")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def canonical(statements) -> set:
    dataset = ox.Dataset(ox.Quad(s.subject, s.predicate, s.object, getattr(s, "graph_name", None)
                                 or ox.DefaultGraph()) for s in statements)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def count(store, text: str) -> int:
    return int(next(iter(store.query(text)))["n"].value)


# --- resources


@pytest.mark.parametrize(("accept", "location"), [
    ("text/turtle", "/data/person/ada-lovelace.ttl"),
    ("application/n-quads", "/data/person/ada-lovelace.nq"),
    ("text/html", "/page/person/ada-lovelace"),
])
def test_an_iri_is_303_to_the_negotiated_representation(backend_client, accept, location):
    response = backend_client.get("/id/person/ada-lovelace", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(location)


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld", "rdf", "trig", "nq"])
def test_a_description_parses_in_every_format(backend_client, ext):
    response = backend_client.get(f"/data/person/ada-lovelace.{ext}")
    assert response.status_code == 200
    statements = ox.parse(response.data, format=ox.RdfFormat.from_extension(
        {"jsonld": "jsonld", "rdf": "rdf"}.get(ext, ext)))
    names = {s.object.value for s in statements
             if s.subject.value == ADA and s.predicate.value == "http://schema.org/name"}
    assert names == {"Ada Lovelace"}


def test_a_page_shows_the_label_and_revalidates(backend_client):
    response = backend_client.get("/page/person/ada-lovelace", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "Ada Lovelace" in response.get_data(as_text=True)
    again = backend_client.get("/page/person/ada-lovelace",
                               headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_an_unknown_resource_is_404(backend_client):
    assert backend_client.get("/id/person/nobody").status_code == 404
    assert backend_client.get("/data/person/nobody.ttl").status_code == 404


# --- named graphs


@pytest.mark.parametrize("ext", ["ttl", "trig"])
@pytest.mark.parametrize("slug", ["alpha", "derived"])
def test_a_named_graph_dereferences_to_its_statements(backend_client, tiny_snapshot, slug, ext):
    response = backend_client.get(f"/graph/{slug}.{ext}")
    assert response.status_code == 200
    parsed = list(ox.parse(response.data, format=ox.RdfFormat.from_extension(ext)))
    expected = list(tiny_snapshot.store.quads(graphs=[f"{TINY}graph/{slug}"]))
    if ext == "ttl":
        expected = [q.triple for q in expected]
    assert expected and canonical(parsed) == canonical(expected)


def test_a_named_graph_page_lists_its_resources_and_unknown_graphs_are_404(backend_client):
    response = backend_client.get("/graph/alpha", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "http://localhost/id/person/ada-lovelace" in response.get_data(as_text=True)
    assert backend_client.get("/graph/nowhere").status_code == 404


# --- SPARQL


@pytest.fixture
def sparql(backend_app, backend_client):
    assert "sparql.endpoint" in backend_app.view_functions
    return backend_client


def test_sparql_select(sparql):
    response = sparql.get("/sparql", query_string={
        "query": "SELECT ?n WHERE { ?s <http://schema.org/name> ?n } ORDER BY ?n"},
        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    rows = json.loads(response.data)["results"]["bindings"]
    assert [r["n"]["value"] for r in rows] == ["Ada Lovelace", "Charles Babbage"]


def test_sparql_ask_and_construct(sparql):
    ask = sparql.get("/sparql", query_string={"query": f"ASK {{ <{ADA}> ?p ?o }}"},
                     headers={"Accept": "application/sparql-results+json"})
    assert json.loads(ask.data)["boolean"] is True
    construct = sparql.post("/sparql", data={
        "query": f"CONSTRUCT {{ <{ADA}> ?p ?o }} WHERE {{ <{ADA}> ?p ?o }}"},
        headers={"Accept": "text/turtle"})
    assert construct.status_code == 200
    assert len(Graph().parse(data=construct.data, format="turtle")) >= 4


def test_sparql_malformed_query_is_400(sparql):
    response = sparql.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400


# --- dataset description and dumps


@pytest.fixture
def description(backend_client) -> Graph:
    response = backend_client.get("/dataset", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


def test_the_description_names_the_endpoint_the_dumps_and_the_counts(description, backend_snapshot):
    me = URIRef(f"{TINY}dataset")
    endpoints = {str(e).rstrip("/") for e in description.objects(me, VOID.sparqlEndpoint)}
    assert endpoints == {"http://localhost/sparql"}
    assert {str(d) for d in description.objects(me, VOID.dataDump)} == {
        f"http://localhost/dumps/dataset.{ext}.gz" for ext in DUMPS}
    assert int(description.value(me, VOID.triples)) == backend_snapshot.stats.triples


@pytest.mark.parametrize("ext", DUMPS)
def test_a_dump_is_the_store(backend_client, backend_snapshot, description, ext):
    """Downloaded, un-gzipped and parsed, a dump is isomorphic to the store, count for count."""
    with backend_client.get(f"/dumps/dataset.{ext}.gz") as response:
        assert response.status_code == 200
        body = response.data
    assert response.headers["Content-Type"] == "application/gzip"
    assert int(response.headers["Content-Length"]) == len(body)
    parsed = list(ox.parse(gzip.decompress(body), format=ox.RdfFormat.from_extension(ext)))
    store = backend_snapshot.store
    if ext == "ttl":
        assert len(parsed) == count(store, queries.COUNT_TRIPLES)
        expected = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}
    else:
        assert len(parsed) == count(store, queries.COUNT_QUADS)
        expected = list(store.quads())
    assert canonical(parsed) == canonical(expected)
    url = URIRef(f"http://localhost/dumps/dataset.{ext}.gz")
    published = description.value(description.value(url, SPDX_CHECKSUM), SPDX_VALUE)
    assert str(published) == hashlib.sha256(body).hexdigest()
    with backend_client.get(f"/dumps/dataset.{ext}.gz",
                            headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304


def test_the_sitemap_lists_every_resource_and_graph_page(backend_client, tiny_snapshot):
    response = backend_client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {e.text for e in ET.fromstring(response.data).iter(f"{SITEMAP}loc")}
    # every resource with a page: a sentence (…#s2) is read on its article's
    minted = {q.subject.value for q in tiny_snapshot.store.quads()
              if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(f"{TINY}id/")
              and "#" not in q.subject.value}
    graphs = {g for g in tiny_snapshot.store.graphs() if g.startswith(f"{TINY}graph/")}
    assert locations == ({"http://localhost/page/" + iri[len(f"{TINY}id/"):] for iri in minted}
                         | {"http://localhost/" + iri[len(TINY):] for iri in graphs})
    for location in locations:
        assert backend_client.get(location, headers={"Accept": "text/html"}).status_code == 200


def test_the_validation_report_is_served(backend_client, backend_snapshot):
    response = backend_client.get("/validation", headers={"Accept": "text/html"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if backend_snapshot.report is None:
        assert "did not load" in text
    else:
        assert "conforms to its shapes" in text


def test_health_names_the_store_and_its_version(backend_client, backend_snapshot, backend):
    health = backend_client.get("/healthz").get_json()
    assert health["version"] == backend_snapshot.version
    assert health["triples"] == backend_snapshot.stats.triples
    assert health["store"] == backend.get("store", "memory").split(":", 1)[0]


# --- canned queries: the same binding on every store (the remote one gets plain SPARQL)

CANNED = """# Which names does a person have, among those containing a text?
#@ param ?person: schema:Person
#@ param ?text: literal
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?name WHERE {
  VALUES ?person { }
  VALUES ?text { }
  ?person schema:name|schema:alternateName ?name .
  FILTER(CONTAINS(LCASE(?name), LCASE(?text)))
}
"""


@pytest.fixture
def canned_client(backend, backend_snapshot, tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "c01-names-of-a-person.rq").write_text(CANNED, encoding="utf-8")
    return create_app({**backend, "queries_dir": str(folder), "TESTING": True},
                      snapshot=backend_snapshot).test_client()


@pytest.mark.parametrize(("text", "names"), [
    ("ada", {"Ada Lovelace", "Augusta Ada King"}),
    ("KING", {"Augusta Ada King"}),
    ('" } ?s ?p ?o { "', set()),  # one literal, whatever it holds
])
def test_a_canned_query_binds_its_values_on_every_store(canned_client, text, names):
    response = canned_client.get("/queries/c01-names-of-a-person.json",
                                 query_string={"person": ADA, "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert {b["name"]["value"] for b in response.json["results"]["bindings"]} == names


def test_a_canned_query_refuses_a_value_that_is_no_instance_on_every_store(canned_client):
    society = f"{TINY}id/organization/analytical-society"
    response = canned_client.get("/queries/c01-names-of-a-person.json",
                                 query_string={"text": "a", "person": society})
    assert response.status_code == 400 and "parameter person" in response.get_data(as_text=True)
