"""The production command: gunicorn workers, and reload by signal keeping good data."""

import os
import signal
import time

import pytest
import requests

pytestmark = pytest.mark.live


def dataset_args(root):
    return ["--data-dir", str(root / "data"), "--ontology-dir", str(root / "ontology"),
            "--shapes-dir", str(root / "shapes"), "--base-iri", "https://example.org/tiny/"]


def wait_for_version(server, predicate, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    version = ""
    while time.monotonic() < deadline:
        versions = {requests.get(server.url + "/healthz", timeout=5).json()["version"]
                    for _ in range(6)}
        if len(versions) == 1:
            version = versions.pop()
            if predicate(version):
                return version
        time.sleep(0.3)
    raise AssertionError(f"no stable version satisfying the condition; last {version!r}")


def test_serve_reloads_on_sighup_and_keeps_the_last_good_data(start_server, tiny_copy):
    server = start_server("serve", "--workers", "2", *dataset_args(tiny_copy))
    first = requests.get(server.url + "/healthz", timeout=5).json()["version"]
    master = int(server.pidfile.read_text())
    alpha = tiny_copy / "data" / "alpha.ttl"
    good = alpha.read_text()

    alpha.write_text(good.replace('schema:name "Ada Lovelace" ;', ""))
    os.kill(master, signal.SIGHUP)
    deadline = time.monotonic() + 60
    while "reload refused" not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "reload refused" in server.log.read_text()
    assert wait_for_version(server, lambda v: True) == first

    alpha.write_text(good + '\n<https://example.org/tiny/id/person/ada-lovelace> '
                     '<http://schema.org/alternateName> "Ada King" .\n')
    os.kill(master, signal.SIGHUP)
    assert wait_for_version(server, lambda v: v != first) != first


def test_serve_states_what_queries_may_take(start_server, tiny_copy):
    server = start_server("serve", "--workers", "2", "--max-concurrent-queries", "3",
                          "--query-memory-mb", "700", *dataset_args(tiny_copy))
    assert ("SPARQL: at most 3 queries at once in each of 2 workers, each in its own process "
            "limited to 700 MB") in server.log.read_text()


def test_run_serves_the_development_server(start_server, tiny_config):
    from pathlib import Path

    server = start_server("run", *dataset_args(Path(tiny_config["data_dir"]).parent))
    assert requests.get(server.url + "/healthz", timeout=5).json()["status"] == "ok"
