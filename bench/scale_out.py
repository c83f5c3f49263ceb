"""Scale-out: 1, 2 and 4 web processes in front of one Oxigraph server as the remote store.

The data (the repository's, or what ``-- --data-dir DIR …`` names) is dumped as
``ldpub dump --format nq --with-default-graph`` does, bulk-loaded by ``oxigraph load``
and served read-only by the Oxigraph server (``oxigraph serve-read-only``) on
127.0.0.1. Then ``ldpub serve --store sparql+http://…/query`` runs with 1, 2 and 4
gunicorn workers in turn, each time with the same client (``bench/soak.py``'s: keep-alive
connections, every answer checked) and the same concurrency: first the pages (resource
pages in two languages, descriptions in every format, ``/id`` redirects), then the example
SPARQL queries (every result format, GET and POST), each mix warmed up once and then
crawled for ``--duration`` seconds. Printed: requests per second, p50 and p99 of each
mix by number of processes, the ratio to 1 process, and the load average before and
after (other work on the machine moves absolute figures; ratios in one run hold better).

Usage::

    python bench/scale_out.py [--duration 20] [--concurrency 16] [--threads 4]
        [--processes 1 2 4] [-- setting flags for ldpub, e.g. --data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import requests
from soak import (
    REPOSITORY,
    Server,
    Target,
    crawl,
    example_queries,
    free_port,
    summary,
    targets,
    warm_up,
)

MIXES = {"pages": ("page", "data", "id"), "sparql": ("sparql",)}


@dataclass(frozen=True)
class Row:
    processes: int
    mix: str
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    first_errors: tuple[str, ...]


class OxigraphServer:
    """The Oxigraph server over a bulk-loaded copy of the dump, read-only."""

    def __init__(self, dump: Path, folder: Path) -> None:
        store = folder / "oxigraph"
        subprocess.run(["oxigraph", "load", "--location", str(store), "--file", str(dump)],
                       check=True, capture_output=True)
        self.url = f"http://127.0.0.1:{free_port()}/query"
        self.log = (folder / "oxigraph.log").open("wb")
        self.process = subprocess.Popen(
            ["oxigraph", "serve-read-only", "--location", str(store),
             "--bind", self.url.removeprefix("http://").removesuffix("/query")],
            stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        for _ in range(600):
            try:
                if requests.post(self.url, data={"query": "ASK {}"}, timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the Oxigraph server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def dump(settings: Sequence[str], target: Path) -> None:
    subprocess.run([sys.executable, "-m", "server", "dump", "--format", "nq",
                    "--with-default-graph", "--output", str(target), *settings],
                   cwd=REPOSITORY, check=True, capture_output=True)


def measure(processes: int, store_url: str, settings: Sequence[str], *, threads: int,
            duration: float, concurrency: int, folder: Path) -> list[Row]:
    flags = [*settings, f"--store=sparql+{store_url}", "--no-access-log"]
    rows = []
    with Server(flags, workers=processes, threads=threads,
                folder=folder / f"web-{processes}") as server:
        everything = targets(server.url, example_queries())
        for mix, kinds in MIXES.items():
            chosen: list[Target] = [t for t in everything if t.kind in kinds]
            warm = warm_up(server.url, chosen)
            figures = summary(crawl(server.url, chosen, duration=duration,
                                    concurrency=concurrency))
            warm_errors = summary(warm)
            rows.append(Row(processes, mix, figures["per_second"], figures["p50_ms"],
                            figures["p99_ms"], figures["errors"] + warm_errors["errors"],
                            tuple(warm_errors["first_errors"] + figures["first_errors"])[:3]))
    return rows


def report(rows: list[Row], concurrency: int, threads: int, loads: tuple[str, str]) -> str:
    base = {row.mix: row.per_second for row in rows if row.processes == rows[0].processes}
    lines = [(f"concurrency {concurrency}, {threads} threads per process; "
             f"load average before {loads[0]}, after {loads[1]}"),
             "| web processes | mix | requests/s | × 1 process | p50 ms | p99 ms | errors |",
             "|---|---|---|---|---|---|---|"]
    for row in sorted(rows, key=lambda r: (r.mix, r.processes)):
        ratio = row.per_second / base[row.mix] if base[row.mix] else float("nan")
        lines.append(f"| {row.processes} | {row.mix} | {row.per_second:,.0f} | {ratio:.2f} | "
                     f"{row.p50_ms} | {row.p99_ms} | {row.errors} |")
    lines += [f"  {row.processes} {row.mix}: {error}" for row in rows for error in row.first_errors]
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of each crawl")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    args, settings = parser.parse_known_args(argv)
    settings = [s for s in settings if s != "--"]
    folder = Path(tempfile.mkdtemp(prefix="ldpub-scale-out-"))
    before = load_average()
    try:
        dump(settings, folder / "dataset.nq")
        engine = OxigraphServer(folder / "dataset.nq", folder)
        try:
            engine.wait()
            rows = [row for n in args.processes
                    for row in measure(n, engine.url, settings, threads=args.threads,
                                       duration=args.duration, concurrency=args.concurrency,
                                       folder=folder)]
        finally:
            engine.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(report(rows, args.concurrency, args.threads, (before, load_average())))
    return 1 if any(row.errors for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
