"""What ``ldpub serve --self-check`` costs the requests it serves meanwhile.

Starts ``ldpub serve`` (``bench/soak.py``'s server, 2 workers) on the repository's data,
then, in the same run and with the same client, times sequential GETs of one resource
page and one Turtle description (from the response cache, the common case) for
``--duration`` seconds with nothing else running, then while ``ldpub check`` runs against
the server the way ``--self-check`` runs it (its own process, nice 10), repeating the
check until the duration is over. Prints p50/p99 of each phase, their ratio, and how
long one check run takes.

Usage::

    python bench/self_check.py [--duration 20]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import soak  # noqa: E402 -- bench/soak.py, a script beside this one: its server and percentile


def latencies(url: str, paths: list[tuple[str, str]], until: callable) -> list[float]:
    """Sequential GETs of ``paths`` in turn until ``until()``; their times in ms."""
    times = []
    with requests.Session() as session:
        while not until():
            for path, accept in paths:
                start = time.perf_counter()
                response = session.get(url + path, headers={"Accept": accept}, timeout=30)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
    return times


def check_command(url: str) -> list[str]:
    return [sys.executable, "-m", "server", "check", url + "/"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    options = parser.parse_args()
    with soak.Server(workers=2, threads=8) as server:
        paths = [(soak.page_paths(server.url)[0], "text/html")]
        paths.append((paths[0][0].replace("/page/", "/data/", 1) + ".ttl", "text/turtle"))
        for path, accept in paths:  # fill the response cache
            requests.get(server.url + path, headers={"Accept": accept}, timeout=30)
        end = time.monotonic() + options.duration
        quiet = latencies(server.url, paths, lambda: time.monotonic() > end)
        runs, checking = [], None
        end = time.monotonic() + options.duration

        def busy() -> bool:
            nonlocal checking
            if checking is None or checking[0].poll() is not None:
                if checking is not None:
                    runs.append((time.monotonic() - checking[1], checking[0].returncode))
                if time.monotonic() > end:
                    return True
                checking = (subprocess.Popen(check_command(server.url),
                                             stdout=subprocess.DEVNULL,
                                             preexec_fn=lambda: os.nice(10)),
                            time.monotonic())
            return False

        loaded = latencies(server.url, paths, busy)
        if checking is not None and checking[0].poll() is None:
            checking[0].wait()
    print(f"requests: {len(quiet)} quiet, {len(loaded)} during {len(runs)} check runs "
          f"(exit codes {sorted({code for _, code in runs})})")
    for name, values in (("quiet", quiet), ("during a check", loaded)):
        print(f"{name:>15}: p50 {soak.percentile(values, 0.5):6.2f} ms, "
              f"p99 {soak.percentile(values, 0.99):6.2f} ms")
    for q in (0.5, 0.99):
        ratio = soak.percentile(loaded, q) / soak.percentile(quiet, q)
        print(f"ratio p{q * 100:g}: x{ratio:.2f}")
    seconds = sorted(s for s, _ in runs)
    print(f"one check run: {seconds[len(seconds) // 2]:.1f} s (median of {len(seconds)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
