"""What a reader sees of the sources in a real browser, in English and in French, with
and without script: a footnote opens to the sentence that states its value, the words
marked; the article's reading view scrolls to and highlights ``#s{n}``, and lists what
each sentence states. On the tiny fixture, whose article ``alpha`` cites every fact."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import TINY

pytestmark = pytest.mark.browser

SOURCES = TINY / "data" / "sources"
ADA = "/page/person/ada-lovelace"
ARTICLE = "/page/article/alpha"
LOCALES = {"en": "en-GB", "fr": "fr-FR"}
ALTERNATE_NAME = "http://schema.org/alternateName"


def alpha() -> tuple[str, list[dict[str, str]], list[dict[str, str]]]:
    text = (SOURCES / "alpha.txt").read_text(encoding="utf-8")
    with (SOURCES / "alpha.sentences.tsv").open(encoding="utf-8") as table:
        table_rows = list(csv.DictReader(table, delimiter="\t"))
    with (SOURCES / "alpha.citations.tsv").open(encoding="utf-8") as lines:
        cited = list(csv.DictReader((line for line in lines if not line.startswith("#")),
                                    delimiter="\t"))
    return text, table_rows, cited


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_footnote_opens_to_its_sentence(open_tiny_page, lang, script):
    text, table, cited = alpha()
    line = next(c for c in cited if c["predicate"] == "schema:alternateName")
    n = int(line["sentence"].removeprefix("s"))
    sentence = next(text[int(r["start"]):int(r["end"])] for r in table if int(r["n"]) == n)
    page = open_tiny_page(ADA, locale=LOCALES[lang], script=script)
    assert page.locator("html").get_attribute("lang") == lang
    row = page.locator(".row", has=page.locator(f'dt a[title="{ALTERNATE_NAME}"]'))
    quote = row.locator("details.cite figure.sentence blockquote").first
    assert not quote.is_visible(), "the footnote is closed until opened"
    row.locator("details.cite > summary").first.click()
    assert quote.is_visible()
    assert quote.inner_text().strip() == sentence
    assert quote.locator("mark").inner_text() == line["words"]
    link = row.locator("details.cite a.to-sentence").first
    link.click()
    page.wait_for_url(f"**{ARTICLE}#s{n}")
    assert page.evaluate("document.querySelector(':target').id") == f"s{n}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_article_page_scrolls_to_and_highlights_the_sentence(open_tiny_page, lang):
    _, table, _ = alpha()
    last = max(int(r["n"]) for r in table)
    page = open_tiny_page(f"{ARTICLE}#s{last}", locale=LOCALES[lang], width=800)
    target = page.locator(f"#s{last}")
    assert page.evaluate("document.querySelector(':target').id") == f"s{last}"
    assert target.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], "scrolled into view"
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    other = page.locator("#s1").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background != other, "the target sentence is highlighted, the others are not"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_reading_view_lists_each_sentences_facts(open_tiny_page, lang):
    text, table, cited = alpha()
    page = open_tiny_page(ARTICLE, locale=LOCALES[lang])
    heading = {"en": "The article, sentence by sentence", "fr": "L’article, phrase par phrase"}
    assert page.get_by_role("heading", name=heading[lang]).is_visible()
    assert page.locator("section.reading .text").get_attribute("lang") in (None, "en")
    for row in table:
        n = int(row["n"])
        sentence = page.locator(f"#s{n}")
        assert text[int(row["start"]):int(row["end"])] in sentence.locator(".said").inner_text()
        lines = [c for c in cited if c["sentence"] == f"s{n}"]
        facts = sentence.locator("ul.facts > li")
        if all(c["subject"] == "-" for c in lines):
            assert facts.count() == 0
        else:
            assert facts.count() >= len(lines)
            subjects = {c["subject"].split(":", 1)[1] for c in lines}
            hrefs = {facts.nth(i).locator("a").first.get_attribute("href")
                     for i in range(facts.count())}
            assert {h.rsplit("/", 1)[1] for h in hrefs} >= subjects
