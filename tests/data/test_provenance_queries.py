"""The provenance example queries (DESIGN §8) and their exact answers on the tiny dataset:
which sentence states a fact, what a sentence states, which facts both articles state,
why a derived fact holds. The real articles' answers are asserted once their citations
files exist (``test_example_queries`` lets these queries answer nothing until then).

The tiny dataset has one article (alpha); for corroboration a copy gains a second,
gamma, stating Ada's name again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kg_helpers import query_file

from server.domain.canned import bind
from server.domain.catalogue import catalogue
from server.domain.examples import read_query
from server.domain.loading import load_snapshot
from server.settings import Settings

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
SOCIETY = f"{TINY}id/organization/analytical-society"
MEMBERSHIP = f"{TINY}id/role/ada-lovelace-member"
ALPHA, GAMMA = f"{TINY}id/article/alpha", f"{TINY}id/article/gamma"
SCHEMA, ORG = "http://schema.org/", "http://www.w3.org/ns/org#"
RDF_TYPE, RDFS_LABEL = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                        "http://www.w3.org/2000/01/rdf-schema#label")
S2 = ("Ada Lovelace, born Augusta Ada King, was a member of the Analytical Society "
      "(Société analytique).")

# every query asserted here, by name (the other examples are in test_example_answers)
QUERIES = ("c05-sentences-stating-facts-about-a-person", "c06-why-derived-facts-about-a-person-hold",
           "x09-what-each-headline-states", "x10-facts-both-articles-state")


def run(snapshot, name: str, **values: str) -> list[tuple]:
    query = read_query(name, query_file(f"{name}.rq"))
    text = bind(query, values, catalogue(snapshot, TINY)).text if query.parameters else query.text
    result = snapshot.store.query(text)
    names = [v.value for v in result.variables]
    return sorted((tuple(None if row[n] is None else row[n].value for n in names) for row in result),
                  key=repr)


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory, tiny_config) -> object:
    """The tiny dataset with a second article, gamma, that also names Ada."""
    import shutil

    root = tmp_path_factory.mktemp("gamma") / "tiny"
    shutil.copytree(Path(tiny_config["data_dir"]).parent, root)
    data = root / "data"
    (data / "gamma.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix person: <https://example.org/tiny/id/person/> .\n"
        'person:ada-lovelace schema:name "Ada Lovelace" .\n', encoding="utf-8")
    (data / "sources/gamma.txt").write_text("Ada Lovelace wrote the first program.\n",
                                            encoding="utf-8")
    (data / "sources/gamma.sentences.tsv").write_text("n\tstart\tend\tkind\n1\t0\t37\theadline\n",
                                                      encoding="utf-8")
    (data / "sources/gamma.citations.tsv").write_text(
        "sentence\tsubject\tpredicate\tobject\twords\n"
        "s1\tperson:ada-lovelace\tschema:name\t\"Ada Lovelace\"\tAda Lovelace\n", encoding="utf-8")
    return load_snapshot(Settings.load({
        "data_dir": data, "ontology_dir": root / "ontology", "shapes_dir": root / "shapes",
        "base_iri": TINY}, environ={}))


def test_which_sentence_states_each_fact_about_a_person(tiny_snapshot):
    rows = run(tiny_snapshot, QUERIES[0], person=ADA)
    assert rows == sorted([
        (SCHEMA + "alternateName", "Augusta Ada King", ALPHA, "2", S2, "born Augusta Ada King"),
        (SCHEMA + "name", "Ada Lovelace", ALPHA, "2", S2, None),
        (RDF_TYPE, SCHEMA + "Person", ALPHA, "2", S2, None),
        (RDFS_LABEL, "Ada Lovelace", ALPHA, "2", S2, None),
    ], key=repr)


def test_why_a_derived_fact_holds_down_to_its_sentences(tiny_snapshot):
    rows = run(tiny_snapshot, QUERIES[1], person=ADA)
    assert rows == sorted([
        (SCHEMA + "knows", f"{TINY}id/person/charles-babbage", "Knowing someone goes both ways",
         f"{TINY}id/person/charles-babbage", SCHEMA + "knows", ADA, None),
        (SCHEMA + "memberOf", SOCIETY, "A member through a membership",
         MEMBERSHIP, ORG + "member", ADA, f"{ALPHA}#s2"),
        (SCHEMA + "memberOf", SOCIETY, "A member through a membership",
         MEMBERSHIP, ORG + "organization", SOCIETY, f"{ALPHA}#s2"),
    ], key=repr)


def test_what_each_headline_states(tiny_snapshot):
    assert run(tiny_snapshot, QUERIES[2]) == [
        (ALPHA, "Ada Lovelace and the Analytical Society", SOCIETY, RDFS_LABEL, "Analytical Society"),
    ]


def test_which_facts_both_articles_state(tiny_snapshot, two_articles):
    assert run(tiny_snapshot, QUERIES[3]) == []
    assert run(two_articles, QUERIES[3]) == [
        (ADA, SCHEMA + "name", "Ada Lovelace", f"{ALPHA}#s2", f"{GAMMA}#s1"),
    ]
