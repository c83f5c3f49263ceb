"""Resource pages and descriptions over HTTP, against nginx serving the same bytes.

The production server (``ldpub serve``: gunicorn, the data loaded once before the
workers fork) and nginx (Debian's, started here on 127.0.0.1 with its own temporary
configuration) run in the same session. The bytes our server answers for an HTML page
and for a Turtle description are written to nginx's root as static files, so both serve
exactly the same bodies. ``wrk`` (Debian's) then requests each target with keep-alive
HTTP/1.1 by 1 and by 16 concurrent connections for a fixed time, after a warm-up. The
table gives requests per second and p50/p99 latency, and our throughput as a fraction
of nginx's (the static-file ceiling). The target (#17): a repeated page or description
at least 1/5 of the ceiling at concurrency 16, with p99 under 50 ms. The floor is
gunicorn around an application that only returns the bytes: what ``ldpub serve``'s
server allows at best. The deployment the guide ships for it (``docs/deploy/nginx-cache.conf``:
nginx's cache in front of ``ldpub serve``, answers kept a second, then revalidated by
ETag) runs too, on its own port. When granian is installed (``pip install -e ".[bench]"``),
our application also runs under it, as a candidate to replace gunicorn.

Usage::

    python bench/http_pages.py [--duration 10] [--workers 2] [--threads 4]
        [--page /page/person/andrei-tchibis] [--data /data/person/andrei-tchibis.ttl]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GOAL = 1 / 5  # a page's rate at 16 connections, as a share of nginx's on the same bytes (#17)
NGINX_CONF = """
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    types {{ text/html html; text/turtle ttl; }}
    charset utf-8;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
    }}
    include {root}/ldpub-cache.conf;
}}
"""


@dataclass(frozen=True)
class Run:
    target: str
    server: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def nginx_root(prefix: str) -> Path:
    """A fresh folder with its ``www/``, open to nginx's workers (another user), which
    read the files and write the cache there."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(root, 0o755)
    (root / "www").mkdir(mode=0o755)
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_pair() -> int:
    """A free port whose next one is free too (nginx's two servers)."""
    while True:
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early (status {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def fetch(url: str, accept: str) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept})) as answer:
        return answer.read()


def wrk(url: str, connections: int, seconds: int, accept: str) -> tuple[float, float, float, int]:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-H", f"Accept: {accept}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def start_nginx(root: Path, port: int, cached_upstream: int) -> subprocess.Popen:
    """nginx serving the static files on ``port``, and the guide's cache in front of
    ``ldpub serve`` (on ``cached_upstream``) on ``port + 1``."""
    if not Path(NGINX).exists():
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    cache = (REPOSITORY / "docs" / "deploy" / "nginx-cache.conf").read_text()
    for old, new in (("/var/cache/nginx/ldpub", str(root / "cache")),
                     ("127.0.0.1:8080", f"127.0.0.1:{cached_upstream}"),
                     ("listen 80;", f"listen 127.0.0.1:{port + 1};")):
        cache = cache.replace(old, new)
    (root / "ldpub-cache.conf").write_text(cache)
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
    return subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


FLOOR_APP = """
import pathlib
BODIES = {{"/" + p.name: p.read_bytes() for p in pathlib.Path({www!r}).iterdir()}}
def app(environ, start_response):
    body = BODIES[environ["PATH_INFO"]]
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]
"""


def start_floor(root: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn as ``ldpub serve`` runs it, around an app that only returns the bytes."""
    (root / "floor_app.py").write_text(FLOOR_APP.format(www=str(root / "www")))
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
               str(workers), "--threads", str(threads), "--access-logfile", "-",
               "--chdir", str(root), "floor_app:app"]
    return subprocess.Popen(command, stdout=(root / "floor.log").open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def start_ldpub(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    # its own address as the public URL, as the guide asks behind the cache: the same
    # bytes whichever way they are asked for
    command = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads), "--log-level", "WARNING",
               "--public-url", f"http://127.0.0.1:{port}/"]
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.Popen(command, cwd=REPOSITORY, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def start_granian(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen | None:
    """Our application under granian (an HTTP server in Rust, with WSGI workers), as a
    candidate for ``ldpub serve``'s server; None when granian is not installed. Each
    worker builds the application itself (granian has no preloading master)."""
    if importlib.util.find_spec("granian") is None:
        return None
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory",
               "--workers", str(workers), "--blocking-threads", str(threads), "--host",
               "127.0.0.1", "--port", str(port), "--no-ws", "--log-level", "warning",
               "server.web.app:create_app"]
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "LDPUB_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(command, cwd=REPOSITORY, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--page", default="/page/person/andrei-tchibis")
    parser.add_argument("--data", default="/data/person/andrei-tchibis.ttl")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    root = nginx_root("ldpub-bench-")
    ours_port, floor_port, granian_port = (free_port() for _ in range(3))
    nginx_port = free_pair()
    ours = start_ldpub(ours_port, options.workers, options.threads, root / "ldpub.log")
    granian = start_granian(granian_port, options.workers, options.threads,
                            root / "granian.log")
    nginx = floor = None
    try:
        base = f"http://127.0.0.1:{ours_port}"
        wait_for(base + "/healthz", ours)
        targets = {  # name: (our path, static file name, Accept)
            "HTML page": (options.page, "page.html", "text/html"),
            "Turtle description": (options.data, "description.ttl", "text/turtle"),
        }
        for path, name, accept in targets.values():
            body = fetch(base + path, accept)
            (root / "www" / name).write_bytes(body)
            os.chmod(root / "www" / name, 0o644)
        nginx = start_nginx(root, nginx_port, ours_port)
        static, cached = f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{nginx_port + 1}"
        wait_for(static + "/page.html", nginx)
        floor = start_floor(root, floor_port, options.workers, options.threads)
        bare = f"http://127.0.0.1:{floor_port}"
        wait_for(bare + "/page.html", floor)
        candidate = f"http://127.0.0.1:{granian_port}"
        if granian is not None:
            wait_for(candidate + "/healthz", granian)
        for path, name, accept in targets.values():
            assert fetch(static + "/" + name, "*/*") == (root / "www" / name).read_bytes()
            assert fetch(bare + "/" + name, "*/*") == (root / "www" / name).read_bytes()
            assert fetch(cached + path, accept) == (root / "www" / name).read_bytes()
            if granian is not None:  # the same page, but for the port its links name
                answered = fetch(candidate + path, accept)
                assert answered.replace(str(granian_port).encode(), str(ours_port).encode()) \
                    == (root / "www" / name).read_bytes()

        runs: list[Run] = []
        for target, (path, name, accept) in targets.items():
            servers = [("ldpub", base + path), ("ldpub behind nginx's cache", cached + path),
                       ("gunicorn floor", f"{bare}/{name}"), ("nginx", f"{static}/{name}")]
            if granian is not None:
                servers.insert(1, ("ldpub on granian", candidate + path))
            for server, url in servers:
                wrk(url, 16, 2, accept)  # warm up: every worker renders once, then replays
                for connections in (1, 16):
                    rps, p50, p99, errors = wrk(url, connections, options.duration, accept)
                    runs.append(Run(target, server, connections, rps, p50, p99, errors))
        report(runs, options)
    finally:
        stop(ours)
        for process in (nginx, floor, granian):
            if process is not None:
                stop(process)
        shutil.rmtree(root, ignore_errors=True)


def report(runs: list[Run], options) -> None:
    static = {(r.target, r.connections): r for r in runs if r.server == "nginx"}
    print(f"\nldpub serve ({options.workers} workers x {options.threads} threads) vs nginx "
          f"(static file, same bytes); wrk, keep-alive, {options.duration} s per row\n")
    print("| target | server | connections | req/s | p50 ms | p99 ms | share of nginx req/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for run in runs:
        ceiling = static[(run.target, run.connections)]
        share = run.rps / ceiling.rps if ceiling.rps else 0.0
        print(f"| {run.target} | {run.server} | {run.connections} | {run.rps:,.0f} | "
              f"{run.p50_ms:.2f} | {run.p99_ms:.2f} | "
              f"{'1' if run.server == 'nginx' else '1/' + format(1 / share, '.1f')} |")
    print()
    for run in runs:
        if run.server.startswith("ldpub") and run.connections == 16:
            share = run.rps / static[(run.target, 16)].rps
            verdict = "meets" if share >= GOAL and run.p99_ms < 50 else "MISSES"
            print(f"{run.target}, {run.server}, 16 connections: {share:.3f} of nginx "
                  f"(target >= {GOAL}), p99 {run.p99_ms:.1f} ms (target < 50): {verdict} the target"
                  + (f"; {run.errors} non-2xx answers" if run.errors else ""))


if __name__ == "__main__":
    main()
