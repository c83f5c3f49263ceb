"""``/checks``: the deployment's last ``ldpub check`` results as recorded in its checks
file, as a page in each language and as EARL; a new file gives a new ETag; no file is a
page that says how to get results, never an error."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from server.conformance import all_checks
from server.conformance.earl import earl_graph, write
from server.conformance.registry import Outcome, Result
from server.domain.namespaces import EARL
from tests.conftest import TINY_BASE, make_app

WHEN = datetime(2026, 12, 5, 9, tzinfo=UTC)


def _results(failing: str) -> list[Result]:
    return [Result(check, Outcome.FAILED if check.id == failing else Outcome.PASSED,
                   f"seen for {check.id}", WHEN) for check in all_checks()]


@pytest.fixture
def checks_file(tmp_path):
    return tmp_path / "checks.ttl"


@pytest.fixture
def client(tiny_config, tiny_snapshot, checks_file, tmp_path):
    config = {**tiny_config, "dump_dir": str(tmp_path / "dumps"),
              "checks_file": str(checks_file)}
    return make_app(config, tiny_snapshot).test_client()


@pytest.mark.parametrize(("lang", "words"), [("en", "No results recorded yet"),
                                             ("fr", "Aucun résultat enregistré")])
def test_without_results_the_page_says_how_to_get_them(client, lang, words):
    response = client.get(f"/checks?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert words in response.data.decode()
    assert "ldpub check" in response.data.decode()
    empty = client.get("/checks.ttl")
    assert empty.status_code == 200 and len(Graph().parse(data=empty.data)) == 0


@pytest.mark.parametrize(("lang", "failed", "title"), [
    ("en", "failed", "Negotiated answers carry Vary with the Accept token"),
    ("fr", "en échec", "Les réponses négociées portent Vary avec le jeton Accept")])
def test_the_page_shows_each_recorded_result_in_the_readers_language(client, checks_file,
                                                                    lang, failed, title):
    write(earl_graph(_results("vary-accept"), "http://deployment.example/", TINY_BASE),
          checks_file)
    page = client.get(f"/checks?lang={lang}", headers={"Accept": "text/html"}).data.decode()
    ids = [check.id for check in all_checks()]
    positions = [page.index(f'<tr id="{check_id}"') for check_id in ids]
    assert positions == sorted(positions)  # the order of the table of checks
    row = page[page.index('<tr id="vary-accept"'):]
    row = row[:row.index("</tr>")]
    assert f"<td>{failed}</td>" in row and title in row and "seen for vary-accept" in row
    assert "http://deployment.example/" in page


def test_the_results_as_earl_are_the_file_and_a_new_file_is_a_new_etag(client, checks_file):
    graph = earl_graph(_results("dumps"), "http://deployment.example/", TINY_BASE)
    write(graph, checks_file)
    first = client.get("/checks", headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=first.data, format="turtle"), graph)
    again = client.get("/checks", headers={"Accept": "text/turtle",
                                           "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    write(earl_graph(_results("cors"), "http://deployment.example/", TINY_BASE), checks_file)
    stamp = checks_file.stat().st_mtime_ns + 1_000_000_000  # a later write, on any clock
    os.utime(checks_file, ns=(stamp, stamp))
    changed = client.get("/checks", headers={"Accept": "text/turtle",
                                             "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    failed = Graph().parse(data=changed.data, format="turtle")
    assert len(list(failed.subjects(EARL.outcome, EARL.failed))) == 1
    jsonld = client.get("/checks.jsonld")
    assert isomorphic(Graph().parse(data=jsonld.data, format="json-ld"), failed)
