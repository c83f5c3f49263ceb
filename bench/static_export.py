"""The static export behind nginx against the live server, in one run, same client.

``ldpub export`` writes the repository's site (or the dataset given) with its nginx
rules; Debian's nginx serves it on 127.0.0.1 with those rules (negotiation by ``map``),
while ``ldpub serve`` (gunicorn) serves the same data at the same public URL. ``wrk``
(Debian's) then asks both for the same resource page (``Accept: text/html``) and the same
description negotiated at ``/data/…`` (``Accept: text/turtle``), keep-alive, by 16
connections, after a warm-up. Printed: the export's time and size, requests per second
and p99 latency of each, and the export's throughput as a multiple of the live server's.

Usage::

    python bench/static_export.py [--duration 10] [--workers 2] [--threads 4]
        [--page /page/person/andrei-tchibis] [--data /data/person/andrei-tchibis]
        [-- ldpub setting options, e.g. --data-dir DIR --store oxigraph:DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from tests.conftest import load_module

pages = load_module("ldpub_bench_http_pages", REPOSITORY / "bench" / "http_pages.py")
served = load_module("ldpub_static_servers", REPOSITORY / "tests" / "static" / "conftest.py")



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--page", default="/page/person/andrei-tchibis")
    parser.add_argument("--data", default="/data/person/andrei-tchibis")
    parser.add_argument("settings", nargs="*", help="ldpub setting options, after --")
    options = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("nginx"):
        raise SystemExit("wrk and nginx are needed (apt-get install wrk nginx-light)")

    tmp = Path(tempfile.mkdtemp(prefix="ldpub-bench-export-"))
    nginx_port, live_port = pages.free_port(), pages.free_port()
    public = f"http://127.0.0.1:{nginx_port}/"
    ldpub = [sys.executable, "-m", "server"]
    started = time.monotonic()
    subprocess.run([*ldpub, "export", str(tmp / "out"), f"--public-url={public}",
                    "--log-level=WARNING", *options.settings], check=True)
    export_seconds = time.monotonic() - started
    files = [p for p in (tmp / "out" / "site").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)

    nginx = served.start_nginx(tmp / "out", "127.0.0.1", nginx_port, tmp)
    live = subprocess.Popen([*ldpub, "serve", "--port", str(live_port), "--workers",
                             str(options.workers), "--threads", str(options.threads),
                             "--no-access-log", f"--public-url={public}",
                             "--log-level=WARNING", *options.settings],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        static, base = public.rstrip("/"), f"http://127.0.0.1:{live_port}"
        pages.wait_for(base + "/healthz", live)
        targets = {"HTML page": (options.page, "text/html"),
                   "Turtle description": (options.data, "text/turtle")}
        rows = []
        for target, (path, accept) in targets.items():
            same = pages.fetch(static + path, accept) == pages.fetch(base + path, accept)
            for server, url in (("ldpub serve", base + path), ("nginx + export", static + path)):
                pages.wrk(url, options.connections, 2, accept)  # warm up
                rps, p50, p99, errors = pages.wrk(url, options.connections, options.duration,
                                                  accept)
                rows.append((target, server, rps, p50, p99, errors, same))
    finally:
        pages.stop(live)
        pages.stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nexport: {len(files)} files, {size / 1e6:.1f} MB in {export_seconds:.1f} s\n")
    print(f"wrk, keep-alive, {options.connections} connections, {options.duration} s per row; "
          f"ldpub serve: {options.workers} workers x {options.threads} threads\n")
    print("| target | server | req/s | p50 ms | p99 ms | errors | same bytes | x live |")
    print("|---|---|---:|---:|---:|---:|---|---:|")
    live_rps = {target: rps for target, server, rps, *_ in rows if server == "ldpub serve"}
    for target, server, rps, p50, p99, errors, same in rows:
        print(f"| {target} | {server} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {errors} | "
              f"{'yes' if same else 'NO'} | {rps / live_rps[target]:.1f} |")


if __name__ == "__main__":
    main()
