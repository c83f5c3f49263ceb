"""Resource pages on the repository's own data: labels in the reader's language, type
badges, grouped properties, nested memberships and quotations, incoming links, the
article behind every statement, captions, every format, and the data as JSON-LD."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from http_helpers import as_rdflib, ground
from rdflib import Graph
from rdflib.compare import isomorphic

from server.domain.formats import RDF_FORMATS

BASE = "https://w3id.org/grand-paris-russia/"
TCHIBIS = "/page/person/andrei-tchibis"
MISSOFFE = "/page/person/alexandre-missoffe"
PCE = "/page/organization/paris-ile-de-france-capitale-economique"


def page(client, path: str, language: str = "en", **headers) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": language,
                                         **headers})
    assert response.status_code == 200, path
    return BeautifulSoup(response.data, "html.parser")


@pytest.mark.parametrize(("language", "title"), [
    ("en", "Greater Paris Investment Agency"),
    ("fr", "Paris-Ile de France Capitale Economique"),
    ("fr-CA, en;q=0.5", "Paris-Ile de France Capitale Economique"),
    ("de, en;q=0.1", "Greater Paris Investment Agency"),
])
def test_the_title_is_the_label_in_the_readers_language(repo_client, language, title):
    soup = page(repo_client, PCE, language)
    assert soup.h1.get_text(strip=True) == title
    assert soup.h1["lang"] == soup.html["lang"][:2] or soup.h1["lang"] in ("en", "fr")
    assert soup.title.get_text().startswith(title)


def test_the_language_switch_wins_over_accept_language(repo_client):
    soup = page(repo_client, PCE + "?lang=fr", "en")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Paris-Ile de France Capitale Economique"
    switch = {a["hreflang"]: a["href"] for a in soup.select("nav.languages a")}
    assert switch == {"en": PCE + "?lang=en", "fr": PCE + "?lang=fr"}
    alternates = {link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"en", "fr"}


def test_the_page_shows_labels_and_type_badges_not_iris(repo_client):
    soup = page(repo_client, TCHIBIS, "fr")
    assert [b.get_text() for b in soup.select("ul.badges .badge")] == ["Personne"]
    for link in soup.select("main a"):
        assert not link.get_text(strip=True).startswith("http"), link
    rows = {dt.get_text(strip=True) for dt in soup.select("dl.properties dt")}
    assert {"nom", "travaille pour", "Fonctions occupées", "Mentionné dans"} <= rows
    assert "libellé" not in rows, "the label and the schema.org name are one name"


def test_every_value_says_which_graph_states_it_and_derived_facts_are_marked(repo_client):
    soup = page(repo_client, TCHIBIS)
    legend = {li["id"]: li for li in soup.select("section.sources li")}
    footnotes = soup.select("main dd details.cite")
    assert footnotes
    for footnote in footnotes:
        numbers = [m.get_text() for m in footnote.select("summary .mark")]
        name = footnote.summary.get_text()
        assert numbers and name.startswith("Sources of this value: ")
        assert name.removeprefix("Sources of this value: ").split(", ") == numbers
        for link in footnote.select("a.cite-legend"):
            assert link["href"].lstrip("#") in legend
    articles = [li.a["href"] for li in legend.values() if li.a]
    assert "http://localhost/id/article/pce-makers-grand-paris-russie" in articles
    works_for = next(row for row in soup.select(".row") if row.dt.get_text(strip=True) == "works for")
    assert works_for.select("summary .mark-derived"), "schema:worksFor is derived from the memberships"
    name = next(row for row in soup.select(".row") if row.dt.get_text(strip=True) == "name")
    assert name.select("summary .mark") and not name.select("summary .mark-derived")


def test_memberships_are_shown_inside_the_page_of_their_member(repo_client):
    soup = page(repo_client, TCHIBIS)
    positions = next(row for row in soup.select(".row")
                     if row.dt.get_text(strip=True) == "Positions held")
    text = positions.get_text(" ", strip=True)
    assert "Deputy Minister" in text and "head of delegation" in text
    assert positions.select(".nested")


def test_quotations_are_shown_as_quotes_with_their_language(repo_client):
    soup = page(repo_client, MISSOFFE)
    quotes = soup.select("figure.quote blockquote")
    texts = [q.get_text(strip=True) for q in quotes]
    assert any(t.startswith("le point de départ d’une collaboration") for t in texts)
    assert all(q.get("lang") in ("fr", "en") for q in quotes)


def test_captions_are_shown_on_the_photo_and_beside_links_to_it(repo_client):
    photo = page(repo_client, "/page/image/missoffe-and-makrouchine-signing-the-convention")
    caption = photo.select_one("figure.caption p")
    assert caption["lang"] == "fr" and "signent une convention" in caption.get_text()
    assert "JGP" in photo.select_one("figure.caption .credit").get_text()
    person = page(repo_client, TCHIBIS)
    gist = [g.get_text() for g in person.select(".gist")]
    assert any("échangent sur leurs projets" in g for g in gist)


def test_a_derived_inverse_gives_way_to_the_link_a_source_states(repo_client):
    soup = page(repo_client, TCHIBIS)
    titles = [dt.get_text(strip=True) for dt in soup.select("dl.properties dt")]
    assert "subject of" not in titles  # schema:subjectOf, derived from the photo's schema:about
    assert "Subject of" in titles


def test_links_to_every_format_and_the_embedded_json_ld(repo_client, repo_snapshot):
    response = repo_client.get(TCHIBIS)
    soup = BeautifulSoup(response.data, "html.parser")
    hrefs = {a["type"]: a["href"] for a in soup.select("section.formats a")}
    assert hrefs == {f.media_type: f"/data/person/andrei-tchibis.{f.name}" for f in RDF_FORMATS}
    head = {link["type"] for link in soup.select('head link[rel="alternate"][type]')}
    assert {f.media_type for f in RDF_FORMATS} <= head
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    text = str(scripts[0].string)
    assert "</script" not in text and isinstance(json.loads(text), dict)
    embedded = Graph().parse(data=text, format="json-ld")
    served = Graph().parse(data=repo_client.get("/data/person/andrei-tchibis.jsonld").data,
                           format="json-ld")
    assert isomorphic(embedded, served)
    stored = as_rdflib(repo_snapshot.store.describe(BASE + "id/person/andrei-tchibis"))
    assert ground(stored) - set(embedded) == set(), "the page leaves out what the store says"


def test_a_property_with_many_values_is_shown_in_part_with_a_link_to_all(repo_client, repo_snapshot):
    article = BASE + "id/article/pce-makers-grand-paris-russie"
    mentions = {q.object for q in repo_snapshot.store.quads()
                if q.subject.value == article and q.predicate.value == "http://schema.org/mentions"}
    assert len(mentions) > 12
    soup = page(repo_client, "/page/article/pce-makers-grand-paris-russie")
    row = next(r for r in soup.select(".row") if r.dt.get_text(strip=True) == "mentions")
    assert len(row.select("dd:not(.more)")) == 12
    more = row.select_one("dd.more a")
    assert str(len(mentions)) in more.get_text()
    full = page(repo_client, more["href"])
    listed = {a["href"] for a in full.select("ol.values > li > a:not(.mark)")}
    assert listed == {m.value.replace(BASE, "http://localhost/") for m in mentions}


def test_pages_are_accessible(repo_client):
    soup = page(repo_client, TCHIBIS)
    assert soup.html["lang"] == "en"
    assert len(soup.select("main")) == 1 and soup.select("header.site") and soup.select("footer")
    assert len(soup.select("h1")) == 1
    assert soup.select_one("a.skip-link")["href"] == "#content"
    assert all(nav.get("aria-label") for nav in soup.select("nav"))
    assert all(section.get("aria-labelledby") for section in soup.select("main section"))
    for literal in soup.select("span.literal"):
        tag = literal.find_next_sibling("abbr")
        if tag is not None and tag.get("class") == ["tag"]:
            assert literal.get("lang") == tag.get_text()
    assert not soup.select("img:not([alt])")


def test_the_signing_graph_speaks_the_readers_language(repo_client):
    """The picture of who signed an agreement is drawn in the page's language: its title,
    legend and words, and the names it shows."""
    for lang, title, signed in (("fr", "Qui a signé", "a signé"), ("en", "Who signed", "signed")):
        figure = page(repo_client, "/page/agreement/convention-2018-11-29", lang).select_one(
            "figure.signing")
        assert figure.select_one(".picture-title").get_text().startswith(title), lang
        legend = [item.get_text(strip=True) for item in figure.select(".legend-lines li")]
        assert legend[0] == signed, f"{lang} legend: {legend}"
        shown = {text.get("lang") for text in figure.select("svg text[lang]")}
        assert lang in shown, f"the {lang} page's picture names things in {shown}"


def test_dates_are_written_for_the_reader_and_kept_for_machines(repo_client):
    soup = page(repo_client, "/page/agreement/convention-2018-11-29", "fr")
    times = {t["datetime"]: t.get_text() for t in soup.select("time")}
    assert times["2018-11-29"] == "29 novembre 2018"
    english = page(repo_client, "/page/agreement/convention-2018-11-29", "en")
    assert {t["datetime"]: t.get_text() for t in english.select("time")}["2018-11-29"] == \
        "29 November 2018"


def test_no_template_or_rdf_object_leaks_into_a_page(repo_client):
    for path in (TCHIBIS, PCE, "/page/agreement/agreement-2018-05-25", "/ontology", "/shapes"):
        text = repo_client.get(path).get_data(as_text=True)
        assert not re.search(r"<pyoxigraph|NamedNode\(|Literal\(|rdflib\.term|\{\{|\}\}", text), path
