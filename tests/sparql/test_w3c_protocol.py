"""The W3C SPARQL 1.1 Protocol tests, driven by the suite's own manifest.

Every query test runs as the manifest writes it (method, path, headers, body in its
character encoding), against an app serving data1-3.nt as the named graphs the
manifest's ``ut:graphData`` names, and its response is checked as the manifest says:
status class, result kind (boolean, tabular, RDF) and boolean value.

The update tests do not apply to a read-only endpoint as written (they expect their
update to succeed). They run all the same, inverted: the update request must be refused
with a 4xx and leave the data as it was. The ``bad_update_*`` tests expect a 4xx and
run as written.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.query import Result

from .conftest import MANIFEST

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RESULT_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld", "application/trig": "trig",
             "application/n-quads": "nquads"}


def _entries() -> list[tuple[str, list[dict]]]:
    manifest = Graph().parse(MANIFEST, format="turtle")
    listed = next(manifest.objects(None, MF.entries))
    entries = []
    for test in Collection(manifest, listed):
        action = manifest.value(test, MF.action)
        requests = []
        for node in Collection(manifest, manifest.value(action, HT.requests)):
            body = manifest.value(node, HT.body)
            headers_list = manifest.value(node, HT.headers)
            headers = {}
            if headers_list is not None:
                for header in Collection(manifest, headers_list):
                    headers[str(manifest.value(header, HT.fieldName))] = str(
                        manifest.value(header, HT.fieldValue))
            response = manifest.value(node, HT.resp)
            requests.append({
                "method": str(manifest.value(node, HT.methodName)),
                "path": str(manifest.value(node, HT.absolutePath)),
                "headers": headers,
                "body": None if body is None else str(manifest.value(body, CNT.chars)).encode(
                    str(manifest.value(body, CNT.characterEncoding) or "UTF-8")),
                "statuses": {str(s).rpartition("StatusCode")[2]
                             for s in manifest.objects(response, MF.expectedStatus)},
                "format": str(manifest.value(response, MF.expectedFormat) or "") or None,
                "boolean": manifest.value(response, MF.expectedBoolean),
            })
        entries.append((str(test).rpartition("#")[2], requests))
    return entries


ENTRIES = _entries()


def _is_update_test(name: str) -> bool:
    return "update" in name


QUERY_TESTS = [(name, requests) for name, requests in ENTRIES if not _is_update_test(name)]
REFUSED_UPDATES = [(name, requests) for name, requests in ENTRIES if _is_update_test(name)]


def send(client, request: dict):
    return client.open(request["path"], method=request["method"], headers=request["headers"],
                       data=request["body"])


def check(response, request: dict) -> None:
    status_class = f"{response.status_code // 100}xx"
    assert status_class in request["statuses"], (response.status_code, response.data[:300])
    kind = request["format"]
    if kind in ("boolean", "tabular"):
        assert response.mimetype in RESULT_TYPES, response.mimetype
        result = Result.parse(io.BytesIO(response.data), format=RESULT_TYPES[response.mimetype])
        if kind == "boolean":
            assert result.type == "ASK"
            if request["boolean"] is not None:
                assert result.askAnswer is request["boolean"].toPython()
        else:
            assert result.type == "SELECT"
    elif kind == "RDF":
        assert response.mimetype in RDF_TYPES, response.mimetype
        Graph().parse(data=response.data, format=RDF_TYPES[response.mimetype])


def test_the_manifest_is_read_whole():
    assert len(ENTRIES) == 34
    assert len(QUERY_TESTS) == 20 and len(REFUSED_UPDATES) == 14


@pytest.mark.parametrize(("name", "requests"), QUERY_TESTS, ids=[n for n, _ in QUERY_TESTS])
def test_w3c_query(w3c_client, name, requests):
    for request in requests:
        check(send(w3c_client, request), request)


@pytest.mark.parametrize(("name", "requests"), REFUSED_UPDATES,
                         ids=[n for n, _ in REFUSED_UPDATES])
def test_w3c_update_is_refused_and_changes_nothing(w3c_client, w3c_snapshot, name, requests):
    before = sorted(map(str, w3c_snapshot.store.quads()))
    update = requests[0]
    response = send(w3c_client, update)
    assert 400 <= response.status_code < 500, response.data
    if "4xx" not in update["statuses"]:  # an update the suite expects to succeed
        assert b"read-only" in response.data
    assert sorted(map(str, w3c_snapshot.store.quads())) == before


def test_the_suite_data_is_where_the_manifest_says(w3c_snapshot):
    assert set(w3c_snapshot.store.graphs()) == {
        f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}
    assert Path(MANIFEST).is_file()
