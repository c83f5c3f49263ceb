"""The query page in a real headless Chromium: run an example query, follow a result."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
QUERIES = TESTS / "sparql" / "fixtures" / "queries"
TINY = TESTS / "fixtures" / "tiny"

pytestmark = pytest.mark.browser


def _server_process():
    spec = importlib.util.spec_from_file_location("live_servers", TESTS / "live" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ServerProcess


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-sparql")
    args = ["serve", "--workers", "1", "--data-dir", str(TINY / "data"),
            "--ontology-dir", str(TINY / "ontology"), "--shapes-dir", str(TINY / "shapes"),
            "--base-iri", "https://example.org/tiny/", "--queries-dir", str(QUERIES)]
    server = _server_process()(args, folder, folder / "server.log")
    server.wait_until_up()
    yield server.url
    server.stop()


def test_an_example_query_shows_a_table_linking_to_a_resource_page(site, chromium):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/sparql")
    assert "PREFIX schema:" in page.locator("#query").input_value()
    if shutil.which("node") and (TESTS.parent / "node_modules" / "codemirror").is_dir():
        assert page.locator(".CodeMirror").count() == 1  # the editor from npm took over
    page.get_by_role("link", name="Who are the people, and what are they called?").click()
    table = page.locator("table.results-table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == ["person", "name"]
    link = table.get_by_role("link", name="Ada Lovelace")  # the label, the IRI on hover
    assert link.get_attribute("href") == f"{site}/id/person/ada-lovelace"
    assert link.get_attribute("title") == "https://example.org/tiny/id/person/ada-lovelace"
    assert page.locator("#share").input_value().startswith(f"{site}/sparql?query=")
    link.click()
    page.wait_for_load_state()
    assert "/ada-lovelace" in page.url
    assert "Ada Lovelace" in page.content()
    assert errors == []
    page.close()


def test_a_query_typed_in_the_editor_runs_with_ctrl_enter(site, chromium):
    page = chromium.new_page()
    page.goto(f"{site}/sparql")
    query = "ASK { ?s ?p ?o }"
    if page.locator(".CodeMirror").count():
        page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
        page.locator(".CodeMirror textarea").focus()
    else:
        page.locator("#query").fill(query)
        page.locator("#query").focus()
    page.keyboard.press("Control+Enter")
    page.locator(".boolean").wait_for()
    assert page.locator(".boolean").inner_text() == "true"
    page.close()
