"""A remote store that is down or slow is answered 503 with Retry-After, never 404."""

from __future__ import annotations

import dataclasses
import socket
import sys
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from engines import Comunica, free_port
from header_tokens import assert_varies_on

from server import create_app
from server.settings import Settings
from server.store import StoreUnavailable
from server.store.registry import open_snapshot
from server.store.remote import RemoteStore

ADA = "https://example.org/tiny/id/person/ada-lovelace"
PATHS = ("/healthz", "/dataset", "/dumps/dataset.nq.gz", "/sitemap.xml", "/validation",
         "/id/person/ada-lovelace", "/data/person/ada-lovelace.ttl", "/sparql?query=ASK%7B%7D")


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()


def dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}/sparql"


def test_a_refused_connection_raises_store_unavailable():
    store = RemoteStore(dead_url(), timeout=2)
    for operation in (lambda: store.exists(ADA), lambda: store.describe(ADA), store.stats,
                      lambda: store.query("ASK {}"), lambda: list(store.quads())):
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            operation()


def test_a_silent_endpoint_times_out(silent_endpoint):
    with pytest.raises(StoreUnavailable, match="did not answer within 0.5 s"):
        RemoteStore(silent_endpoint, timeout=0.5).query("ASK {}")


@pytest.mark.parametrize("path", PATHS)
def test_a_store_down_at_start_is_503_with_retry_after(tiny_config, path):
    app = create_app({**tiny_config, "store": "sparql+" + dead_url(), "TESTING": True})
    response = app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 503, path
    assert int(response.headers["Retry-After"]) > 0
    assert_varies_on(response, "Accept")


@pytest.mark.parametrize("path", [p for p in PATHS if p not in ("/healthz", "/validation")])
def test_a_store_that_goes_down_is_503_not_404(sparql_server, tiny_config, tmp_path, path):
    config = {**tiny_config, "store": "sparql+" + sparql_server.url, "dump_dir": str(tmp_path)}
    live = open_snapshot(Settings.load(config, environ={}))
    # A version no cache has seen: every page must go to the store, which is gone.
    gone = dataclasses.replace(live, store=RemoteStore(dead_url(), timeout=2),
                               version=f"{live.version}-{path}")
    response = create_app({**config, "TESTING": True}, snapshot=gone).test_client().get(path)
    assert response.status_code == 503, path
    assert response.headers["Retry-After"]


def test_the_app_recovers_when_the_store_comes_up(nquads_file, tiny_config, tiny_snapshot, tmp_path,
                                                  monkeypatch):
    reason = Comunica.missing()
    if reason:
        pytest.skip(f"no independent SPARQL server: {reason}")
    monkeypatch.setattr(sys.modules["server.runtime.publisher"], "RETRY_SECONDS", 0)
    port = free_port()
    app = create_app({**tiny_config, "store": f"sparql+http://127.0.0.1:{port}/sparql",
                      "dump_dir": str(tmp_path), "TESTING": True})
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    sparql = Comunica.start(nquads_file, tmp_path / "comunica.log", port=port)
    try:
        answer = client.get("/healthz")
        assert answer.status_code == 200
        assert answer.get_json()["triples"] == tiny_snapshot.stats.triples, "the embedded count"
    finally:
        sparql.stop()


def test_opening_a_store_whose_default_graph_is_not_the_merge_warns(
        tiny_config, tiny_snapshot, tmp_path, caplog):
    """An engine whose default graph is not the merge the publisher serves (here one
    graph's statements only): the operator is told how to load it."""
    reason = Comunica.missing()
    if reason:
        pytest.skip(f"no independent SPARQL server: {reason}")
    partial = tmp_path / "partial.nq"
    alpha = tiny_snapshot.store.quads(["https://example.org/tiny/graph/alpha"])
    ox.serialize([*tiny_snapshot.store.quads(), *(ox.Quad(q.subject, q.predicate, q.object)
                                                 for q in alpha)],
                 output=str(partial), format=ox.RdfFormat.N_QUADS)
    sparql = Comunica.start(partial, tmp_path / "comunica.log")
    try:
        with caplog.at_level("WARNING", logger="server.store.remote"):
            open_snapshot(Settings.load({**tiny_config, "store": f"sparql+{sparql.url}"},
                                        environ={}))
    finally:
        sparql.stop()
    merge = len({(q.subject, q.predicate, q.object) for q in tiny_snapshot.store.quads()})
    assert f"where the merge of its named graphs holds {merge}:" in caplog.text
    assert "ldpub dump --with-default-graph" in caplog.text


def test_opening_a_store_loaded_with_the_merge_does_not_warn(sparql_server, tiny_config, caplog):
    with caplog.at_level("WARNING", logger="server.store.remote"):
        open_snapshot(Settings.load({**tiny_config, "store": f"sparql+{sparql_server.url}"},
                                    environ={}))
    assert "default graph" not in caplog.text
