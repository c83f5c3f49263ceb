"""Coverage (DESIGN §8): every fact of an article graph cites a sentence of the article,
and every sentence of the article is cited by a fact or marked with the reason it states
none. This is how missing facts are found: a failure lists each sentence and fact left,
as lines of the citations file to fill in (what ``ldpub citations`` prints).

An article is held to it from the moment its citations file exists; until then its case
is skipped, saying so.
"""

from __future__ import annotations

import pytest
from kg_helpers import ARTICLES, SOURCES

from server.domain.citations import CITATIONS_SUFFIX, fact_line, mark_line
from server.domain.loading import citation_coverage


@pytest.fixture(scope="module")
def coverage(repo_settings):
    return {article.source.slug: article for article in citation_coverage(repo_settings)}


def test_every_article_has_its_sentence_table(coverage):
    assert sorted(coverage) == sorted(ARTICLES)


@pytest.mark.parametrize("slug", ARTICLES)
def test_every_sentence_is_cited_or_marked_and_every_fact_cited(coverage, slug):
    if not (SOURCES / f"{slug}{CITATIONS_SUFFIX}").is_file():
        pytest.skip(f"{slug}{CITATIONS_SUFFIX} does not exist yet")
    article = coverage[slug]
    text = article.source.text_path.read_text(encoding="utf-8")
    sentences = [f"{mark_line(s)}   # {text[s.start:s.end]}" for s in article.unmarked]
    facts = [fact_line(t, article.prefixes) for t in article.uncited]
    assert sentences == [], "sentences neither cited nor marked:\n" + "\n".join(sentences)
    assert facts == [], "facts no line cites:\n" + "\n".join(facts)
    assert len(article.statements) > 0
