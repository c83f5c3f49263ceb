"""``ldpub load`` against pyoxigraph's bare bulk load of the same files, in one run.

The anchor is the least any load can cost: the dataset's files (``data/``, ``ontology/``,
``shapes/``) bulk-loaded into a fresh on-disk Oxigraph store by pyoxigraph, in its own
process, with nothing else (no rules, no provenance, no validation, no default graph's
merge, no dumps). Then ``ldpub load`` of the same folders into a fresh on-disk store, as
an operator runs it, its stages read from its log lines. Printed: both times and peak
memories, each stage of ours, and the goals of #17 as ratios: the whole load within 3x
the bulk load, the SHACL gate under 60 s.

Usage::

    python bench/generate.py 1000000 /tmp/gpr-1m
    python bench/load.py /tmp/gpr-1m
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
GOAL_RATIO = 3.0
GOAL_VALIDATION_SECONDS = 60.0
STAGE_LINE = re.compile(r"^(\w+): .* in ([\d.]+) s\b", re.MULTILINE)
BULK = """
import sys, pathlib, pyoxigraph as ox
store = ox.Store(sys.argv[1])
formats = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
for folder in sys.argv[2:]:
    for path in sorted(pathlib.Path(folder).glob("*")):
        if path.suffix in formats:
            named = path.suffix not in (".trig", ".nq")  # a Turtle file: a graph of its own
            store.bulk_load(path=str(path), format=formats[path.suffix],
                            to_graph=ox.NamedNode(path.as_uri()) if named else None)
store.flush()
print(len(store))
"""


def timed(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident kB (GNU time) and the output of ``command``."""
    if not Path("/usr/bin/time").exists():
        raise SystemExit("GNU time is needed (apt-get install time)")
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "peak %M", *command], capture_output=True,
                          check=False, text=True, cwd=REPOSITORY,
                          env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")
    peak = int(re.findall(r"peak (\d+)", done.stderr)[-1])
    return seconds, peak, done.stdout + done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="a folder with data/, ontology/, shapes/")
    options = parser.parse_args()
    folders = [options.dataset / name for name in ("data", "ontology", "shapes")]
    work = Path(tempfile.mkdtemp(prefix="ldpub-load-"))
    try:
        bulk_s, bulk_peak, output = timed([sys.executable, "-c", BULK, str(work / "bare"),
                                           *map(str, folders)])
        quads = int(output.split()[0])
        ours_s, ours_peak, log = timed([
            sys.executable, "-m", "server", "load", "--store", f"oxigraph:{work / 'ours'}",
            "--data-dir", str(folders[0]), "--ontology-dir", str(folders[1]),
            "--shapes-dir", str(folders[2])])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stages = {name: float(seconds) for name, seconds in STAGE_LINE.findall(log)}
    load = os.getloadavg()
    print(f"{options.dataset}: {quads:,} quads bulk-loaded; load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} at the end, {os.cpu_count()} CPUs\n")
    print("| | seconds | peak memory |\n|---|---|---|")
    print(f"| pyoxigraph bulk load (the anchor) | {bulk_s:.1f} | {bulk_peak / 1024:.0f} MB |")
    print(f"| `ldpub load` | {ours_s:.1f} | {ours_peak / 1024:.0f} MB |")
    print("\nstages of `ldpub load`: " + ", ".join(f"{n} {s:.1f} s" for n, s in stages.items()))
    ratio = ours_s / bulk_s
    print(f"\nthe whole load: {ratio:.1f}x the bulk load (goal <= {GOAL_RATIO:.0f}x: "
          f"{'met' if ratio <= GOAL_RATIO else 'NOT met'})")
    gate = stages.get("validation")
    if gate is not None:
        print(f"the SHACL gate: {gate:.1f} s (goal < {GOAL_VALIDATION_SECONDS:.0f} s: "
              f"{'met' if gate < GOAL_VALIDATION_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
