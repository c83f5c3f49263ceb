"""The shapes lay out every page: each property shape of a class is placed in a group and
ranked, the groups are titled in both languages, and the help text is bilingual."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

REPOSITORY = Path(__file__).resolve().parents[2]
EXPECTED = URIRef("https://w3id.org/grand-paris-russia/ontology#expected")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted((REPOSITORY / "shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


def class_property_shapes(shapes: Graph):
    for shape in set(shapes.subjects(SH.targetClass, None)):
        for prop in shapes.objects(shape, SH.property):
            if isinstance(shapes.value(prop, SH.path), URIRef):
                yield shape, prop


def test_every_property_shape_of_a_class_has_a_group_and_an_order(shapes):
    unplaced = {(str(shape), str(shapes.value(prop, SH.path)))
                for shape, prop in class_property_shapes(shapes)
                if shapes.value(prop, SH.group) is None or shapes.value(prop, SH.order) is None}
    assert unplaced == set()


def test_every_group_is_declared_ordered_and_titled_in_french_and_english(shapes):
    used = {shapes.value(prop, SH.group) for _, prop in class_property_shapes(shapes)}
    assert used
    for group in used:
        assert (group, RDF.type, SH.PropertyGroup) in shapes, group
        assert shapes.value(group, SH.order) is not None, group
        assert {label.language for label in shapes.objects(group, RDFS.label)} == {"fr", "en"}, group
    orders = [shapes.value(g, SH.order).toPython() for g in shapes.subjects(RDF.type, SH.PropertyGroup)]
    assert len(orders) == len(set(orders)), "no two groups share a rank"


@pytest.mark.parametrize("predicate", [SH.description, SH.name])
def test_names_and_help_texts_come_in_french_and_english(shapes, predicate):
    holders = set(shapes.subjects(predicate, None))
    assert holders
    assert {str(h): sorted(x.language for x in shapes.objects(h, predicate)) for h in holders
            if sorted(x.language for x in shapes.objects(h, predicate)) != ["en", "fr"]} == {}


def test_expected_values_are_annotations_not_constraints(shapes):
    """``gpr:expected`` marks a gap a page should name; the data stays valid without the
    value, so the same property shape never also requires it."""
    flagged = set(shapes.subjects(EXPECTED, None))
    assert len(flagged) >= 4
    assert {str(p) for p in flagged if shapes.value(p, SH.minCount) is not None} == set()
