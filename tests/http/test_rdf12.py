"""The RDF 1.2 view, over real HTTP: ``version=1.2`` in ``Accept`` turns each reifier's
RDF 1.1 reification into one ``rdf:reifies`` triple term, and nothing else changes.

A client of RDF 1.1 (rdflib) must get what it always got; a client of RDF 1.2
(pyoxigraph) the same statements with triple terms; a format that cannot carry them
never answers under a 1.2 label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import requests
from header_tokens import assert_varies_on
from http_helpers import rdflib_graph
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF
from rdflib.util import from_n3
from werkzeug.http import parse_options_header

from server.settings import REPOSITORY

# A person many cited facts are about, an article's graph, and the graph of derived facts.
TARGETS = ("/id/person/alexandre-missoffe", "/graph/pce-makers-grand-paris-russie",
           "/graph/derived")
# The syntaxes that carry triple terms, with the rdflib name of each.
RDF12 = {"text/turtle": "turtle", "application/n-triples": "nt", "application/trig": "trig",
         "application/n-quads": "nquads"}
DATASET_TYPES = ("application/trig", "application/n-quads")
REIFICATION = {RDF.subject, RDF.predicate, RDF.object}
REIFIES = URIRef(str(RDF) + "reifies")
DOC = (REPOSITORY / "docs" / "data-model.md").read_text(encoding="utf-8")
# The documented query for each statement's sentence and quote, in RDF 1.1 and in RDF 1.2.
[QUERY_11] = [q for q in re.findall(r"```sparql\n(.*?)```", DOC, re.DOTALL)
              if "oa:TextQuoteSelector" in q and "?statement a rdf:Statement" in q]
[QUERY_12] = [q for q in re.findall(r"```sparql\n(.*?)```", DOC, re.DOTALL)
              if "oa:TextQuoteSelector" in q and "rdf:reifies <<(" in q]
# What a statement is keyed by: its graph name (None in a triple format) and its triple.
Statements = dict[URIRef | None, Graph]


def get(url: str, accept: str, **headers: str) -> requests.Response:
    response = requests.get(url, headers={"Accept": accept, **headers}, timeout=60)
    assert response.status_code == 200, (url, accept, response.status_code, response.text[:300])
    return response


def read_11(response: requests.Response, media: str) -> Statements:
    """The RDF 1.1 answer as rdflib reads it, graph by graph."""
    if media not in DATASET_TYPES:
        return {None: Graph().parse(data=response.content, format=RDF12[media])}
    dataset = Dataset().parse(data=response.content, format=RDF12[media])
    return {g.identifier: _copy(g) for g in dataset.graphs() if len(g)}


def read_12(response: requests.Response, media: str) -> dict[URIRef | None, list[ox.Triple]]:
    """The RDF 1.2 answer as pyoxigraph reads it, graph by graph (rdflib has no triple terms)."""
    by_graph: dict[URIRef | None, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)):
        name = None if media not in DATASET_TYPES else URIRef(quad.graph_name.value)
        by_graph[name].append(quad.triple)
    return by_graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def rdflib_term(term):
    """A pyoxigraph term as rdflib reads the same N-Triples term."""
    return from_n3(str(term))


def reifiers(graph: Graph) -> dict[URIRef, tuple]:
    """Each ``rdf:Statement`` of an RDF 1.1 answer and the triple it stands for."""
    return {st: (graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
                 graph.value(st, RDF.object))
            for st in graph.subjects(RDF.type, RDF.Statement)}


def without_reification(graph: Graph) -> Graph:
    """The statements an RDF 1.1 answer and its RDF 1.2 view share."""
    kept = Graph()
    for s, p, o in graph:
        if p not in REIFICATION and (p, o) != (RDF.type, RDF.Statement):
            kept.add((s, p, o))
    return kept


def without_triple_terms(triples: list[ox.Triple]) -> Graph:
    """The triples that hold no triple term, read by rdflib (blank nodes compare by shape)."""
    return rdflib_graph(t for t in triples if not isinstance(t.object, ox.Triple))


@pytest.mark.parametrize("media", RDF12)
@pytest.mark.parametrize("target", TARGETS)
def test_each_reifier_names_its_triple_by_one_triple_term(live_url, target, media):
    url = live_url + target
    old = read_11(get(url, media), media)
    response = get(url, f"{media}; version=1.2")
    assert parse_options_header(response.headers["Content-Type"]) == (
        media, {"charset": "utf-8", "version": "1.2"})
    assert_varies_on(response, "Accept", where=f"{target} in {media}; version=1.2")
    new = read_12(response, media)

    assert set(new) == set(old), "the view keeps every graph, and no more"
    reified = 0
    for name, graph in old.items():
        triples = new[name]
        terms = defaultdict(list)
        for triple in triples:
            assert triple.predicate.value not in {str(p) for p in REIFICATION}, triple
            if isinstance(triple.object, ox.Triple):
                assert triple.predicate.value == str(REIFIES), triple
                terms[rdflib_term(triple.subject)].append(triple.object)
        statements = reifiers(graph)
        assert set(terms) == set(statements), f"graph {name}: reifiers differ"
        for st, (s, p, o) in statements.items():
            assert len(terms[st]) == 1, f"{st} reifies {terms[st]}"
            term = terms[st][0]
            assert (rdflib_term(term.subject), rdflib_term(term.predicate),
                    rdflib_term(term.object)) == (s, p, o), st
            cited = {rdflib_term(t.object) for t in triples if rdflib_term(t.subject) == st
                     and t.predicate.value == str(PROV.wasDerivedFrom)}
            assert cited == set(graph.objects(st, PROV.wasDerivedFrom)), st
            assert cited, f"{st} cites nothing"
        assert isomorphic(without_triple_terms(triples), without_reification(graph)), (
            f"graph {name}: the statements besides the reifications differ")
        reified += len(statements)
    assert reified > 0, f"{target} has no cited fact to show in RDF 1.2"


@pytest.mark.parametrize("media", RDF12)
@pytest.mark.parametrize("target", TARGETS)
def test_the_default_answer_stays_rdf_11(live_url, target, media):
    url = live_url + target
    get(url, f"{media}; version=1.2")  # asked first: no cache may hand it to the others
    default = get(url, media)
    named = get(url, f"{media}; version=1.1")
    # the URL naming the format, which Accept does not change: /id/ sends there directly
    named_url = default.headers.get("Content-Location", urlsplit(default.url).path)
    by_extension = get(live_url + named_url, "*/*")
    assert default.content == named.content == by_extension.content
    assert default.headers["ETag"] == named.headers["ETag"]
    assert parse_options_header(default.headers["Content-Type"]) == (media, {"charset": "utf-8"})
    assert b"<<(" not in default.content
    statements = read_11(default, media)
    assert any(reifiers(graph) for graph in statements.values())


@pytest.mark.parametrize("target", TARGETS)
def test_validators_tell_the_versions_apart(live_url, target):
    url = live_url + target
    old = get(url, "text/turtle")
    new = get(url, "text/turtle; version=1.2")
    assert old.headers["ETag"] != new.headers["ETag"]
    for accept, etag, body in (("text/turtle; version=1.2", old.headers["ETag"], new.content),
                               ("text/turtle", new.headers["ETag"], old.content)):
        response = get(url, accept, **{"If-None-Match": etag})
        assert response.content == body, f"{accept} revalidated with the other version's ETag"
    fresh = requests.get(url, headers={"Accept": "text/turtle; version=1.2",
                                       "If-None-Match": new.headers["ETag"]}, timeout=60)
    assert fresh.status_code == 304


def test_the_identifier_sends_a_12_client_to_the_negotiated_description(live_url):
    response = requests.get(f"{live_url}/id/person/alexandre-missoffe", timeout=60,
                            headers={"Accept": "text/turtle; version=1.2"}, allow_redirects=False)
    assert response.status_code == 303
    # no extension names the 1.2 view: the description negotiates it again
    assert response.headers["Location"].endswith("/data/person/alexandre-missoffe")
    assert_varies_on(response, "Accept", where="303 for version=1.2")


@pytest.mark.parametrize("target", ("/data/person/alexandre-missoffe",
                                    "/graph/pce-makers-grand-paris-russie"))
@pytest.mark.parametrize(("accept", "answer"), [
    # no format that cannot carry triple terms answers under a 1.2 label
    ("application/ld+json; version=1.2", None),
    ("application/rdf+xml; version=1.2", None),
    ("text/turtle; version=9", None),
    ("text/turtle; version=1.2, application/trig; version=9", "text/turtle; version=1.2"),
    # the label quoted, as RDF 1.2 Concepts writes it
    ('text/turtle; version="1.2"', "text/turtle; version=1.2"),
    # RDF 1.2 Basic has no triple terms: the RDF 1.1 answer is one
    ("text/turtle; version=1.2-basic", "text/turtle"),
    ("text/turtle; version=1.1", "text/turtle"),
    # the best other acceptable answer
    ("application/ld+json; version=1.2, text/turtle; q=0.5", "text/turtle"),
    ("text/turtle; version=9, application/ld+json; q=0.1", "application/ld+json"),
    # the better quality wins; at equal quality, the version the client named
    ("text/turtle; version=1.2; q=0.4, application/ld+json; q=0.5", "application/ld+json"),
    ("text/turtle; version=1.2, */*", "text/turtle; version=1.2"),
    ("text/turtle; version=1.2; q=0, text/turtle", "text/turtle"),
    # wildcards never give 1.2 unasked
    ("*/*", "text/turtle"),
    ("text/*", "text/turtle"),
    ("*/*; version=1.2", "text/turtle; version=1.2"),
    ("application/*; version=1.2", "text/turtle; version=1.2"),  # as application/x-turtle
    ("application/n-quads; version=1.2, text/turtle; q=0.9", "application/n-quads; version=1.2"),
])
def test_negotiation_of_the_rdf_version(live_url, target, accept, answer):
    response = requests.get(live_url + target, headers={"Accept": accept}, timeout=60)
    if answer is None:
        assert response.status_code == 406, response.text[:300]
        assert "text/turtle; version=1.2" in response.text, "the refusal lists the 1.2 view"
        return
    assert response.status_code == 200, response.text[:300]
    media, parameters = parse_options_header(response.headers["Content-Type"])
    expected, wanted = parse_options_header(answer)
    assert (media, parameters) == (expected, {"charset": "utf-8", **wanted})
    assert (b"<<(" in response.content) == ("version" in wanted)


def test_a_url_naming_a_format_gives_rdf_11(live_url):
    """An extension names one representation, the RDF 1.1 one, whatever ``Accept`` says."""
    response = get(f"{live_url}/data/person/alexandre-missoffe.ttl", "text/turtle; version=1.2")
    assert "version" not in parse_options_header(response.headers["Content-Type"])[1]
    assert b"<<(" not in response.content


def test_the_documented_query_reads_the_same_sentences_in_both_versions(live_url):
    """``docs/data-model.md``'s query for each fact's sentence and quote, run by rdflib on
    the RDF 1.1 answer and in its RDF 1.2 form by pyoxigraph on the 1.2 answer."""
    url = f"{live_url}/id/person/alexandre-missoffe"
    old = Graph().parse(data=get(url, "text/turtle").content, format="turtle")
    expected = {tuple(row) for row in old.query(QUERY_11)}
    store = ox.Store()
    store.load(get(url, "text/turtle; version=1.2").content, format=ox.RdfFormat.TURTLE)
    found = {tuple(rdflib_term(term) for term in row) for row in store.query(QUERY_12)}
    assert expected, "the resource has cited facts"
    assert found == expected
