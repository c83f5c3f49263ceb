"""What the data quotes from the articles is in the articles, word for word: headlines,
quotations, captions, credits, people's names and the other names kept as
``schema:name`` / ``schema:alternateName``.

The articles' texts are the project's own files, ``data/sources/{slug}.txt``: the article
only (headline, intertitles, paragraphs, captions), as published, in UTF-8 NFC. What
the web pages carried after the article (« Sur le même sujet », "Related posts", the
cookie banner) is not a source and is not in them.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from kg_helpers import ARTICLES, BASE, REPOSITORY, SOURCES, select

# lines of the web pages around the articles, none of which the articles say
NOT_ARTICLE = ("Sur le même sujet", "Related posts", "Top", "Advertising", "Other")
NOT_ARTICLE_WORDS = re.compile(r"cookie|confidentialité|gdpr|_ga\b", re.IGNORECASE)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def source(slug: str) -> str:
    return (SOURCES / f"{slug}.txt").read_bytes().decode("utf-8")


def article_text(slug: str) -> str:
    return normalise(source(slug))


def test_every_article_graph_has_its_text_and_no_other_text_is_there():
    graphs = {path.stem for path in (REPOSITORY / "data").glob("*.ttl")}
    texts = {path.stem for path in SOURCES.glob("*.txt")}
    assert texts == set(ARTICLES)
    assert texts <= graphs


@pytest.mark.parametrize("slug", ARTICLES)
def test_a_text_is_nfc_with_one_final_newline(slug):
    text = source(slug)
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text
    assert "\xa0" in text  # typography kept: no-break spaces before « » : and %


@pytest.mark.parametrize("slug", ARTICLES)
def test_a_text_holds_the_article_only(slug):
    lines = [line.strip() for line in source(slug).splitlines()]
    assert [line for line in lines if line in NOT_ARTICLE] == []
    assert [line for line in lines if NOT_ARTICLE_WORDS.search(line)] == []


def stated(snapshot, where: str) -> list[tuple[str, str]]:
    """(article slug, literal) for each literal matched by ``where`` in an article graph."""
    rows = select(
        snapshot,
        f"""
        PREFIX schema: <http://schema.org/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX gpr: <https://w3id.org/grand-paris-russia/ontology#>
        SELECT DISTINCT ?article ?text WHERE {{
          GRAPH ?g {{ ?g prov:wasDerivedFrom ?article . {where} }}
        }}""",
    )
    assert rows, f"nothing matches {where}"
    return [(row["article"].removeprefix(BASE + "id/article/"), row["text"]) for row in rows]


WHAT = {
    "headlines": "?a schema:headline ?text",
    "quotations": "?q a schema:Quotation ; schema:text ?text",
    "captions": "?i schema:caption ?text",
    "copyright notices": "?i schema:copyrightNotice ?text",
    "credits": "?i schema:creditText ?text",
    "commitments": "?c a gpr:Commitment ; schema:description ?text",
    # purposes are not all verbatim: « des premiers … de seconds » is resolved to the
    # French actors and the Russian authorities the same sentence names
    "challenges and deliverables": "?a gpr:recognisedChallenge|gpr:deliverable ?text",
    "people's names": "?p a schema:Person . { ?p rdfs:label ?text } UNION { ?p schema:name ?text } "
    "UNION { ?p schema:alternateName ?text }",
    "other names": "?x schema:name|schema:alternateName ?text . FILTER NOT EXISTS { ?x a schema:Person }",
}


@pytest.mark.parametrize("what", WHAT)
def test_is_in_its_article_word_for_word(repo_snapshot, what):
    missing = [
        (slug, text)
        for slug, text in stated(repo_snapshot, WHAT[what])
        if normalise(text) not in article_text(slug)
    ]
    assert missing == []


def test_headlines_are_the_first_lines(repo_snapshot):
    headlines = dict(stated(repo_snapshot, "?article schema:headline ?text"))
    assert {slug: source(slug).splitlines()[0] for slug in ARTICLES} == headlines


@pytest.mark.parametrize(
    ("slug", "number"),
    [
        ("grand-paris-expertise-exported-to-russia", "500"),
        ("grand-paris-expertise-exported-to-russia", "2015"),
        ("grand-paris-expertise-exported-to-russia", "70 %"),
        ("grand-paris-expertise-exported-to-russia", "21 pilot towns"),
        ("grand-paris-expertise-exported-to-russia", "five priority areas"),
        ("pce-makers-grand-paris-russie", "cinq chantiers prioritaires"),
    ],
)
def test_the_figures_are_the_articles(slug, number):
    assert number in article_text(slug)


@pytest.mark.parametrize("slug", ARTICLES)
def test_the_sentences_cover_the_text_in_order_and_nothing_else(slug):
    """Sentence IRIs (``#s{n}``) are published: the reviewed table must number every
    sentence once, in reading order, cut at no word, and leave out only white space."""
    text = source(slug)
    rows = (SOURCES / f"{slug}.sentences.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["n", "start", "end", "kind"]
    position = 0
    for number, row in enumerate(rows[1:], start=1):
        n, start, end, kind = row.split("\t")
        start, end = int(start), int(end)
        assert int(n) == number, f"sentence {n} out of order"
        assert kind in {"headline", "intertitle", "paragraph", "caption"}, kind
        assert text[position:start].strip() == "", f"s{n}: text left out before it"
        assert text[start:end] == text[start:end].strip() != "", f"s{n}: starts or ends in space"
        position = end
    assert text[position:].strip() == "", "text left out after the last sentence"
    assert rows[1].split("\t")[3] == "headline"
