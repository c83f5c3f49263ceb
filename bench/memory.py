"""The whole server's memory on a loaded on-disk store, under load, beside the Oxigraph server.

``ldpub serve`` (the production server) and ``oxigraph serve-read-only`` (the Oxigraph
server from the ``oxigraph`` package, on the same generation's files) are started on
127.0.0.1. Both are sent the example queries (``queries/*.rq``) round-robin by 16
concurrent keep-alive clients for a fixed time; ours also serves resource pages and
the home page meanwhile. Then the proportional set size (PSS) of every process of each
server is summed: ours by role (the master, the page workers, the query zygotes, the
query workers), since a forked process shares its parent's pages and PSS counts each
shared page once in all. The ratio is ours / the Oxigraph server's, and the goal (#17)
is the whole of ours under 2 GB at 1M statements. The bound on what queries may take
beyond that (``LDPUB_QUERY_MEMORY_MB`` × query slots) is printed beside it.

Usage::

    python bench/memory.py oxigraph:/tmp/gpr-1m-store [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cold_start import process_pss_mb, pss_mb, server, session_pids
from http_pages import REPOSITORY, free_port, stop, wait_for

from server.settings import Settings

GOAL_MB = 2048
CLIENTS = 16
PAGES = ("/", "/page/person/andrei-tchibis-c7",
         "/page/organization/paris-ile-de-france-capitale-economique-c32", "/dataset",
         "/browse/person", "/search?q=tchibis")
ROLES = ("master", "page workers", "query zygotes", "query workers")


def drive(port: int, targets: list[str], seconds: float) -> Counter:
    """Request ``targets`` round-robin by ``CLIENTS`` keep-alive clients; the statuses."""
    statuses: Counter = Counter()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        n = offset
        while time.monotonic() < deadline:
            target = targets[n % len(targets)]
            n += 1
            try:
                connection.request("GET", target, headers={
                    "Accept": "application/sparql-results+json, text/html;q=0.9"})
                answer = connection.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = "error"
            with lock:
                statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def by_role(leader: int) -> dict[str, float]:
    """PSS in MB of the server's processes, by their depth below the master."""
    parents: dict[int, int] = {}
    for pid in session_pids(leader):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
    found = dict.fromkeys(ROLES, 0.0)
    for pid in parents:
        depth, current = 0, pid
        while current != leader and current in parents:
            current, depth = parents[current], depth + 1
        found[ROLES[min(depth, len(ROLES) - 1)]] += process_pss_mb(pid)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a loaded on-disk store, oxigraph:PATH")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=8)
    options = parser.parse_args()
    queries = [f"/sparql?{urlencode({'query': path.read_text()})}"
               for path in sorted((REPOSITORY / "queries").glob("*.rq"))]
    location = Path(options.store.removeprefix("oxigraph:")) / "current" / "oxigraph"
    port = free_port()
    log = Path(tempfile.gettempdir()) / "memory-oxigraph.log"
    engine = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(location),
                               "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                              stdout=log.open("wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", engine)
        theirs_status = drive(port, [q.replace("/sparql?", "/query?") for q in queries],
                              options.seconds)
        theirs = pss_mb(engine.pid)
    finally:
        stop(engine)
    with server("memory", options.store, options) as (base, process, _):
        ours_port = int(base.rsplit(":", 1)[1])
        ours_status = drive(ours_port, [*queries, *PAGES], options.seconds)
        roles = by_role(process.pid)
        bound = _query_bound(options.workers)
    report(roles, theirs, ours_status, theirs_status, bound, options)


def _query_bound(workers: int) -> tuple[int, int]:
    settings = Settings.load({}, environ=os.environ)
    return settings.query_memory // 1024**2, workers * settings.max_concurrent_queries


def report(roles: dict[str, float], theirs: float, ours_status: Counter,
           theirs_status: Counter, bound: tuple[int, int], options) -> None:
    load = os.getloadavg()
    ours = sum(roles.values())
    print(f"{options.store}, {options.workers} workers, {CLIENTS} clients for "
          f"{options.seconds:.0f} s, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"answers: ours {dict(ours_status)}; Oxigraph server {dict(theirs_status)}")
    for role in ROLES:
        print(f"  {role:<14} {roles[role]:>8.0f} MB")
    print(f"ours {ours:.0f} MB, the Oxigraph server {theirs:.0f} MB: {ours / theirs:.1f}x "
          f"(goal < {GOAL_MB} MB: {'met' if ours < GOAL_MB else 'NOT met'})")
    per_query, slots = bound
    print(f"queries may take at most {per_query} MB each beyond that, {slots} at once "
          f"(LDPUB_QUERY_MEMORY_MB x {slots} slots: {per_query * slots} MB)")


if __name__ == "__main__":
    main()
