"""How to give SPARQL a default graph that is a set: three ways, measured on one dataset.

The default graph is the RDF merge of the named graphs (DESIGN §4). Oxigraph's union
flag reads it as a bag (a triple once per graph that states it). Measured here, each in
its own process (peak memory is ``ru_maxrss``), on a dataset made by ``bench/generate.py``
with its derived graph:

- ``union``: today's way, the bag; the baseline for cost, not a correct answer;
- ``merged``: the loader writes the merge into the store's own default graph
  (``merge_default_graph``), queries read it with no flag;
- ``rewrite``: no default graph written; each triple pattern is rewritten to
  ``{ SELECT DISTINCT … { GRAPH ?g { pattern } } }``, the shape an automatic rewrite of
  any query would take (written out by hand here for the measured queries).

Printed: load time, peak memory, on-disk size and write time, and each query's time
(median of ``--repeat`` runs) and row count under each; and a query naming two default
graphs (``FROM``), merged for the query by ``EmbeddedStore`` against Oxigraph's bag.

    python bench/default_graph.py                      # 1M statements
    python bench/default_graph.py --statements 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from stores import BASE, staged_from_files  # noqa: E402

from server.store.embedded import EmbeddedStore, merge_default_graph  # noqa: E402

PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
# name: (query over the default graph, the same query rewritten pattern by pattern)
QUERIES = {
    "count-all": ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                  "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o "
                  "WHERE { GRAPH ?g { ?s ?p ?o } } } }"),
    "count-persons": ("SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:Person }",
                      "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s "
                      "WHERE { GRAPH ?g { ?s a schema:Person } } } }"),
    "person-labels": ("SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name }",
                      "SELECT ?p ?name WHERE { "
                      "{ SELECT DISTINCT ?p WHERE { GRAPH ?g1 { ?p a schema:Person } } } "
                      "{ SELECT DISTINCT ?p ?name WHERE { GRAPH ?g2 { ?p rdfs:label ?name } } } }"),
    "membership-join": ("SELECT ?p ?o ?r WHERE { ?m org:member ?p ; org:organization ?o ; org:role ?r }",
                        "SELECT ?p ?o ?r WHERE { "
                        "{ SELECT DISTINCT ?m ?p WHERE { GRAPH ?g1 { ?m org:member ?p } } } "
                        "{ SELECT DISTINCT ?m ?o WHERE { GRAPH ?g2 { ?m org:organization ?o } } } "
                        "{ SELECT DISTINCT ?m ?r WHERE { GRAPH ?g3 { ?m org:role ?r } } } }"),
    "lookup": ("SELECT ?p ?o WHERE { <%(person)s> ?p ?o }",
               "SELECT ?p ?o WHERE { { SELECT DISTINCT ?p ?o "
               "WHERE { GRAPH ?g { <%(person)s> ?p ?o } } } }"),
}
VARIANTS = ("union", "merged", "rewrite")
PERSON = f"{BASE}id/person/alexandre-missoffe-c7"


def _rows(result) -> int:
    """The number of rows, or the count a one-row ``COUNT`` answers."""
    rows = list(result)
    if len(rows) == 1 and "n" in [v.value for v in result.variables]:
        return int(rows[0]["n"].value)
    return len(rows)


def _timed(run, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = _rows(run())
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def child(variant: str, folder: Path, work: Path, repeat: int) -> dict:
    result: dict = {}
    started = time.perf_counter()
    staged = staged_from_files(folder)
    result["parse_s"] = time.perf_counter() - started
    store = staged.store
    if variant == "merged":
        started = time.perf_counter()
        merge_default_graph(store)
        result["merge_s"] = time.perf_counter() - started
    result["quads"] = len(store)
    options = {"use_default_graph_as_union": True} if variant == "union" else {}
    for name, (plain, rewritten) in QUERIES.items():
        text = PREFIXES + (rewritten if variant == "rewrite" else plain) % {"person": PERSON}
        result[name] = _timed(lambda: store.query(text, **options), repeat)
    if variant == "merged":
        embedded = EmbeddedStore(store)
        graphs = [f"{BASE}graph/pce-makers-grand-paris-russie-c7",
                  f"{BASE}graph/grand-paris-expertise-exported-to-russia-c7"]
        text = (f"SELECT ?s ?p ?o FROM <{graphs[0]}> FROM <{graphs[1]}> WHERE {{ ?s ?p ?o }}")
        result["from-two (merged for the query)"] = _timed(lambda: embedded.query(text), repeat)
        result["from-two (Oxigraph's bag)"] = _timed(lambda: store.query(text), repeat)
    started = time.perf_counter()
    disk = ox.Store(str(work / variant))
    disk.bulk_extend(store.quads_for_pattern(None, None, None, None))
    disk.flush()
    result["disk_write_s"] = time.perf_counter() - started
    del disk
    result["disk_mb"] = sum(p.stat().st_size for p in (work / variant).rglob("*")
                            if p.is_file()) / 2**20
    shutil.rmtree(work / variant)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def report(statements: int, results: dict[str, dict]) -> None:
    print(f"\n## {statements} source statements (+ the derived graph)\n")
    print("| | " + " | ".join(VARIANTS) + " |\n|---|" + "---|" * len(VARIANTS))
    for key, label in (("quads", "quads held"), ("parse_s", "parse (s)"),
                       ("merge_s", "merge into the default graph (s)"),
                       ("peak_mb", "peak memory (MB)"), ("disk_mb", "on disk (MB)"),
                       ("disk_write_s", "disk bulk write (s)")):
        cells = [results[v].get(key) for v in VARIANTS]
        print(f"| {label} | " + " | ".join("" if c is None else f"{c:,.1f}" if isinstance(c, float)
                                          else f"{c:,}" for c in cells) + " |")
    for name in QUERIES:
        cells = [f"{results[v][name][0] * 1000:,.1f} ms, {results[v][name][1]:,} rows"
                 for v in VARIANTS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n(a count query's figure is its count, not its one row)\n")
    for name, figures in results["merged"].items():
        if name.startswith("from-two"):
            print(f"- {name}: {figures[0] * 1000:,.1f} ms, {figures[1]:,} rows")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        variant, folder, work = args.child
        print(json.dumps(child(variant, Path(folder), Path(work), args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="ldpub-default-graph-") as tmp:
        work = Path(tmp)
        generated = generate(args.statements, work / "data", include_derived=True)
        results = {}
        for variant in VARIANTS:
            output = subprocess.run(
                [sys.executable, __file__, "--repeat", str(args.repeat), "--child", variant,
                 str(generated.folder), str(work)], check=True, capture_output=True, text=True)
            results[variant] = json.loads(output.stdout.strip().splitlines()[-1])
        report(generated.statements, results)


if __name__ == "__main__":
    main()
