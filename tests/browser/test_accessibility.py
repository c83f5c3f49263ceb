"""axe-core in Chromium on one page of every kind, in both languages: no serious or
critical violation. Each page is also photographed (``build/screenshots/``, ignored by
git) so a reviewer can look at every kind of page in both languages."""

from __future__ import annotations

import pytest

from server.settings import REPOSITORY

pytestmark = pytest.mark.browser

AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPOSITORY / "build" / "screenshots"
PAGES = {
    "home": "/",
    "person": "/page/person/alexandre-missoffe",
    "person-unstated": "/page/person/victoria-kushpeleva",
    "organization": "/page/organization/paris-ile-de-france-capitale-economique",
    "place": "/page/place/moscow",
    "event": "/page/event/pce-delegation-dialogue",
    "agreement": "/page/agreement/convention-2018-11-29",
    "agreement-2": "/page/agreement/agreement-2018-05-25",
    "commitment": "/page/agreement/agreement-2018-05-25-mixed-teams",
    "article": "/page/article/pce-makers-grand-paris-russie",
    "project": "/page/project/future-cities-platform",
    "concept": "/page/concept/city-planning",
    "quotation": "/page/quotation/missoffe-point-de-depart",
    "image": "/page/image/missoffe-and-makrouchine-signing-the-convention",
    "membership": "/page/role/alexandre-nekrassov-cfree",
    "figure": "/page/observation/cities-over-a-million-inhabitants-2015",
    "browse": "/browse?class=http://schema.org/Place",
    "search": "/search?q=paris",
    "graph": "/graph/derived",
    "dataset": "/dataset",
    "ontology": "/ontology",
    "shapes": "/shapes",
    "validation": "/validation",
    "sparql": "/sparql",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_accessibility_violation(chromium, live_url, axe_source, kind, lang):
    # the page's own CSP forbids injected scripts, rightly; axe is the test's, not the page's
    context = chromium.new_context(locale=lang, bypass_csp=True,
                                   viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        separator = "&" if "?" in PAGES[kind] else "?"
        response = page.goto(f"{live_url}{PAGES[kind]}{separator}lang={lang}")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == lang
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{kind}-{lang}.png"), full_page=True)
        page.add_script_tag(content=axe_source)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        grave = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                 for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert grave == [], f"{kind} ({lang}): {grave}"
    finally:
        context.close()


def test_the_screenshots_stay_out_of_the_repository():
    ignored = (REPOSITORY / ".gitignore").read_text().split()
    assert "build/" in ignored and SCREENSHOTS.relative_to(REPOSITORY).parts[0] == "build"
