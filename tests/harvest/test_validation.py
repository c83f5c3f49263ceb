"""/validation: the SHACL report of the live data, as HTML and as RDF."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from server.domain import formats

ADVICE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix shapes: <https://example.org/tiny/shapes#> .
shapes:AdviceShape a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:property [ sh:path schema:birthDate ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "A person should have a birth date." ] .
"""


def test_the_report_page_says_the_data_conforms(client, tiny_snapshot):
    response = client.get("/validation", headers={"Accept": "text/html"})
    assert response.status_code == 200
    text = BeautifulSoup(response.data, "html.parser").select_one("p.verdict").get_text(" ")
    assert "conforms to its shapes" in text and tiny_snapshot.version in text
    assert tiny_snapshot.report.engine and f"by {tiny_snapshot.report.engine}" in text


@pytest.mark.parametrize("fmt", formats.RDF_FORMATS, ids=lambda f: f.name)
def test_the_report_is_rdf_in_every_format(client, fmt):
    response = client.get(f"/validation.{fmt.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type


def test_warnings_are_listed_with_focus_path_and_message(client_for):
    client = client_for(shapes={"advice.ttl": ADVICE})
    page = BeautifulSoup(client.get("/validation", headers={"Accept": "text/html"}).data,
                         "html.parser")
    rows = page.select("table.report tbody tr.warning")
    assert len(rows) == 2
    assert all("A person should have a birth date." in row.get_text() for row in rows)
    report = Graph().parse(data=client.get("/validation.ttl").data, format="turtle")
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(True)
    assert len(list(report.subjects(SH.resultSeverity, SH.Warning))) == 2
