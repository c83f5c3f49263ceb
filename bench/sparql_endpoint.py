"""The SPARQL endpoint against the Oxigraph server and rdflib-endpoint, over HTTP, in one run.

For each dataset (the repository's own, and one of about a million statements made by
``bench/generate.py`` in the repository's shape), the servers are started on 127.0.0.1
with the same quads: ours as in production (``ldpub``'s gunicorn server, two workers,
the default graph the merge of the named graphs as the loader writes it), optionally
ours again from an earlier checkout (``--baseline DIR``: a baseline in the same run),
the Oxigraph server (``oxigraph serve``, from the ``oxigraph`` package, over an
in-memory store like ours, fed the same quads and the same default graph through its
HTTP store once it is up: the engine under ours, without us) and rdflib-endpoint as its
command starts it (``rdflib-endpoint serve FILE.nq``), the Python peer.

First each query is timed alone on each server (two trivial ones, then the example
queries, ``queries/*.rq``), with ours as a fraction of each other server's rate; a
server that gave up on a query is started afresh, so that no abandoned query slows the
next runs. Then the goals of #17, by 16 clients against the Oxigraph server: the
trivial queries (ours at least 1/3 of its rate; sent by ``wrk`` when it is installed,
since a Python client cannot send them as fast as the Oxigraph server answers) and the
example queries both answer, round-robin (at least 0.8); each once from ours alone, and
once through the cache the guide ships (``docs/deploy/nginx-cache.conf``, when nginx is
installed), where every text after its first is a repeat nginx answers for a second,
then revalidates. Then the example queries
round-robin by 1 and by 16 concurrent clients (keep-alive HTTP/1.1, GET ?query=) for a
fixed time each: once on every server, with the queries they all answer with 200 at the
first pass (the others are named), and once on ours and the baseline, with every query
both answer. Printed: queries per second, p50 and p99 latency of each server and their
ratios (ours / theirs for qps; theirs / ours for latency).

Every server loads one N-Quads file, staged by our loader: the repository's data with
its derived graph, the generated data without it (applying the rules to a fixpoint over a
million statements is the loader's slow part, and leaving it out changes nothing for
the comparison: all serve the same quads). Our server runs without SHACL validation
at start and with a time limit and a result limit high enough that both do the same
work; everything else is the production path.

Usage::

    pip install -e ".[bench]"
    python bench/sparql_endpoint.py                 # repository data + 1M statements
    python bench/sparql_endpoint.py --statements 100000 --seconds 5
    git worktree add --detach /tmp/main main
    python bench/sparql_endpoint.py --baseline /tmp/main   # against the code of main
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

import pyoxigraph as ox

from server.domain.examples import example_queries
from server.sparql.lexer import first_keyword

ACCEPT = {"graph": "text/turtle", "results": "application/sparql-results+json"}
REQUEST_TIMEOUT = 900.0
PREFLIGHT_LIMIT = 30.0  # a query slower than this alone is left out of the timed runs
OURS, THEIRS, ENGINE = "/sparql", "/", "/query"  # where each server answers SPARQL
OXIGRAPH = "Oxigraph server"  # the anchor of the goals (#17)
# Queries whose answer costs the engine next to nothing: what they measure is the
# server around it (HTTP, checks, handing the query to its process, the answer's bytes).
TRIVIAL = {"ASK {}": "ASK {}", "one triple": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
GOALS = {"trivial": 1 / 3, "mix": 0.8}  # ours / the Oxigraph server's rate, at 16 clients


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def qps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, process: subprocess.Popen, log: Path,
             timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            status, _ = get(port, path, {"query": "ASK {}"}, "application/sparql-results+json")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server on {port} did not come up:\n{log.read_text()[-3000:]}")


def get(port: int, path: str, params: dict, accept: str,
        conn: http.client.HTTPConnection | None = None,
        timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", f"{path}?{urlencode(params)}", headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def timed(port: int, path: str, text: str) -> tuple[int, float]:
    """Status and seconds of one query; status 0 past ``PREFLIGHT_LIMIT``."""
    started = time.perf_counter()
    try:
        status, _ = get(port, path, {"query": text}, accept_for(text), timeout=PREFLIGHT_LIMIT)
    except TimeoutError:
        return 0, PREFLIGHT_LIMIT
    return status, time.perf_counter() - started


def accept_for(text: str) -> str:
    return ACCEPT["graph" if first_keyword(text) in ("CONSTRUCT", "DESCRIBE") else "results"]


def load(port: int, path: str, queries: list[str], clients: int, seconds: float) -> Figures:
    """Send the queries round-robin from ``clients`` threads for about ``seconds``."""
    latencies: list[float] = []
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        index = offset
        while time.monotonic() < stop_at:
            text = queries[index % len(queries)]
            index += 1
            started = time.perf_counter()
            try:
                status, _ = get(port, path, {"query": text}, accept_for(text), conn)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                status = 0
            took = time.perf_counter() - started
            with lock:
                counts["requests"] += 1
                if status == 200:
                    latencies.append(took)
                else:
                    counts["errors"] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Figures(counts["requests"], counts["errors"], time.monotonic() - started,
                   tuple(latencies))


def serve_ours(nquads: Path, port: int) -> None:
    """In a subprocess: our app on gunicorn, over exactly the quads rdflib-endpoint gets."""
    from server import create_app
    from server.domain.iris import graph_iri
    from server.domain.loading import Snapshot, Staged
    from server.domain.namespaces import prefixes_for
    from server.runtime.wsgi import GunicornServer
    from server.store.embedded import EmbeddedStore, merge_default_graph

    base = "https://w3id.org/grand-paris-russia/"
    config = {"query_timeout": str(REQUEST_TIMEOUT), "result_limit": "10000000",
              "log_level": "WARNING", "queries_dir": str(REPOSITORY / "queries"),
              "data_dir": str(REPOSITORY / "data"), "ontology_dir": str(REPOSITORY / "ontology"),
              "shapes_dir": str(REPOSITORY / "shapes"), "base_iri": base}
    oxigraph = ox.Store()
    oxigraph.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    merge_default_graph(oxigraph)  # as the loader does
    store = EmbeddedStore(oxigraph)
    graphs = tuple(store.graphs())
    staged = Staged(store=oxigraph, files=(), data_graphs=graphs,
                    derived_graph=graph_iri(base, "derived"), ontology_graph=f"{base}ontology",
                    shapes_graph=f"{base}shapes", prefixes=prefixes_for({}),
                    version=f"bench-{nquads.stat().st_size}", graph_files={})
    snapshot = Snapshot(store, staged.version, datetime.now(UTC), None, staged, store.stats())
    app = create_app(config, snapshot=snapshot)
    GunicornServer(app, {"bind": f"127.0.0.1:{port}", "workers": 2, "threads": 4,
                         "timeout": int(REQUEST_TIMEOUT) + 60, "accesslog": None,
                         "loglevel": "warning"}).run()


def dump_nquads(folder: Path, target: Path, derive: bool) -> int:
    """The dataset as the loader stages it (rules applied if ``derive``), as N-Quads."""
    from server.domain.loading import stage
    from server.settings import Settings

    data = folder / "data"
    if not derive:  # the rules' fixpoint is the loader's slow part at a million statements
        data = target.parent / f"{target.stem}-data"
        shutil.copytree(folder / "data", data, ignore=shutil.ignore_patterns("rules"))
    config = {"data_dir": str(data), "ontology_dir": str(folder / "ontology"),
              "shapes_dir": str(folder / "shapes")}
    staged = stage(Settings.load(config, environ={}))
    quads = list(staged.store.quads_for_pattern(None, None, None, None))
    target.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return len(quads)


def start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass(frozen=True)
class Server:
    label: str
    command: list[str]  # the port follows, as ``--port N``, or as ``--bind`` asks (below)
    path: str
    port: int
    bind: bool = False  # the port is given as ``--bind 127.0.0.1:N`` (the Oxigraph server)
    feed: Path | None = None  # N-Quads to POST to its ``/store`` once it is up


def servers(nquads: Path, baseline: Path | None, work: Path) -> list[Server]:
    """Ours; ours as the ``baseline`` checkout serves (if any); the Oxigraph server;
    rdflib-endpoint. Ours first."""
    found = [Server("ldpub", [sys.executable, __file__, "--serve", str(nquads)], OURS, free_port())]
    if baseline is not None:
        script = baseline / "bench" / "sparql_endpoint.py"  # puts its own checkout first
        found.append(Server(f"ldpub {baseline.name}", [sys.executable, str(script), "--serve",
                                                       str(nquads)], OURS, free_port()))
    found.append(Server(OXIGRAPH, [shutil.which("oxigraph") or "oxigraph", "serve"],
                        ENGINE, free_port(), bind=True, feed=oxigraph_feed(nquads, work)))
    found.append(Server("rdflib-endpoint", [shutil.which("rdflib-endpoint") or "rdflib-endpoint",
                                            "serve", str(nquads), "--host", "127.0.0.1"],
                        THEIRS, free_port()))
    return found


def oxigraph_feed(nquads: Path, work: Path) -> Path:
    """The quads with their merge as the default graph, as ours serves them (the Oxigraph
    server's own default graph is empty, its union a bag): what the anchor is fed."""
    from server.store.embedded import merge_default_graph

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    merge_default_graph(store)
    target = work / f"{nquads.stem}-oxigraph.nq"
    store.dump(str(target), format=ox.RdfFormat.N_QUADS)
    return target


def ready(server: Server, process: subprocess.Popen, log: Path) -> None:
    """Wait until ``server`` answers, then feed it its quads if it needs them (an
    in-memory server started afresh starts empty)."""
    wait_for(server.port, server.path, process, log)
    if server.feed is None:
        return
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    try:
        with server.feed.open("rb") as body:
            conn.request("POST", "/store", body=body,
                         headers={"Content-Type": "application/n-quads",
                                  "Content-Length": str(server.feed.stat().st_size)})
            response = conn.getresponse()
            response.read()
    finally:
        conn.close()
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"{server.label} refused its quads: {response.status}")


def launch(server: Server, log: Path) -> subprocess.Popen:
    address = (["--bind", f"127.0.0.1:{server.port}"] if server.bind
               else ["--port", str(server.port)])
    return start([*server.command, *address], log)


def measure(name: str, folder: Path, queries: dict[str, str], seconds: float,
            work: Path, derive: bool, baseline: Path | None = None) -> list[str]:
    nquads = work / f"{name.split(',')[0].replace(' ', '-')}.nq"
    count = dump_nquads(folder, nquads, derive)
    started = servers(nquads, baseline, work)
    logs = [work / f"{name}-{i}.log" for i in range(len(started))]
    processes = [launch(server, log) for server, log in zip(started, logs)]
    anchor = next(server for server in started if server.label == OXIGRAPH)
    answered: dict[str, list[str]] = {"all": [], "ldpub": []}  # by every server; by ours
    lines = [(f"\n## {name}: {count} quads{'' if derive else ' (no derived graph)'}, "
              f"{len(queries)} example queries\n")]
    try:
        loading = time.monotonic()
        for server, process, log in zip(started, processes, logs):
            ready(server, process, log)
        lines.append(f"(servers up after {time.monotonic() - loading:.0f} s)\n")
        left = []
        labels = " | ".join(server.label for server in started)
        lines.append(f"one at a time (ms; over {PREFLIGHT_LIMIT:g} s: left out of the runs), "
                     f"and ours as a fraction of each one's rate:\n\n"
                     f"| query | {labels} | "
                     f"{' | '.join(f'ldpub / {s.label}' for s in started[1:])} |\n"
                     f"|---|{'---|' * (2 * len(started) - 1)}\n")
        stalled: set[int] = set()  # servers that may still evaluate a query given up on
        for query_name, text in {**TRIVIAL, **queries}.items():
            outcomes = [timed(server.port, server.path, text) for server in started]
            stalled |= {n for n, (status, _) in enumerate(outcomes) if status == 0}
            if query_name not in TRIVIAL:
                if all(status == 200 for status, _ in outcomes):
                    answered["all"].append(text)
                else:
                    left.append(query_name)
                if all(status == 200 for status, _ in outcomes[:-1]):
                    answered["ldpub"].append(text)
            shown = [f"{took * 1000:.1f}" if status == 200 else f"{status or 'timeout'}"
                     for status, took in outcomes]
            ratios = [f"{took / outcomes[0][1]:.2f}" if status == 200 == outcomes[0][0] else "-"
                      for status, took in outcomes[1:]]
            lines.append(f"| {query_name} | {' | '.join(shown)} | {' | '.join(ratios)} |\n")
        if left:
            lines.append(f"\nleft out of the runs with every server: {', '.join(left)}\n")
        for n in sorted(stalled):
            # an engine goes on evaluating a query its client gave up on: start it afresh,
            # so that no abandoned query takes CPU from the timed runs
            again = logs[n].with_suffix(".again.log")
            stop(processes[n])
            processes[n] = launch(started[n], again)
            ready(started[n], processes[n], again)
        with behind_the_cache(started[0]) as cached:
            lines.extend(goal_runs(started[0], anchor, answered["ldpub"], seconds, cached))
        mixes = [(started, answered["all"])]
        if baseline is not None:  # ours against the baseline, on every query both answer
            mixes.append((started[:2], answered["ldpub"]))
        for compared, texts in mixes:
            lines.extend(runs(compared, texts, seconds))
    finally:
        for process in processes:
            stop(process)
    return lines


def goal_runs(ours: Server, anchor: Server, mix: list[str], seconds: float,
              cached: Server | None = None) -> list[str]:
    """The goals of #17, by 16 clients: the trivial queries, and the example queries
    that both answer, round-robin; ours as a fraction of the Oxigraph server's rate.
    With ``cached`` (ours behind the guide's nginx cache), each run again through it:
    the same texts repeated, so after the first pass nginx answers them."""
    lines = [f"\ngoals, by 16 clients for {seconds:g} s each (ldpub / {anchor.label}):\n\n",
             ("| run | ldpub | ldpub qps | anchor qps | ratio | goal | |\n"
              "|---|---|---|---|---|---|---|\n")]
    kinds = [*((name, "trivial", [text]) for name, text in TRIVIAL.items()),
             (f"{len(mix)} example queries", "mix", mix)]
    for name, kind, texts in kinds:
        if not texts:
            continue
        theirs = rate(anchor, texts, seconds)
        for label, server in (("alone", ours), ("behind the guide's cache", cached)):
            if server is None:
                continue
            mine = rate(server, texts, seconds)
            ratio = mine / max(theirs, 1e-9)
            lines.append(f"| {name} | {label} | {mine:.0f} | {theirs:.0f} | "
                         f"{ratio:.2f} | >= {GOALS[kind]:.2f} | "
                         f"{'met' if ratio >= GOALS[kind] else 'NOT met'} |\n")
    return lines


def rate(server: Server, texts: list[str], seconds: float) -> float:
    """Queries per second answered 200 by 16 clients sending ``texts`` round-robin."""
    if len(texts) == 1 and shutil.which("wrk"):  # a client fast enough not to be the limit
        return wrk_qps(server.port, server.path, texts[0], seconds)
    return load(server.port, server.path, texts, 16, seconds).qps


@contextmanager
def behind_the_cache(ours: Server) -> Iterator[Server | None]:
    """Ours behind nginx with the guide's cache (``docs/deploy/nginx-cache.conf``), as
    ``bench/http_pages.py`` runs it; None when nginx is not installed."""
    from bench.http_pages import NGINX, free_pair, nginx_root, start_nginx
    from bench.http_pages import stop as stop_nginx

    if not Path(NGINX).exists():
        yield None
        return
    root = nginx_root("ldpub-bench-nginx-")
    port = free_pair()
    nginx = start_nginx(root, port, ours.port)
    try:
        cached = Server("ldpub behind the guide's cache", [], OURS, port + 1)
        wait_for(cached.port, cached.path, nginx, root / "error.log")
        yield cached
    finally:
        stop_nginx(nginx)
        shutil.rmtree(root, ignore_errors=True)


def wrk_qps(port: int, path: str, text: str, seconds: float) -> float:
    """Queries per second answered 200 to one query by ``wrk`` (keep-alive, 16 connections)."""
    url = f"http://127.0.0.1:{port}{path}?{urlencode({'query': text})}"
    output = subprocess.run(["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "-H",
                             f"Accept: {accept_for(text)}", url],
                            capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", output).group(1))
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    elapsed = re.search(r"requests in ([\d.]+)(\w+),", output)
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}[elapsed.group(2)]
    return (total - int(failed.group(1) if failed else 0)) / (float(elapsed.group(1)) * scale)


def runs(compared: list[Server], texts: list[str], seconds: float) -> list[str]:
    """The queries round-robin on each server, by 1 and by 16 clients; ours first."""
    lines = [(f"\nruns of {seconds:g} s, {', '.join(s.label for s in compared)}: "
              f"the {len(texts)} queries they all answer, round-robin:\n\n"),
             "| clients | server | qps | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n"]
    ratios = []
    for clients in (1, 16):
        figures = [load(server.port, server.path, texts, clients, seconds) for server in compared]
        for server, measured in zip(compared, figures):
            lines.append(f"| {clients} | {server.label} | {measured.qps:.1f} | "
                         f"{measured.percentile(50) * 1000:.1f} | "
                         f"{measured.percentile(99) * 1000:.1f} | {measured.errors} |\n")
        mine = figures[0]
        for server, other in zip(compared[1:], figures[1:]):
            ratios.append(
                f"c={clients} vs {server.label}: throughput x{mine.qps / max(other.qps, 1e-9):.2f}, "
                f"p50 x{other.percentile(50) / mine.percentile(50):.2f} lower, "
                f"p99 x{other.percentile(99) / mine.percentile(99):.2f} lower")
    lines.append("\nratios (ldpub against each): " + "; ".join(ratios) + "\n")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000,
                        help="size of the generated dataset (0: repository data only)")
    parser.add_argument("--seconds", type=float, default=15.0, help="per server and concurrency")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of an earlier version (git worktree add DIR main), "
                             "served too, as a baseline in the same run")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_ours(args.serve, args.port)
        return
    queries = {q.name: q.text for q in example_queries(REPOSITORY / "queries")}
    if not queries:
        raise SystemExit("no example queries in queries/")
    with tempfile.TemporaryDirectory(prefix="ldpub-bench-") as tmp:
        work = Path(tmp)
        report = measure("repository data", REPOSITORY, queries, args.seconds, work, True,
                         args.baseline)
        print("".join(report), flush=True)
        if args.statements:
            from bench.generate import generate

            generated = generate(args.statements, work / "generated")
            report = measure(f"generated, {generated.statements} source statements",
                             generated.folder, queries, args.seconds, work, False, args.baseline)
            print("".join(report), flush=True)


if __name__ == "__main__":
    main()
