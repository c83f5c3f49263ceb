"""A client that parses a resource's Turtle over HTTP with rdflib finds, for each stated
triple, the sentence that states it and its quote, with the query docs/data-model.md
documents (DESIGN §8); the page of the resource lists no reifier or sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef
from tests.conftest import served

from server.settings import REPOSITORY

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
S2 = ("Ada Lovelace, born Augusta Ada King, was a member of the Analytical Society "
      "(Société analytique).")
DOC = (REPOSITORY / "docs" / "data-model.md").read_text(encoding="utf-8")
# the documented query: the one that reads each statement's sentence and quote
[QUERY] = [q for q in re.findall(r"```sparql\n(.*?)```", DOC, re.DOTALL)
           if "oa:TextQuoteSelector" in q and "?statement a rdf:Statement" in q]


@pytest.fixture
def tiny_url(tiny_app) -> Iterator[str]:
    with served(tiny_app) as url:
        yield url


def test_rdflib_finds_each_stated_triples_sentence_and_quote(tiny_url):
    graph = Graph().parse(f"{tiny_url}/data/person/ada-lovelace.ttl", format="turtle")
    stated = {(str(p), str(o)) for _, p, o in graph.triples((URIRef(ADA), None, None))}
    found = {(str(row.predicate), str(row.object)): (str(row.sentence), str(row.quote))
             for row in graph.query(QUERY)}
    derived = {("http://schema.org/knows", f"{TINY}id/person/charles-babbage"),
               ("http://schema.org/memberOf", f"{TINY}id/organization/analytical-society")}
    assert set(found) == stated - derived
    assert set(found.values()) == {(f"{TINY}id/article/alpha#s2", S2)}


def test_the_page_lists_no_reifier_or_sentence(tiny_url):
    page = requests.get(f"{tiny_url}/page/person/ada-lovelace", timeout=30,
                        headers={"Accept": "text/html"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    cited = [a["href"] for a in soup.select("details.cite a.to-sentence")]
    assert "/page/article/alpha#s2" in cited, "the footnotes lead to the sentences"
    # the embedded JSON-LD is the /data description; the footnotes quote the sentences
    for part in soup.select("script, details.cite"):
        part.decompose()
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert [href for href in links if "#st-" in href or "alpha#s" in href] == [], \
        "reifiers or sentences listed as values"
    assert "Statement" not in soup.get_text() and "énoncé" not in soup.get_text()
