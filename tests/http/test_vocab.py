"""``/ontology`` and ``/shapes``: negotiated like resources, and documented for people,
every class, property and shape, in French and in English."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from header_tokens import assert_varies_on
from rdflib.namespace import OWL, RDF, RDFS, SH

BASE = "https://w3id.org/grand-paris-russia/"
ONTOLOGY, SHAPES = BASE + "ontology", BASE + "shapes"


def html(client, path: str, **headers) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": "text/html", **headers})
    assert response.status_code == 200 and response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


def graph(snapshot, name: str) -> list[ox.Quad]:
    return list(snapshot.store.quads(graphs=[name]))


def typed(quads, *types) -> set[str]:
    return {q.subject.value for q in quads if q.predicate.value == str(RDF.type)
            and q.object.value in {str(t) for t in types} and isinstance(q.subject, ox.NamedNode)}


@pytest.mark.parametrize(("path", "accept", "media"), [
    ("/ontology", "text/html", "text/html"),
    ("/ontology", "*/*", "text/turtle"),
    ("/ontology", None, "text/turtle"),
    ("/ontology", "application/rdf+xml", "application/rdf+xml"),
    ("/ontology.jsonld", "text/html", "application/ld+json"),
    ("/ontology?format=nt", "text/html", "application/n-triples"),
    ("/shapes", "text/html", "text/html"),
    ("/shapes", "text/turtle", "text/turtle"),
    ("/shapes.trig", None, "application/trig"),
])
def test_vocabularies_are_negotiated_like_resources(repo_client, path, accept, media):
    response = repo_client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media
    assert_varies_on(response, "Accept")


@pytest.mark.parametrize(("path", "name"), [("/ontology.nq", ONTOLOGY), ("/shapes.nq", SHAPES)])
def test_the_data_is_the_whole_graph_in_its_own_name(repo_client, repo_snapshot, path, name):
    quads = list(ox.parse(repo_client.get(path).data, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == {name}
    assert len({q.triple for q in quads}) == len({q.triple for q in graph(repo_snapshot, name)})


def test_every_class_and_property_of_the_ontology_is_documented_in_both_languages(
        repo_client, repo_snapshot):
    quads = graph(repo_snapshot, ONTOLOGY)
    terms = typed(quads, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    terms = {t for t in terms if t.startswith(ONTOLOGY + "#")}
    assert len(terms) > 20
    for language in ("en", "fr"):
        soup = html(repo_client, f"/ontology?lang={language}")
        assert soup.html["lang"] == language
        for term in terms:
            section = soup.find(id=term.split("#", 1)[1])
            assert section is not None, term
            labels = {(q.object.value, q.object.language) for q in quads
                      if q.subject.value == term and q.predicate.value == str(RDFS.label)}
            shown = {(cell.get_text(strip=True), cell.get("lang"))
                     for cell in section.select("table.bilingual td")}
            assert {"en", "fr"} <= {lang for _, lang in labels}, term
            assert labels <= shown, term


def test_the_ontology_page_is_in_the_readers_language(repo_client):
    french = html(repo_client, "/ontology", **{"Accept-Language": "fr"})
    assert french.h1.get_text(strip=True) == "Ontologie Grand Paris – Russie"
    assert french.find(id="section-classes-heading").get_text() == "Classes"
    assert french.find(id="section-properties-heading").get_text() == "Propriétés"
    agreement = french.find(id="Agreement")
    assert agreement.h3.span.get_text() == "Accord"


def test_a_term_links_to_its_domain_range_and_shapes(repo_client):
    soup = html(repo_client, "/ontology")
    signatory = soup.find(id="signatory")
    hrefs = [a["href"] for a in signatory.select("dl.facts a")]
    assert "#Agreement" in hrefs and "#schema-Person" in hrefs
    agreement = soup.find(id="Agreement")
    assert any(a["href"].startswith("/shapes#") or "shapes#" in a["href"]
               for a in agreement.select("dl.facts a"))


def test_every_shape_and_each_of_its_properties_is_documented(repo_client, repo_snapshot):
    quads = graph(repo_snapshot, SHAPES)
    shapes = typed(quads, SH.NodeShape)
    assert shapes
    soup = html(repo_client, "/shapes?lang=fr")
    for shape in shapes:
        section = soup.find(id=shape.split("#", 1)[1])
        assert section is not None, shape
        properties = [q.object for q in quads
                      if q.subject.value == shape and q.predicate.value == str(SH.property)]
        assert len(section.select("table.shape-table tbody tr")) == len(properties), shape
        messages = {q.object.value for p in properties for q in quads
                    if q.subject == p and q.predicate.value == str(SH.message)}
        shown = {m.get_text() for m in section.select("table.shape-table td p")}
        assert messages <= shown, shape


def test_hash_iris_of_the_ontology_resolve_to_their_section(repo_client):
    response = repo_client.get("/page/agreement/convention-2018-11-29")
    soup = BeautifulSoup(response.data, "html.parser")
    badge = soup.select_one("ul.badges a.badge")
    assert badge["href"] == "http://localhost/ontology#Agreement"
    target = html(repo_client, "/ontology")
    assert target.find(id="Agreement") is not None


@pytest.mark.parametrize(("lang", "headers"), [
    ("en", ["Property", "Count", "Values", "Message"]),
    ("fr", ["Propriété", "Nombre", "Valeurs", "Message"]),
])
def test_the_shapes_tables_are_headed_in_words_of_the_readers_language(repo_client, lang, headers):
    page = html(repo_client, "/shapes", **{"Accept-Language": lang})
    tables = page.select("table.shape-table thead")
    assert tables, "the shapes page has no constraint table"
    for head in tables:
        assert [th.get_text(strip=True) for th in head.find_all("th")] == headers


def test_no_word_of_the_site_is_shadowed_by_an_attribute_of_its_mapping():
    """Templates read ``site.ui.key``; Jinja tries the attribute first, so a key named
    like a mapping method (``values``, ``items``…) would print the method's repr."""
    from server.web.i18n import LANGUAGES, messages
    for lang in LANGUAGES:
        words = messages(lang)
        shadowed = sorted(key for key in words if hasattr(words, key))
        assert not shadowed, f"{lang}: keys {shadowed} print a method, not a word, in templates"
