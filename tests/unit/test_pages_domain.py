"""The domain behind the pages: label choice, ordering by shapes, provenance, caching."""

from __future__ import annotations

import doctest

import pyoxigraph as ox
import pytest

from server.domain import describe, examples, labels
from server.domain.labels import Label, Labels
from server.domain.loading import load_snapshot
from server.memo import Memo
from server.settings import Settings
from server.web import (
    layout,
    literals,
    negotiation,
    pictures,
    presenters,
    shapedoc,
    terms,
    vocabulary,
)
from server.web.cache import ResponseCache
from server.web.ordering import Hint, PropertyHints

TINY = "https://example.org/tiny/"
ADA = TINY + "id/person/ada-lovelace"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
NAME = "http://schema.org/name"


@pytest.mark.parametrize("module", [labels, literals, terms, examples, vocabulary,
                                    shapedoc, negotiation, pictures], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


def statement(predicate: str, text: str, lang: str | None = None) -> ox.Triple:
    literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
    return ox.Triple(ox.NamedNode("http://x.org/a"), ox.NamedNode(predicate), literal)


@pytest.mark.parametrize(("given", "lang", "expected"), [
    ([(RDFS_LABEL, "Paris", "fr"), (RDFS_LABEL, "Paris (en)", "en")], "en", Label("Paris (en)", "en")),
    ([(RDFS_LABEL, "Paris", "fr"), (RDFS_LABEL, "Paris (en)", "en")], "fr", Label("Paris", "fr")),
    ([(RDFS_LABEL, "Moscou", "fr"), (NAME, "Moskva", None)], "en", Label("Moscou", "fr")),
    ([(NAME, "Moskva", None), (PREF_LABEL, "Moskau", "de")], "en", Label("Moskau", "de")),
    ([(NAME, "Moskva", None), (RDFS_LABEL, "Moscow", None)], "fr", Label("Moscow", None)),
    ([(RDFS_LABEL, "Montréal", "fr-CA")], "fr", Label("Montréal", "fr-ca")),
])
def test_labels_fall_back_in_the_documented_order(given, lang, expected):
    found = Labels([statement(p, t, l) for p, t, l in given])
    assert found.get("http://x.org/a", lang) == expected


def test_without_a_label_an_iri_reads_as_words():
    assert Labels([]).get("https://x.org/ontology#signingDate", "en") == Label("signing date", None)
    assert Labels([]).get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "fr").text == "type"


@pytest.fixture(scope="module")
def shaped_snapshot(tmp_path_factory):
    """The tiny dataset with shapes that order and group a person's properties."""
    import shutil
    from pathlib import Path

    root = tmp_path_factory.mktemp("shaped") / "tiny"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "tiny", root)
    (root / "shapes" / "order.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix shapes: <https://example.org/tiny/shapes#> .
shapes:Identity a sh:PropertyGroup ; sh:order 1 ; rdfs:label "Identity"@en, "Identité"@fr .
shapes:PersonOrder a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:alternateName ; sh:order 1 ; sh:group shapes:Identity ] ,
                [ sh:path schema:name ; sh:order 2 ; sh:group shapes:Identity ] .
""")
    return load_snapshot(Settings.load({
        "data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
        "shapes_dir": str(root / "shapes"), "base_iri": TINY}, environ={}))


def test_shapes_order_and_group_the_properties_of_a_page(shaped_snapshot):
    description = describe.describe(shaped_snapshot, ADA)
    hints = layout.property_hints(shaped_snapshot, description.types)
    assert hints.get(NAME) == Hint(2.0, TINY + "shapes#Identity", 1.0)
    page = presenters.resource_page(description, "fr", TINY, hints)
    first = page.groups[1]
    assert first.title == "Identité"
    assert [row.predicate.iri for row in first.rows] == ["http://schema.org/alternateName", NAME]
    plain = presenters.resource_page(description, "fr", TINY, PropertyHints())
    assert plain.groups[0].key == "names"
    names = [row for row in plain.groups[0].rows if row.title == "nom"]
    assert len(names) == 1, "rdfs:label and schema:name are one row of names"
    assert len({(v.text, v.lang) for v in names[0].values}) == len(names[0].values)


def test_a_derived_inverse_gives_way_to_the_stated_link(tiny_snapshot):
    page = presenters.resource_page(describe.describe(tiny_snapshot, ADA), "en", TINY)
    outgoing = [row.predicate.iri for group in page.groups for row in group.rows]
    assert "http://schema.org/knows" not in outgoing  # derived from Charles's stated link
    known_by = next(row for row in page.incoming if row.title == "Known by")
    assert [v.term.iri for v in known_by.values] == [TINY + "id/person/charles-babbage"]
    assert [m.role for m in known_by.values[0].sources] == ["curated"]


def test_owned_nodes_are_nested_once_and_blank_nodes_shown_inline(tiny_snapshot):
    page = presenters.resource_page(describe.describe(tiny_snapshot, ADA), "en", TINY)
    positions = next(row for row in page.incoming if row.title == "Positions held")
    nested = positions.values[0].nested
    assert nested is not None
    assert [row.predicate.iri for row in nested.rows] == ["http://www.w3.org/ns/org#organization"]
    assert nested.rows[0].values[0].term.label == "Analytical Society"
    babbage = presenters.resource_page(
        describe.describe(tiny_snapshot, TINY + "id/person/charles-babbage"), "en", TINY)
    note = next(row for g in babbage.groups for row in g.rows if row.title == "description")
    assert note.values[0].nested.title == Label("a note in a blank node", None)


def test_each_statement_names_the_graphs_that_state_it(tiny_snapshot):
    description = describe.describe(tiny_snapshot, ADA)
    sources = description.sources
    assert sources.by_graph[TINY + "graph/derived"].role == "derived"
    # alpha has its text (data/sources): the graph of the article id/article/alpha
    assert {s.role for s in sources.ordered()} == {"article", "curated", "derived"}
    triple = ox.Triple(ox.NamedNode(ADA), ox.NamedNode(NAME), ox.Literal("Ada Lovelace"))
    assert description.graphs[triple] == (TINY + "graph/alpha",)


def test_memo_keeps_one_version():
    memo: Memo[int] = Memo(size=2)
    made = []
    assert memo.get("v1", "a", lambda: made.append("a") or 1) == 1
    assert memo.get("v1", "a", lambda: made.append("again") or 2) == 1
    assert memo.get("v2", "a", lambda: made.append("v2") or 3) == 3
    memo.get("v2", "b", lambda: 4), memo.get("v2", "c", lambda: 5)
    assert memo.lookup("v2", "a") is None  # the least recently used went first
    assert made == ["a", "v2"]


def test_response_cache_replays_only_marked_responses():
    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        if environ["PATH_INFO"] == "/marked":
            environ["ldpub.replayable"] = True
        start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"x"'),
                                  ("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")])
        return [b"body"]

    cache = ResponseCache(app, lambda: "v1")

    def call(path, method="GET", **headers):
        seen = {}
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.url_scheme": "http",
                   **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
        body = b"".join(cache(environ, lambda s, h, e=None: seen.update(status=s)))
        return seen["status"], body

    assert call("/marked") == ("200 OK", b"body")
    assert call("/marked") == ("200 OK", b"body")
    assert call("/marked", method="HEAD") == ("200 OK", b"")
    assert call("/marked", if_none_match='W/"x"') == ("304 Not Modified", b"")
    assert call("/marked", if_modified_since="Wed, 21 Oct 2015 07:28:00 GMT")[0].startswith("304")
    assert call("/marked", accept="text/html") == ("200 OK", b"body")
    assert calls == ["/marked", "/marked"]  # once, then once more for another Accept
    call("/other"), call("/other")
    assert calls.count("/other") == 2
