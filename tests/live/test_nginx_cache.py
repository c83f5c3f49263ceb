"""nginx's cache in front of ``ldpub serve``, with the configuration the deployment guide
ships (docs/deploy/nginx-cache.conf): answers replayed per variant, never mixed up (GET
queries in each result format too), a reload seen long before ldpub's max-age, and what
must stay live (POSTed queries, /healthz) never replayed. Debian's nginx on 127.0.0.1,
as the guide's reader runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live.conftest import free_port
from tests.live.test_serve import dataset_args, wait_for_version
from tests.static.conftest import NGINX, nginx_conf, stop, wait_until_answers

pytestmark = pytest.mark.live

REPOSITORY = Path(__file__).resolve().parents[2]
GUIDE_CONF = REPOSITORY / "docs" / "deploy" / "nginx-cache.conf"
PAGE, DESCRIPTION = "/page/person/ada-lovelace", "/data/person/ada-lovelace"
# An answer from the cache: kept, or past its second and revalidated (ldpub said 304),
# or past it and being revalidated while it is still handed out.
FROM_CACHE = {"HIT", "REVALIDATED", "STALE", "UPDATING"}


def guide_conf(cache: Path, upstream: int, port: int) -> str:
    """The guide's file with its three CHANGE values set, and nothing else changed."""
    text = GUIDE_CONF.read_text()
    changes = [("/var/cache/nginx/ldpub", str(cache)),
               ("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};"),
               ("listen 80;", f"listen 127.0.0.1:{port};")]
    for old, new in changes:
        assert text.count(old) == 1, f"the guide's configuration no longer has {old!r}"
        text = text.replace(old, new)
    return text


class Cached:
    def __init__(self, ldpub, url: str, data: Path):
        self.ldpub, self.url, self.data = ldpub, url, data

    def get(self, path: str, **headers: str) -> requests.Response:
        return requests.get(self.url + path, headers=headers, timeout=10)


@pytest.fixture
def cached(start_server, tiny_copy, tmp_path) -> Iterator[Cached]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is absent (apt-get install nginx-light)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ldpub = start_server("serve", "--workers", "2", "--public-url", url + "/",
                         "--no-access-log", *dataset_args(tiny_copy))
    tmp = tmp_path / "nginx"
    tmp.mkdir()
    (tmp / "ldpub-cache.conf").write_text(guide_conf(tmp / "cache", ldpub.port, port))
    (tmp / "nginx.conf").write_text(nginx_conf(tmp, f"    include {tmp}/ldpub-cache.conf;"))
    with (tmp / "nginx.log").open("wb") as log:
        nginx = subprocess.Popen([NGINX, "-e", "stderr", "-p", str(tmp), "-c",
                                  str(tmp / "nginx.conf")], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_answers(url, nginx, tmp / "nginx.log")
        yield Cached(ldpub, url, tiny_copy / "data")
    finally:
        stop(nginx)


def reload_with_a_new_name(cached: Cached, version: str) -> None:
    """Give Ada Lovelace another name in the data, reload ldpub (SIGHUP) and wait until
    every worker serves a version other than ``version``."""
    alpha = cached.data / "alpha.ttl"
    alpha.write_text(alpha.read_text() + '\n<https://example.org/tiny/id/person/ada-lovelace> '
                     '<http://schema.org/alternateName> "Ada King" .\n')
    os.kill(int(cached.ldpub.pidfile.read_text()), signal.SIGHUP)
    deadline = time.monotonic() + 60
    while wait_for_version(cached.ldpub, lambda seen: True) == version:  # every worker on one
        assert time.monotonic() < deadline, "ldpub did not reload"


def direct(cached: Cached, path: str, **headers: str) -> requests.Response:
    return requests.get(cached.ldpub.url + path, headers=headers, timeout=10)


def test_each_variant_is_replayed_as_ldpub_answers_it_and_never_another(cached):
    variants = [(PAGE, {"Accept": "text/html", "Accept-Language": "en"}),
                (PAGE, {"Accept": "text/html", "Accept-Language": "fr"}),
                (DESCRIPTION, {"Accept": "text/turtle"}),
                (DESCRIPTION, {"Accept": "application/ld+json"}),
                ("/id/person/ada-lovelace", {"Accept": "text/turtle"}),
                ("/id/person/ada-lovelace", {"Accept": "text/html"})]
    for path, headers in variants:  # every variant asked once: each is stored
        assert cached.get(path, **headers).headers["X-Cache-Status"] == "MISS"
    for path, headers in variants:  # then each is replayed as ldpub answers it
        replayed, answered = cached.get(path, **headers), direct(cached, path, **headers)
        assert replayed.headers["X-Cache-Status"] in FROM_CACHE, (path, headers)
        assert replayed.status_code == answered.status_code
        assert replayed.headers["Content-Type"] == answered.headers["Content-Type"]
        assert replayed.headers.get("Location") == answered.headers.get("Location")
        assert replayed.headers["ETag"] == answered.headers["ETag"]
        assert replayed.content == answered.content, (path, headers)
    english, french = (cached.get(PAGE, Accept="text/html", **{"Accept-Language": lang})
                       for lang in ("en", "fr"))
    assert re.search(rb'<html[^>]* lang="en"', english.content)
    assert re.search(rb'<html[^>]* lang="fr"', french.content)


def test_a_reload_is_seen_through_the_cache_long_before_ldpubs_max_age(cached):
    first_version = cached.get("/healthz").json()["version"]
    first = cached.get(DESCRIPTION, Accept="text/turtle")
    assert cached.get(DESCRIPTION, Accept="text/turtle").headers["X-Cache-Status"] in FROM_CACHE
    reload_with_a_new_name(cached, first_version)
    # A second's validity, then a revalidation: seen long before the 300 s of ldpub's
    # max-age (the bound is generous for a loaded machine; the bench measures speed).
    deadline = time.monotonic() + 30
    fresh = cached.get(DESCRIPTION, Accept="text/turtle")
    while fresh.headers["ETag"] == first.headers["ETag"] and time.monotonic() < deadline:
        time.sleep(0.1)
        fresh = cached.get(DESCRIPTION, Accept="text/turtle")
    assert fresh.headers["ETag"] != first.headers["ETag"], "the cache replays the old data"
    assert b"Ada King" in fresh.content


def test_posted_queries_and_healthz_are_always_answered_by_ldpub(cached):
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    for _ in range(3):
        posted = requests.post(cached.url + "/sparql", data=query, timeout=10,
                               headers={"Accept": "application/sparql-results+json"})
        assert posted.status_code == 200
        assert posted.headers.get("X-Cache-Status") in (None, "", "BYPASS")
        health = cached.get("/healthz")
        assert health.ok and "X-Cache-Status" not in health.headers


def test_a_get_query_is_replayed_in_each_format_and_answers_anew_after_a_reload(cached):
    """What bench/sparql_endpoint.py measures through the cache: a repeated GET query is
    nginx's to answer, in the format each client asked for, and a reload changes it."""
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    formats = ("application/sparql-results+json", "text/csv")

    def ask(accept: str, url: str = cached.url) -> requests.Response:
        return requests.get(url + "/sparql", params=query, headers={"Accept": accept},
                            timeout=10)

    for accept in formats:
        assert ask(accept).headers["X-Cache-Status"] == "MISS"
    for accept in formats:
        replayed, answered = ask(accept), ask(accept, cached.ldpub.url)
        assert replayed.headers["X-Cache-Status"] in FROM_CACHE, accept
        assert replayed.headers["Content-Type"].startswith(accept)
        assert replayed.content == answered.content, accept
    before = int(ask("text/csv").text.splitlines()[1])

    reload_with_a_new_name(cached, cached.get("/healthz").json()["version"])
    deadline = time.monotonic() + 30  # generous on a loaded machine; the bench measures
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.1)
        after = int(ask("text/csv").text.splitlines()[1])
    assert after > before, "the cache replays the answer of the old data"
