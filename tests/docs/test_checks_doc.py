"""The README's table of ``ldpub check`` lists every check of the registry, by id, with
its section and title, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from server.conformance import all_checks

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_check_with_its_section_and_title():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Checking a deployment"):]
    table = table[:table.index("\n## ")]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (§\d+) \| (.+) \|$", table, re.M)
    assert rows == [(c.id, c.section, c.title) for c in all_checks()]


def test_every_check_has_a_french_title_for_the_checks_page():
    untitled = [c.id for c in all_checks() if not c.fr.strip() or c.fr == c.title]
    assert untitled == []
