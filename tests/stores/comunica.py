"""An independent SPARQL 1.1 server for the tests: Comunica over one N-Quads file.

``@comunica/query-sparql-file`` (npm, a devDependency in ``package.json``, installed by
``.ci/run``) serves a SPARQL endpoint over a local file; it is started on 127.0.0.1 on a
free port and stopped by the tests that start it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from server.settings import REPOSITORY

COMUNICA = REPOSITORY / "node_modules" / ".bin" / "comunica-sparql-file-http"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SparqlServer:
    """An independent SPARQL 1.1 server (Comunica) over one N-Quads file."""

    process: subprocess.Popen
    url: str
    log: Path

    @classmethod
    def start(cls, data: Path, log: Path, port: int | None = None,
              timeout: float = 60) -> SparqlServer:
        port = port or free_port()
        with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [str(COMUNICA), str(data), "-p", str(port), "--unionDefaultGraph", "-t", "30"],
                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        server = cls(process, f"http://127.0.0.1:{port}/sparql", log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the SPARQL server exited:\n{log.read_text()}")
            try:
                answer = requests.post(server.url, data={"query": "ASK { ?s ?p ?o }"},
                                       headers={"Accept": "application/sparql-results+json"},
                                       timeout=5)
                if answer.ok:
                    return server
            except requests.RequestException:
                pass
            time.sleep(0.3)
        server.stop()
        raise RuntimeError(f"the SPARQL server did not answer in {timeout} s:\n{log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def comunica_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (apt-get install nodejs)"
    if not COMUNICA.exists():
        return f"{COMUNICA} is absent: run `npm install` at the repository root"
    return None
