"""docs/data-model.md stays true: its Turtle examples are in the data (bar literals it
shortens with '…'), and its SPARQL examples run and answer."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from server.settings import REPOSITORY

DOC = (REPOSITORY / "docs" / "data-model.md").read_text(encoding="utf-8")
TURTLE = re.findall(r"```turtle\n(.*?)```", DOC, re.DOTALL)
# The RDF 1.2 view's query reads triple terms, which only a 1.2 answer holds, never the
# store: tests/http/test_rdf12.py runs it on one.
SPARQL = [query for query in re.findall(r"```sparql\n(.*?)```", DOC, re.DOTALL)
          if "<<(" not in query]
# a query followed by "→ …" states its answer: one entry a row
ANSWERED = re.findall(r"```sparql\n((?:(?!```).)*)```\n\n→ (.*?)\n\n", DOC, re.DOTALL)
PREFIXES = TURTLE[0] + "".join(
    f"@prefix {name}: <https://w3id.org/grand-paris-russia/id/{name}/> .\n"
    for name in ("article", "concept", "image", "observation", "place", "project", "quotation")
)


def term(node) -> ox.NamedNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(node)


@pytest.mark.parametrize("example", TURTLE[1:], ids=lambda t: t.split("\n", 1)[0][:40])
def test_turtle_examples_are_in_the_data(repo_snapshot, example):
    graph = Graph().parse(data=PREFIXES + example, format="turtle")
    assert len(graph) > 0
    store = repo_snapshot.store.oxigraph
    missing = [
        (s, p, o)
        for s, p, o in graph
        if not isinstance(o, BNode)
        and not (isinstance(o, Literal) and "…" in o)
        and not any(True for _ in store.quads_for_pattern(term(s), term(p), term(o), None))
    ]
    assert missing == []


@pytest.mark.parametrize("query", SPARQL, ids=[f"sparql-{i}" for i in range(len(SPARQL))])
def test_sparql_examples_answer(repo_snapshot, query):
    assert list(repo_snapshot.store.query(query))


def entries(answer: str) -> list[str]:
    """The rows an answer line lists: separated by ``;``, or else by ``,`` after a
    shared ``lead: ``, never inside parentheses.

    >>> entries("A (x, y), B (z).")
    ['A (x, y)', 'B (z)']
    >>> entries("2018, Paris: A (p), B.")
    ['A (p)', 'B']
    >>> entries("President: N; Director: M.")
    ['President: N', 'Director: M']
    """
    text = " ".join(answer.split()).rstrip(".")
    if "; " not in text:
        text = text.split(": ", 1)[-1]
    separator = "; " if "; " in text else ", "
    parts, depth, current = [], 0, ""
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith(separator, index):
            parts.append(current)
            current = ""
        elif not (current == "" and char == " "):
            current += char
    return [*parts, current]


def test_the_answers_the_document_states_are_found():
    assert len(ANSWERED) >= 5, "the answers stated after the examples were not found"


@pytest.mark.parametrize(("query", "answer"), ANSWERED,
                         ids=[answer[:30] for _, answer in ANSWERED])
def test_each_stated_answer_is_what_the_query_returns(repo_snapshot, query, answer):
    """As many rows as the document lists, and each value of each row in its words (a
    value that is itself a list, from GROUP_CONCAT, is summarised there, not spelt out)."""
    rows = list(repo_snapshot.store.query(query))
    prose = " ".join(answer.split())
    absent = [value.value for row in rows for value in row
              if value is not None and ", " not in value.value and value.value not in prose]
    assert len(rows) == len(entries(answer)) and not absent, (
        f"docs/data-model.md says {prose!r} ({len(entries(answer))} rows); the query "
        f"returns {len(rows)} rows, with values the document does not give: {absent}")
