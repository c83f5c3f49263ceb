"""rdflib's memory store against pyoxigraph: the measurement behind the embedded default.

Both engines load the same generated dataset (``bench/generate.py``, N-Quads, one graph
per article) and answer the same query shapes over the union of the graphs. Each engine
runs in its own process, so that its peak memory (``ru_maxrss``) is its own. Figures move
with the machine's load; the ratios, measured in the same run, are what to read.

    python bench/store_engines.py                 # 100k statements
    python bench/store_engines.py --sizes 100000 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import copies_of  # noqa: E402

from server.settings import Settings  # noqa: E402

PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { <%(person)s> ?p ?o }",
    "labels-fr": "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'fr') } LIMIT 500",
    "membership-join": """SELECT DISTINCT ?name ?orgName ?roleLabel WHERE {
        ?m org:member ?p ; org:organization ?o ; org:role ?r .
        ?p schema:name ?name . ?o schema:name ?orgName .
        ?r skos:prefLabel ?roleLabel FILTER(lang(?roleLabel) = 'en') }""",
    "text-filter": "SELECT DISTINCT ?s WHERE { ?s schema:name ?n "
                   "FILTER(CONTAINS(LCASE(STR(?n)), 'paris')) }",
    "count-by-class": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
}


def child(engine: str, path: str, repeat: int) -> dict:
    """Load ``path`` into one engine and time each query shape (run in its own process)."""
    data = Path(path).read_bytes()
    started = time.perf_counter()
    if engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(data=data, format="nquads")
        run = lambda text: len(list(dataset.query(text)))  # noqa: E731
    else:
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        run = lambda text: len(list(store.query(text, use_default_graph_as_union=True)))  # noqa: E731
    load = time.perf_counter() - started
    person = _a_person(data)
    timings = {}
    for name, text in QUERIES.items():
        query = PREFIXES + text % {"person": person}
        rows, times = 0, []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = run(query)
            times.append(time.perf_counter() - started)
        timings[name] = {"seconds": statistics.median(times), "rows": rows}
    return {"load": load, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "queries": timings}


def _a_person(data: bytes) -> str:
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        if quad.object == ox.NamedNode("http://schema.org/Person"):
            return quad.subject.value
    raise SystemExit("no schema:Person in the data")


def measure(size: int, repeat: int, workdir: Path) -> dict:
    produced, _, _ = copies_of(Settings.load({}, environ={}), size)
    path = workdir / f"data-{size}.nq"
    quads = [q for copy in produced for q in copy]
    ox.serialize(quads, output=str(path), format=ox.RdfFormat.N_QUADS)
    results = {"statements": len(quads)}
    for engine in ("pyoxigraph", "rdflib"):
        output = subprocess.run([sys.executable, __file__, "--child", engine, str(path),
                                 "--repeat", str(repeat)], check=True, capture_output=True,
                                text=True).stdout
        results[engine] = json.loads(output)
    return results


def report(results: dict) -> None:
    ox_, rdf = results["pyoxigraph"], results["rdflib"]
    print(f"\n== {results['statements']:,} statements")
    print(f"{'':18} {'rdflib':>12} {'pyoxigraph':>12} {'ratio':>8}")
    print(f"{'load (s)':18} {rdf['load']:12.2f} {ox_['load']:12.2f} {rdf['load'] / ox_['load']:7.1f}x")
    print(f"{'peak memory (MB)':18} {rdf['peak_mb']:12.0f} {ox_['peak_mb']:12.0f} "
          f"{rdf['peak_mb'] / ox_['peak_mb']:7.1f}x")
    for name in QUERIES:
        a, b = rdf["queries"][name], ox_["queries"][name]
        ratio = a["seconds"] / max(b["seconds"], 1e-6)
        print(f"{name + ' (ms)':18} {a['seconds'] * 1000:12.1f} {b['seconds'] * 1000:12.1f} "
              f"{ratio:7.0f}x   rows {a['rows']} / {b['rows']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            report(measure(size, args.repeat, Path(folder)))


if __name__ == "__main__":
    main()
