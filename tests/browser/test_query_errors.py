"""In Chromium, the query page shows a malformed query's line with the caret right under
the column the message names, and the ``PREFIX`` line to add for an undeclared prefix."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.browser

# Where, on screen, a character of the error's text starts: (line index, column) → x.
_LEFT_OF = """([line, column]) => {
    const text = document.querySelector('.query-error p').firstChild;
    const offsets = [0];
    for (const part of text.data.split('\\n')) offsets.push(offsets.at(-1) + part.length + 1);
    const range = document.createRange();
    const start = offsets[line] + column;
    range.setStart(text, start);
    range.setEnd(text, start + 1);
    return range.getBoundingClientRect().left;
}"""


def test_the_caret_stands_under_the_column_of_the_error(open_page):
    query = "SELECT ?name WHERE {\n  ?p schema:name ?name\n  ?p a schema:Person .\n}"
    page = open_page("/sparql?" + urlencode({"query": query}))
    shown = page.locator(".query-error p").inner_text()
    message, line, caret = shown.split("\n")[:3]
    assert message == "syntax error at line 3, column 3: near ?p"
    assert line == "  ?p a schema:Person ."
    column = caret.index("^")
    assert column == 2
    assert page.evaluate(_LEFT_OF, [2, column]) == page.evaluate(_LEFT_OF, [1, column])
    assert page.locator("#query").input_value() == query  # kept in the editor, to mend


def test_an_undeclared_prefix_is_named_with_the_line_to_add(open_page):
    page = open_page("/sparql?" + urlencode({"query": "SELECT * { ?s dc:title ?t }"}))
    shown = page.locator(".query-error p").inner_text()
    assert shown.startswith("the prefix dc: is not declared (line 1, column 15)")
    assert shown.endswith("PREFIX dc: <http://purl.org/dc/elements/1.1/>")
