"""What the data quotes from the articles is in the articles, word for word: headlines,
quotations, captions, credits, people's names and the other names kept as
``schema:name`` / ``schema:alternateName``. The text after the article (the cookie
banner, « Sur le même sujet », "Related posts") is not a source.

The seed texts sit beside the repository (``../shared/seeds``); without them these
tests are skipped.
"""

from __future__ import annotations

import re

import pytest
from kg_helpers import ARTICLE_SEEDS, BASE, SEEDS, select

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed texts at {SEEDS}")

ENDS = ("Sur le même sujet", "Related posts")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def article_text(slug: str) -> str:
    text = (SEEDS / ARTICLE_SEEDS[slug]).read_text(encoding="utf-8")
    for end in ENDS:
        text = text.split(end, 1)[0]
    return normalise(text)


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


def test_headlines_are_the_first_lines():
    for seed in ARTICLE_SEEDS.values():
        first = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[0]
        assert first.strip() in {
            "PCE met en relation les makers du Grand Paris et la Russie",
            "Urban development: French expertise and Grand Paris exported to Russia",
        }


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
