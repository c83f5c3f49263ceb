"""The landing pages (``/`` and ``/dataset``) embed the schema.org ``Dataset`` that Google
Dataset Search reads, with every property Google requires and those it recommends that
the data can honestly fill.

Google's list, from "Dataset (Dataset, DataCatalog, DataDownload) structured data",
https://developers.google.com/search/docs/appearance/structured-data/dataset (Search
Central documentation):
- Dataset, required: ``description``, ``name``.
- Dataset, recommended: ``alternateName``, ``creator``, ``citation``, ``funder``,
  ``hasPart``, ``isPartOf``, ``identifier``, ``isAccessibleForFree``, ``keywords``,
  ``license``, ``measurementTechnique``, ``sameAs``, ``spatialCoverage``,
  ``temporalCoverage``, ``variableMeasured``, ``version``, ``url``.
- DataDownload (``distribution``): ``distribution.contentUrl`` required,
  ``distribution.encodingFormat`` recommended.
Those the data states nothing about are left out rather than invented (``NOT_STATED``).
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from server import create_app
from server.store import queries

SCHEMA = "http://schema.org/"
DATASET = "https://w3id.org/grand-paris-russia/dataset"
LANDING_PAGES = ("/", "/dataset")
GOOGLE_REQUIRED = {"name", "description"}
GOOGLE_RECOMMENDED = {
    "alternateName", "creator", "citation", "funder", "hasPart", "isPartOf", "identifier",
    "isAccessibleForFree", "keywords", "license", "measurementTechnique", "sameAs",
    "spatialCoverage", "temporalCoverage", "variableMeasured", "version", "url",
}
# Recommended by Google, but nothing in the data states them: no other name, no paper to
# cite, no funder, no parts or parent dataset, no measurement, no measured variable.
NOT_STATED = {"alternateName", "citation", "funder", "hasPart", "isPartOf",
              "measurementTechnique", "variableMeasured"}
# What this publisher adds to Google's list (the brief of the landing pages).
OURS = {"publisher", "isBasedOn", "distribution", "potentialAction", "inLanguage"}


def markup(client, path: str) -> dict:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    scripts = BeautifulSoup(response.data, "html.parser").select(
        'script[type="application/ld+json"]')
    found = [json.loads(s.string) for s in scripts]
    datasets = [d for d in found if d.get("@type") == "Dataset"]
    assert len(datasets) == 1, f"{path}: one schema.org Dataset, found {found}"
    return datasets[0]


@pytest.fixture(scope="module")
def pages(repo_snapshot):
    client = create_app({"TESTING": True}, snapshot=repo_snapshot).test_client()
    return {path: markup(client, path) for path in LANDING_PAGES}


@pytest.mark.parametrize("path", LANDING_PAGES)
def test_google_required_and_recommended_properties(pages, path):
    dataset = pages[path]
    assert GOOGLE_REQUIRED <= set(dataset), path
    assert GOOGLE_RECOMMENDED - NOT_STATED <= set(dataset), path
    assert not NOT_STATED & set(dataset), "nothing the data does not state"
    assert OURS <= set(dataset)
    assert len(_text(dataset["description"], "en")) >= 50  # Google: 50 to 5000 characters


def test_both_landing_pages_embed_the_same_dataset(pages):
    assert pages["/"] == pages["/dataset"]


def test_name_and_description_in_both_languages(pages):
    dataset = pages["/dataset"]
    for key in ("name", "description"):
        assert {v["@language"] for v in dataset[key]} == {"fr", "en"}, key
    assert _text(dataset["name"], "fr") == "Graphe de connaissances Grand Paris – Russie"


def test_identity_licence_and_agents_are_what_the_data_says(pages, repo_snapshot):
    dataset = pages["/dataset"]
    assert dataset["@id"] == dataset["url"] == dataset["sameAs"] == DATASET
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    (creator,) = dataset["creator"]
    assert creator["@id"] == "https://w3id.org/grand-paris-russia/"
    assert _text(creator["name"], "en") == "Grand Paris – Russia linked data"
    assert all(p["name"] for p in dataset["publisher"])
    keywords = {row["k"].value for row in repo_snapshot.store.query(
        f"SELECT ?k WHERE {{ GRAPH ?g {{ <{DATASET}> <http://www.w3.org/ns/dcat#keyword> ?k }} }}")}
    assert keywords and set(dataset["keywords"]) == keywords


def test_it_is_based_on_the_two_articles(pages):
    based_on = {a["@id"] for a in pages["/dataset"]["isBasedOn"]}
    assert based_on == {
        "https://w3id.org/grand-paris-russia/id/article/pce-makers-grand-paris-russie",
        "https://w3id.org/grand-paris-russia/id/article/grand-paris-expertise-exported-to-russia",
    }


def test_each_distribution_is_a_dump_that_downloads(pages, repo_client):
    distributions = pages["/dataset"]["distribution"]
    assert len(distributions) == 3
    for item in distributions:
        assert item["@type"] == "DataDownload"
        path = item["contentUrl"].removeprefix("http://localhost")
        with repo_client.get(path) as response:
            assert response.status_code == 200, path
            assert item["contentSize"] == f"{len(response.data)} B"
        assert item["encodingFormat"] in ("text/turtle", "application/trig", "application/n-quads")


def test_the_sparql_endpoint_is_an_entry_point(pages):
    target = pages["/dataset"]["potentialAction"]["target"]
    assert target["urlTemplate"].endswith("/sparql?query={query}")
    assert "application/sparql-results+json" in target["contentType"]


def test_coverage_is_only_what_the_articles_state(pages, repo_snapshot):
    """The two agreements' signing dates (25 May 2018, 29 November 2018) bound the time;
    the places are the countries, regions and cities the article graphs name."""
    dataset = pages["/dataset"]
    assert dataset["temporalCoverage"] == "2018-05-25/2018-11-29"
    articles = [row["g"].value for row in repo_snapshot.store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a "
        "<https://w3id.org/grand-paris-russia/ontology#SourceGraph> } }")]
    areas = [URIRef(SCHEMA + c) for c in ("Country", "AdministrativeArea", "City")]
    stated = set()
    for graph in articles:
        text = queries.bind(
            "SELECT ?s WHERE { VALUES ?g { } GRAPH ?g { ?s a ?c } "
            "FILTER(?c IN (<%s>, <%s>, <%s>)) }" % tuple(areas), g=[ox.NamedNode(graph)])
        stated |= {row["s"].value for row in repo_snapshot.store.query(text)}
    assert {p["@id"] for p in dataset["spatialCoverage"]} == stated
    assert {"https://w3id.org/grand-paris-russia/id/place/russia",
            "https://w3id.org/grand-paris-russia/id/place/samara-region"} <= stated
    assert all(p["name"] for p in dataset["spatialCoverage"])


def test_without_articles_there_is_no_coverage(client):
    dataset = markup(client, "/dataset")
    assert "temporalCoverage" not in dataset and "spatialCoverage" not in dataset
    assert "creator" not in dataset  # the tiny data names none


def test_the_markup_is_json_ld_that_says_it_is_a_dataset(pages):
    graph = Graph().parse(data=json.dumps(pages["/"]), format="json-ld")
    me = URIRef(DATASET)
    assert (me, RDF.type, URIRef(SCHEMA + "Dataset")) in graph
    assert Literal("Grand Paris – Russia knowledge graph", lang="en") in set(
        graph.objects(me, URIRef(SCHEMA + "name")))
    assert len(set(graph.objects(me, URIRef(SCHEMA + "distribution")))) == 3


def _text(values, lang: str) -> str:
    return next(v["@value"] for v in values if v["@language"] == lang)

