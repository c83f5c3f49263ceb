"""What a person sees in a real browser: the home page, a person's page in both
languages, search, and the JSON-LD a page carries for machines."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TCHIBIS = "/page/person/andrei-tchibis"


def test_the_home_page_presents_the_dataset(open_page, live_url):
    page = open_page("/")
    assert page.locator("h1").inner_text() == "Grand Paris – Russia knowledge graph"
    classes = page.locator("ul.tree a")
    assert classes.count() >= 10
    assert page.locator("ul.tree li", has=page.get_by_role("link", name="Agreement", exact=True)) \
        .first.locator("> .n").inner_text() == "2"
    assert page.locator("ul.source-list a").count() == 2
    assert page.locator("ul.examples li").count() > 5
    assert all(url.startswith(live_url) for url in page.requested), "no external asset"


def test_a_person_page_in_english_then_in_french(open_page):
    page = open_page(TCHIBIS, locale="en-GB")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Andreï Tchibis"
    assert page.get_by_text("Positions held").is_visible()
    assert page.locator("ul.badges").inner_text() == "Person"
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url.endswith("?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Fonctions occupées").is_visible()
    assert page.locator("ul.badges").inner_text() == "Personne"


def test_the_title_follows_the_browser_language(open_page):
    pce = "/page/organization/paris-ile-de-france-capitale-economique"
    assert open_page(pce, locale="fr-FR").locator("h1").inner_text() == \
        "Paris-Ile de France Capitale Economique"
    assert open_page(pce, locale="en-US").locator("h1").inner_text() == \
        "Greater Paris Investment Agency"


def test_the_embedded_json_ld_parses(open_page):
    page = open_page(TCHIBIS)
    document = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    ids = {node.get("@id") for node in document["@graph"]}
    assert any(i and i.endswith("andrei-tchibis") for i in ids)
    assert isinstance(document["@context"], dict)


@pytest.mark.parametrize("query", ["tchibis", "Andrei"])
def test_search_finds_tchibis(open_page, query):
    page = open_page("/")
    page.locator("#home-q").fill(query)
    page.locator("#home-q").press("Enter")
    page.wait_for_load_state()
    first = page.locator("ol.results li.item > a").first
    assert first.inner_text() == "Andreï Tchibis"
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith(TCHIBIS)
    assert page.locator("h1").inner_text() == "Andreï Tchibis"


def test_pages_fit_a_phone(open_page):
    for path in ("/", TCHIBIS, "/page/agreement/convention-2018-11-29", "/ontology?lang=fr"):
        page = open_page(path, width=360)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_french_stays_across_five_clicks(open_page):
    """Chosen once with the switch, French holds on every page reached by links."""
    page = open_page("/", locale="en-GB")
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    path = [
        lambda: page.locator("nav.main a").nth(1),  # Parcourir
        lambda: page.locator("ul.tree a", has_text="Personne").first,
        lambda: page.locator("ol.items li.item > a:not(.badge)").first,
        lambda: page.locator("main dd a:not(.mark):not(.external):visible").first,
        lambda: page.locator("nav.main a").first,  # Accueil
    ]
    for step, link in enumerate(path, 1):
        link().click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "fr", (step, page.url)
        assert "lang=" not in page.url, "the language is kept without a parameter in each link"
        assert page.locator("nav.main").inner_text().startswith("Accueil"), (step, page.url)


@pytest.mark.parametrize("query, expected", [
    ("Moscou", "Moscow"), ("saint-petersbourg", "St. Petersburg"), ("TCHIBIS", "Andreï Tchibis"),
])
def test_search_finds_names_in_either_language(open_page, query, expected):
    page = open_page("/", locale="en-GB")
    page.locator("#home-q").fill(query)
    page.locator("#home-q").press("Enter")
    page.wait_for_load_state()
    first = page.locator("ol.results li.item").first
    assert first.locator("> a").first.inner_text() == expected
    assert first.locator(".badge").count() >= 1, "the hit says what it is"
