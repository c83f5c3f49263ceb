"""``/data/…``: the description in every format of the registry, by extension, by
``?format=`` or by ``Accept`` (in that order of precedence), with canonical IRIs."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from header_tokens import assert_varies_on
from http_helpers import ADA, TINY, as_rdflib, ground, parse_links
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from server.domain import formats

PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml", "trig": "trig",
           "nq": "nquads"}


@pytest.mark.parametrize(("ext", "media"), [
    ("ttl", "text/turtle"),
    ("jsonld", "application/ld+json"),
    ("json", "application/ld+json"),
    ("nt", "application/n-triples"),
    ("rdf", "application/rdf+xml"),
    ("xml", "application/rdf+xml"),
    ("owl", "application/rdf+xml"),
    ("trig", "application/trig"),
    ("nq", "application/n-quads"),
])
def test_the_extension_chooses_the_type_whatever_accept_says(client, ext, media):
    response = client.get(f"/data/person/ada-lovelace.{ext}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media}; charset=utf-8"
    assert "Content-Location" not in response.headers


@pytest.mark.parametrize(("accept", "media", "ext"), [
    (None, "text/turtle", "ttl"),
    ("*/*", "text/turtle", "ttl"),
    ("application/ld+json", "application/ld+json", "jsonld"),
    ("application/n-quads;q=0.9, application/trig;q=0.4", "application/n-quads", "nq"),
    ("text/html, application/rdf+xml;q=0.5", "application/rdf+xml", "rdf"),
    ("text/*;q=0.5, application/n-triples", "application/n-triples", "nt"),
])
def test_accept_chooses_the_type_of_the_plain_data_url(client, accept, media, ext):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/data/person/ada-lovelace", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media}; charset=utf-8"
    assert response.headers["Content-Location"] == f"/data/person/ada-lovelace.{ext}"
    assert_varies_on(response, "Accept")


def test_format_parameter_beats_accept_and_extension_beats_both(client):
    by_parameter = client.get("/data/person/ada-lovelace?format=nt", headers={"Accept": "text/turtle"})
    assert by_parameter.headers["Content-Type"].startswith("application/n-triples")
    by_extension = client.get("/data/person/ada-lovelace.trig?format=nt",
                              headers={"Accept": "text/turtle"})
    assert by_extension.headers["Content-Type"].startswith("application/trig")


@pytest.mark.parametrize("path", [
    "/data/person/ada-lovelace.docx",
    "/data/person/ada-lovelace.html",
    "/data/person/ada-lovelace?format=pdf",
])
def test_an_unknown_format_is_406_listing_the_ones_we_have(client, path):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    for fmt in formats.RDF_FORMATS:
        assert fmt.media_type in body and f".{fmt.name}" in body


def test_a_type_we_cannot_produce_is_406(client):
    response = client.get("/data/person/ada-lovelace", headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def triples_of(response, ext: str) -> set[tuple]:
    graph = Dataset() if ext in ("trig", "nq") else Graph()
    graph.parse(data=response.data, format=PARSERS[ext])
    return {(s, p, o) for s, p, o, *_ in (graph.quads() if ext in ("trig", "nq") else graph)}


def graph_of(triples: set[tuple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def reified(triples: set[tuple]) -> set[tuple]:
    """The triples that the ``rdf:Statement`` reifiers among ``triples`` stand for."""
    parts = {}
    for s, p, o in triples:
        parts.setdefault(s, {})[p] = o
    return {(st[RDF.subject], st[RDF.predicate], st[RDF.object])
            for st in parts.values() if st.get(RDF.type) == RDF.Statement}


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "nt", "rdf", "trig", "nq"])
@pytest.mark.parametrize("slug", ["person/ada-lovelace", "person/charles-babbage",
                                  "organization/analytical-society"])
def test_every_format_holds_the_store_description_and_each_fact_s_reifier(
        client, tiny_snapshot, ext, slug):
    iri = URIRef(f"{TINY}id/{slug}")
    served = triples_of(client.get(f"/data/{slug}.{ext}"), ext)
    assert isomorphic(graph_of(served), graph_of(triples_of(client.get(f"/data/{slug}.nt"), "nt"))), \
        "formats disagree"
    store = tiny_snapshot.store
    described = as_rdflib(store.describe(str(iri)))
    assert ground(described) - served == set(), "statements left out"
    assert isomorphic(graph_of(described - ground(described)), graph_of(served - ground(served))), \
        "the blank nodes' statements differ"
    assert ground(served) - as_rdflib(store.quads()) == set(), "statements the store does not hold"
    # alpha is the article with a text and citations; beta has neither
    stated = {t for t in served if t[0] == iri} & as_rdflib(store.quads([f"{TINY}graph/alpha"]))
    assert stated - reified(served) == set(), f"{slug}: facts with no reifier"


@pytest.mark.parametrize("ext", ["trig", "nq"])
def test_dataset_formats_keep_the_graph_that_states_each_statement(client, ext):
    quads = list(ox.parse(client.get(f"/data/person/ada-lovelace.{ext}").data,
                          format=ox.RdfFormat.from_extension(ext)))
    graphs = {(q.subject.value, q.predicate.value, q.object.value): q.graph_name.value
              for q in quads}
    knows = "http://schema.org/knows"
    assert graphs[(ADA, knows, f"{TINY}id/person/charles-babbage")] == f"{TINY}graph/derived"
    assert graphs[(f"{TINY}id/person/charles-babbage", knows, ADA)] == f"{TINY}graph/beta"
    assert graphs[(ADA, "http://schema.org/name", "Ada Lovelace")] == f"{TINY}graph/alpha"


def test_json_ld_embeds_a_readable_context_and_never_a_remote_one(client):
    document = json.loads(client.get("/data/person/ada-lovelace.jsonld").data)
    context = document["@context"]
    assert isinstance(context, dict)
    assert context["schema"] == "http://schema.org/"
    assert all(not isinstance(v, str) or not v.endswith(".jsonld") for v in context.values())
    assert "@graph" in document


def test_the_data_keeps_canonical_iris_whatever_the_host(client):
    body = client.get("/data/person/ada-lovelace.nt", base_url="http://127.0.0.1:8080").data
    assert ADA.encode() in body
    assert b"127.0.0.1" not in body


def test_data_links_to_every_alternate_and_the_thing(client):
    response = client.get("/data/person/ada-lovelace.ttl")
    links = parse_links(response.headers["Link"])
    assert {"url": ADA, "rel": "describes"} in links
    alternates = {link["type"]: link["url"] for link in links if link["rel"] == "alternate"}
    assert alternates["text/html"] == "http://localhost/page/person/ada-lovelace"
    for fmt in formats.RDF_FORMATS:
        assert alternates[fmt.media_type] == f"http://localhost/data/person/ada-lovelace.{fmt.name}"
