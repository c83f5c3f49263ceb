"""Faults injected into the production server (``ldpub serve`` on 127.0.0.1) and into
``ldpub load``, and what must come out of each.

- A gunicorn worker killed (SIGKILL) in the middle of a request: the request in flight is
  cut, the worker is replaced, its query processes do not outlive it, the next request
  succeeds; under load, only requests in flight on that worker fail.
- The remote SPARQL store stopped: 503 with ``Retry-After``, never 404; recovery when it
  returns, also for a server started while it was down.
- A reload (SIGHUP) under load: every answer is of one data version, its ETag and body
  agreeing; the old version stops being served.
- ``ldpub load`` on a full disk (a 1 MiB tmpfs) or with an unreadable data file: exit 2,
  the served generation untouched, no partial generation left, servers keep serving.
- The on-disk store's generations: a reload onto a damaged one keeps the last good one
  served and says why on ``/healthz``; loads never remove a generation a server holds,
  and ``/healthz`` answers 503 for one removed by hand; a killed load leaves nothing
  once the next load has run, and never loses what a concurrent load is writing;
  workers exit cleanly (no SIGSEGV) on SIGTERM and SIGHUP.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests

from server.domain.dumps import with_default_graph
from server.domain.loading import load_snapshot
from server.settings import REPOSITORY, Settings
from server.sparql.pool import ORPHAN_GRACE
from server.web.http import etag_for

pytestmark = [pytest.mark.live, pytest.mark.slow]

BASE = "https://example.org/tiny/"
ADA = "/data/person/ada-lovelace"
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?aa }")
QUERY_TIMEOUT = 4


def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def config_of(root: Path) -> dict[str, str]:
    """The settings of a copy of the tiny dataset at ``root``."""
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": BASE}


def tiny_flags(config: dict[str, str]) -> list[str]:
    """Setting options for ``ldpub`` from a dataset configuration."""
    return [f"--{key.replace('_', '-')}={value}" for key, value in config.items()]


# --- a worker killed


def test_a_worker_killed_mid_request_is_replaced_and_the_next_request_succeeds(
        soak, tiny_copy, tmp_path):
    flags = tiny_flags(config_of(tiny_copy)) + [f"--query-timeout={QUERY_TIMEOUT}"]
    with soak.Server(flags, workers=1, threads=4, folder=tmp_path) as server:
        [worker] = server.workers()
        cut: dict[str, object] = {}

        def slow_request() -> None:
            try:
                cut["status"] = requests.get(server.url + "/sparql", params={"query": CARTESIAN},
                                             timeout=30).status_code
            except requests.RequestException as error:
                cut["error"] = error

        thread = threading.Thread(target=slow_request)
        thread.start()
        eventually(lambda: len(soak.descendants(worker)) >= 2, 10,
                   "the query runs in a query process of the worker")
        family = soak.descendants(worker)
        os.kill(worker, signal.SIGKILL)
        killed = time.monotonic()
        thread.join(timeout=30)
        assert "error" in cut, f"the request in flight was cut, not answered: {cut}"

        eventually(lambda: len(server.workers()) == 1 and server.workers() != [worker], 30,
                   "the master replaces the killed worker")
        print(f"worker {worker} killed mid-request: replaced in "
              f"{time.monotonic() - killed:.1f} s; the request in flight got {cut['error']!r}")
        answer = requests.get(server.url + ADA + ".nt", timeout=30)
        assert answer.status_code == 200
        assert f"<{BASE}id/person/ada-lovelace>" in answer.text
        query = requests.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert query.json()["boolean"] is True
        eventually(lambda: not any(alive(pid) for pid in family),
                   QUERY_TIMEOUT + ORPHAN_GRACE + 10, "the killed worker's query processes end")


def test_under_load_only_requests_in_flight_on_a_killed_worker_fail(soak, tiny_copy, tmp_path):
    flags = tiny_flags(config_of(tiny_copy))
    with soak.Server(flags, workers=2, threads=4, folder=tmp_path) as server:
        mix = soak.targets(server.url, soak.example_queries()[:4])
        assert soak.warm_up(server.url, mix).errors == []
        victim = server.workers()[0]
        threading.Timer(2.0, os.kill, (victim, signal.SIGKILL)).start()
        outcome = soak.crawl(server.url, mix, duration=8, concurrency=16)
        eventually(lambda: len(server.workers()) == 2 and victim not in server.workers(), 30,
                   "the killed worker is replaced")
        after = soak.crawl(server.url, mix, duration=3, concurrency=16)
    cut = [e for e in outcome.errors if "Connection" in e or "Remote" in e]
    print(f"worker killed under load: {outcome.sent} requests in 8 s, {len(outcome.errors)} "
          f"failed ({len(cut)} cut connections); then {after.sent} requests, "
          f"{len(after.errors)} errors")
    assert cut == outcome.errors, f"only cut connections, no wrong answer: {outcome.errors[:5]}"
    assert len(cut) <= 16, "at most the requests in flight on the killed worker"
    assert outcome.sent > 200 and after.errors == []


# --- the remote store stopped


@pytest.fixture
def nquads(tiny_snapshot, tmp_path) -> Path:
    path = tmp_path / "tiny.nq"
    ox.serialize(with_default_graph(tiny_snapshot.store), output=str(path),
                 format=ox.RdfFormat.N_QUADS)
    return path


@pytest.fixture
def sparql_servers(engines, tmp_path):
    reason = engines.Comunica.missing()
    if reason:
        pytest.skip(f"no independent SPARQL server: {reason}")
    started = []

    def start(nquads: Path, port: int):
        server = engines.Comunica.start(nquads, tmp_path / f"comunica-{len(started)}.log",
                                             port=port)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# Nothing about these was asked before the store goes down: none can come from a cache
# (what was, such as Ada's description, may still be served from memory: the data of a
# version never changes).
UNCACHED = ("/page/person/charles-babbage", "/data/person/charles-babbage.nt",
            "/id/person/charles-babbage", "/page/person/nobody-at-all",
            "/sparql?query=" + quote("ASK { ?s ?p ?o }"), "/search?q=ada", "/browse/person",
            "/dataset.ttl", "/dumps/dataset.nq.gz", "/sitemap.xml")


def test_a_stopped_remote_store_is_503_with_retry_after_never_404_then_recovers(
        soak, engines, sparql_servers, tiny_config, nquads, tmp_path):
    port = engines.free_port()
    store = sparql_servers(nquads, port)
    flags = tiny_flags(tiny_config) + [f"--store=sparql+http://127.0.0.1:{port}/sparql",
                                       "--query-timeout=3"]
    with soak.Server(flags, workers=2, threads=4, folder=tmp_path) as server:
        assert requests.get(server.url + "/page/person/ada-lovelace", timeout=30).ok
        store.stop()
        print(f"remote store stopped: {len(UNCACHED)} routes asked")
        for path in UNCACHED:
            answer = requests.get(server.url + path, timeout=30)
            assert answer.status_code == 503, (path, answer.status_code, answer.text[:200])
            assert int(answer.headers["Retry-After"]) > 0, path
            assert "store" in answer.text, path
        sparql_servers(nquads, port)
        back = time.monotonic()
        eventually(lambda: requests.get(server.url + "/page/person/charles-babbage",
                                        timeout=30).status_code == 200, 60, "recovery")
        print(f"remote store back: serving again {time.monotonic() - back:.1f} s after it "
              "answered")
        for path in UNCACHED:
            answer = requests.get(server.url + path, timeout=30, allow_redirects=False)
            expected = 404 if "nobody" in path else 303 if path.startswith("/id/") else 200
            assert answer.status_code == expected, (path, answer.status_code)


def test_concurrent_reads_of_a_remote_store_get_their_own_answers(
        soak, engines, sparql_servers, tiny_config, nquads, tmp_path):
    """Each worker talks to the store on its own connections: forty concurrent reads of two
    resources, spread over two workers forked from one master, each get their own."""
    port = engines.free_port()
    sparql_servers(nquads, port)
    flags = tiny_flags(tiny_config) + [f"--store=sparql+http://127.0.0.1:{port}/sparql"]
    with soak.Server(flags, workers=2, threads=4, folder=tmp_path) as server:
        wrong: list[str] = []

        def read(n: int) -> None:
            slug = ("ada-lovelace", "charles-babbage")[n % 2]
            answer = requests.get(f"{server.url}/data/person/{slug}.nt?n={n}", timeout=60)
            if answer.status_code != 200 or f"<{BASE}id/person/{slug}> <http://schema.org/name>" \
                    not in answer.text:
                wrong.append(f"{slug}: {answer.status_code} {answer.text[-600:]!r}")

        threads = [threading.Thread(target=read, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert wrong == []


def test_a_server_started_while_the_store_is_down_recovers_when_it_comes_up(
        soak, engines, sparql_servers, tiny_config, nquads, tmp_path):
    port = engines.free_port()
    flags = tiny_flags(tiny_config) + [f"--store=sparql+http://127.0.0.1:{port}/sparql"]
    server = soak.Server(flags, workers=2, threads=4, folder=tmp_path).start(healthy=False)
    try:
        for path in ("/healthz", "/page/person/ada-lovelace", "/data/person/ada-lovelace.ttl"):
            answer = requests.get(server.url + path, timeout=30)
            assert answer.status_code == 503, path
            assert answer.headers["Retry-After"]
        sparql_servers(nquads, port)
        eventually(lambda: requests.get(server.url + "/healthz", timeout=30).ok, 60,
                   "the server reaches the store once it is up")
        assert requests.get(server.url + "/page/person/ada-lovelace", timeout=30).ok
    finally:
        server.stop()


# --- a reload under load


def test_a_reload_under_load_never_serves_a_mixture_of_versions(soak, tiny_copy, tmp_path):
    config = config_of(tiny_copy)
    old = load_snapshot(Settings.load(config, environ={})).version
    alpha = tiny_copy / "data" / "alpha.ttl"
    targets = [(ADA + ".nt", "nt"), (ADA + ".ttl", "ttl"), ("/page/person/ada-lovelace", "html")]
    seen: list[tuple[str, str, str, str]] = []  # path, fmt, etag, body
    failed: list[str] = []
    cut: list[str] = []
    stop = threading.Event()
    with soak.Server(tiny_flags(config), workers=2, threads=4, folder=tmp_path) as server:

        def client(n: int) -> None:
            with requests.Session() as session:
                while not stop.is_set():
                    path, fmt = targets[n % len(targets)]
                    n += 1
                    try:
                        answer = session.get(server.url + path, timeout=30, headers={
                            "Accept": "text/html", "Accept-Language": "en",
                            "Accept-Encoding": "identity"})
                    except requests.RequestException as error:
                        # an idle keep-alive connection closed by an old worker as it
                        # leaves; clients retry such a request (RFC 9112 §9.3.1)
                        cut.append(f"{path}: {error}")
                        continue
                    if answer.status_code != 200:
                        failed.append(f"{path}: {answer.status_code}")
                        continue
                    seen.append((path, fmt, answer.headers["ETag"].strip('"'), answer.text))

        def every_target_answered_since(first: int) -> bool:
            return {path for path, *_ in seen[first:]} == {path for path, _ in targets}

        def served_now() -> set[str]:
            return {requests.get(server.url + "/healthz", timeout=30).json()["version"]
                    for _ in range(10)}

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        eventually(lambda: every_target_answered_since(0), 120, "the old version is served")
        alpha.write_text(alpha.read_text().replace("Augusta Ada King", "Augusta Ada Byron"))
        new = load_snapshot(Settings.load(config, environ={})).version
        server.signal(signal.SIGHUP)
        eventually(lambda: served_now() == {new}, 120, "only the new version is served")
        switched = len(seen)
        eventually(lambda: every_target_answered_since(switched), 120,
                   "requests keep being answered after the switch")
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert new != old
    assert failed == [], failed[:5]
    assert len(cut) <= 8, cut[:5]
    versions = []
    for path, fmt, etag, body in seen:
        variant = "en" if fmt == "html" else ""  # the page's ETag names its language
        base = server.url + "/"  # and the address its absolute links are written with
        version = next((v for v in (old, new)
                        if etag == etag_for(v, path, fmt, "", variant, base)), None)
        assert version is not None, f"an ETag of neither version on {path}"
        # the new name is in no source text, while the old one is also quoted in the
        # sentence that states it: the new name alone tells the versions apart
        assert ("Augusta Ada Byron" in body) == (version == new), \
            f"{path}: ETag and body disagree"
        versions.append(version)
    assert old in versions and new in versions, "answers of both versions were checked"
    print(f"reload under load: {len(versions)} answers checked, {versions.count(old)} of the "
          f"old version, {versions.count(new)} of the new, none mixed; {len(cut)} connections "
          "cut")


# --- ldpub load failing


def ldpub(*args: str, preexec: list[str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*(preexec or []), sys.executable, "-m", "server", *args],
                          cwd=REPOSITORY, capture_output=True, text=True, timeout=300, check=False)


def current_generation(root: Path) -> str:
    return os.readlink(root / "current")


def no_partial_generation(root: Path) -> bool:
    return not [p for p in (root / "generations").iterdir() if p.name.startswith(".")]


def add_labels(dataset: Path, count: int) -> None:
    """Make the dataset larger, so that writing it to a store takes a while."""
    lines = (f'<{BASE}id/concept/c{i}> <http://www.w3.org/2000/01/rdf-schema#label> '
             f'"label {i} of a dataset larger than the tiny one" .' for i in range(count))
    (dataset / "data" / "big.nt").write_text("\n".join(lines) + "\n")


def served_version(flags: list[str]) -> str:
    import json

    result = ldpub("get", "/healthz", *flags)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["version"]


def without_read_override() -> list[str]:
    """Root reads any file whatever its mode: drop the capabilities that allow it."""
    if os.geteuid() != 0:
        return []
    if not Path("/usr/bin/setpriv").exists():
        pytest.skip("running as root without setpriv (apt-get install util-linux): "
                    "a file cannot be made unreadable")
    return ["/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_an_unreadable_data_file_leaves_the_store_and_the_server_as_they_were(
        soak, tiny_copy, tmp_path):
    root = tmp_path / "store"
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{root}"]
    first = ldpub("load", *flags)
    assert first.returncode == 0, first.stderr
    generation, version = current_generation(root), served_version(flags)
    with soak.Server(flags, workers=2, threads=2, folder=tmp_path / "serve") as server:
        unreadable = tiny_copy / "data" / "gamma.ttl"
        unreadable.write_text((tiny_copy / "data" / "beta.ttl").read_text())
        unreadable.chmod(0)
        try:
            failed = ldpub("load", *flags, preexec=without_read_override())
        finally:
            unreadable.chmod(0o644)
        assert failed.returncode == 2, failed.stderr
        assert "gamma.ttl" in failed.stderr and "ermission denied" in failed.stderr
        assert current_generation(root) == generation
        assert no_partial_generation(root)
        server.signal(signal.SIGHUP)
        time.sleep(2)
        assert requests.get(server.url + "/healthz", timeout=30).json()["version"] == version
        assert requests.get(server.url + ADA + ".ttl", timeout=30).status_code == 200
    assert served_version(flags) == version


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 1 MiB tmpfs: a store generation of a few thousand statements does not fit."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (CI runs as root): "
                    f"{made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_during_load_leaves_the_previous_store_intact(tiny_copy, small_disk):
    root = small_disk / "store"
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{root}"]
    first = ldpub("load", *flags)
    assert first.returncode == 0, first.stderr
    generation, version = current_generation(root), served_version(flags)
    add_labels(tiny_copy, 15_000)
    failed = ldpub("load", *flags)
    assert failed.returncode == 2, failed.stderr
    assert "No space left on device" in failed.stderr
    assert current_generation(root) == generation
    assert no_partial_generation(root)
    assert served_version(flags) == version


# --- the on-disk store's generations


def health(server) -> dict:
    return requests.get(server.url + "/healthz", timeout=30).json()


def rename_ada(dataset: Path, name: str) -> None:
    alpha = dataset / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace("Augusta Ada King", name))


def loaded(flags: list[str]) -> Path:
    """Run ``ldpub load``; the generation it made current."""
    result = ldpub("load", *flags)
    assert result.returncode == 0, result.stderr
    return Path(os.path.realpath(Path(flags[-1].split(":", 1)[1]) / "current"))


def damage(generation: Path, pattern: str) -> None:
    """Overwrite the middle third of the store's files matching ``pattern``."""
    files = list((generation / "oxigraph").glob(pattern))
    assert files, pattern
    for path in files:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.seek(size // 3)
            handle.write(b"\xff" * max(16, size // 3))


@pytest.mark.parametrize("pattern", ["MANIFEST-*", "*.sst"])
def test_a_reload_onto_a_damaged_generation_keeps_the_last_good_one_and_says_why(
        soak, tiny_copy, tmp_path, pattern):
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{tmp_path / 'store'}"]
    loaded(flags)
    with soak.Server(flags, workers=2, threads=2, folder=tmp_path / "serve") as server:
        good = health(server)["version"]
        rename_ada(tiny_copy, "Augusta Ada Byron")
        damage(loaded(flags), pattern)
        server.signal(signal.SIGHUP)
        eventually(lambda: "reload_refused" in health(server), 30, "the refusal is reported")
        assert server.process.poll() is None, "the master is still running"
        report = health(server)
        assert report["version"] == good and report["status"] == "ok"
        assert "Corruption" in report["reload_refused"]["reason"]
        page = requests.get(server.url + ADA + ".nt", timeout=30)
        # the old name is also quoted in its sentence: the refused version's name is absent
        assert page.status_code == 200 and "Augusta Ada Byron" not in page.text
        print(f"damaged {pattern}: reload refused with {report['reload_refused']['reason']!r}")

        rename_ada(tiny_copy, "Ada King")  # a good load again: the next reload takes it
        fixed = loaded(flags)
        server.signal(signal.SIGHUP)
        eventually(lambda: health(server)["version"] == fixed.name.rsplit("-", 1)[1], 60,
                   "the next good generation is served")
        assert "reload_refused" not in health(server)
    assert "reload refused, still serving version " + good in server.log.read_text()


def test_loads_without_a_reload_never_remove_the_generation_a_server_reads(
        soak, tiny_copy, tmp_path):
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{tmp_path / 'store'}"]
    served = loaded(flags)
    sparql = {"query": f"ASK {{ <{BASE}id/person/ada-lovelace> ?p ?o }}"}
    with soak.Server(flags, workers=2, threads=2, folder=tmp_path / "serve") as server:
        version = health(server)["version"]
        for name in ("Augusta Ada Byron", "Ada Byron", "Ada King"):
            rename_ada(tiny_copy, name)
            loaded(flags)
        assert served.is_dir(), "the served generation is kept while servers hold it"
        os.kill(server.workers()[0], signal.SIGTERM)  # a replacement opens it afresh
        eventually(lambda: len(server.workers()) == 2, 30, "the worker is replaced")
        for _ in range(6):  # both workers, and fresh query processes
            assert health(server)["version"] == version
            assert requests.get(server.url + ADA + ".ttl", timeout=30).status_code == 200
            answer = requests.get(server.url + "/sparql", params=sparql, timeout=30,
                                  headers={"Accept": "application/sparql-results+json"})
            assert answer.status_code == 200 and answer.json()["boolean"] is True
        server.signal(signal.SIGHUP)
        eventually(lambda: health(server)["version"] != version, 60, "the reload")
        eventually(lambda: len(server.workers()) == 2, 60, "the old workers leave")
        newest = loaded(flags)  # the one this load replaces is still served: kept
        assert not served.exists(), "released by every process, then removed"
        assert requests.get(server.url + ADA + ".ttl", timeout=30).status_code == 200
    assert newest.is_dir()


def test_healthz_answers_503_for_a_store_it_cannot_read(soak, tiny_copy, tmp_path):
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{tmp_path / 'store'}"]
    served = loaded(flags)
    with soak.Server(flags, workers=2, threads=2, folder=tmp_path / "serve") as server:
        assert requests.get(server.url + "/healthz", timeout=30).status_code == 200
        shutil.rmtree(served)  # by hand, behind the server's back
        for _ in range(4):
            answer = requests.get(server.url + "/healthz", timeout=30,
                                  headers={"Accept": "application/json"})
            assert answer.status_code == 503
            assert "was removed" in answer.json()["message"]
            assert int(answer.headers["Retry-After"]) > 0
        loaded(flags)
        server.signal(signal.SIGHUP)
        eventually(lambda: requests.get(server.url + "/healthz", timeout=30).ok, 60,
                   "a reload onto a new load heals it")


def partials(root: Path) -> list[Path]:
    return list((root / "generations").glob(".*.partial"))


def start_load(flags: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "server", "load", *flags], cwd=REPOSITORY,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def caught_writing(load: subprocess.Popen, root: Path) -> list[Path]:
    """Stop (SIGSTOP) the load as soon as it writes its generation; what it writes."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and load.poll() is None:
        found = partials(root)
        if found:
            load.send_signal(signal.SIGSTOP)
            return found
        time.sleep(0.005)
    pytest.fail(f"the load ended before it was seen writing: {load.communicate()[1][-500:]}")


def waits_for_a_lock(pid: int) -> bool:
    """Whether the process is blocked on a file lock (a ``->`` line of /proc/locks)."""
    return any(fields[1] == "->" and fields[5] == str(pid)
               for fields in map(str.split, Path("/proc/locks").read_text().splitlines()))


@pytest.fixture
def loaded_store(tiny_copy, tmp_path) -> tuple[Path, list[str]]:
    """A loaded store, and the flags of a next load large enough to be caught writing."""
    root = tmp_path / "store"
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{root}"]
    loaded(flags)
    add_labels(tiny_copy, 20_000)
    return root, flags


def test_a_killed_load_leaves_nothing_once_the_next_load_has_run(loaded_store):
    root, flags = loaded_store
    killed = start_load(flags)
    left = caught_writing(killed, root)
    killed.kill()
    killed.communicate(timeout=30)
    assert partials(root) == left, "the killed load left its half-written generation"
    fresh = loaded(flags)
    assert list(root.rglob("*.partial")) == []  # generations and dumps
    assert served_version(flags) == fresh.name.rsplit("-", 1)[1]


def test_a_load_never_removes_what_a_concurrent_load_is_writing(loaded_store):
    root, flags = loaded_store
    first = start_load(flags)
    writing = caught_writing(first, root)
    second = start_load(flags)
    try:
        eventually(lambda: waits_for_a_lock(second.pid), 120, "the second load waits")
        assert partials(root) == writing
    finally:
        first.send_signal(signal.SIGCONT)
    for load in (first, second):
        errors = load.communicate(timeout=300)[1]
        assert load.returncode == 0, errors[-500:]
    assert partials(root) == []
    assert len(list((root / "generations").iterdir())) == 2


def test_workers_of_an_on_disk_store_exit_cleanly_on_sigterm_and_sighup(
        soak, tiny_copy, tmp_path):
    flags = tiny_flags(config_of(tiny_copy)) + [f"--store=oxigraph:{tmp_path / 'store'}"]
    loaded(flags)
    sparql = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    logs = []
    for cycle in range(3):
        with soak.Server(flags, workers=2, threads=2,
                         folder=tmp_path / f"serve-{cycle}") as server:
            for _ in range(2):
                for _ in range(4):  # every worker reads the store, and runs a query process
                    assert requests.get(server.url + ADA + ".ttl", timeout=30).ok
                    assert requests.get(server.url + "/sparql", params=sparql, timeout=30).ok
                before = set(server.workers())
                server.signal(signal.SIGHUP)
                eventually(lambda: len(server.workers()) == 2
                           and not before & set(server.workers()), 60, "new workers")
        logs.append(server.log.read_text())
    log = "\n".join(logs)
    booted = log.count("Booting worker with pid")
    exited = log.count("Worker exiting (pid")
    crashes = [line for line in log.splitlines()
               if "was sent" in line or "exited with code" in line]
    print(f"on-disk store, 3 runs of 2 reloads and a stop: {booted} workers booted, "
          f"{exited} exited, {len(crashes)} by a signal or an error code")
    assert booted == 18 and exited == booted
    assert crashes == []
