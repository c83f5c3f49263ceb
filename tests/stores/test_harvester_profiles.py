"""What the harvesters read, on every store: the description conforms to DCAT-AP 3.0.0,
checked with SEMIC's own shapes (``tests/fixtures/dcat-ap``) by pySHACL, also on the
repository's data served over a real socket (what the European data portal checks); the
landing pages embed the schema.org ``Dataset`` (what Google Dataset Search reads)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SH

SHAPES_FILE = Path(__file__).parent.parent / "fixtures" / "dcat-ap" / "dcat-ap-SHACL.ttl"


@pytest.fixture(scope="module")
def dcat_ap_shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def dcat_ap_results(description: bytes, shapes: Graph) -> list[str]:
    """Every result (violation, warning or note) of the shapes on a Turtle description."""
    data = Graph().parse(data=description, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes, allow_warnings=False)
    results = sorted(
        f"{report.value(r, SH.resultSeverity).fragment}: {report.value(r, SH.focusNode)} "
        f"{report.value(r, SH.resultPath)} {report.value(r, SH.value)} "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity))
    assert conforms == (not results)
    return results


def test_the_shapes_are_the_published_dcat_ap_3(dcat_ap_shapes):
    shapes = set(dcat_ap_shapes.subjects(SH.targetClass))
    assert len(shapes) > 30
    assert any(str(s).startswith("https://semiceu.github.io/DCAT-AP/releases/3.0.0/")
               for s in shapes)


def test_the_description_conforms_to_dcat_ap_on_every_store(backend_client, dcat_ap_shapes):
    response = backend_client.get("/dataset", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert dcat_ap_results(response.data, dcat_ap_shapes) == []


def test_the_repository_dataset_conforms_to_dcat_ap_over_http(live_url, dcat_ap_shapes):
    for path in ("/dataset", "/.well-known/void"):
        response = requests.get(live_url + path, headers={"Accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200, path
        assert dcat_ap_results(response.content, dcat_ap_shapes) == [], path


def test_the_shapes_bite_on_the_description_as_it_was(live_url, dcat_ap_shapes):
    """Without the classes DCAT-AP asks for (a licence as a plain IRI, say), the shapes
    report it: the check above is not vacuous."""
    response = requests.get(live_url + "/dataset", headers={"Accept": "text/turtle"}, timeout=60)
    graph = Graph().parse(data=response.content, format="turtle")
    graph.remove((None, RDF.type, DCTERMS.LicenseDocument))
    results = dcat_ap_results(graph.serialize(format="turtle").encode(), dcat_ap_shapes)
    assert results and all("license" in r for r in results)


@pytest.mark.parametrize("path", ["/", "/dataset"])
def test_the_landing_pages_embed_the_dataset_on_every_store(backend_client, path):
    response = backend_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    (script,) = BeautifulSoup(response.data, "html.parser").select(
        'script[type="application/ld+json"]')
    dataset = json.loads(script.string)
    assert dataset["@type"] == "Dataset" and dataset["@id"].endswith("/dataset")
    assert {d["encodingFormat"] for d in dataset["distribution"]} == {
        "text/turtle", "application/trig", "application/n-quads"}
