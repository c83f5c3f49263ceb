"""Nothing reaches another host on a client's behalf.

A socket listening on 127.0.0.1 stands for "another host": every query, parameter and
header a client could use to make the server connect somewhere (``SERVICE``, ``LOAD``,
``FROM``, ``default-graph-uri``, SPARQL Update, JSON-LD contexts) is sent, and the
socket must see no connection at all. Behind a remote store the same holds, although
the engine there (Comunica) would itself follow a ``SERVICE``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from server import create_app
from server.domain.dumps import with_default_graph
from server.domain.loading import DataUnreadable, load_snapshot
from server.settings import Settings

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
TINY_BASE = "https://example.org/tiny/"


def refused_queries(target: str) -> list[str]:
    """Queries that would make an engine connect to ``target``."""
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{target}>\nSELECT * WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
        f"BASE <{target}>\nSELECT * WHERE {{ SERVICE <> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#hidden\n<{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?x }} }} }}",
        f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"LOAD <{target}>",
        f"LOAD SILENT <{target}> INTO GRAPH <urn:g>",
        f"INSERT DATA {{ <{target}> <{target}> <{target}> }}",
        f"CLEAR ALL ; LOAD <{target}>",
    ]


def sent(client, query: str, binding: str, **params):
    if binding == "get":
        return client.get("/sparql", query_string={"query": query, **params},
                          headers={"Accept": "application/sparql-results+json"})
    if binding == "form":
        return client.post("/sparql", data={"query": query, **params},
                           headers={"Accept": "application/sparql-results+json"})
    return client.post("/sparql", data=query.encode(), query_string=params,
                       headers={"Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})


def quiet(listener, wait: float = 0.5) -> int:
    time.sleep(wait)
    return listener.connections


@pytest.mark.parametrize("binding", ["get", "form", "direct"])
def test_service_load_and_update_are_refused_and_connect_nowhere(client, listener, binding):
    for query in refused_queries(listener.url):
        response = sent(client, query, binding)
        assert response.status_code == 400, (query, response.status_code)
        message = response.get_data(as_text=True)
        assert any(word in message for word in ("SERVICE", "LOAD", "read-only", "Update")), query
    assert quiet(listener) == 0


def test_an_update_by_any_other_route_is_refused(client, listener):
    target = listener.url
    answers = [
        client.post("/sparql", data={"update": f"LOAD <{target}>"}),
        client.get("/sparql", query_string={"update": f"LOAD <{target}>"}),
        client.post("/sparql", data=f"LOAD <{target}>".encode(),
                    headers={"Content-Type": "application/sparql-update"}),
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert quiet(listener) == 0


@pytest.mark.parametrize("binding", ["get", "form", "direct"])
def test_graphs_named_by_the_client_are_never_fetched(client, listener, binding):
    """``FROM``, ``FROM NAMED`` and the protocol's graph parameters name graphs of this
    store; none is downloaded (an engine that loads them would connect here)."""
    target = listener.url
    for query, params in [
        (f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": target}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", {"named-graph-uri": target}),
        (f"CONSTRUCT {{ ?s ?p ?o }} FROM <{target}> WHERE {{ ?s ?p ?o }}", {}),
    ]:
        response = sent(client, query, binding, **params)
        assert response.status_code in (200, 406), (query, response.get_data()[:200])
    assert quiet(listener) == 0


def test_service_to_a_host_not_allowed_is_refused_when_federation_is_on(
        repo_snapshot, listener):
    app = create_app({"TESTING": True, "service_hosts": "query.example.org"},
                     snapshot=repo_snapshot)
    try:
        client = app.test_client()
        for host in (listener.url, listener.url.replace("127.0.0.1", "localhost"),
                     f"http://query.example.org@127.0.0.1:{listener.port}/",
                     f"http://127.0.0.1:{listener.port}/#query.example.org"):
            response = sent(client, f"SELECT * WHERE {{ SERVICE <{host}> {{ ?s ?p ?o }} }}",
                            "get")
            assert response.status_code == 400, host
    finally:
        app.extensions["sparql"].close()
    assert quiet(listener) == 0


def test_behind_a_remote_store_service_is_refused_before_the_engine_sees_it(
        engines, tiny_snapshot, tiny_config, listener, tmp_path):
    """Comunica follows ``SERVICE`` by itself: the refusal has to happen here."""
    reason = engines.Comunica.missing()
    if reason:
        pytest.skip(f"no independent SPARQL server: {reason}")
    data = tmp_path / "tiny.nq"
    ox.serialize(with_default_graph(tiny_snapshot.store), output=str(data),
                 format=ox.RdfFormat.N_QUADS)
    engine = engines.Comunica.start(data, tmp_path / "comunica.log")
    app = create_app({**tiny_config, "store": "sparql+" + engine.url,
                      "dump_dir": str(tmp_path / "dumps"), "TESTING": True})
    try:
        client = app.test_client()
        for query in refused_queries(listener.url):
            assert sent(client, query, "get").status_code == 400, query
        response = sent(client, f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }} LIMIT 1",
                        "get")
        assert response.status_code == 200
    finally:
        engine.stop()
    assert quiet(listener) == 0


JSON_LD_DOCUMENTS = (
    "/data/person/andrei-tchibis.jsonld",
    "/dataset.jsonld",
    "/ontology.jsonld",
    "/shapes.jsonld",
    "/validation.jsonld",
    "/sparql?format=jsonld&query=" + quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20"),
    "/sparql?format=jsonld",
)


@pytest.mark.parametrize("path", JSON_LD_DOCUMENTS)
def test_json_ld_contexts_are_embedded_never_remote(client, path):
    """A client never has to fetch a context to read our JSON-LD (DESIGN §3)."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/ld+json"
    document = json.loads(response.get_data())

    def contexts(node):
        if isinstance(node, dict):
            if "@context" in node:
                yield node["@context"]
            for value in node.values():
                yield from contexts(value)
        elif isinstance(node, list):
            for value in node:
                yield from contexts(value)

    for context in contexts(document):
        for part in context if isinstance(context, list) else [context]:
            assert isinstance(part, dict), f"a remote context {part!r} in {path}"


def test_loading_fetches_nothing_a_file_points_to(listener, tmp_path):
    """A JSON-LD file with a remote context and an ontology importing a remote one: the
    loader reads the local files only."""
    root = tmp_path / "dataset"
    shutil.copytree(TINY, root)
    (root / "data" / "remote.jsonld").write_text(json.dumps({
        "@context": listener.url + "context.jsonld",
        "@id": TINY_BASE + "id/person/x", "name": "X"}))
    (root / "ontology" / "imports.ttl").write_text(
        f"<{TINY_BASE}ontology> <http://www.w3.org/2002/07/owl#imports> <{listener.url}> .\n")
    (root / "data" / "see-also.ttl").write_text(
        f"<{TINY_BASE}id/person/ada-lovelace> <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
        f"<{listener.url}> .\n")
    config = {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
              "shapes_dir": str(root / "shapes"), "base_iri": TINY_BASE}
    try:
        load_snapshot(Settings.load(config, environ={}))
    except DataUnreadable:
        pass  # refusing the file is fine too; fetching its context is not
    assert quiet(listener) == 0
