"""/dumps/…: files made once per data version, sent with length, ETag, checksum, ranges."""

from __future__ import annotations

import base64
import gzip
import hashlib

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID

from server import create_app
from server.domain.dumps import DUMP_FORMATS
from server.domain.namespaces import SPDX


def get(client, path: str, **headers):
    with client.get(path, headers=headers) as response:
        response.body = response.data
        return response


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.name)
def test_a_dump_has_its_length_etag_digest_and_parses(client, fmt):
    response = get(client, f"/dumps/dataset.{fmt.name}.gz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert int(response.headers["Content-Length"]) == len(response.body)
    digest = hashlib.sha256(response.body)
    assert response.headers["ETag"] == f'"{digest.hexdigest()}"'
    assert response.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.name)
def test_a_dump_holds_exactly_the_published_statements(client, tiny_snapshot, fmt):
    """A harvester that loads a dump has the store's data: every quad with its graph for
    TriG and N-Quads, the merge of the graphs for Turtle (blank nodes compared after
    RDF canonicalisation)."""
    body = gzip.decompress(get(client, f"/dumps/dataset.{fmt.name}.gz").body)
    store = tiny_snapshot.store
    expected = (store.quads() if fmt.carries_graphs else
                {ox.Quad(q.subject, q.predicate, q.object) for q in store.quads()})
    dumped, published = canonical(ox.parse(body, format=fmt.ox)), canonical(expected)
    assert dumped == published, (
        f"dataset.{fmt.name}.gz: {len(dumped - published)} statements the store does not "
        f"hold, {len(published - dumped)} of the store's missing")


def canonical(statements) -> set[ox.Quad]:
    dataset = ox.Dataset(ox.Quad(*s) if isinstance(s, ox.Triple) else s for s in statements)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_revalidation_head_and_ranges(client):
    first = get(client, "/dumps/dataset.trig.gz")
    assert get(client, "/dumps/dataset.trig.gz", **{"If-None-Match": first.headers["ETag"]}
               ).status_code == 304
    with client.head("/dumps/dataset.trig.gz") as head:
        assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == first.headers["Content-Length"]
    part = get(client, "/dumps/dataset.trig.gz", Range="bytes=0-9")
    assert part.status_code == 206 and part.body == first.body[:10]


@pytest.mark.parametrize("path", ["/dumps/dataset.rdf.gz", "/dumps/other.ttl.gz",
                                  "/dumps/dataset.docx.gz"])
def test_an_unknown_dump_is_404_naming_the_dumps(client, path):
    response = get(client, path, Accept="text/plain")
    assert response.status_code == 404
    assert "dataset.trig.gz" in response.get_data(as_text=True)


def test_a_dump_is_written_once_per_version(tiny_config, tiny_snapshot, tmp_path):
    config = {**tiny_config, "dump_dir": str(tmp_path), "TESTING": True}
    get(create_app(config, snapshot=tiny_snapshot).test_client(), "/dumps/dataset.nq.gz")
    [written] = tmp_path.glob("*/dataset.nq.gz")
    stamp = written.stat().st_mtime_ns
    again = get(create_app(config, snapshot=tiny_snapshot).test_client(), "/dumps/dataset.nq.gz")
    assert again.status_code == 200 and written.stat().st_mtime_ns == stamp
    assert written.parent.name == tiny_snapshot.version


def test_the_description_states_each_dumps_size_checksum_and_statements(client):
    """A harvester checks what it downloaded against the description (VoID §6.2)."""
    description = Graph().parse(data=client.get("/dataset.ttl").data, format="turtle")
    for fmt in DUMP_FORMATS:
        url = f"http://localhost/dumps/dataset.{fmt.name}.gz"
        body = get(client, url).body
        statements = len(list(ox.parse(gzip.decompress(body), format=fmt.ox)))
        checksum = description.value(URIRef(url), SPDX.checksum)
        stated = (int(description.value(URIRef(url), DCAT.byteSize)),
                  str(description.value(checksum, SPDX.checksumValue)),
                  int(description.value(URIRef(url), VOID.triples)))
        assert stated == (len(body), hashlib.sha256(body).hexdigest(), statements), url


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.name)
def test_a_dump_is_the_same_bytes_whenever_it_is_made(tiny_config, tiny_snapshot, tmp_path, fmt):
    """Reproducible, like ``gzip -n``: no time and no file name in the gzip header
    (RFC 1952 §2.3), so the checksum depends on the statements alone."""
    made = []
    for run in ("first", "second"):
        config = {**tiny_config, "dump_dir": str(tmp_path / run), "TESTING": True}
        made.append(get(create_app(config, snapshot=tiny_snapshot).test_client(),
                        f"/dumps/dataset.{fmt.name}.gz").body)
    assert made[0] == made[1]
    flags, mtime = made[0][3], int.from_bytes(made[0][4:8], "little")
    assert (flags & 0x08, mtime) == (0, 0), "the gzip header names a file or a time"


@pytest.mark.parametrize("fmt", [f for f in DUMP_FORMATS if f.name != "nq"], ids=lambda f: f.name)
def test_turtle_and_trig_dumps_use_the_datasets_prefixes(client, tiny_snapshot, fmt):
    text = gzip.decompress(get(client, f"/dumps/dataset.{fmt.name}.gz").body).decode()
    assert f"@prefix person: <{tiny_snapshot.prefixes['person']}>" in text
    assert "person:ada-lovelace" in text


def test_every_dump_is_made_at_once_telling_its_progress_and_known_after(tiny_snapshot, tmp_path,
                                                                          monkeypatch):
    """What ``ldpub load`` (on disk) and ``ldpub release`` do: every format written in
    one stage, "dumps", each named as it is written; a release then finds each by its
    format (``known``) under the name its links use, each with the dataset's prefixes."""
    from server.domain import progress
    from server.domain.dumps import DUMP_NAME, DumpCache

    monkeypatch.setattr(progress, "REPORT_INTERVAL", 0)
    cache, version = DumpCache(tmp_path), tiny_snapshot.version
    assert [cache.known(version, fmt) for fmt in DUMP_FORMATS] == [None] * len(DUMP_FORMATS)
    reports = []
    made = cache.produce_all(tiny_snapshot.store, version, tiny_snapshot.prefixes, reports.append)
    told = [(r.stage, r.note, r.done, r.total, r.unit) for r in reports if r.note]
    assert told == [("dumps", dump.file_name, n, len(DUMP_FORMATS), "dumps")
                    for n, dump in enumerate(made, 1)], told
    assert reports[-1].finished and reports[-1].counts == {"bytes": sum(d.size for d in made)}
    assert [cache.known(version, fmt) for fmt in DUMP_FORMATS] == made
    assert {(dump.name, dump.format) for dump in made} == {(DUMP_NAME, f.name) for f in DUMP_FORMATS}
    turtle = gzip.decompress(next(d for d in made if d.format == "ttl").path.read_bytes())
    assert b"@prefix person: <https://example.org/tiny/id/person/> ." in turtle


def test_the_default_graph_export_adds_the_merge_of_the_graphs(tiny_snapshot):
    """What a remote engine loads to serve the default graph as a set: the named graphs
    as they are, and each triple of theirs once in the default graph."""
    from server.domain.dumps import with_default_graph

    quads = list(with_default_graph(tiny_snapshot.store))
    merged = [q for q in quads if q.graph_name == ox.DefaultGraph()]
    named = set(tiny_snapshot.store.quads())
    assert set(quads) - set(merged) == named and len(quads) == len(merged) + len(named)
    assert sorted(map(str, (q.triple for q in merged))) == sorted({str(q.triple) for q in named})
