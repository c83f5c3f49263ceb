"""Canned queries and the query page in Chromium, in French: pick a value in the form,
run the query, read the table; the query page's words and example titles follow the
reader's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

B = "https://w3id.org/grand-paris-russia/"


def test_filling_the_form_gets_the_table_of_labels(open_page):
    page = open_page("/queries/c01-posts-of-a-person", locale="fr-FR")
    assert page.locator("h1").inner_text().startswith("Quels postes une personne occupe-t-elle")
    page.get_by_label("Personne").select_option(label="Andreï Tchibis")
    page.get_by_role("button", name="Exécuter").click()
    page.wait_for_url("**person=*andrei-tchibis*")
    table = page.locator("table.results-table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == ["organization", "roleFr", "roleEn"]
    organizations = table.locator("tbody tr td:first-child a")
    assert sorted(organizations.all_inner_texts()) == [
        "délégation de représentants russes",
        "ministère fédéral de Russie de la Ville, de la Construction et des Services urbains",
    ]
    assert sorted(a.get_attribute("title") for a in organizations.all()) == [
        B + "id/organization/ministry-of-construction-and-urban-services",
        B + "id/organization/russian-delegation",
    ]
    csv = page.get_by_role("link", name="CSV")
    assert "/queries/c01-posts-of-a-person.csv?person=" in csv.get_attribute("href")


def test_a_wrong_date_typed_in_the_form_is_refused_naming_the_parameter(open_page):
    page = open_page("/queries/c02-events-from-a-date")
    page.goto(page.url + "?since=29/11/2018")
    assert "parameter since" in page.content()


def test_the_query_page_speaks_french_with_french_example_titles(open_page):
    page = open_page("/sparql", locale="fr-FR")
    assert page.locator("h1").inner_text() == "Point d’accès SPARQL"
    assert page.get_by_role("button", name="Exécuter la requête").count() == 1
    page.get_by_role("link", name="Qui a signé la convention du 29 novembre 2018 ?").click()
    table = page.locator("table.results-table")
    table.wait_for()
    assert page.locator("p.count").inner_text() == "2 ligne(s)"
    assert table.get_by_role("link", name="Alexandre Missoffe").get_attribute("title") == \
        B + "id/person/alexandre-missoffe"
