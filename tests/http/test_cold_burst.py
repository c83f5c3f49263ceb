"""A cold burst: eight clients ask at once for a resource nobody asked for since the data
was loaded, on a real socket; its description is computed once, not eight times."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from werkzeug.serving import make_server

from server import create_app
from server.domain import describe
from server.domain.loading import load_snapshot
from server.runtime.settings import Settings

CONCURRENT = 8
ADA = "https://example.org/tiny/id/person/ada-lovelace"


def test_eight_concurrent_cold_requests_describe_a_resource_once(tiny_config, tmp_path,
                                                                 monkeypatch):
    config = {**tiny_config, "dump_dir": str(tmp_path)}
    snapshot = load_snapshot(Settings.load(config, environ={}))  # a version nobody described
    app = create_app({**config, "TESTING": True}, snapshot=snapshot)
    described = []
    real = describe._describe

    def counted(snapshot, iri):
        described.append(iri)
        time.sleep(0.3)  # the other requests arrive while it is computed
        return real(snapshot, iri)

    monkeypatch.setattr(describe, "_describe", counted)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gate = threading.Barrier(CONCURRENT)
    url = f"http://127.0.0.1:{server.server_port}/data/person/ada-lovelace"

    def fetch(number: int) -> requests.Response:
        gate.wait()
        accept = ("text/turtle", "application/ld+json")[number % 2]
        return requests.get(url, headers={"Accept": accept}, timeout=30)

    try:
        with ThreadPoolExecutor(CONCURRENT) as pool:
            answers = list(pool.map(fetch, range(CONCURRENT)))
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["sparql"].close()
    assert [a.status_code for a in answers] == [200] * CONCURRENT
    assert all("Ada Lovelace" in a.text for a in answers)
    assert described.count(ADA) == 1, f"described {described.count(ADA)} times"
