"""What a reader sees on a resource page: each fact once, footnotes without gaps, identity
links that say where they lead, and the licence named in the footer."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from server.web.i18n import messages

PERSON = "/page/person/alexandre-missoffe"


def soup_of(client, path: str, lang: str = "en") -> BeautifulSoup:
    response = client.get(path, headers={"Accept-Language": lang, "Accept": "text/html"})
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", [PERSON, "/page/place/russia", "/page/agreement/convention-2018-11-29",
                                  "/page/organization/paris-ile-de-france-capitale-economique"])
def test_footnotes_are_numbered_from_one_without_gaps(repo_client, path, lang):
    soup = soup_of(repo_client, path, lang)
    legend = [li.select_one(".mark").get_text() for li in soup.select("section.sources ol.legend li")]
    assert legend == [str(n) for n in range(1, len(legend) + 1)]
    used = {mark.get_text() for mark in soup.select("details.cite summary .mark")}
    assert used == set(legend), "every note is used and every mark has its note"


def test_a_person_lists_each_organisation_once_outside_the_schema_org_shortcuts(repo_client):
    soup = soup_of(repo_client, PERSON)
    titles = [dt.get_text(strip=True) for dt in soup.select("main dt")]
    assert not any("(org)" in t or "(schema)" in t for t in titles)
    assert "label" not in titles and titles.count("name") == 1
    folded = soup.select_one("section.folded details")
    assert folded is not None and not folded.has_attr("open")
    assert folded.summary.get_text(strip=True) == "For schema.org and ORG consumers"
    shortcuts = {dt.get_text(strip=True) for dt in folded.select("dt")}
    assert {"works for", "job title"} <= shortcuts
    outside = [dt.get_text(strip=True) for dt in soup.select("main dt")
               if dt.find_parent("details") is None]
    assert "works for" not in outside and not any(t.startswith("member of") for t in outside)


@pytest.mark.parametrize("lang, expected", [
    ("en", {"Wikidata: Kazan (Q900)", "DBpedia: Kazan"}),
    ("fr", {"Wikidata: Kazan (Q900)", "DBpedia: Kazan"}),
])
def test_identity_links_name_the_site_and_the_label_there(repo_client, lang, expected):
    soup = soup_of(repo_client, "/page/place/kazan", lang)
    links = {" ".join(a.get_text().split()) for a in soup.select('a[rel~="external"]')
             if "wikidata" in a["href"] or "dbpedia" in a["href"]}
    assert links == expected


def test_moscow_links_to_wikidata_under_its_french_label_for_french_readers(repo_client):
    soup = soup_of(repo_client, "/page/place/moscow", "fr")
    links = {" ".join(a.get_text().split()) for a in soup.select('a[href*="wikidata"]')}
    assert links == {"Wikidata: Moscou (Q649)"}


@pytest.mark.parametrize("path", ["/", PERSON, "/browse", "/dataset", "/search?q=paris"])
def test_the_footer_names_and_links_the_licence(repo_client, path):
    soup = soup_of(repo_client, path)
    licence = soup.select_one('footer a[rel="license"]')
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CC BY 4.0" in licence.get_text()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dataset_page_names_and_links_its_terms_and_every_graph(repo_client, repo_snapshot, lang):
    soup = soup_of(repo_client, "/dataset", lang)
    for section in ("classes", "properties", "graphs"):
        table = soup.find(id=section).find_next("table")
        for row in table.tbody.select("tr"):
            name, iri = row.select("td")[0], row.select("td")[1].get_text(strip=True)
            link = name.find("a")
            assert link is not None and link["href"], (section, iri)
            assert not link.get_text(strip=True).startswith("http"), (section, iri)
    graphs = {row.select("td")[1].get_text(strip=True)
              for row in soup.find(id="graphs").find_next("table").tbody.select("tr")}
    staged = repo_snapshot.staged
    assert {staged.ontology_graph, staged.shapes_graph} <= graphs
    for iri in (staged.ontology_graph, staged.shapes_graph):
        row = next(r for r in soup.find(id="graphs").find_next("table").tbody.select("tr")
                   if r.select("td")[1].get_text(strip=True) == iri)
        href = row.select_one("a")["href"]
        assert repo_client.get(href, headers={"Accept": "text/html"}).status_code == 200
    vocabularies = [li.find("a").get_text(strip=True) for li in soup.find(id="vocabularies").find_next("ul").select("li")]
    assert "schema.org" in vocabularies and not any(v.startswith("http") for v in vocabularies)


NAMES_NOT_WORDS = {"SHACL", "IRI", "SHA-256"}  # the same in every language


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_word_of_the_dataset_page_furniture_is_in_the_readers_language(repo_client, lang):
    """Headings, field names and column heads come from the site's words in ``lang``; the
    terms of the tables are named in ``lang`` (a label of that language, or no word at
    all in another language)."""
    soup = soup_of(repo_client, "/dataset", lang)
    words = {" ".join(w.split()) for w in messages(lang).values()}
    furniture = [el.get_text(" ", strip=True) for el in soup.select("main h2, main dt, main th")]
    assert furniture
    assert [text for text in furniture if text not in words | NAMES_NOT_WORDS] == []
    other = "fr" if lang == "en" else "en"
    for table in soup.select("main table.partitions"):
        for cell in table.select("tbody td:first-child"):
            named = cell.find(lang=True)
            assert named is None or named["lang"] == lang, cell.get_text(strip=True)
    text = soup.main.get_text(" ")
    for sentence in ("dataset_statements_count", "dataset_links_intro_after", "description_as"):
        longest = max(re.split(r"\{\w+\}", messages(other)[sentence]), key=len).strip()
        assert longest not in text


@pytest.mark.parametrize("lang, unit", [("en", " kB"), ("fr", " ko")])
def test_the_dump_sizes_read_in_the_readers_units(repo_client, lang, unit):
    soup = soup_of(repo_client, "/dataset", lang)
    sizes = [row.select("td")[2].get_text(strip=True) for row in soup.select("table.dumps tbody tr")]
    assert sizes and all(size.endswith(unit.strip()) for size in sizes)
    assert all(("," in size) == (lang == "fr") for size in sizes)


def section_titles(soup: BeautifulSoup) -> list[str]:
    return [h2.get_text(strip=True) for h2 in soup.select("main section.group > h2, "
                                                         "main section.group summary > h2")]


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Who signed, with whom", "Names", "When and where", "Who", "Purpose and content",
            "Notes", "Links to this resource"]),
    ("fr", ["Qui a signé, avec qui", "Noms", "Quand et où", "Qui", "Objet et contenu",
            "Notes", "Liens vers cette ressource"]),
])
def test_an_agreement_page_has_the_shapes_groups_in_their_order(repo_client, lang, expected):
    """shapes/groups.ttl ranks the groups, the agreement's shape places its properties:
    signatories under "who", dates and place under "when and where", the editorial note
    on how its purposes were read under "notes"."""
    soup = soup_of(repo_client, "/page/agreement/convention-2018-11-29", lang)
    assert section_titles(soup) == expected
    when = soup.select("main section.group")[2]
    rows = [dt.a["href"].rsplit("#", 1)[-1] for dt in when.select("dt")]
    assert rows[:2] == ["signingDate", "signedAt"], "sh:order within a group"
    who = soup.select("main section.group")[3]
    assert [dt.a["href"].rsplit("#", 1)[-1] for dt in who.select("dt")] == [
        "signatory", "signedInPresenceOf", "party"]


@pytest.mark.parametrize("lang, help_text", [
    ("en", "The people who signed it, as the articles name them."),
    ("fr", "Les personnes qui l’ont signé, telles que les articles les nomment."),
])
def test_a_property_carries_the_shapes_help_text_in_the_readers_language(repo_client, lang,
                                                                        help_text):
    soup = soup_of(repo_client, "/page/agreement/agreement-2018-05-25", lang)
    signatory = next(dt for dt in soup.select("main dt") if dt.a and dt.a["href"].endswith("#signatory"))
    help_line = signatory.select_one(".help")
    assert help_line.get_text(strip=True) == help_text
    assert help_line["lang"] == lang


UNSTATED = {"en": "not stated in the sources", "fr": "non précisé dans les sources"}


def unstated_rows(soup: BeautifulSoup) -> dict[str, str]:
    return {dd.find_previous_sibling("dt").a["href"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]:
            dd.get_text(strip=True) for dd in soup.select("main dd.unstated")}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_event_without_date_or_place_says_the_sources_do_not_state_them(repo_client, lang):
    soup = soup_of(repo_client, "/page/event/pce-delegation-visit", lang)
    assert unstated_rows(soup) == {"startDate": UNSTATED[lang], "location": UNSTATED[lang]}
    dated = soup_of(repo_client, "/page/event/exchange-at-cci-de-paris", lang)
    assert unstated_rows(dated) == {}, "a date and place that are there are shown, not denied"


@pytest.mark.parametrize("lang, name", [("en", "organisation"), ("fr", "organisation")])
def test_a_person_without_an_organisation_says_the_sources_do_not_state_it(repo_client, lang, name):
    soup = soup_of(repo_client, "/page/person/victoria-kushpeleva", lang)
    assert unstated_rows(soup) == {"memberOf": UNSTATED[lang]}
    dt = soup.select_one("main dd.unstated").find_previous_sibling("dt")
    assert dt.a.get_text(strip=True) == name and dt.find_parent("details") is None
    assert unstated_rows(soup_of(repo_client, PERSON, lang)) == {}


def test_an_agreement_signed_at_no_named_place_says_so(repo_client):
    soup = soup_of(repo_client, "/page/agreement/convention-2018-11-29", "fr")
    assert unstated_rows(soup) == {"signedAt": UNSTATED["fr"]}
    assert unstated_rows(soup_of(repo_client, "/page/agreement/agreement-2018-05-25", "fr")) == {}


def only_badges(node) -> list[tuple[str, str]]:
    return [(b.get_text(strip=True), b["title"]) for b in node.select("abbr.only")]


def test_values_given_in_one_language_carry_a_badge_that_says_so(repo_client):
    soup = soup_of(repo_client, "/page/agreement/convention-2018-11-29", "en")
    purpose = next(dt for dt in soup.select("main dt") if dt.a and dt.a["href"].endswith("#purpose"))
    assert only_badges(purpose) == [("fr only", "Given in French only: the sources have no English form.")]
    labels = next(dt for dt in soup.select("main dt") if dt.get_text(strip=True) == "label")
    assert only_badges(labels) == [], "a label given in both languages has no badge"
    french = soup_of(repo_client, "/page/agreement/convention-2018-11-29", "fr")
    purpose = next(dt for dt in french.select("main dt") if dt.a and dt.a["href"].endswith("#purpose"))
    assert only_badges(purpose) == [
        ("fr seulement", "Donné en français seulement : les sources n’en ont pas de forme en anglais.")]


def test_an_english_page_marks_a_french_only_label_as_french(repo_client):
    soup = soup_of(repo_client, "/page/quotation/signataires-s-inspirer-mutuellement", "en")
    heading = soup.select_one("main h1")
    assert heading["lang"] == "fr" and only_badges(heading)[0][0] == "fr only"
    link = next(a for a in soup.select("main dd a[lang]")
                if a.get_text(strip=True) == "convention of 29 November 2018")
    assert link["lang"] == "en" and link.find_next_sibling("abbr") is None
    french = soup_of(repo_client, "/page/quotation/signataires-s-inspirer-mutuellement", "fr")
    assert only_badges(french.select_one("main h1")) == [], "in French it is no exception"
