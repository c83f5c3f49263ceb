"""The example queries in queries/: each opens with '# ' comment lines (the first is its
short title, shown on the query page) and a French title, declares its parameters
correctly, parses, and runs on the dataset (with its parameters' defaults). The twelve
competency questions are all there, and every query's answer is asserted somewhere."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import test_competency_questions
import test_example_answers
import test_provenance_queries
from kg_helpers import BASE, QUERIES
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Variable

from server.domain.canned import bind
from server.domain.catalogue import catalogue
from server.domain.examples import read_query

FILES = sorted(QUERIES.glob("*.rq"))
COMPETENCY = {"q01", "q02", "q03", "q04", "q06", "q07", "q11", "q18", "q20", "q26", "q44", "q45"}


def test_the_twelve_competency_questions_have_a_query():
    assert {path.name[:3] for path in FILES if path.name.startswith("q")} == COMPETENCY


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_opens_with_a_short_title(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    title = lines[0][2:]
    assert 10 <= len(title) <= 90 and title[0].isupper() and not title.endswith(".")
    assert re.fullmatch(r"[a-z][0-9]{2}(-[a-z0-9]+)+\.rq", path.name)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_has_a_french_title(path):
    query = read_query(path.stem, path.read_text(encoding="utf-8"))
    title = query.title_in("fr")
    assert title != query.title and 10 <= len(title) <= 110 and title[0].isupper()
    assert title.endswith((" ?", "»", "…")) or not query.title.endswith("?")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_answer_is_asserted(path):
    """By the competency tests (q*) or by test_example_answers (the others)."""
    if path.name.startswith("q"):
        tested = dir(test_competency_questions)
        assert any(name.startswith(f"test_{path.name[:3]}_") for name in tested)
    else:
        assert (path.stem in test_example_answers.COLUMNS
                or (path.stem, ()) in test_example_answers.CANNED
                or path.stem in test_provenance_queries.QUERIES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_runs_on_the_dataset(path, repo_snapshot):
    query = read_query(path.stem, path.read_text(encoding="utf-8"))
    text = bind(query, {}, catalogue(repo_snapshot, BASE)).text if query.parameters else query.text
    result = repo_snapshot.store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    assert rows or path.name.startswith("q45"), "only Q45 has an empty answer"


def _order_keys(path) -> tuple[list[str], list[str]]:
    """The plain variables a query selects, and the variables its ORDER BY sorts on."""
    query = parseQuery(path.read_text(encoding="utf-8"))[1]
    selected = [str(item["var"]) for item in (query["projection"] if "projection" in query
                                              else []) if "var" in item]
    conditions = query["orderby"]["condition"] if "orderby" in query else []
    keys = [c if isinstance(c, Variable) else c.get("expr") for c in conditions]
    return selected, [str(key) for key in keys if isinstance(key, Variable)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_orders_its_rows_completely(path):
    """Rows tied on every ORDER BY key come in whatever order the store holds them, which
    differs between stores and between two loads of generated data; so every variable a
    query selects is one of its keys (the computed ones follow from them), and one data
    version gives one answer, row for row: on every store, and in every export."""
    selected, keys = _order_keys(path)
    unordered = [f"?{name}" for name in selected if name not in keys]
    ties = f"rows tied on {' '.join(f'?{key}' for key in keys)}" if keys else "rows"
    assert not unordered, f"ORDER BY leaves out {' '.join(unordered)}: {ties} come in " \
                          "the store's order"
