"""No parameter value changes a canned query's shape: whatever the reader sends, the
bound query parses (rdflib's own parser, independent of the engine) to the same algebra
as with the default value, and its VALUES block holds exactly one term, the value."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from server.domain.canned import bind
from server.domain.catalogue import catalogue
from server.domain.examples import example_queries
from server.problems import BadRequest
from server.settings import REPOSITORY

# Hypothesis writes out a test's arguments (the catalogue fixture among them) when it
# reports on an example; past 30 kB it warns about the cost, and warnings are errors here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

QUERIES = {q.name: q for q in example_queries(REPOSITORY / "queries") if q.parameters}


def shape(text: str) -> tuple[str, list]:
    """The query's algebra with its inline data taken out, and that data."""
    data: list = []

    def strip(node):
        if isinstance(node, CompValue):
            if node.name == "values":
                data.extend(node["res"])
                return "VALUES"
            return CompValue(node.name, **{k: strip(v) for k, v in node.items()})
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    return str(strip(translateQuery(parseQuery(text)).algebra)), data


@pytest.fixture(scope="module")
def found(request):
    snapshot = request.getfixturevalue("repo_snapshot")
    return catalogue(snapshot, "https://w3id.org/grand-paris-russia/")


def test_every_parameter_type_is_exercised():
    types = {p.type if p.of_class is None else "iri" for q in QUERIES.values() for p in q.parameters}
    assert types == {"iri", "date", "literal", "language"}


def _check(found, name: str, value: str, expected) -> None:
    query = QUERIES[name]
    parameter = query.parameters[0].name
    given_value = value.strip() or query.parameters[0].default  # nothing given: the default
    reference, _ = shape(bind(query, {}, found).text)
    try:
        bound = bind(query, {parameter: value}, found)
    except BadRequest as error:
        assert f"parameter {parameter}" in error.message
        return
    algebra, data = shape(bound.text)
    assert algebra == reference
    assert data == [{Variable(parameter): expected(given_value)}]


SHAPE = settings(max_examples=100, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@SHAPE
@given(value=TEXT)
def test_a_text_never_changes_the_query(found, value):
    _check(found, "c04-resources-by-name", value, Literal)


@SHAPE
@given(value=TEXT | st.dates().map(str))
def test_a_date_never_changes_the_query(found, value):
    _check(found, "c02-events-from-a-date", value, lambda v: Literal(v, datatype=XSD.date))


@SHAPE
@given(value=TEXT | st.from_regex(r"[a-z]{2,3}(-[A-Z]{2})?", fullmatch=True))
def test_a_language_never_changes_the_query(found, value):
    _check(found, "c03-people-named-in-a-language", value, lambda v: Literal(v.lower()))


@SHAPE
@given(data=st.data())
def test_an_iri_never_changes_the_query(found, data):
    people = sorted(found.by_class["http://schema.org/Person"])
    value = data.draw(TEXT | st.sampled_from(people)
                      | st.sampled_from(people).map(lambda iri: iri + '> } ?s ?p ?o {'))
    _check(found, "c01-posts-of-a-person", value, URIRef)
