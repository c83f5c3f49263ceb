"""Large named graphs are written once per version and format to a file and sent from it,
with the same headers as a small graph's; small graphs stay in memory.

``namedgraph.LARGE_GRAPH`` is lowered so that the tiny dataset's graphs count as large.
"""

from __future__ import annotations

import pytest
from header_tokens import assert_varies_on
from http_helpers import TINY, stored
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from server import create_app
from server.domain import dumps, iris
from server.domain.formats import RDF_FORMATS
from server.web import namedgraph

RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml",
                  "trig": "trig", "nq": "nquads"}
BAD_PREDICATE = """
<https://example.org/tiny/graph/notes> {
  <https://example.org/tiny/id/person/ada-lovelace> <https://example.org/tiny/note/1> "x" .
}
"""


@pytest.fixture
def large(monkeypatch):
    """Every graph counts as large."""
    monkeypatch.setattr(namedgraph, "LARGE_GRAPH", 0)


@pytest.fixture
def files(tmp_path):
    return tmp_path / "dumps"


@pytest.fixture
def client(tiny_config, tiny_snapshot, files):
    return make_app({**tiny_config, "dump_dir": str(files)}, tiny_snapshot).test_client()


@pytest.fixture
def writes(monkeypatch):
    """The formats the cache has serialised a file in, in order."""
    written: list[str] = []
    write = dumps._write

    def counted(statements, raw, fmt, prefixes, gzipped):
        written.append(fmt.name)
        write(statements, raw, fmt, prefixes, gzipped)

    monkeypatch.setattr(dumps, "_write", counted)
    return written


def make_app(config: dict, snapshot=None):
    return create_app({**config, "TESTING": True}, snapshot=snapshot)


def get(client, path: str, **headers):
    with client.get(path, headers=headers) as response:
        response.body = response.data
        return response


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_a_large_graph_comes_from_its_file_and_carries_the_graph(large, client, files,
                                                                 tiny_snapshot, fmt):
    iri = iris.graph_iri(TINY, "derived")
    response = get(client, f"/graph/derived.{fmt.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    [written] = files.glob(f"{tiny_snapshot.version}/graph-derived.{fmt.name}")
    assert written.read_bytes() == response.body
    assert int(response.headers["Content-Length"]) == len(response.body)
    if fmt.carries_graphs:
        dataset = Dataset().parse(data=response.body, format=RDFLIB_FORMATS[fmt.name])
        assert {str(c.identifier) for c in dataset.graphs() if len(c)} == {iri}
        answered = dataset.graph(URIRef(iri))
    else:
        answered = Graph().parse(data=response.body, format=RDFLIB_FORMATS[fmt.name])
    assert isomorphic(answered, stored(tiny_snapshot, iri))


def test_a_second_request_is_sent_from_the_same_file(large, client, files, writes,
                                                     tiny_config, tiny_snapshot):
    first = get(client, "/graph/alpha.nq")
    [written] = files.glob("*/graph-alpha.nq")
    stamp = written.stat().st_mtime_ns
    again = get(client, "/graph/alpha.nq")
    other_worker = make_app({**tiny_config, "dump_dir": str(files)}, tiny_snapshot).test_client()
    third = get(other_worker, "/graph/alpha.nq")
    assert first.body == again.body == third.body
    assert writes == ["nq"] and written.stat().st_mtime_ns == stamp


def test_length_etag_304_head_range_and_links_as_for_a_small_graph(large, client, files,
                                                                   tiny_config, tiny_snapshot):
    response = get(client, "/graph/alpha", Accept="text/turtle")
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/graph/alpha.ttl"
    assert "Content-Disposition" not in response.headers, "shown like a small graph"
    assert response.headers["Last-Modified"]
    assert_varies_on(response, "Accept")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]
    assert 'rel="alternate"' in response.headers["Link"]
    again = get(client, "/graph/alpha", Accept="text/turtle",
                **{"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.body == b""
    assert again.headers["ETag"] == response.headers["ETag"]
    assert get(client, "/graph/alpha.trig").headers["ETag"] != response.headers["ETag"]
    with client.head("/graph/alpha", headers={"Accept": "text/turtle"}) as head:
        assert head.status_code == 200 and head.data == b""
        assert head.headers["Content-Length"] == response.headers["Content-Length"]
    part = get(client, "/graph/alpha", Accept="text/turtle", Range="bytes=0-9")
    assert part.status_code == 206 and part.body == response.body[:10]
    small = make_app({**tiny_config, "dump_dir": str(files)}, tiny_snapshot).test_client()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(namedgraph, "LARGE_GRAPH", 10**9)
        in_memory = get(small, "/graph/alpha", Accept="text/turtle")
    assert in_memory.headers["ETag"] == response.headers["ETag"], "one validator, either path"


def test_a_large_graph_is_rdf_11_only(large, client, files):
    """Its file is RDF 1.1: a client asking for RDF 1.2 gets it only if it takes 1.1 too,
    never under a 1.2 label."""
    refused = get(client, "/graph/alpha", Accept="text/turtle; version=1.2")
    assert refused.status_code == 406
    assert "version=1.2" not in refused.get_data(as_text=True), "no 1.2 view is offered"
    answered = get(client, "/graph/alpha", Accept="text/turtle; version=1.2, text/turtle; q=0.5")
    assert answered.status_code == 200
    assert answered.headers["Content-Type"] == "text/turtle; charset=utf-8"
    [written] = files.glob("*/graph-alpha.ttl")
    assert answered.body == written.read_bytes()


def test_a_small_graph_stays_in_memory(client, files):
    assert get(client, "/graph/derived.ttl").status_code == 200
    assert not list(files.glob("*/graph-*"))


def test_what_rdf_xml_cannot_carry_is_406_and_leaves_no_file(large, tiny_copy, tiny_config,
                                                             files):
    (tiny_copy / "data" / "notes.trig").write_text(BAD_PREDICATE)
    config = {**tiny_config, "dump_dir": str(files),
              **{k: str(tiny_copy / k.removesuffix("_dir"))
                 for k in ("data_dir", "ontology_dir", "shapes_dir")}}
    client = make_app(config).test_client()
    response = get(client, "/graph/notes.rdf", Accept="text/plain")
    assert response.status_code == 406
    assert "note/1" in response.get_data(as_text=True)
    assert "text/turtle (.ttl)" in response.get_data(as_text=True)
    assert not [p for p in files.rglob("*notes.rdf*") if not p.name.endswith(".lock")]
    assert get(client, "/graph/notes.ttl").status_code == 200


def test_a_large_graph_goes_out_as_its_file_even_to_a_client_that_takes_codings(large, client):
    """A download that resumes (``Range``) counts the file's own bytes: the file is sent
    as it is stored, with its length, whatever codings the client takes."""
    whole = get(client, "/graph/alpha.nq")  # N-Quads: long enough to be worth compressing
    assert int(whole.headers["Content-Length"]) > 500
    codings = {"Accept-Encoding": "gzip, br, zstd, deflate"}
    packed = get(client, "/graph/alpha.nq", **codings)
    assert packed.headers.get("Content-Encoding") is None, (
        f"the file went out as {packed.headers.get('Content-Encoding')}")
    assert packed.headers.get("Content-Length") == whole.headers["Content-Length"]
    part = get(client, "/graph/alpha.nq", Range="bytes=0-9", **codings)
    assert part.status_code == 206 and part.body == whole.body[:10], (
        f"bytes 0-9 came as {part.body!r}, the file starts {whole.body[:10]!r}")
