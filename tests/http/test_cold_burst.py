"""A cold burst: eight clients ask at once for a resource nobody asked for since the data
was loaded, on a real socket; its description is computed once, not eight times."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from server import create_app
from server.domain import describe
from server.domain.loading import load_snapshot
from server.settings import Settings
from tests.conftest import served

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
    gate = threading.Barrier(CONCURRENT)

    def fetch(url: str, number: int) -> requests.Response:
        gate.wait()
        accept = ("text/turtle", "application/ld+json")[number % 2]
        return requests.get(url + "/data/person/ada-lovelace", headers={"Accept": accept},
                            timeout=30)

    with served(app) as url, ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(lambda number: fetch(url, number), range(CONCURRENT)))
    assert [a.status_code for a in answers] == [200] * CONCURRENT
    assert all("Ada Lovelace" in a.text for a in answers)
    assert described.count(ADA) == 1, f"described {described.count(ADA)} times"
