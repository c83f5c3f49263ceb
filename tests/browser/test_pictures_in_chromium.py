"""The pictures the server draws, seen in Chromium: the home page's timeline and an
agreement's signing graph render (drawn, with a size, without any script), carry a text
alternative that the browser's accessibility tree reads, and link to what they show —
in English and in French."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CONVENTION = "/page/agreement/convention-2018-11-29"
TITLES = {
    "en": ("Timeline of the dated events",
           "Who signed the convention of 29 November 2018, and with whom"),
    "fr": ("Chronologie des événements datés",
           "Qui a signé « convention du 29 novembre 2018 », et avec qui"),
}


def open_without_script(chromium, live_url, path: str, lang: str):
    context = chromium.new_context(locale=lang, java_script_enabled=False,
                                   viewport={"width": 1200, "height": 900})
    page = context.new_page()
    response = page.goto(f"{live_url}{path}?lang={lang}")
    assert response.status == 200
    return context, page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_home_page_draws_a_timeline_of_the_dated_events(chromium, live_url, repo_snapshot, lang):
    dated = {row["e"].value for row in repo_snapshot.store.query(
        "SELECT DISTINCT ?e WHERE { ?e a <http://schema.org/Event> ; "
        "<http://schema.org/startDate> ?d }")}
    assert len(dated) >= 3
    context, page = open_without_script(chromium, live_url, "/", lang)
    try:
        picture = page.get_by_role("img", name=TITLES[lang][0], exact=True)
        assert picture.count() == 1, "an image named by its <title>"
        box = picture.bounding_box()
        assert box["width"] > 300 and box["height"] > 80
        dots = [picture.locator("circle").nth(i).bounding_box() for i in range(len(dated))]
        assert all(d["width"] > 0 for d in dots)
        assert [d["y"] for d in dots] == sorted(d["y"] for d in dots), "earliest first"
        marks = page.get_by_role("link", name=("25 May 2018" if lang == "en" else "25 mai 2018")
                                 + " — ", exact=False)
        assert marks.count() == 1, "each mark is a link named by its <title>"
        marks = page.locator("figure.timeline svg a.mark")
        hrefs = [marks.nth(i).get_attribute("href") for i in range(marks.count())]
        assert {href.split("/id/", 1)[1] for href in hrefs} == {e.split("/id/", 1)[1] for e in dated}
        assert hrefs[0].endswith("/id/event/agreement-signing-2018-05-25")
        description = picture.evaluate("svg => document.getElementById("
                                       "svg.getAttribute('aria-describedby')).textContent")
        assert ("25 May 2018" if lang == "en" else "25 mai 2018") in description
        listed = page.locator("figure.timeline figcaption a")
        assert [listed.nth(i).get_attribute("href") for i in range(len(hrefs))] == hrefs, \
            "the same links as text, for keyboards and screen readers"
        marks.first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith(
            "signing of the agreement" if lang == "en" else "signature de l")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_agreement_page_draws_who_signed_what_with_whom(chromium, live_url, lang):
    context, page = open_without_script(chromium, live_url, CONVENTION, lang)
    try:
        picture = page.get_by_role("img", name=TITLES[lang][1], exact=True)
        assert picture.count() == 1
        assert picture.bounding_box()["height"] > 100
        people = picture.locator("text.person")
        assert sorted(people.nth(i).text_content() for i in range(people.count())) == [
            "Alexandre Missoffe", "Alexei Makrouchine", "Andreï Tchibis"]
        assert picture.locator("text.agreement").count() == 2, "and the other agreement they signed"
        current = page.locator("figure.signing svg a.agreement.current")
        assert current.get_attribute("href").endswith(CONVENTION.replace("/page/", "/id/"))
        assert page.locator("figure.signing").get_by_role("link", name="Alexei Makrouchine", exact=True).count() == 1
        assert picture.locator("line.edge.signed").count() == 4
        assert picture.locator("line.edge.present").count() == 1
        assert all(picture.locator("line.edge").nth(i).bounding_box() is not None
                   for i in range(picture.locator("line.edge").count()))
        described = picture.evaluate("svg => document.getElementById("
                                     "svg.getAttribute('aria-describedby')).textContent")
        present = ("Andreï Tchibis attended the signing" if lang == "en"
                   else "Andreï Tchibis a assisté à la signature")
        assert present in described
        legend = page.locator("figure.signing ul.legend-lines").inner_text()
        assert ("present without signing" if lang == "en" else "présent sans signer") in legend
    finally:
        context.close()


def test_a_page_without_signatories_draws_no_signing_graph(chromium, live_url):
    context, page = open_without_script(chromium, live_url, "/page/person/alexandre-missoffe", "en")
    try:
        assert page.locator("figure.signing").count() == 0
    finally:
        context.close()
