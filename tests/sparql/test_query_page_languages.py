"""The query page in French and English like every other page, and its results table:
labels in the reader's language with the IRI on hover, ``SELECT *`` columns in the
order the variables first appear in the query (in every results format, too)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .conftest import TINY

ORDERED = "SELECT * WHERE { ?person <http://schema.org/name> ?name ; a ?class }"


def soup(client, **args) -> BeautifulSoup:
    response = client.get("/sparql", query_string=args, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize(("lang", "heading", "button"), [
    ("en", "SPARQL endpoint", "Run query"),
    ("fr", "Point d’accès SPARQL", "Exécuter la requête"),
])
def test_the_page_speaks_the_readers_language(client, lang, heading, button):
    page = soup(client, lang=lang)
    assert page.html["lang"] == lang
    assert page.h1.text == heading
    assert page.select_one("#query-form button").text == button


def test_accept_language_chooses_french_and_each_language_has_its_etag(client):
    french = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "fr"})
    english = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Point d’accès SPARQL" in french.get_data(as_text=True)
    assert french.headers["ETag"] != english.headers["ETag"]
    assert "Accept-Language" in french.headers["Vary"]


@pytest.mark.parametrize(("lang", "label"), [("fr", "Société analytique"),
                                             ("en", "Analytical Society")])
def test_results_show_labels_in_the_readers_language_with_the_iri_on_hover(client, lang, label):
    query = "SELECT ?org WHERE { ?org a <http://schema.org/Organization> }"
    links = soup(client, query=query, lang=lang).select("table.results-table tbody a")
    iri = f"{TINY}id/organization/analytical-society"
    assert [(a.text, a["title"], a["lang"]) for a in links] == [(label, iri, lang)]


def test_select_star_columns_follow_the_query_on_the_page(client):
    headings = soup(client, query=ORDERED).select("table.results-table thead th")
    assert [th.text for th in headings] == ["person", "name", "class"]


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_select_star_columns_follow_the_query_in_every_format(client, fmt):
    response = client.get("/sparql", query_string={"query": ORDERED, "format": fmt})
    if fmt == "json":
        assert response.json["head"]["vars"] == ["person", "name", "class"]
    else:
        separator = "," if fmt == "csv" else "\t"
        first = response.get_data(as_text=True).splitlines()[0].split(separator)
        assert [name.lstrip("?") for name in first] == ["person", "name", "class"]
