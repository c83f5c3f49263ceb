"""The first pages after a start, on a loaded on-disk store: made at load against made on request.

A server is started on the store (``ldpub serve``, the production server), and as soon
as it answers, a burst of concurrent requests asks for ``/`` (the home page: counts,
class tree, sources, coverage, timeline), as a crawler's first requests after a restart
would. A second fresh server is asked first for one resource page by a burst, then for
a resource page no request asked for yet. Each is timed from the client; then the same
requests again, warm: the anchor.
The whole run is made twice in the same session: as the store was loaded (what every
page needs made at load, ``precomputed.json``), and with that file set aside, so that
each worker makes those values on its first request, as before they were made at load.
The file is put back at the end. Memory is the proportional set size (PSS) of every
process of the second server, summed, once it has served both kinds of page.

The goal (#17): the first ``/`` and the first resource page under 1 s at 1M statements.

Usage::

    python bench/generate.py 1000000 /tmp/gpr-1m
    ldpub load --store oxigraph:/tmp/gpr-1m-store --data-dir /tmp/gpr-1m/data \\
        --ontology-dir /tmp/gpr-1m/ontology --shapes-dir /tmp/gpr-1m/shapes
    python bench/cold_start.py oxigraph:/tmp/gpr-1m-store [--workers 2] [--burst 8]
        [--page /page/person/andrei-tchibis-c7] [--other /page/person/andrei-tchibis-c9]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import REPOSITORY, free_port, stop, wait_for

sys.path.insert(0, str(REPOSITORY))

from server.domain.precomputed import FILE as PRECOMPUTED

GOAL_SECONDS = 1.0


@dataclass(frozen=True)
class Run:
    mode: str
    start: float  # seconds from the command to the first answer of /healthz
    home: float  # the slowest of the burst's first /
    page: float  # the slowest of the burst's first resource page
    other: float  # a resource page no request asked for yet
    warm_home: float
    warm_page: float
    pss_mb: float


def timed(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}),
                                timeout=600) as answer:
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"{url}: {answer.status}")
    return time.perf_counter() - started


def burst(url: str, size: int) -> float:
    with ThreadPoolExecutor(size) as pool:
        return max(pool.map(timed, [url] * size))


def session_pids(leader: int) -> list[int]:
    """Every process in the server's session (the master, workers, query processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.getsid(int(entry.name)) == leader:
                found.append(int(entry.name))
        except ProcessLookupError:
            continue
    return found


def process_pss_mb(pid: int) -> float:
    """One process's proportional set size, in MB; 0 once it has left."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    return next(int(line.split()[1]) for line in rollup.splitlines()
                if line.startswith("Pss:")) / 1024


def pss_mb(leader: int) -> float:
    """The PSS of every process in the server's session."""
    return sum(process_pss_mb(pid) for pid in session_pids(leader))


@contextmanager
def server(mode: str, store: str, options) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """A fresh server on ``store``: (its base URL, its process, seconds until it answered)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"cold-start-{mode.replace(' ', '-')}.log"
    command = [sys.executable, "-m", "server", "serve", "--store", store, "--port", str(port),
               "--workers", str(options.workers), "--no-access-log", "--log-level", "WARNING"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPOSITORY, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    try:
        wait_for(f"{base}/healthz", process)
        yield base, process, time.perf_counter() - started
    finally:
        stop(process)


def measure(mode: str, store: str, options) -> Run:
    """Two fresh starts: the first asked for ``/`` first, the second for a resource page."""
    with server(mode, store, options) as (base, process, start):
        home = burst(f"{base}/", options.burst)
        warm_home = min(timed(f"{base}/") for _ in range(5))
    with server(mode, store, options) as (base, process, _):
        page = burst(base + options.page, options.burst)
        other = timed(base + options.other)
        warm_page = min(timed(base + options.page) for _ in range(5))
        timed(f"{base}/")
        memory = pss_mb(process.pid)
    return Run(mode, start, home, page, other, warm_home, warm_page, memory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a loaded on-disk store, oxigraph:PATH")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=8, help="concurrent cold requests")
    parser.add_argument("--page", default="/page/person/andrei-tchibis-c7")
    parser.add_argument("--other", default="/page/person/andrei-tchibis-c9")
    options = parser.parse_args()
    generation = Path(options.store.removeprefix("oxigraph:")) / "current"
    kept = generation / PRECOMPUTED
    if not kept.is_file():
        raise SystemExit(f"{kept}: missing; load the store with this version (ldpub load)")
    runs = [measure("made at load", options.store, options)]
    aside = kept.with_name(PRECOMPUTED + ".aside")
    kept.rename(aside)
    try:
        runs.append(measure("made on request", options.store, options))
    finally:
        aside.rename(kept)
    report(runs, options)


def report(runs: list[Run], options) -> None:
    load = os.getloadavg()
    print(f"{options.store}, {options.workers} workers, bursts of {options.burst}, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {os.cpu_count()} CPUs")
    print(f"{'':<16} {'start s':>8} {'first / s':>10} {'first page s':>13} {'other page s':>13} "
          f"{'warm / ms':>10} {'warm page ms':>13} {'PSS MB':>8}")
    for run in runs:
        print(f"{run.mode:<16} {run.start:>8.2f} {run.home:>10.2f} {run.page:>13.2f} "
              f"{run.other:>13.2f} {run.warm_home * 1000:>10.1f} {run.warm_page * 1000:>13.1f} "
              f"{run.pss_mb:>8.0f}")
    made, baseline = runs
    for name, ours, theirs in (("first /", made.home, baseline.home),
                               ("first page", made.page, baseline.page)):
        verdict = "met" if ours < GOAL_SECONDS else "NOT met"
        print(f"{name}: {ours:.2f} s, {theirs / ours:.1f}x faster than made on request "
              f"(goal < {GOAL_SECONDS:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
