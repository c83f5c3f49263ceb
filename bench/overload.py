"""Pages and ``/healthz`` while expensive queries and slow clients press on the server.

Starts ``ldpub serve`` with its default workers and threads (``bench/soak.py``'s server) on
127.0.0.1, measures resource pages alone (the baseline, same run), then again while
``--queries`` clients send a cartesian-product SPARQL query over and over (each runs to the
time limit, or is refused with 503) and ``--slow`` clients trickle one header line every
``--trickle`` seconds (each ends with a 408). Prints the page latencies of both phases,
their ratio, ``/healthz``, and what the attackers got. The goal: page p99 under 1 s.

    python bench/overload.py [--duration 30] [--queries 20] [--slow 8] [--threads 32] [--json]
        [-- setting flags for ldpub serve]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?aa }")
# `ldpub serve`'s defaults, which the figures are about.
WORKERS, THREADS = 2, 32


def _soak():
    spec = importlib.util.spec_from_file_location("ldpub_bench_soak", HERE / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


soak = _soak()


def sample(url: str, paths: Sequence[str], stop: threading.Event,
           seconds: float | None = None) -> dict[str, list]:
    """GET the pages one after another (and ``/healthz`` every tenth time) until ``stop``
    or ``seconds``; latencies in seconds, and the statuses."""
    found: dict[str, list] = {"page": [], "healthz": [], "status": []}
    session = requests.Session()
    end = time.monotonic() + seconds if seconds else None
    n = 0
    while not stop.is_set() and (end is None or time.monotonic() < end):
        kind, path = ("healthz", "/healthz") if n % 10 == 9 else ("page", paths[n % len(paths)])
        started = time.monotonic()
        try:
            status = session.get(url + path, timeout=30).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        found[kind].append(time.monotonic() - started)
        found["status"].append(status)
        n += 1
    return found


def expensive_queries(url: str, stop: threading.Event, tally: Counter) -> None:
    session = requests.Session()
    while not stop.is_set():
        try:
            answer = session.get(url + "/sparql", params={"query": CARTESIAN},
                                 headers={"Accept": "application/sparql-results+json"},
                                 timeout=60)
            title = answer.text.split("\n", 1)[0] if answer.status_code != 200 else "200"
            tally[title[:40]] += 1
        except requests.RequestException as error:
            tally[type(error).__name__] += 1


def slow_client(port: int, stop: threading.Event, tally: Counter, trickle: float) -> None:
    """Open a connection, send a request head one line every ``trickle`` seconds, forever;
    start again when the server answers or closes."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                sock.settimeout(trickle)
                n = 0
                while not stop.is_set():
                    try:
                        answer = sock.recv(200)
                    except TimeoutError:
                        sock.sendall(b"X-Slow-%d: 1\r\n" % n)
                        n += 1
                        continue
                    tally[answer.split(b" ")[1].decode() if answer[:5] == b"HTTP/" else "closed"] += 1
                    break
        except OSError as error:
            tally[type(error).__name__] += 1
            time.sleep(0.1)


def attack(url: str, port: int, queries: int, slow: int, trickle: float, stop: Any,
           tallies: Any) -> None:
    """The attackers' threads, in a process of their own (see ``pressed``)."""
    done = threading.Event()
    query_tally: Counter = Counter()
    slow_tally: Counter = Counter()
    attackers = [threading.Thread(target=expensive_queries, args=(url, done, query_tally))
                 for _ in range(queries)]
    attackers += [threading.Thread(target=slow_client, args=(port, done, slow_tally, trickle))
                  for _ in range(slow)]
    for thread in attackers:
        thread.start()
    stop.wait()
    done.set()
    for thread in attackers:
        thread.join(timeout=70)
    tallies.put((dict(query_tally), dict(slow_tally)))


def pressed(url: str, port: int, paths: Sequence[str], *, duration: float, queries: int,
            slow: int, trickle: float) -> dict:
    """The page sample while the attackers run; what the attackers got.

    The attackers run in another process: threads of this one would compete with the
    sampler for its interpreter lock, and the measure would include that wait.
    """
    context = multiprocessing.get_context("fork")
    stop, tallies = context.Event(), context.Queue()
    attackers = context.Process(target=attack, args=(url, port, queries, slow, trickle, stop,
                                                     tallies))
    attackers.start()
    try:
        time.sleep(min(2.0, duration / 4))  # let the slots and the queue fill
        found = sample(url, paths, threading.Event(), duration)
    finally:
        stop.set()
    found["queries"], found["slow_clients"] = tallies.get(timeout=120)
    attackers.join(timeout=30)
    return found


def percentile(values: Sequence[float], q: float) -> float:
    return soak.percentile(values, q) if values else float("nan")


def figures(found: dict) -> dict:
    pages, health = found["page"], found["healthz"]
    return {
        "pages": len(pages),
        "page_p50_ms": round(1000 * percentile(pages, 0.5), 1),
        "page_p99_ms": round(1000 * percentile(pages, 0.99), 1),
        "page_max_ms": round(1000 * max(pages, default=float("nan")), 1),
        "healthz": len(health),
        "healthz_max_ms": round(1000 * max(health, default=float("nan")), 1),
        "not_200": dict(Counter(s for s in found["status"] if s != 200)),
    }


def run(duration: float, queries: int, slow: int, trickle: float,
        settings: Sequence[str] = (), threads: int = THREADS) -> dict:
    with soak.Server(settings, workers=WORKERS, threads=threads) as server:
        paths = soak.page_paths(server.url)[:200] or ["/"]
        sample(server.url, paths, threading.Event(), 2.0)  # warm the caches
        alone = figures(sample(server.url, paths, threading.Event(), min(10.0, duration)))
        under = pressed(server.url, server.port, paths, duration=duration, queries=queries,
                        slow=slow, trickle=trickle)
        return {"alone": alone, "under_load": figures(under), "queries": under["queries"],
                "slow_clients": under["slow_clients"],
                "p99_ratio": round(figures(under)["page_p99_ms"] / alone["page_p99_ms"], 1)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--slow", type=int, default=8)
    parser.add_argument("--trickle", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="threads per worker (ldpub serve's default: %(default)s)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("settings", nargs="*")
    args = parser.parse_args(argv)
    result = run(args.duration, args.queries, args.slow, args.trickle, args.settings, args.threads)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    alone, under = result["alone"], result["under_load"]
    print(f"ldpub serve --workers {WORKERS} --threads {args.threads}; {args.queries} clients "
          f"repeating a cartesian query, {args.slow} clients sending a header line every "
          f"{args.trickle:g} s, for {args.duration:g} s")
    for name, row in (("pages alone", alone), ("under load", under)):
        print(f"  {name:12} {row['pages']:5} pages  p50 {row['page_p50_ms']:7.1f} ms  "
              f"p99 {row['page_p99_ms']:7.1f} ms  max {row['page_max_ms']:7.1f} ms  "
              f"/healthz {row['healthz']} answers, max {row['healthz_max_ms']:.1f} ms  "
              f"other statuses {row['not_200']}")
    print(f"  page p99 under load / alone: {result['p99_ratio']}x (goal: p99 < 1000 ms)")
    print(f"  the queries got {result['queries']}; the slow clients got {result['slow_clients']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
