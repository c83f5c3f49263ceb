"""Soak: a mixed crawl against the production server, for minutes, at concurrency 32.

``ldpub serve`` (gunicorn: a master and its workers, the data loaded once before they
fork) runs on 127.0.0.1 on a free port. The crawl first finds its targets the way a
harvester does (the sitemap, the example queries, the dump names), requests each once
(the warm-up, which fills every per-version cache), then keeps ``--concurrency`` clients
busy with a weighted mix for ``--duration`` seconds: resource pages in both languages,
descriptions in every RDF format (by extension and by ``Accept``), ``/id`` redirects,
revalidations (``If-None-Match`` → 304), SPARQL queries (GET in each result format, POST
form and POST direct), the site's pages and the gzip'd dumps. Each answer is checked: the
expected status and media type, a body where there should be one.

Printed: requests sent, errors (with the first few), throughput, p50/p99/max latency per
kind of target, and the resident memory (RSS) of the gunicorn master and workers (and of
the whole process tree, SPARQL query processes included) at start, after the warm-up
and at the end. ``tests/reliability/test_soak.py`` runs the same crawl for ~20 s in CI.

Usage::

    python bench/soak.py [--duration 180] [--concurrency 32] [--workers 2] [--threads 4]
        [-- setting flags for ldpub serve, e.g. --data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

REPOSITORY = Path(__file__).resolve().parent.parent
RDF_EXTENSIONS = {"ttl": "text/turtle", "jsonld": "application/ld+json",
                  "nt": "application/n-triples", "rdf": "application/rdf+xml",
                  "trig": "application/trig", "nq": "application/n-quads"}
RESULT_TYPES = {"json": "application/sparql-results+json",
                "xml": "application/sparql-results+xml", "csv": "text/csv",
                "tsv": "text/tab-separated-values"}
DUMP_EXTENSIONS = ("trig", "nq", "ttl")
REQUEST_TIMEOUT = 60
# A server may close an idle keep-alive connection just as a client reuses it (RFC 9112
# §9.3.1): like browsers, a client then sends an idempotent request once more, on a new
# connection. Only GET and HEAD, only once, and counted, so a server that drops
# connections still shows.
RECONNECT = Retry(total=1, connect=1, read=1, status=0, other=0, redirect=0,
                  allowed_methods={"GET", "HEAD"}, raise_on_status=False)


# --- the server under test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: read after the last ")"
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return sorted(found)


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        for child in children(queue.pop()):
            found.append(child)
            queue.append(child)
    return found


def memory_bytes(pids: Sequence[int], field: str = "Rss") -> int:
    """``Rss`` (shared pages counted in every process) or ``Pss`` (shared pages divided
    among the processes sharing them) summed over ``pids``, from /proc/PID/smaps_rollup."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(rf"^{field}:\s+(\d+) kB", rollup, re.M)
        total += int(match[1]) * 1024 if match else 0
    return total


class Server:
    """``python -m server serve`` on a free port of 127.0.0.1, with a pid file."""

    def __init__(self, settings: Sequence[str] = (), *, workers: int = 2, threads: int = 4,
                 timeout: int = 60, folder: Path | None = None,
                 command: Sequence[str] = ("serve",)) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="ldpub-soak-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pidfile = self.folder / "server.pid"
        self.log = self.folder / "server.log"
        self.worker_count = workers
        self.args = [sys.executable, "-m", "server", *command, "--host", "127.0.0.1",
                     "--port", str(self.port), "--workers", str(workers),
                     "--threads", str(threads), "--timeout", str(timeout),
                     "--pid", str(self.pidfile), *settings]
        if not any(a.startswith("--dump-dir") for a in settings):
            self.args += ["--dump-dir", str(self.folder / "dumps")]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120, *, healthy: bool = True) -> Server:
        """Start and wait until ``/healthz`` answers 200 (or answers at all, if not
        ``healthy``: a server whose store is down answers 503)."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.args, cwd=REPOSITORY, stdout=log,
                                            stderr=subprocess.STDOUT)
        self.wait_until_up(timeout, healthy=healthy)
        return self

    def wait_until_up(self, timeout: float = 120, *, healthy: bool = True) -> None:
        """Until every worker has booted and ``/healthz`` answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.log.read_text()[-4000:]}")
            try:
                answer = requests.get(self.url + "/healthz", timeout=5)
                if (answer.ok or not healthy) and len(self.workers()) == self.worker_count:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer in {timeout} s:\n"
                           f"{self.log.read_text()[-4000:]}")

    @property
    def master(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        """The gunicorn workers: the master's children."""
        return children(self.master)

    def rss(self) -> dict[str, int]:
        """RSS of the master and its workers; RSS and PSS of the whole process tree (the
        SPARQL query processes too, which share most of their pages with their worker)."""
        served = [self.master, *self.workers()]
        tree = [self.master, *descendants(self.master)]
        return {"server": memory_bytes(served), "tree": memory_bytes(tree),
                "tree_pss": memory_bytes(tree, "Pss"), "processes": len(tree),
                "by_process": {pid: memory_bytes([pid]) for pid in tree}}

    def signal(self, signum: int) -> None:
        os.kill(self.master, signum)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- what to request


@dataclass(frozen=True)
class Target:
    """One request of the crawl and what a correct answer looks like."""

    kind: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    status: tuple[int, ...] = (200,)
    media: str | None = None  # the Content-Type the answer must have (before any ";")
    revalidate: bool = False  # then ask again with If-None-Match: expect 304


def page_paths(url: str) -> list[str]:
    """Resource pages, read from the sitemap (and its parts) as a harvester would."""
    found: list[str] = []
    pending = [url + "/sitemap.xml"]
    while pending:
        text = requests.get(pending.pop(), timeout=REQUEST_TIMEOUT).text
        for loc in re.findall(r"<loc>([^<]+)</loc>", text):
            path = urlsplit(loc).path
            if loc.endswith(".xml"):
                pending.append(url + path)
            elif path.startswith("/page/"):
                found.append(path)
    return found


def example_queries(folder: Path = REPOSITORY / "queries") -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.rq"))]


def targets(url: str, queries: Sequence[str], *, resources: int = 60,
            seed: int = 7) -> list[Target]:
    """The crawl's mix; repeated rows weigh more."""
    rng = random.Random(seed)
    pages = page_paths(url)
    chosen = rng.sample(pages, min(resources, len(pages)))
    mix: list[Target] = []
    for path in chosen:
        key = path.removeprefix("/page/")
        for lang in ("en", "fr"):
            mix.append(Target("page", "GET", path, (("Accept", "text/html"),
                                                    ("Accept-Language", lang)),
                              media="text/html", revalidate=lang == "fr"))
        for ext, media in RDF_EXTENSIONS.items():
            mix.append(Target("data", "GET", f"/data/{key}.{ext}", media=media))
        mix.append(Target("data", "GET", f"/data/{key}", (("Accept", "application/ld+json"),),
                          media="application/ld+json", revalidate=True))
        mix.append(Target("data", "HEAD", f"/data/{key}.ttl", media="text/turtle"))
        for accept in ("text/html", "text/turtle", "*/*"):
            mix.append(Target("id", "GET", f"/id/{key}", (("Accept", accept),), status=(303,)))
    site = [
        ("/", "text/html"), ("/?lang=fr", "text/html"), ("/search?q=paris", "text/html"),
        ("/search?q=tchibis&format=json", "application/json"), ("/browse", "text/html"),
        ("/browse/person", "text/html"), ("/ontology", "text/html"),
        ("/ontology.ttl", "text/turtle"), ("/shapes.ttl", "text/turtle"),
        ("/shapes", "text/html"), ("/dataset", "text/html"), ("/dataset.ttl", "text/turtle"),
        ("/.well-known/void", "text/turtle"), ("/validation", "text/html"),
        ("/validation.ttl", "text/turtle"), ("/robots.txt", "text/plain"),
        ("/sitemap.xml", "application/xml"), ("/healthz", "application/json"),
        ("/sparql", "text/html"), ("/sparql?format=ttl", "text/turtle"),
    ]
    for path, media in site:
        accept = (("Accept", "text/html"),) if media == "text/html" else ()
        mix += [Target("site", "GET", path, accept, media=media)] * 3
    for text in queries:
        graph = re.search(r"^\s*(CONSTRUCT|DESCRIBE)\b", text, re.M | re.I) is not None
        for ext, media in (RDF_EXTENSIONS if graph else RESULT_TYPES).items():
            if graph and ext in ("rdf", "trig", "nq"):
                continue
            mix.append(Target("sparql", "GET", "/sparql?query=" + quote(text),
                              (("Accept", media),), media=media))
        first = "text/turtle" if graph else "application/sparql-results+json"
        mix.append(Target("sparql", "POST", "/sparql",
                          (("Content-Type", "application/x-www-form-urlencoded"),
                           ("Accept", first)), ("query=" + quote(text)).encode(), media=first))
        mix.append(Target("sparql", "POST", "/sparql",
                          (("Content-Type", "application/sparql-query"), ("Accept", first)),
                          text.encode(), media=first))
        mix.append(Target("sparql", "GET", "/sparql?query=" + quote(text),
                          (("Accept", "text/html"),), media="text/html"))
    for ext in DUMP_EXTENSIONS:
        mix.append(Target("dump", "GET", f"/dumps/dataset.{ext}.gz", media="application/gzip"))
    return mix


# --- the crawl


@dataclass
class Outcome:
    sent: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    resent: int = 0

    def record(self, kind: str, status: int, seconds: float, error: str | None,
               resent: int = 0) -> None:
        self.sent += 1
        self.resent += resent
        self.statuses[status] += 1
        self.latencies[kind].append(seconds)
        if error:
            self.errors.append(error)

    def merge(self, other: Outcome) -> None:
        self.sent += other.sent
        self.resent += other.resent
        self.errors += other.errors
        self.statuses.update(other.statuses)
        for kind, values in other.latencies.items():
            self.latencies[kind] += values

    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def check(target: Target, response: requests.Response) -> str | None:
    """What is wrong with this answer, or None."""
    where = f"{target.method} {target.path[:120]}"
    if response.status_code not in target.status:
        return f"{where}: status {response.status_code}: {response.text[:200]!r}"
    if target.media is not None:
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        if media != target.media:
            return f"{where}: Content-Type {media!r}, expected {target.media!r}"
        if target.method == "GET" and not response.content:
            return f"{where}: empty body"
    return None


def ask(session: requests.Session, url: str, target: Target,
        extra: dict[str, str] | None = None) -> requests.Response:
    return session.request(target.method, url + target.path, headers={**dict(target.headers),
                                                                        **(extra or {})},
                           data=target.body, allow_redirects=False, timeout=REQUEST_TIMEOUT)


def client_session() -> requests.Session:
    """A client as browsers are: one keep-alive connection, resent once if it was closed."""
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=RECONNECT))
    return session


def resends(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return len(retries.history) if retries else 0


def one(session: requests.Session, url: str, target: Target, outcome: Outcome) -> None:
    started = time.perf_counter()
    resent = 0
    try:
        response = ask(session, url, target)
        error = check(target, response)
        status = response.status_code
        resent = resends(response)
    except requests.RequestException as failure:
        error, status = f"{target.method} {target.path[:120]}: {failure}", 0
    outcome.record(target.kind, status, time.perf_counter() - started, error, resent)
    if target.revalidate and not error and response.headers.get("ETag"):
        started = time.perf_counter()
        try:
            again = ask(session, url, target, {"If-None-Match": response.headers["ETag"]})
            status = again.status_code
            error = None if status == 304 else f"{target.path}: revalidation gave {status}"
        except requests.RequestException as failure:
            error, status = f"{target.path}: revalidation: {failure}", 0
        outcome.record("revalidate", status, time.perf_counter() - started, error)


def warm_up(url: str, mix: Sequence[Target]) -> Outcome:
    """Every distinct target once, in order: fills the caches of the data version."""
    outcome = Outcome()
    started = time.monotonic()
    with client_session() as session:
        for target in dict.fromkeys(mix):
            one(session, url, target, outcome)
    outcome.seconds = time.monotonic() - started
    return outcome


def crawl(url: str, mix: Sequence[Target], *, duration: float, concurrency: int,
          seed: int = 11, stop: threading.Event | None = None) -> Outcome:
    """``concurrency`` clients, each with its own keep-alive connection, for ``duration`` s."""
    stop = stop or threading.Event()
    deadline = time.monotonic() + duration
    parts = [Outcome() for _ in range(concurrency)]

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        with client_session() as session:
            while time.monotonic() < deadline and not stop.is_set():
                one(session, url, rng.choice(mix), parts[number])

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True)
               for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 2 * REQUEST_TIMEOUT)
    total = Outcome()
    for part in parts:
        total.merge(part)
    total.seconds = time.monotonic() - started
    return total


# --- the report


def summary(outcome: Outcome) -> dict:
    everything = outcome.all_latencies()
    return {
        "sent": outcome.sent,
        "resent_on_a_closed_connection": outcome.resent,
        "errors": len(outcome.errors),
        "first_errors": outcome.errors[:5],
        "seconds": round(outcome.seconds, 1),
        "per_second": round(outcome.sent / outcome.seconds, 1) if outcome.seconds else 0,
        "p50_ms": round(1000 * percentile(everything, 0.50), 1),
        "p99_ms": round(1000 * percentile(everything, 0.99), 1),
        "max_ms": round(1000 * max(everything, default=0), 1),
        "statuses": dict(sorted(outcome.statuses.items())),
        "by_kind": {
            kind: {"sent": len(values),
                   "p50_ms": round(1000 * statistics.median(values), 1),
                   "p99_ms": round(1000 * percentile(values, 0.99), 1)}
            for kind, values in sorted(outcome.latencies.items()) if values
        },
    }


def mib(n: int) -> float:
    return round(n / 2**20, 1)


def sample_memory(server: Server, every: float, stop: threading.Event) -> list[dict]:
    """Memory figures every ``every`` seconds until ``stop`` is set (in a thread)."""
    samples: list[dict] = []
    started = time.monotonic()

    def loop() -> None:
        while not stop.wait(every):
            samples.append({"t": round(time.monotonic() - started), **server.rss()})

    threading.Thread(target=loop, daemon=True).start()
    return samples


def run(duration: float, concurrency: int, workers: int, threads: int,
        settings: Sequence[str], sample_every: float = 30) -> dict:
    with Server(settings, workers=workers, threads=threads) as server:
        memory = {"start": server.rss()}
        mix = targets(server.url, example_queries())
        warm = warm_up(server.url, mix)
        memory["after_warm_up"] = server.rss()
        stop = threading.Event()
        samples = sample_memory(server, sample_every, stop)
        outcome = crawl(server.url, mix, duration=duration, concurrency=concurrency)
        stop.set()
        memory["end"] = server.rss()
        workers_after = server.workers()
    return {
        "duration_s": duration, "concurrency": concurrency, "workers": workers,
        "threads": threads, "distinct_targets": len(set(mix)),
        "warm_up": summary(warm), "soak": summary(outcome),
        "memory": {when: _mib(figures) for when, figures in memory.items()},
        "samples": [_mib(sample) for sample in samples],
        "worker_pids_at_end": len(workers_after),
    }


def _mib(figures: dict) -> dict:
    return {k: mib(v) if k in ("server", "tree", "tree_pss") else v for k, v in figures.items()
            if k != "by_process"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180, help="seconds of crawl")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sample-every", type=float, default=30,
                        help="seconds between memory samples during the crawl")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args, settings = parser.parse_known_args(argv)
    figures = run(args.duration, args.concurrency, args.workers, args.threads, settings,
                  args.sample_every)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(report(figures))
    return 1 if figures["soak"]["errors"] or figures["warm_up"]["errors"] else 0


def report(figures: dict) -> str:
    soak, memory = figures["soak"], figures["memory"]
    lines = [
        (f"soak: {figures['duration_s']:g} s, concurrency {figures['concurrency']}, "
         f"{figures['workers']} workers x {figures['threads']} threads, "
         f"{figures['distinct_targets']} distinct targets"),
        f"requests sent: {soak['sent']} ({soak['per_second']}/s), errors: {soak['errors']}",
        f"latency: p50 {soak['p50_ms']} ms, p99 {soak['p99_ms']} ms, max {soak['max_ms']} ms",
        f"statuses: {soak['statuses']}",
        "by kind: " + ", ".join(f"{k} {v['sent']} (p50 {v['p50_ms']} / p99 {v['p99_ms']} ms)"
                                for k, v in soak["by_kind"].items()),
        "memory MiB (RSS master+workers; RSS, PSS of the whole tree; processes): " + "; ".join(
            f"{when} {v['server']}; {v['tree']}, {v['tree_pss']}; {v['processes']}"
            for when, v in memory.items()),
        "samples during the crawl (s: RSS master+workers, PSS tree): " + ", ".join(
            f"{v['t']}: {v['server']}, {v['tree_pss']}" for v in figures["samples"]),
    ]
    lines += [f"  error: {e}" for e in soak["first_errors"] + figures["warm_up"]["first_errors"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
