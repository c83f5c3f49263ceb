"""Each store backend at each size: load time, peak memory, page and query latency.

For every size a dataset shaped like ours is generated (``bench/generate.py``, with its
derived graph, so the store holds what a real load would). Every backend is then
measured in its own process (peak memory is ``ru_maxrss``):

- ``memory``: the sources parsed into the in-memory store (what every start costs,
  before validation);
- ``ondisk-write``: the one-time bulk write of a generation (``ldpub load`` after it
  has validated); ``ondisk``: a server opening that generation read-only and serving;
- ``remote``: Comunica (npm, the tests' independent engine) over an N-Quads file; our
  process holds no data, the engine's own peak memory is reported beside ours.

Validation (rules, then SHACL), which ``memory`` repeats at every start and ``ondisk``
pays once at load, is measured apart, up to ``--validate-up-to`` statements.

Pages are requested through the app (``/page/{kind}/{slug}`` and ``/data/….ttl``) for
resources picked at random, each once (no cache helps); queries run on the store.

    python bench/stores.py                                    # 100k, every backend
    python bench/stores.py --sizes 100000 1000000 5000000 --backends memory ondisk
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import REPOSITORY, generate  # noqa: E402

from server import create_app  # noqa: E402
from server.domain.harvest import resource_keys  # noqa: E402
from server.domain.iris import graph_iri  # noqa: E402
from server.domain.loading import Snapshot, Staged, check  # noqa: E402
from server.domain.namespaces import prefixes_for  # noqa: E402
from server.domain.validation import ValidationReport  # noqa: E402
from server.settings import Settings  # noqa: E402
from server.store.embedded import EmbeddedStore, merge_default_graph  # noqa: E402

BASE = "https://w3id.org/grand-paris-russia/"
COMUNICA = REPOSITORY / "node_modules" / ".bin" / "comunica-sparql-file-http"
QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { <%(person)s> ?p ?o }",
    "membership-join": """PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?p ?o ?r WHERE { ?m org:member ?p ; org:organization ?o ; org:role ?r }""",
    "count-by-class": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
}


def config_for(folder: Path, **extra) -> dict:
    return {"data_dir": str(folder / "data"), "ontology_dir": str(folder / "ontology"),
            "shapes_dir": str(folder / "shapes"), "base_iri": BASE, **extra}


def settings_for(folder: Path, **extra) -> Settings:
    return Settings.load(config_for(folder, **extra), environ={})


def staged_from_files(folder: Path) -> Staged:
    """The generated files in an in-memory store, without rules or validation."""
    store = ox.Store()
    for path in sorted((folder / "data").glob("*.trig")):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    for role in ("ontology", "shapes"):
        for path in sorted((folder / role).glob("*.ttl")):
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                            to_graph=ox.NamedNode(f"{BASE}{role}"))
    derived = graph_iri(BASE, "derived")
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return Staged(store=store, files=(), data_graphs=tuple(g for g in graphs if g.startswith(
        f"{BASE}graph/") and g != derived), derived_graph=derived, ontology_graph=f"{BASE}ontology",
        shapes_graph=f"{BASE}shapes", prefixes=prefixes_for({}), version=f"bench-{len(store)}",
        graph_files={})


def unvalidated() -> ValidationReport:
    return ValidationReport(conforms=True, results=(), graph=Graph())


# --- one backend, in its own process


def child(backend: str, folder: Path, work: Path, pages: int) -> dict:
    result: dict = {}
    started = time.perf_counter()
    if backend == "memory":
        staged = staged_from_files(folder)
        merge_default_graph(staged.store)  # as ``load_snapshot`` does
        store = EmbeddedStore(staged.store)
        snapshot = Snapshot(store, staged.version, datetime.now(UTC), None, staged, store.stats())
        result["load_s"] = time.perf_counter() - started
        config = {}
    elif backend == "ondisk-write":
        from server.store import ondisk

        staged = staged_from_files(folder)
        result["parse_s"] = time.perf_counter() - started
        started = time.perf_counter()
        ondisk.publish(settings_for(folder, store=f"oxigraph:{work / 'store'}",
                                    dump_dir=str(work / "dumps")), staged, unvalidated())
        result["write_s"] = time.perf_counter() - started
        result["disk_mb"] = sum(p.stat().st_size for p in (work / "store").rglob("*")
                                if p.is_file()) / 2**20
        return _finish(result)
    elif backend == "ondisk":
        from server.store.registry import open_snapshot

        config = {"store": f"oxigraph:{work / 'store'}"}
        snapshot = open_snapshot(settings_for(folder, **config))
        result["open_s"] = time.perf_counter() - started
    else:
        from server.store.registry import open_snapshot

        url = (work / "endpoint").read_text().strip()
        config = {"store": f"sparql+{url}", "query_timeout": "600"}
        snapshot = open_snapshot(settings_for(folder, **config))
        result["open_s"] = time.perf_counter() - started
    gc.collect()
    result.update(_serve(snapshot, folder, {**config, "dump_dir": str(work / "dumps")}, pages))
    return _finish(result)


def _serve(snapshot: Snapshot, folder: Path, config: dict, pages: int) -> dict:
    app = create_app({**config_for(folder, **config), "TESTING": True}, snapshot=snapshot)
    client = app.test_client()
    keys = resource_keys(snapshot.store, BASE)
    chosen = random.Random(7).sample(keys, min(pages, len(keys)))
    timings = {"page": [], "data": []}
    for key in chosen:
        for name, path in (("page", f"/page/{key.kind}/{key.slug}"),
                           ("data", f"/data/{key.kind}/{key.slug}.ttl")):
            started = time.perf_counter()
            status = client.get(path, headers={"Accept": "text/html"}).status_code
            timings[name].append(time.perf_counter() - started)
            assert status == 200, (path, status)
    person = next(k for k in keys if k.kind == "person")
    queries = {}
    for name, text in QUERIES.items():
        times, rows = [], 0
        for _ in range(3):
            started = time.perf_counter()
            rows = len(list(snapshot.store.query(text % {"person": f"{BASE}id/person/{person.slug}"})))
            times.append(time.perf_counter() - started)
        queries[name] = {"ms": statistics.median(times) * 1000, "rows": rows}
    return {"resources": len(keys), "triples": snapshot.stats.triples,
            "page_ms": _percentiles(timings["page"]), "data_ms": _percentiles(timings["data"]),
            "queries": queries}


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50": ordered[len(ordered) // 2] * 1000,
            "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000}


def _finish(result: dict) -> dict:
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def validation_child(folder: Path) -> dict:
    started = time.perf_counter()
    _, report = check(settings_for(folder))
    return _finish({"validate_s": time.perf_counter() - started, "conforms": report.conforms,
                    "violations": len(report.violations)})


# --- the parent: generate, start engines, run children, print


def run_child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def start_comunica(folder: Path, work: Path) -> tuple[subprocess.Popen, float]:
    """Comunica over the store's N-Quads; seconds until it answers its first query."""
    import requests

    staged = staged_from_files(folder)
    merge_default_graph(staged.store)  # the default graph as ``ldpub dump --with-default-graph``
    path = work / "data.nq"
    ox.serialize(staged.store.quads_for_pattern(None, None, None, None), output=str(path),
                 format=ox.RdfFormat.N_QUADS)
    del staged
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([str(COMUNICA), str(path), "-p", str(port), "-t", "600"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    while True:
        try:
            if requests.post(url, data={"query": "ASK { ?s ?p ?o }"}, timeout=600,
                             headers={"Accept": "application/sparql-results+json"}).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    (work / "endpoint").write_text(url)
    return process, time.perf_counter() - started


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def engine_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(size: int, backends: list[str], pages: int, validate_up_to: int, root: Path,
            remote_pages: int = 20) -> dict:
    folder = root / f"data-{size}"
    generated = generate(size, folder, include_derived=True)
    results: dict = {"statements": generated.statements}
    if size <= validate_up_to:
        source = root / f"sources-{size}"
        generate(size, source)
        results["validation"] = run_child("--validate", str(source))
        shutil.rmtree(source)
    for backend in backends:
        work = root / f"work-{size}-{backend}"
        work.mkdir()
        if backend == "ondisk":
            results["ondisk-write"] = run_child("--child", "ondisk-write", str(folder), str(work),
                                                str(pages))
        if backend == "remote":
            if not COMUNICA.exists():
                results[backend] = {"skipped": f"{COMUNICA} absent (npm install)"}
                continue
            process, load = start_comunica(folder, work)
            try:
                results[backend] = run_child("--child", backend, str(folder), str(work),
                                             str(remote_pages))
                results[backend]["load_s"] = load
                results[backend]["engine_peak_mb"] = engine_peak_mb(process.pid)
            finally:
                process.terminate()
                process.wait(timeout=30)
            continue
        results[backend] = run_child("--child", backend, str(folder), str(work), str(pages))
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return results


def report(results: dict) -> None:
    print(f"\n== {results['statements']:,} statements")
    if "validation" in results:
        v = results["validation"]
        print(f"validation (rules + SHACL): {v['validate_s']:.1f} s, peak {v['peak_mb']:.0f} MB, "
              f"conforms={v['conforms']}")
    if "ondisk-write" in results:
        w = results["ondisk-write"]
        print(f"on-disk generation write: {w['write_s']:.1f} s (after parsing in {w['parse_s']:.1f} s), "
              f"{w['disk_mb']:.0f} MB on disk, peak {w['peak_mb']:.0f} MB")
    print(f"{'backend':8} {'load/open s':>11} {'peak MB':>9} {'page p50/p95 ms':>16} "
          f"{'data p50/p95 ms':>16}  " + "  ".join(f"{q} ms" for q in QUERIES))
    baseline = results.get("memory", {}).get("page_ms", {}).get("p50")
    for backend in ("memory", "ondisk", "remote"):
        r = results.get(backend)
        if not r:
            continue
        if "skipped" in r:
            print(f"{backend:8} skipped: {r['skipped']}")
            continue
        start = r.get("load_s", r.get("open_s", 0))
        peak = f"{r['peak_mb']:.0f}" + (f"+{r['engine_peak_mb']:.0f}" if "engine_peak_mb" in r else "")
        page, data = r["page_ms"], r["data_ms"]
        ratio = f" ({page['p50'] / baseline:.1f}x)" if baseline and backend != "memory" else ""
        print(f"{backend:8} {start:11.2f} {peak:>9} {page['p50']:7.1f}/{page['p95']:<7.1f}"
              f"  {data['p50']:7.1f}/{data['p95']:<7.1f}  "
              + "  ".join(f"{r['queries'][q]['ms']:.1f}" for q in QUERIES) + ratio)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--backends", nargs="+", default=["memory", "ondisk", "remote"],
                        choices=["memory", "ondisk", "remote"])
    parser.add_argument("--pages", type=int, default=200, help="resources requested per backend")
    parser.add_argument("--remote-pages", type=int, default=20,
                        help="resources requested from the remote backend (each costs queries)")
    parser.add_argument("--validate-up-to", type=int, default=100_000,
                        help="measure validation for sizes up to this many statements")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--validate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        backend, folder, work, pages = args.child
        print(json.dumps(child(backend, Path(folder), Path(work), int(pages))))
        return
    if args.validate:
        print(json.dumps(validation_child(Path(args.validate))))
        return
    everything = []
    with tempfile.TemporaryDirectory(prefix="ldpub-bench-") as root:
        for size in args.sizes:
            results = measure(size, args.backends, args.pages, args.validate_up_to, Path(root),
                              args.remote_pages)
            report(results)
            everything.append(results)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1) + "\n")


if __name__ == "__main__":
    main()
