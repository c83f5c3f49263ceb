"""/dataset: one VoID + DCAT description that harvesters can rely on."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from header_tokens import assert_varies_on
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, VOID

from server.domain import formats

TINY = "https://example.org/tiny/"

ME = URIRef(f"{TINY}dataset")
SCHEMA = "http://schema.org/"
LINKS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/tiny/id/person/ada-lovelace>
    owl:sameAs <http://www.wikidata.org/entity/Q7259>, <http://dbpedia.org/resource/Ada_Lovelace> .
<https://example.org/tiny/id/person/charles-babbage> owl:sameAs <http://www.wikidata.org/entity/Q46633> .
<https://example.org/tiny/id/article/sketch> a schema:NewsArticle ; rdfs:label "Sketch"@en .
"""
OWN = """
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/tiny/dataset> dcterms:title "Minuscule"@fr, "Tiny"@en ;
    dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> .
"""


def turtle(client, path: str = "/dataset") -> Graph:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.data
    return Graph().parse(data=response.data, format="turtle")


@pytest.mark.parametrize("fmt", formats.RDF_FORMATS, ids=lambda f: f.name)
def test_the_description_parses_in_every_rdf_format(client, fmt):
    response = client.get(f"/dataset.{fmt.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    parsed = Dataset().parse(data=response.data, format={"ttl": "turtle", "jsonld": "json-ld",
                                                          "rdf": "xml", "nq": "nquads"}
                             .get(fmt.name, fmt.name))
    assert (ME, RDF.type, VOID.Dataset) in parsed


@pytest.mark.parametrize(("accept", "media"), [
    ("*/*", "text/turtle"), ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
    ("application/ld+json", "application/ld+json"), (None, "text/turtle"),
])
def test_the_description_is_negotiated(client, accept, media):
    response = client.get("/dataset", headers={"Accept": accept} if accept else {})
    assert response.headers["Content-Type"].startswith(media)
    assert_varies_on(response, "Accept")
    assert 'rel="alternate"' in response.headers["Link"]


def test_well_known_void_is_the_same_description(client):
    assert len(turtle(client, "/.well-known/void")) == len(turtle(client))


def test_an_unknown_format_is_406_listing_ours(client):
    response = client.get("/dataset.docx")
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_title_description_licence_and_publisher(client):
    graph = turtle(client)
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.rights):
        assert {o.language for o in graph.objects(ME, predicate)} == {"fr", "en"}, predicate
    assert graph.value(ME, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(ME, DCTERMS.publisher) is not None
    assert graph.value(ME, DCTERMS.modified).datatype.endswith("dateTime")


def test_counts_and_partitions_match_the_store(client, tiny_snapshot):
    graph = turtle(client)
    stats = tiny_snapshot.stats
    assert graph.value(ME, VOID.triples).toPython() == stats.triples
    classes = {graph.value(p, VOID["class"]): graph.value(p, VOID.entities).toPython()
               for p in graph.objects(ME, VOID.classPartition)}
    assert classes[URIRef(SCHEMA + "Person")] == 2
    properties = {graph.value(p, VOID.property): graph.value(p, VOID.triples).toPython()
                  for p in graph.objects(ME, VOID.propertyPartition)}
    assert properties[URIRef(SCHEMA + "name")] == 2
    assert URIRef(SCHEMA) in set(graph.objects(ME, VOID.vocabulary))
    assert graph.value(ME, VOID.uriSpace) == Literal(f"{TINY}id/")
    examples = set(graph.objects(ME, VOID.exampleResource))
    assert examples and all(str(e).startswith(f"{TINY}id/") for e in examples)


def test_the_endpoint_is_a_data_service(client):
    graph = turtle(client)
    endpoint = graph.value(ME, VOID.sparqlEndpoint)
    assert (endpoint, RDF.type, DCAT.DataService) in graph
    assert graph.value(endpoint, DCAT.servesDataset) == ME
    assert graph.value(endpoint, DCAT.endpointURL) == endpoint


def test_link_sets_count_same_as_by_target_and_sources_are_the_articles(client_for):
    graph = turtle(client_for({"links.ttl": LINKS}))
    link_sets = [s for s in graph.objects(ME, VOID.subset) if (s, RDF.type, VOID.Linkset) in graph]
    counts = {graph.value(s, VOID.objectsTarget): graph.value(s, VOID.triples).toPython()
              for s in link_sets}
    assert counts == {URIRef("https://www.wikidata.org/"): 2, URIRef("https://dbpedia.org/"): 1}
    for link_set in link_sets:
        assert set(graph.objects(link_set, VOID.target)) == {
            ME, graph.value(link_set, VOID.objectsTarget)}
        assert graph.value(link_set, VOID.linkPredicate) == OWL.sameAs
    derived_from = set(graph.objects(ME, PROV.wasDerivedFrom))
    articles = {iri for iri in derived_from if not iri.startswith(f"{TINY}source/")}
    assert articles == {URIRef(f"{TINY}id/article/sketch")}
    assert derived_from - articles == {URIRef(f"{TINY}source/alpha.txt")}, "and the texts read"


def test_what_the_data_states_about_the_dataset_wins(client_for):
    graph = turtle(client_for({"dataset.ttl": OWN}))
    assert set(graph.objects(ME, DCTERMS.title)) == {Literal("Minuscule", lang="fr"),
                                                      Literal("Tiny", lang="en")}
    assert set(graph.objects(ME, DCTERMS.license)) == {
        URIRef("https://creativecommons.org/publicdomain/zero/1.0/")}


def test_the_licence_setting_and_the_public_url_are_used(client_for):
    client = client_for(licence="https://opendatacommons.org/licenses/odbl/1-0/",
                        public_url="https://data.example.net/")
    graph = turtle(client)
    assert graph.value(ME, DCTERMS.license) == URIRef("https://opendatacommons.org/licenses/odbl/1-0/")
    assert str(graph.value(ME, VOID.sparqlEndpoint)).rstrip("/") == "https://data.example.net/sparql"
    assert all(str(d).startswith("https://data.example.net/dumps/")
               for d in graph.objects(ME, VOID.dataDump))


def test_the_html_page_lists_dumps_with_checksums(client):
    response = client.get("/dataset", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "fr"
    rows = page.select("table.dumps tbody tr")
    assert len(rows) == 3
    assert all(len(row.select_one("code.checksum").text) == 64 for row in rows)
    assert page.select_one('a[rel="license"]')["href"].startswith("https://creativecommons.org/")


def test_the_html_page_counts_the_links_to_each_dataset(client_for):
    client = client_for({"links.ttl": LINKS})
    page = BeautifulSoup(client.get("/dataset", headers={"Accept": "text/html"}).data,
                         "html.parser")
    rows = {row.select("td")[0].text: (row.select("td")[1].text, int(row.select("td")[2].text))
            for row in page.select("table.link-sets tbody tr")}
    assert rows == {"Wikidata": (str(OWL.sameAs), 2), "DBpedia": (str(OWL.sameAs), 1)}


def test_each_source_text_is_listed_with_its_checksum_and_rights(client):
    """DESIGN §8: the dataset is derived from each article's text, which a harvester can
    check byte for byte against the checksum given here."""
    import hashlib

    from rdflib.namespace import FOAF

    from tests.conftest import TINY as TINY_DIR

    spdx = "http://spdx.org/rdf/terms#"
    graph = turtle(client)
    texts = sorted((TINY_DIR / "data" / "sources").glob("*.txt"))
    assert texts, "the fixture has a source text"
    for path in texts:
        text = URIRef(f"{TINY}source/{path.name}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert (ME, PROV.wasDerivedFrom, text) in graph
        assert (text, RDF.type, FOAF.Document) in graph
        assert (text, URIRef(SCHEMA + "sha256"), Literal(digest)) in graph
        checksums = {str(graph.value(c, URIRef(spdx + "checksumValue")))
                     for c in graph.objects(text, URIRef(spdx + "checksum"))}
        assert checksums == {digest}
        rights = {r.language for r in graph.objects(text, DCTERMS.rights)}
        assert {"fr", "en"} <= rights
        served = client.get(f"/source/{path.name}")
        assert hashlib.sha256(served.data).hexdigest() == digest
