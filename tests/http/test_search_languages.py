"""Search in both languages: a name either article prints, or its translation kept in
the translations graph, finds the resource whatever the case and the accents."""

from __future__ import annotations

import pytest

BASE = "https://w3id.org/grand-paris-russia/"
TRANSLATIONS = BASE + "graph/translations"


@pytest.mark.parametrize("query, expected", [
    ("Moscou", "place/moscow"),
    ("saint-petersbourg", "place/saint-petersburg"),
    ("Petersbourg", "place/saint-petersburg"),
    ("TCHIBIS", "person/andrei-tchibis"),
    ("délégation de représentants russes", "organization/russian-delegation"),
    ("Russian representatives", "organization/russian-delegation"),
])
def test_a_name_in_either_language_finds_the_resource_first(repo_client, query, expected):
    found = repo_client.get("/search", query_string={"q": query, "format": "json"}).get_json()
    assert found["results"][0]["iri"] == BASE + "id/" + expected
    assert found["results"][0]["types"], "each hit says what it is"


def test_translated_labels_sit_in_the_translations_graph_only_with_a_note(repo_snapshot):
    text = f"""
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX gpr: <{BASE}ontology#>
    SELECT ?g ?note WHERE {{
      GRAPH ?g {{ <{BASE}id/place/moscow> rdfs:label "Moscou"@fr }}
      OPTIONAL {{ GRAPH ?g {{ ?g a gpr:TranslationGraph .
                             <{BASE}id/place/moscow> skos:editorialNote ?note }} }}
    }}"""
    rows = [(s["g"].value, s["note"]) for s in repo_snapshot.store.query(text)]
    assert {g for g, _ in rows} == {TRANSLATIONS}
    assert all(note is not None for _, note in rows)


def test_an_english_reader_sees_an_english_name_where_only_the_french_article_names_it(repo_client):
    page = repo_client.get("/page/organization/russian-delegation",
                           headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1 lang=\"en\">delegation of Russian representatives</h1>" in page
    assert "The English label is a translation" in page
