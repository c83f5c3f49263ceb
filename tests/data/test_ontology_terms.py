"""The ontology: its metadata, every term documented in French and English with its
domain and range, and no term used anywhere that it does not define."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from server.settings import REPOSITORY

GPR = Namespace("https://w3id.org/grand-paris-russia/ontology#")
ONTOLOGY = URIRef("https://w3id.org/grand-paris-russia/ontology")
VANN = Namespace("http://purl.org/vocab/vann/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted((REPOSITORY / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


def defined_terms(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(GPR))}


def languages(graph: Graph, subject, predicate) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_ontology_metadata(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert languages(ontology, ONTOLOGY, DCTERMS.title) == {"fr", "en"}
    assert languages(ontology, ONTOLOGY, RDFS.label) == {"fr", "en"}
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.license) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.creator) == URIRef(
        "https://w3id.org/grand-paris-russia/"
    )
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "gpr"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(GPR)


def test_every_term_is_documented_in_french_and_english(ontology):
    undocumented = {
        term: (languages(ontology, term, RDFS.label), languages(ontology, term, RDFS.comment))
        for term in defined_terms(ontology)
        if languages(ontology, term, RDFS.label) != {"fr", "en"}
        or languages(ontology, term, RDFS.comment) != {"fr", "en"}
        or ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY
    }
    assert undocumented == {}


def test_every_property_has_a_domain_and_a_range(ontology):
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    assert properties
    assert {
        p
        for p in properties
        if ontology.value(p, RDFS.domain) is None or ontology.value(p, RDFS.range) is None
    } == set()


def test_every_term_is_a_class_or_a_property(ontology):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    assert {
        t for t in defined_terms(ontology) if not set(ontology.objects(t, RDF.type)) & kinds
    } == set()


def test_no_term_is_used_that_the_ontology_does_not_define(ontology):
    used = set()
    folders = ("data", "shapes", "queries", "data/rules")
    for folder in folders:
        for path in (REPOSITORY / folder).iterdir():
            if path.suffix in (".ttl", ".rq"):
                text = path.read_text(encoding="utf-8")
                used |= {GPR[name] for name in re.findall(r"\bgpr:([A-Za-z][A-Za-z0-9]*)", text)}
                used |= {
                    GPR[name]
                    for name in re.findall(re.escape(str(GPR)) + r"([A-Za-z][A-Za-z0-9]*)", text)
                }
    assert used - defined_terms(ontology) == set()


def test_every_property_and_class_the_data_uses_has_french_and_english_labels(
    repo_snapshot, ontology
):
    """So that pages show labels rather than IRIs (external terms are labelled in
    ontology/external-terms.ttl)."""
    result = repo_snapshot.store.query("""
        SELECT DISTINCT ?term WHERE {
          GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/grand-paris-russia/graph/"))
        }""")
    unlabelled = sorted(
        row["term"].value
        for row in result
        if languages(ontology, URIRef(row["term"].value), RDFS.label) != {"fr", "en"}
        and not row["term"].value.startswith(
            (
                "http://www.w3.org/ns/dcat#",
                "http://rdfs.org/ns/void#",
                "http://purl.org/dc/terms/",
                "http://www.w3.org/2000/01/rdf-schema#comment",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            )
        )
    )
    assert unlabelled == []
