"""An independent SPARQL 1.1 server for the tests: Comunica over one N-Quads file.

``@comunica/query-sparql-file`` (npm, a devDependency in ``package.json``, installed by
``.ci/run``) serves a SPARQL endpoint over a local file; it is started on 127.0.0.1 on a
free port and stopped by the tests that start it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from server.runtime.settings import REPOSITORY

COMUNICA = REPOSITORY / "node_modules" / ".bin" / "comunica-sparql-file-http"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Comunica 4 shuts its worker down ``-t`` seconds after any query that fails (a 400:
# it never reports such a query as finished), then refuses connections while a new
# worker loads the file. The tests send failing queries on purpose, so the limit is set
# beyond any test run; the tests' own client timeouts bound every request.
WORKER_TIMEOUT_SECONDS = 24 * 3600
RESTARTED = re.compile(r"^Worker \d+ (?:died|timed out|forcefully killed)", re.MULTILINE)


@dataclass
class SparqlServer:
    """An independent SPARQL 1.1 server (Comunica) over one N-Quads file.

    Its default graph is the file's: ``ldpub dump --with-default-graph`` writes there the
    merge of the named graphs, a set, where Comunica's ``--unionDefaultGraph`` is a bag.
    """

    process: subprocess.Popen
    url: str
    log: Path
    data: Path

    @classmethod
    def start(cls, data: Path, log: Path, port: int | None = None,
              timeout: float = 180) -> SparqlServer:
        port = port or free_port()
        with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [str(COMUNICA), str(data), "-p", str(port), "-t", str(WORKER_TIMEOUT_SECONDS)],
                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        server = cls(process, f"http://127.0.0.1:{port}/sparql", log, data)
        try:
            server.wait_until_healthy(timeout)
        except RuntimeError:
            server.stop()
            raise
        return server

    def healthy(self) -> bool:
        """Running, its first worker never replaced, and it answers from the whole file."""
        if self.process.poll() is not None or RESTARTED.search(self.log.read_text()):
            return False
        try:
            answer = requests.post(self.url, data={"query": "ASK { ?s ?p ?o }"},
                                   headers={"Accept": "application/sparql-results+json"},
                                   timeout=10)
            return answer.ok and answer.json().get("boolean") is True
        except (requests.RequestException, ValueError):
            return False

    def wait_until_healthy(self, timeout: float = 180) -> None:
        """Wait, however loaded the machine, for the data to be loaded and answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy():
                return
            if self.process.poll() is not None or RESTARTED.search(self.log.read_text()):
                break
            time.sleep(0.3)
        raise RuntimeError(f"the SPARQL server is not healthy:\n{self.log.read_text()}")

    def made_healthy(self) -> SparqlServer:
        """This server once it answers, or, if it cannot, a fresh one over the same data."""
        try:
            self.wait_until_healthy(timeout=60)
            return self
        except RuntimeError:
            self.stop()
            restarts = len(list(self.log.parent.glob(f"{self.log.stem}*")))
            return SparqlServer.start(self.data, self.log.with_name(
                f"{self.log.stem}-{restarts}{self.log.suffix}"))

    def stop(self) -> None:
        """Stop the server and its workers (its own process group)."""
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def comunica_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (apt-get install nodejs npm, then npm ci)"
    if not COMUNICA.exists():
        return f"{COMUNICA} is absent: run `npm ci` at the repository root"
    return None
