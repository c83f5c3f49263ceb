"""The SHACL gate at each size, by each engine: seconds and peak memory.

For every size a dataset shaped like ours is generated (``bench/generate.py``); each
engine then does in its own process what ``ldpub validate`` and ``ldpub load`` do:
stage the files (parse, then the rules to a fixpoint) and validate the result against
the shapes. Peak memory is the process's ``ru_maxrss``. The reference engine (pySHACL)
spends about 2 ms a statement, so it runs only up to ``--reference-up-to`` statements;
where both engines run, the native engine's speed is printed as a ratio to it, both
measured in the same run on the same data.

    python bench/validation.py                                  # 10k, 30k, 100k
    python bench/validation.py --sizes 1000000 5000000 --reference-up-to 0
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from server.domain.loading import stage  # noqa: E402
from server.domain.validation import ValidationInput, validate  # noqa: E402
from server.settings import Settings  # noqa: E402

ENGINES = ("pyshacl", "turbo")


def child(folder: Path, engine: str) -> dict:
    settings = Settings.load({"data_dir": str(folder / "data"),
                              "ontology_dir": str(folder / "ontology"),
                              "shapes_dir": str(folder / "shapes")}, environ={})
    started = time.perf_counter()
    staged = stage(settings)
    staged_s = time.perf_counter() - started
    source = ValidationInput(staged.store, (*staged.data_graphs, staged.derived_graph),
                             staged.ontology_graph, staged.shapes_graph)
    started = time.perf_counter()
    report = validate(source, engine)
    return {"stage_s": staged_s, "validate_s": time.perf_counter() - started,
            "quads": len(staged.store), "conforms": report.conforms, "engine": report.engine,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(folder: Path, engine: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", str(folder), engine],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(size: int, reference_up_to: int, root: Path) -> dict:
    folder = root / f"data-{size}"
    generated = generate(size, folder)
    results = {"statements": generated.statements}
    for engine in ENGINES:
        if engine == "pyshacl" and size > reference_up_to:
            continue
        results[engine] = run_child(folder, engine)
    return results


def report(results: dict) -> None:
    native, reference = results["turbo"], results.get("pyshacl")
    ratio = (f"  {reference['validate_s'] / native['validate_s']:.0f}x the reference"
             if reference else "")
    print(f"{results['statements']:>10,} statements ({native['quads']:,} quads with the "
          f"ontology, shapes and derived graph); stage {native['stage_s']:.1f} s")
    for engine in ENGINES:
        r = results.get(engine)
        if r:
            verdict = "conforms" if r["conforms"] else "DOES NOT CONFORM"
            print(f"    {r['engine']:22} validate {r['validate_s']:8.1f} s   "
                  f"peak {r['peak_mb']:7.0f} MB   {verdict}"
                  + (ratio if engine == "turbo" else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--reference-up-to", type=int, default=30_000,
                        help="run pySHACL for sizes up to this many statements")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1])))
        return
    everything = []
    with tempfile.TemporaryDirectory(prefix="ldpub-bench-") as root:
        for size in args.sizes:
            results = measure(size, args.reference_up_to, Path(root))
            report(results)
            everything.append(results)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1) + "\n")


if __name__ == "__main__":
    main()
