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
SPARQL = re.findall(r"```sparql\n(.*?)```", DOC, re.DOTALL)
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
