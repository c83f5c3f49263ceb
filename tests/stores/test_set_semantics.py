"""The default graph is a set on every backend (DESIGN §4): the RDF merge of the named
graphs, so a triple stated by two sources is one row, ``COUNT(*) { ?s ?p ?o }`` is the
``void:triples`` of the service description and of VoID and the distinct triples of the
dumps, and the counts of the home page are what SPARQL counts.

The data is the tiny dataset with one fact more: its second source states again that
Ada Lovelace is a person, and her label, as its first does.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from engines import ENGINES, engine_server
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from server import create_app
from server.domain.dumps import with_default_graph
from server.domain.loading import Snapshot, load_snapshot
from server.domain.namespaces import SD
from server.settings import Settings
from server.store import ondisk
from server.store.registry import open_snapshot

SOURCES = Path(__file__).parents[1] / "fixtures" / "tiny"
BACKENDS = ("memory", "ondisk", *(f"remote-{name}" for name in ENGINES))
TINY = "https://example.org/tiny/"
ALPHA, BETA = f"{TINY}graph/alpha", f"{TINY}graph/beta"
ADA = f"{TINY}id/person/ada-lovelace"
BABBAGE = f"{TINY}id/person/charles-babbage"
PERSON = "http://schema.org/Person"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RESTATED = f"""
<{ADA}> a <{PERSON}> ;
    <{LABEL}> "Ada Lovelace" .
"""


@pytest.fixture(scope="module")
def shared_config(tmp_path_factory) -> dict[str, str]:
    """The tiny dataset, its second source restating two facts of the first."""
    root = tmp_path_factory.mktemp("shared") / "tiny"
    shutil.copytree(SOURCES, root)
    with (root / "data" / "beta.ttl").open("a") as beta:
        beta.write(RESTATED)
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": TINY}


@pytest.fixture(scope="module")
def shared_memory(shared_config) -> Snapshot:
    return load_snapshot(Settings.load(shared_config, environ={}))


@pytest.fixture(scope="module")
def remote_data(shared_memory, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("shared-remote") / "shared.nq"
    ox.serialize(with_default_graph(shared_memory.store), output=str(data),
                 format=ox.RdfFormat.N_QUADS)
    return data


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, shared_config, shared_memory, tmp_path_factory) -> tuple[dict, Snapshot]:
    """The configuration and snapshot of the data on one backend."""
    config = {**shared_config, "dump_dir": str(tmp_path_factory.mktemp("dumps"))}
    if request.param == "memory":
        return config, shared_memory
    if request.param == "ondisk":
        root = tmp_path_factory.mktemp("shared-ondisk") / "store"
        config["store"] = f"oxigraph:{root}"
        ondisk.load(Settings.load(config, environ={}))
    else:
        data = request.getfixturevalue("remote_data")
        server = engine_server(request.param.removeprefix("remote-"), request, data, data.parent)
        config["store"] = "sparql+" + server.url
    return config, open_snapshot(Settings.load(config, environ={}))


@pytest.fixture(scope="module")
def client(shared):
    config, snapshot = shared
    return create_app({**config, "TESTING": True}, snapshot=snapshot).test_client()


def select(client, text: str, **dataset: list[str]) -> list[dict[str, str]]:
    """The rows of a SELECT through the endpoint, each as {variable: value}."""
    response = client.post("/sparql", data={"query": text, **dataset},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{name: cell["value"] for name, cell in row.items()}
            for row in response.get_json()["results"]["bindings"]]


def count(client, text: str) -> int:
    return int(select(client, text)[0]["n"])


def rdf(client, path: str) -> Graph:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def test_the_restated_facts_sit_in_both_sources(shared):
    _, snapshot = shared
    rows = snapshot.store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ADA}> a <{PERSON}> }} }}")
    assert sorted(row["g"].value for row in rows) == [ALPHA, BETA]


def test_count_of_the_default_graph_is_void_triples_and_the_distinct_triples_of_the_dumps(
        client, shared):
    everything = count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    description = rdf(client, "/sparql")
    default_graphs = list(description.objects(None, SD.defaultGraph))
    assert [int(description.value(g, VOID.triples)) for g in default_graphs] == [everything]
    assert int(rdf(client, "/dataset").value(URIRef(f"{TINY}dataset"), VOID.triples)) == everything
    dumps = {}
    for ext in ("trig", "nq", "ttl"):
        with client.get(f"/dumps/dataset.{ext}.gz") as response:
            dumps[ext] = list(ox.parse(gzip.decompress(response.data),
                                       format=ox.RdfFormat.from_extension(ext)))
        assert len({(s.subject, s.predicate, s.object) for s in dumps[ext]}) == everything
    for ext in ("trig", "nq"):  # the statements as their sources state them, no default graph
        assert len(dumps[ext]) == shared[1].stats.quads > everything
        assert not [q for q in dumps[ext] if q.graph_name == ox.DefaultGraph()]


def test_a_triple_stated_by_both_sources_is_one_row(client):
    rows = select(client, f"SELECT ?name WHERE {{ ?p a <{PERSON}> ; <{LABEL}> ?name }} ORDER BY ?name")
    assert [row["name"] for row in rows] == ["Ada Lovelace", "Charles Babbage"]
    assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{PERSON}> }}") == 2


# Why an engine behind the remote store, which passes a query's FROM on unchanged, reads
# FROM graphs otherwise than SPARQL 1.1 Query §13.2 (the default graph is their merge).
VIRTUOSO_FROM = ("Virtuoso adds FROM graphs to the default graph its host settings name, "
                 "as a bag, instead of reading them alone")
FROM_DEVIATIONS = {
    "remote-comunica": "Comunica 4 reads several FROM graphs as a bag",
    "remote-oxigraph": "the Oxigraph server 0.5 reads several FROM graphs as a bag",
    "remote-virtuoso": VIRTUOSO_FROM,
}


def expect_deviation(request, deviations: dict[str, str]) -> None:
    """Mark the test an expected failure on a backend whose engine deviates, strictly, so
    that a fixed engine shows up."""
    deviation = deviations.get(request.node.callspec.params["shared"])
    if deviation:
        request.applymarker(pytest.mark.xfail(strict=True, reason=deviation))


def test_from_one_graph_is_that_graph(client, request):
    expect_deviation(request, {"remote-virtuoso": VIRTUOSO_FROM})
    rows = select(client, f"SELECT ?s FROM <{BETA}> WHERE {{ ?s a <{PERSON}> }} ORDER BY ?s")
    assert rows == [{"s": ADA}, {"s": BABBAGE}]


def test_from_two_graphs_sharing_a_triple_is_their_merge(client, request):
    expect_deviation(request, FROM_DEVIATIONS)
    text = (f"SELECT ?s ?name FROM <{ALPHA}> FROM <{BETA}> "
            f"WHERE {{ ?s a <{PERSON}> ; <{LABEL}> ?name }} ORDER BY ?s")
    expected = [{"s": ADA, "name": "Ada Lovelace"}, {"s": BABBAGE, "name": "Charles Babbage"}]
    assert select(client, text) == expected


# Why an engine behind the remote store answers a dataset of several graphs otherwise
# than the spec's merge (SPARQL 1.1 Query §13.2, Protocol §2.1.4).
DATASET_DEVIATIONS = {
    "remote-comunica": "Comunica ignores default-graph-uri (SPARQL 1.1 Protocol §2.1.4)",
    "remote-oxigraph": "the Oxigraph server 0.5 reads several default-graph-uri graphs as a bag",
    "remote-virtuoso": "Virtuoso reads several default-graph-uri graphs as a bag",
}


def test_default_graph_uri_naming_two_graphs_is_their_merge(client, request):
    expect_deviation(request, DATASET_DEVIATIONS)
    rows = select(client, f"SELECT ?s WHERE {{ ?s a <{PERSON}> }} ORDER BY ?s",
                  **{"default-graph-uri": [ALPHA, BETA], "named-graph-uri": [BETA]})
    assert rows == [{"s": ADA}, {"s": BABBAGE}]
    named = select(client, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                   **{"default-graph-uri": [ALPHA, BETA], "named-graph-uri": [BETA]})
    assert [row["g"] for row in named] == [BETA]


def test_each_count_on_the_home_page_is_what_sparql_counts(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    soup = BeautifulSoup(response.data, "html.parser")
    shown = {parse_qs(urlsplit(item.select_one("a")["href"]).query)["class"][0]:
             int(item.select_one(".n").get_text()) for item in soup.select("ul.counts li")}
    assert shown[PERSON] == 2
    for cls, number in shown.items():
        assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{cls}> }}") == number


def test_the_repository_data_answers_as_its_home_page_and_description_count(repo_client):
    """The issue's own examples, on the two articles: people, their names, every triple."""
    people = count(repo_client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{PERSON}> }}")
    soup = BeautifulSoup(repo_client.get("/", headers={"Accept-Language": "en"}).data, "html.parser")
    classes = {parse_qs(urlsplit(a["href"]).query)["class"][0]: int(a.find_next_sibling("span").get_text())
               for a in soup.select("ul.tree a")}
    assert people == classes[PERSON]
    rows = select(repo_client, f"SELECT ?p ?name WHERE {{ ?p a <{PERSON}> ; <{LABEL}> ?name }}")
    assert len(rows) == len({tuple(row.items()) for row in rows})
    assert len({row["p"] for row in rows}) == people
    description = rdf(repo_client, "/sparql")
    [default_graph] = description.objects(None, SD.defaultGraph)
    everything = count(repo_client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert everything == int(description.value(default_graph, VOID.triples))
