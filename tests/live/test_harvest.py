"""Real clients on a real socket: rdflib dereferences our IRIs as a harvester does,
follows the 303 and gets the description the store holds; plain HTTP sees gzip, 304s
and HEAD from the production server."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

from server.domain.describe import describe

pytestmark = pytest.mark.live

TINY = "https://example.org/tiny/"
REPO = "https://w3id.org/grand-paris-russia/"


def tiny_args(config) -> list[str]:
    root = Path(config["data_dir"]).parent
    return ["--data-dir", str(root / "data"), "--ontology-dir", str(root / "ontology"),
            "--shapes-dir", str(root / "shapes"), "--base-iri", TINY]


def stored(snapshot, iri: str) -> Graph:
    """The description the domain makes of ``iri``: what the store says of it, with the
    reifiers and sentences of its facts (tests/http/test_data.py checks it against the
    store)."""
    triples = [ox.Quad(q.subject, q.predicate, q.object) for q in describe(snapshot, iri).quads]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_QUADS), format="nquads")


@pytest.mark.parametrize("slug", ["person/ada-lovelace", "person/charles-babbage",
                                  "organization/analytical-society"])
def test_rdflib_follows_the_303_and_gets_the_stored_description(start_server, tiny_config,
                                                                tiny_snapshot, slug):
    server = start_server("run", *tiny_args(tiny_config))
    expected = stored(tiny_snapshot, f"{TINY}id/{slug}")
    for fmt in (None, "json-ld", "xml", "turtle", "nt"):
        graph = Graph().parse(f"{server.url}/id/{slug}", format=fmt)
        assert isomorphic(graph, expected), (slug, fmt)


def test_rdflib_harvests_the_repository_data(start_server, repo_snapshot):
    server = start_server("run")
    for slug in ("person/andrei-tchibis", "agreement/convention-2018-11-29",
                 "quotation/missoffe-point-de-depart"):
        graph = Graph().parse(f"{server.url}/id/{slug}")
        assert isomorphic(graph, stored(repo_snapshot, f"{REPO}id/{slug}")), slug
        assert len(graph) > 10


def test_the_production_server_compresses_revalidates_and_answers_head(start_server, tiny_config):
    server = start_server("serve", "--workers", "2", *tiny_args(tiny_config))
    url = f"{server.url}/page/person/ada-lovelace"
    with requests.Session() as session:
        first = session.get(url, headers={"Accept-Encoding": "gzip", "Accept": "text/html"},
                            stream=True, timeout=10)
        raw = first.raw.read()
        assert first.headers["Content-Encoding"] == "gzip"
        assert b"Ada Lovelace" in gzip.decompress(raw)
        again = session.get(url, headers={"Accept-Encoding": "gzip", "Accept": "text/html",
                                          "If-None-Match": first.headers["ETag"]}, timeout=10)
        assert again.status_code == 304 and again.content == b""
        head = session.head(url, headers={"Accept": "text/html"}, timeout=10)
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["Content-Length"]) > 1000
        redirect = session.get(f"{server.url}/id/person/ada-lovelace", allow_redirects=False,
                               headers={"Accept": "text/turtle"}, timeout=10)
        assert redirect.status_code == 303
        assert redirect.headers["Location"] == f"{server.url}/data/person/ada-lovelace.ttl"
