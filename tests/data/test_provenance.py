"""Provenance (DESIGN §2): stated facts sit in their article's graph, implied ones in
BASE graph/derived, put there by the rules; nothing neither article states is
published."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from kg_helpers import BASE, select

from server.settings import REPOSITORY

DERIVED = BASE + "graph/derived"
SOURCES = {
    BASE + "graph/pce-makers-grand-paris-russie",
    BASE + "graph/grand-paris-expertise-exported-to-russia",
}
UNSTATED_ARTICLE_PROPERTIES = [
    "http://schema.org/datePublished",
    "http://schema.org/dateCreated",
    "http://schema.org/dateModified",
    "http://schema.org/author",
    "http://schema.org/creator",
    "http://schema.org/publisher",
    "http://purl.org/dc/terms/created",
    "http://purl.org/dc/terms/issued",
    "http://purl.org/dc/terms/date",
    "http://purl.org/dc/terms/creator",
    "http://purl.org/dc/terms/publisher",
]


def graphs_stating(snapshot, s: str, p: str, o: ox.NamedNode | ox.Literal) -> set[str]:
    quads = snapshot.store.oxigraph.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), o, None)
    return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}


def test_the_source_graphs_are_the_two_articles(repo_snapshot):
    rows = select(
        repo_snapshot,
        """
        SELECT DISTINCT ?g WHERE {
          GRAPH ?g { ?g a <https://w3id.org/grand-paris-russia/ontology#SourceGraph> }
        }""",
    )
    assert {row["g"] for row in rows} == SOURCES


@pytest.mark.parametrize("prop", UNSTATED_ARTICLE_PROPERTIES)
def test_no_graph_gives_an_article_a_publication_date_or_author(repo_snapshot, prop):
    rows = select(
        repo_snapshot,
        f"""
        SELECT ?g ?article ?value WHERE {{
          GRAPH ?g {{ ?article a <http://schema.org/NewsArticle> . }}
          GRAPH ?h {{ ?article <{prop}> ?value }}
        }}""",
    )
    assert rows == []


def test_article_graphs_hold_no_dates_but_the_stated_ones(repo_snapshot):
    rows = select(
        repo_snapshot,
        """
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT DISTINCT ?g ?s ?p ?date WHERE {
          GRAPH ?g { ?g a <https://w3id.org/grand-paris-russia/ontology#SourceGraph> . ?s ?p ?date }
          FILTER(DATATYPE(?date) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gMonthDay))
          # the facts, not the reifiers that say which sentence states them
          FILTER NOT EXISTS { GRAPH ?g { ?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> } }
        }""",
    )
    assert {
        (row["g"].rsplit("/", 1)[1], row["p"].rsplit("/", 1)[1], row["date"]) for row in rows
    } == {
        ("pce-makers-grand-paris-russie", "ontology#signingDate", "2018-11-29"),
        ("pce-makers-grand-paris-russie", "ontology#startMonthDay", "--11-29"),
        ("grand-paris-expertise-exported-to-russia", "ontology#signingDate", "2018-05-25"),
        ("grand-paris-expertise-exported-to-russia", "ontology#announcementMonthDay", "--05-25"),
        ("grand-paris-expertise-exported-to-russia", "ontology#referenceYear", "2015"),
    }


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        # the year of "le 29 novembre", completed from the same article
        (
            "id/event/exchange-at-cci-de-paris",
            "http://schema.org/startDate",
            ox.Literal(
                "2018-11-29", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        ),
        # "announced on 25 May", completed from the same article
        (
            "id/agreement/agreement-2018-05-25",
            BASE + "ontology#announcementDate",
            ox.Literal(
                "2018-05-25", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        ),
        # signed "the day after the visit" of 25 May 2018
        (
            "id/event/pce-delegation-visit",
            "http://schema.org/endDate",
            ox.Literal(
                "2018-05-24", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        ),
        # the organisations signatories act for
        (
            "id/agreement/convention-2018-11-29",
            BASE + "ontology#party",
            ox.NamedNode(BASE + "id/organization/services-communaux-et-milieux-confortables"),
        ),
        (
            "id/agreement/agreement-2018-05-25",
            BASE + "ontology#party",
            ox.NamedNode(BASE + "id/organization/ministry-of-construction-and-urban-services"),
        ),
        # schema.org shortcuts and org:headOf from the memberships
        (
            "id/person/alexandre-missoffe",
            "http://schema.org/worksFor",
            ox.NamedNode(BASE + "id/organization/paris-ile-de-france-capitale-economique"),
        ),
        (
            "id/person/christian-nibourel",
            "http://www.w3.org/ns/org#headOf",
            ox.NamedNode(BASE + "id/organization/paris-ile-de-france-capitale-economique"),
        ),
        (
            "id/person/andrei-tchibis",
            "http://schema.org/jobTitle",
            ox.Literal("Deputy Minister", language="en"),
        ),
        # the signing's date and attendees from its agreement; Tchibis attended without signing
        (
            "id/event/convention-signing-2018-11-29",
            "http://schema.org/attendee",
            ox.NamedNode(BASE + "id/person/andrei-tchibis"),
        ),
        (
            "id/event/agreement-signing-2018-05-25",
            "http://schema.org/superEvent",
            ox.NamedNode(BASE + "id/event/st-petersburg-international-forum"),
        ),
        # mentions, from each article's graph
        (
            "id/article/grand-paris-expertise-exported-to-russia",
            "http://schema.org/mentions",
            ox.NamedNode(BASE + "id/person/andrei-tchibis"),
        ),
    ],
)
def test_implied_facts_are_derived_into_the_derived_graph_only(
    repo_snapshot, subject, predicate, obj
):
    assert graphs_stating(repo_snapshot, BASE + subject, predicate, obj) == {DERIVED}


def test_the_derived_graph_restates_nothing_a_source_states(repo_snapshot):
    store = repo_snapshot.store.oxigraph
    restated = [
        q
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED))
        if any(
            True
            for g in SOURCES
            for _ in store.quads_for_pattern(q.subject, q.predicate, q.object, ox.NamedNode(g))
        )
    ]
    assert restated == []


def test_agreement_parties_are_never_stated(repo_snapshot):
    rows = select(
        repo_snapshot,
        """
        SELECT ?g WHERE { GRAPH ?g { ?a <https://w3id.org/grand-paris-russia/ontology#party> ?o } }""",
    )
    assert {row["g"] for row in rows} == {DERIVED}


def test_no_blank_nodes_in_the_data(repo_snapshot):
    """Every resource is named, so every statement's provenance can be checked by IRI."""
    rows = select(
        repo_snapshot,
        """
        SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o))
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/grand-paris-russia/graph/")) } LIMIT 5""",
    )
    assert rows == []


@pytest.mark.parametrize(
    "path", sorted((REPOSITORY / "data" / "rules").glob("*.rq")), ids=lambda p: p.name
)
def test_each_rule_says_what_it_derives(path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 20
    body = "\n".join(line for line in lines if not line.startswith("#"))
    assert "CONSTRUCT" in body.upper()
