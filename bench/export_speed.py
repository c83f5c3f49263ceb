"""``ldpub export`` against an earlier version of itself: time, CPU and the same bytes.

The earlier version (``--baseline``, a git revision) is unpacked from the repository into
a temporary folder, and so is ``--against`` when given (else this tree is measured); both
then export the same data, with the same workers, public URL and ``SOURCE_DATE_EPOCH``,
one after the other, ``--rounds`` times in turns, so that both see the machine's load
alike. Printed: wall time and CPU time (the export and its workers) of each run, the
median of each version, the ratio, and whether the two exports are the same files with
the same bytes (they must be, when neither changed what the server answers).

Usage::

    python bench/export_speed.py --baseline prov [--against REV] [--workers 2] [--rounds 1]
        [-- ldpub setting options, e.g. --data-dir DIR --store oxigraph:DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://static.example.org/"
DATE = "1768478400"  # 2026-01-15T12:00:00Z
# ``ldpub`` run from the given code, which must be the code imported (not the installed one)
LAUNCH = ("import sys, server; assert server.__file__.startswith(sys.argv[1]), server.__file__; "
          "from server.runtime.cli import main; sys.argv = ['ldpub', *sys.argv[2:]]; main()")


@dataclass(frozen=True)
class Run:
    version: str
    wall: float
    cpu: float
    output: Path


# What an export reads from the repository: the code and the default data and queries.
TREE = ("server", "data", "ontology", "shapes", "queries")


def unpack(revision: str, into: Path) -> Path:
    """The code and data of ``revision``, the ``server`` package importable from ``into``."""
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", revision, *TREE],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def export(version: str, code: Path, output: Path, workers: int, settings: list[str]) -> Run:
    """One export by the ``server`` package found in ``code``, timed."""
    # one hash seed for both: the order in which a process fills the store decides the order
    # of a canned query's tied rows (ORDER BY on equal labels), which is not ours to compare
    environment = {**os.environ, "PYTHONPATH": str(code), "SOURCE_DATE_EPOCH": DATE,
                   "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-c", LAUNCH, str(code), "export", str(output),
               f"--public-url={PUBLIC_URL}", f"--workers={workers}", "--log-level=WARNING",
               *settings]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=code, env=environment,
                   stdout=subprocess.DEVNULL)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(version, wall, cpu, output)


def same_tree(a: Path, b: Path) -> list[str]:
    """The files that differ between two exports, or are in one only."""
    names_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = sorted(str(n) for n in names_a ^ names_b)
    differ += sorted(str(n) for n in names_a & names_b
                     if not filecmp.cmp(a / n, b / n, shallow=False))
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="git revision to compare with")
    parser.add_argument("--against", help="git revision to measure (default: this tree)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("settings", nargs="*", help="ldpub setting options, after --")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ldpub-bench-export-speed-"))
    try:
        after = options.against or "this tree"
        versions = {options.baseline: unpack(options.baseline, tmp / "baseline"),
                    after: unpack(options.against, tmp / "after") if options.against
                    else REPOSITORY}
        runs: list[Run] = []
        for round_ in range(options.rounds):
            for number, (version, code) in enumerate(versions.items()):
                output = tmp / f"out-{round_}-{number}"
                runs.append(export(version, code, output, options.workers, options.settings))
                print(f"{version}: {runs[-1].wall:.1f} s, CPU {runs[-1].cpu:.1f} s",
                      flush=True)
        files = [p for p in (runs[-1].output / "site").rglob("*") if p.is_file()]
        differ = same_tree(runs[0].output, runs[-1].output)
        print(f"\n{len(files):,} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; "
              f"{options.workers} workers; load average at the end "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
        print("| version | wall s (median) | CPU s (median) |")
        print("|---|---:|---:|")
        medians = {}
        for version in versions:
            mine = [run for run in runs if run.version == version]
            medians[version] = (statistics.median(r.wall for r in mine),
                                statistics.median(r.cpu for r in mine))
            print(f"| {version} | {medians[version][0]:.1f} | {medians[version][1]:.1f} |")
        base, now = medians[options.baseline], medians[after]
        print(f"\nfaster: {base[0] / now[0]:.2f}x wall, {base[1] / now[1]:.2f}x CPU; "
              f"same files, same bytes: {'yes' if not differ else 'NO: ' + ', '.join(differ[:5])}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
