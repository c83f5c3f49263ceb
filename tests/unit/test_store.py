"""The store interface on the embedded default."""

import pyoxigraph as ox
import pytest

from server.store import QueryError, Store

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
BABBAGE = f"{TINY}id/person/charles-babbage"
SOCIETY = f"{TINY}id/organization/analytical-society"
MEMBERSHIP = f"{TINY}id/role/ada-lovelace-member"


@pytest.fixture
def store(tiny_snapshot):
    return tiny_snapshot.store


def test_it_implements_the_interface(store):
    assert isinstance(store, Store)


def test_exists(store):
    assert store.exists(ADA)
    assert not store.exists(f"{TINY}id/person/nobody")


def statements(quads):
    return {(q.subject.value, q.predicate.value, str(q.object)) for q in quads}


def test_describe_holds_own_owned_incoming_and_labels(store):
    description = store.describe(ADA)
    found = statements(description)
    assert (ADA, "http://schema.org/name", '"Ada Lovelace"') in found
    # an owned node (the membership) comes with all its statements
    assert (MEMBERSHIP, "http://www.w3.org/ns/org#organization", f"<{SOCIETY}>") in found
    # incoming links: who points to it
    assert (BABBAGE, "http://schema.org/knows", f"<{ADA}>") in found
    # the labels of what it links to
    assert (SOCIETY, "http://www.w3.org/2000/01/rdf-schema#label", '"Analytical Society"@en') in found
    # each statement keeps the graph that states it
    graphs = {q.graph_name.value for q in description if q.subject.value == ADA}
    assert graphs == {f"{TINY}graph/alpha", f"{TINY}graph/derived"}


def test_describe_follows_blank_nodes(store):
    found = statements(store.describe(BABBAGE))
    assert any(o == '"a note in a blank node"' for _, _, o in found)


def test_query_uses_the_union_default_graph(store):
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/Person> }")
    assert int(next(iter(result))["n"].value) == 2


def test_query_on_named_default_graphs(store):
    result = store.query(
        "SELECT ?s WHERE { ?s a <http://schema.org/Person> }",
        default_graphs=[f"{TINY}graph/beta"],
    )
    assert [s["s"].value for s in result] == [BABBAGE]


def test_query_errors_carry_the_parser_message(store):
    with pytest.raises(QueryError) as caught:
        store.query("SELECT ?s WHERE { ?s ?p }")
    assert "line 1" in str(caught.value) or "expected" in str(caught.value).lower()


def test_stats_count_distinct_triples_and_classes(store):
    stats = store.stats()
    assert stats.classes["http://schema.org/Person"] == 2
    derived = {q.triple for q in store.quads([f"{TINY}graph/derived"])}
    assert stats.graphs[f"{TINY}graph/derived"] == len(derived)
    assert stats.triples <= stats.quads


def test_quads_of_chosen_graphs(store):
    """The derived graph: the three derived facts, and their reifiers and rules."""
    quads = list(store.quads([f"{TINY}graph/derived"]))
    assert {q.graph_name for q in quads} == {ox.NamedNode(f"{TINY}graph/derived")}
    facts = {(q.subject.value, q.predicate.value, q.object.value) for q in quads
             if q.subject.value.startswith(f"{TINY}id/")}
    assert facts == {(ADA, "http://schema.org/knows", BABBAGE),
                     (ADA, "http://schema.org/memberOf", SOCIETY),
                     (SOCIETY, "http://schema.org/member", ADA)}
    reified = {q.subject for q in quads if q.predicate.value.endswith("#subject")}
    assert len(reified) == len(facts), "a derived fact without its reifier"


def test_parts_marked_composite_in_the_shapes_are_described_with_their_whole(repo_snapshot):
    """Commitments (``dash:composite`` on ``gpr:commitment``) come with their agreement."""
    base = "https://w3id.org/grand-paris-russia/id/agreement/"
    found = statements(repo_snapshot.store.describe(f"{base}convention-2018-11-29"))
    assert (f"{base}convention-2018-11-29-diagnosis",
            "http://www.w3.org/2000/01/rdf-schema#label",
            '"diagnostic des enjeux sur les villes russes volontaires"@fr') in found
