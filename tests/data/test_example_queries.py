"""The example queries in queries/: each opens with '# ' comment lines (the first is its
short title, shown on the query page), parses, and runs on the dataset. The twelve
competency questions are all there."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from kg_helpers import QUERIES

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
def test_runs_on_the_dataset(path, repo_snapshot):
    result = repo_snapshot.store.query(path.read_text(encoding="utf-8"))
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    assert rows or path.name.startswith("q45"), "only Q45 has an empty answer"
