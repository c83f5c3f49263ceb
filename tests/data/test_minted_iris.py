"""The IRI policy (DESIGN §2): every IRI under BASE is one we can serve, and every
minted one is BASE id/{kind}/{slug} with a known kind and a well-formed slug."""

from __future__ import annotations

import re

import pyoxigraph as ox
from kg_helpers import ARTICLES, BASE, select

from server.domain.iris import KINDS, parse_resource_iri
from server.settings import REPOSITORY

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SENTENCE_PART = re.compile(r"s[1-9][0-9]*(-w[0-9]+-[0-9]+)?(-position|-quote)?")
OTHER_IRIS = {BASE, BASE + "ontology", BASE + "ontology#", BASE + "shapes", BASE + "dataset"}


def all_iris(snapshot) -> set[str]:
    found = set()
    for quad in snapshot.store.oxigraph.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                found.add(term.value)
    return found


def test_every_minted_iri_has_a_known_kind_and_a_slug(repo_snapshot):
    minted = {iri for iri in all_iris(repo_snapshot) if iri.startswith(BASE + "id/")}
    # a sentence and its parts are fragments of their article's IRI (DESIGN §8)
    bad = sorted(iri for iri in minted if parse_resource_iri(BASE, iri.split("#")[0]) is None
                 or ("#" in iri and not (iri.startswith(BASE + "id/article/")
                                         and SENTENCE_PART.fullmatch(iri.split("#")[1]))))
    assert bad == []
    assert minted, "the dataset mints resources"


def test_every_other_iri_under_base_is_a_graph_or_a_vocabulary_term(repo_snapshot):
    def allowed(iri: str) -> bool:
        rest = iri[len(BASE) :]
        if iri in OTHER_IRIS or rest.startswith("id/"):
            return True
        if rest.startswith(("ontology#", "shapes#")):
            return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", rest.split("#", 1)[1]))
        if rest.startswith("source/"):  # an article's text
            return rest.removeprefix("source/").removesuffix(".txt") in ARTICLES
        graph, _, part = rest.removeprefix("graph/").partition("#")  # a reifier, a rule
        return (rest.startswith("graph/") and bool(SLUG.match(graph))
                and (not part or bool(re.fullmatch(r"st-[0-9a-f]{16}|rule-[a-z0-9-]+", part))))

    assert sorted(iri for iri in all_iris(repo_snapshot) if not allowed(iri)) == []


def test_every_kind_is_used(repo_snapshot):
    minted = {parse_resource_iri(BASE, iri) for iri in all_iris(repo_snapshot)} - {None}
    assert {key.kind for key in minted} == set(KINDS)


def test_each_data_file_is_one_graph_and_each_article_has_its_own():
    stems = {path.stem for path in (REPOSITORY / "data").glob("*.ttl")}
    assert set(ARTICLES) <= stems
    assert all(SLUG.match(stem) for stem in stems)


def test_source_graphs_are_named_after_their_articles(repo_snapshot):
    rows = select(
        repo_snapshot,
        """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX gpr: <https://w3id.org/grand-paris-russia/ontology#>
        SELECT DISTINCT ?graph ?article WHERE {
          GRAPH ?graph { ?graph a gpr:SourceGraph ; prov:wasDerivedFrom ?article }
        }""",
    )
    assert {(row["graph"], row["article"]) for row in rows} == {
        (BASE + "graph/" + slug, BASE + "id/article/" + slug) for slug in ARTICLES
    }
