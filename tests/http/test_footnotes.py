"""Footnotes that open to their sentence, and the article's reading view (DESIGN §8).

On the tiny fixture, whose article ``alpha`` cites a sentence for every fact: a value's
footnote quotes the sentence of the article that states it, the words of the citation
marked, and links to that sentence in the article's reading view; a derived value names
its rule and its premises, down to their sentences; the reading view gives every
sentence with its anchor and the facts it states. Expected sentences and words are read
from the fixture's own files, and rule labels from the store.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from http_helpers import BROWSER

from tests.conftest import TINY, TINY_BASE, dataset_config, make_app

SOURCES = TINY / "data" / "sources"
ADA = "/page/person/ada-lovelace"
ARTICLE = "/page/article/alpha"
SCHEMA = "http://schema.org/"
NAMES = (SCHEMA + "name", "http://www.w3.org/2000/01/rdf-schema#label")


def sentences(folder: Path, slug: str) -> dict[int, tuple[str, str]]:
    """Sentence number -> (kind, text), from the sentence table and the text."""
    text = (folder / f"{slug}.txt").read_text(encoding="utf-8")
    with (folder / f"{slug}.sentences.tsv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    return {int(r["n"]): (r["kind"], text[int(r["start"]):int(r["end"])]) for r in rows}


def citation_lines(folder: Path, slug: str) -> list[dict[str, str]]:
    with (folder / f"{slug}.citations.tsv").open(encoding="utf-8") as table:
        lines = [line for line in table if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def soup_of(client, path: str, lang: str = "en") -> BeautifulSoup:
    response = client.get(path, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, path
    return BeautifulSoup(response.data, "html.parser")


def row(soup: BeautifulSoup, *predicates: str):
    """The row of a property, found by its IRI (the fixture's vocabulary has few labels);
    the names row stands for every naming property."""
    return next(r for r in soup.select(".row") if r.dt.a and r.dt.a.get("title") in predicates)


def quoted(sentence) -> str:
    return sentence.select_one("blockquote").get_text()


def test_the_fixture_cites_its_sentences():
    lines = citation_lines(SOURCES, "alpha")
    assert any(line["words"] for line in lines if line["subject"] != "-")
    assert any(line["subject"] == "-" for line in lines), "a sentence marked as stating nothing"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_footnote_quotes_the_sentence_with_its_words_marked(tiny_client, lang):
    said = sentences(SOURCES, "alpha")
    line = next(line for line in citation_lines(SOURCES, "alpha")
                if line["predicate"] == "schema:alternateName")
    n = int(line["sentence"].removeprefix("s"))
    soup = soup_of(tiny_client, ADA, lang)
    footnote = row(soup, SCHEMA + "alternateName").select_one("dd details.cite")
    assert footnote is not None and footnote.summary is not None
    assert "open" not in footnote.attrs, "closed until the reader opens it"
    sentence = footnote.select_one("figure.sentence")
    assert quoted(sentence) == said[n][1]
    assert [m.get_text() for m in sentence.select("mark")] == [line["words"]]
    link = sentence.select_one("a.to-sentence")
    assert link["href"] == f"{ARTICLE}#s{n}"
    assert str(n) in link.get_text()


def test_a_fact_cited_without_words_quotes_the_whole_sentence_unmarked(tiny_client):
    said = sentences(SOURCES, "alpha")
    soup = soup_of(tiny_client, ADA)
    sentence = row(soup, *NAMES).select_one("dd details.cite figure.sentence")
    assert quoted(sentence) in {text for _, text in said.values()}
    lines = citation_lines(SOURCES, "alpha")
    words = {line["words"] for line in lines if line["subject"] == "person:ada-lovelace"
             and line["predicate"] in ("*", "schema:name")}
    assert [m.get_text() for m in sentence.select("mark")] == [w for w in words if w]


def test_a_derived_value_names_its_rule_and_its_premises_sentences(tiny_client, tiny_snapshot):
    derived = f"{TINY_BASE}graph/derived"
    if not tiny_snapshot.store.query(f"ASK {{ GRAPH <{derived}> {{ ?st a "
                                     "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> } }"):
        pytest.skip("the loader mints no reifier in the derived graph yet")
    labels = {row["l"].value for row in tiny_snapshot.store.query(
        "SELECT ?l WHERE { GRAPH ?g { ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> "
        "<http://schema.org/memberOf> ; <http://www.w3.org/ns/prov#wasGeneratedBy> ?made } "
        "OPTIONAL { ?made <http://www.w3.org/ns/prov#qualifiedAssociation>/<http://www.w3.org/ns/prov#hadPlan> ?plan }"
        " ?rule <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(?rule = COALESCE(?plan, ?made)) "
        "FILTER(LANGMATCHES(LANG(?l), 'en')) }")}
    assert labels, "the derived statement names a labelled rule"
    soup = soup_of(tiny_client, ADA)
    footnote = row(soup, SCHEMA + "memberOf").select_one("dd details.cite")
    assert footnote.select_one("summary .mark-derived")
    assert footnote.select_one(".rule-name").get_text() in labels
    premises = footnote.select("ul.premises > li")
    assert premises, "the statements it was derived from"
    said = {text for _, text in sentences(SOURCES, "alpha").values()}
    quotes = {quoted(s) for p in premises for s in p.select("figure.sentence")}
    assert quotes and quotes <= said


def test_footnote_marks_are_numbered_in_reading_order(tiny_client):
    soup = soup_of(tiny_client, ADA)
    numbers = [int(m.get_text()) for m in soup.select("details.cite summary .mark")]
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(firsts) + 1))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_reading_view_gives_every_sentence_with_its_anchor_and_facts(tiny_client, lang):
    said = sentences(SOURCES, "alpha")
    soup = soup_of(tiny_client, ARTICLE, lang)
    reading = soup.select_one("section.reading")
    assert reading is not None
    shown = {int(s["id"].removeprefix("s")): s for s in reading.select(".sentence[id]")}
    assert sorted(shown) == sorted(said)
    for n, (kind, text) in said.items():
        element = shown[n]
        number = element.select_one("a.n")
        assert number["href"] == f"#s{n}"
        assert element.select_one(".said").get_text(" ", strip=True) == f"{n} {text}".strip()
        assert element.find_parent(class_=f"kind-{kind}") is not None
    lines = citation_lines(SOURCES, "alpha")
    for line in lines:
        n = int(line["sentence"].removeprefix("s"))
        facts = shown[n].select("ul.facts > li")
        if line["subject"] == "-":
            assert not facts
            assert line["words"] in shown[n].select_one(".facts.none").get_text()
        else:
            slug = line["subject"].split(":", 1)[1]
            assert any(a["href"].endswith(f"/{slug}") for f in facts for a in f.select("a")), \
                f"sentence {n} states a fact about {slug}"
    chrome = {"en": "The article, sentence by sentence", "fr": "L’article, phrase par phrase"}
    assert reading.h2.get_text() == chrome[lang]
    assert soup.html["lang"] == lang


def test_the_article_page_links_its_text(tiny_client):
    soup = soup_of(tiny_client, ARTICLE)
    link = soup.select_one("section.reading a.source-text")
    assert link["href"] == "/source/alpha.txt"
    response = tiny_client.get(link["href"])
    assert response.status_code == 200
    assert response.data == (SOURCES / "alpha.txt").read_bytes()


@pytest.fixture
def two_articles(tiny_copy: Path):
    """The tiny fixture with a second article, ``beta``, that also states Ada's name."""
    data = tiny_copy / "data"
    beta = data / "beta.ttl"
    # a cited fact needs an IRI: the blank-node note goes
    kept = [line for line in beta.read_text(encoding="utf-8").splitlines()
            if "schema:description" not in line]
    kept[-1] = kept[-1].rstrip(" ;") + " ."
    kept.append('<https://example.org/tiny/id/person/ada-lovelace> '
                '<http://schema.org/name> "Ada Lovelace" .')
    beta.write_text("\n".join(kept) + "\n", encoding="utf-8")
    headline, sentence = "Babbage and Ada", "Charles Babbage knew Ada Lovelace."
    (data / "sources" / "beta.txt").write_text(f"{headline}\n\n{sentence}\n", encoding="utf-8")
    start = len(headline) + 2
    (data / "sources" / "beta.sentences.tsv").write_text(
        f"n\tstart\tend\tkind\n1\t0\t{len(headline)}\theadline\n"
        f"2\t{start}\t{start + len(sentence)}\tparagraph\n", encoding="utf-8")
    (data / "sources" / "beta.citations.tsv").write_text(
        "sentence\tsubject\tpredicate\tobject\twords\n"
        "s1\t-\t-\t-\tA title.\n"
        "s2\tperson:charles-babbage\t*\t*\tCharles Babbage\n"
        "s2\tperson:ada-lovelace\tschema:name\t\"Ada Lovelace\"\tAda Lovelace\n",
        encoding="utf-8")
    return make_app(dataset_config(tiny_copy, TINY_BASE)).test_client()


def test_a_fact_stated_by_both_articles_shows_both_sentences(two_articles):
    soup = soup_of(two_articles, ADA)
    footnote = row(soup, *NAMES).select_one("dd details.cite")
    marks = [m.get_text() for m in footnote.select("summary .mark")]
    assert len(marks) == 2
    links = {a["href"] for a in footnote.select("a.to-sentence")}
    assert {h.split("#")[0] for h in links} == {ARTICLE, "/page/article/beta"}
    quotes = {quoted(s) for s in footnote.select("figure.sentence")}
    alpha_says = {text for _, text in sentences(SOURCES, "alpha").values()}
    assert len(quotes & alpha_says) == 1
    assert "Charles Babbage knew Ada Lovelace." in quotes
    beta = next(s for s in footnote.select("figure.sentence")
                if quoted(s) == "Charles Babbage knew Ada Lovelace.")
    assert [m.get_text() for m in beta.select("mark")] == ["Ada Lovelace"]


def test_the_full_list_of_values_opens_to_the_same_sentences(tiny_client):
    soup = soup_of(tiny_client, f"{ADA}/values?p=schema:alternateName")
    footnote = soup.select_one("ol.values details.cite")
    line = next(line for line in citation_lines(SOURCES, "alpha")
                if line["predicate"] == "schema:alternateName")
    assert [m.get_text() for m in footnote.select("mark")] == [line["words"]]
    assert footnote.select_one("a.to-sentence")["href"] == f"{ARTICLE}#{line['sentence']}"
