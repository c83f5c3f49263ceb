"""Independent SPARQL 1.1 servers for the tests, started on 127.0.0.1 over one N-Quads file:
Comunica (npm ``@comunica/query-sparql-file``, a devDependency) and the Oxigraph server
(``oxigraph``, a test dependency), both installed by ``.ci/run``.

Each engine is a class with how to start it and what it lacks on this machine; what they
share (waiting until healthy, replacing one that is not, stopping its process group) is
here. The file's default graph is the merge of the named graphs (``ldpub dump
--with-default-graph``), so every engine answers over the same set.
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
from typing import ClassVar

import requests

from server.settings import REPOSITORY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class EngineServer:
    """One running engine: its process (a group of its own), endpoint URL, log and data."""

    process: subprocess.Popen
    url: str
    log: Path
    data: Path

    name: ClassVar[str] = ""

    @classmethod
    def missing(cls) -> str | None:
        """Why this engine cannot run here, or None."""
        raise NotImplementedError

    @classmethod
    def launch(cls, data: Path, port: int, folder: Path) -> tuple[list[str], str]:
        """The command line that serves ``data`` on ``port``, and its endpoint URL."""
        raise NotImplementedError

    @classmethod
    def start(cls, data: Path, log: Path, port: int | None = None,
              timeout: float = 180) -> EngineServer:
        port = port or free_port()
        folder = log.parent / f"{log.stem}-store"
        command, url = cls.launch(data, port, folder)
        with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        server = cls(process, url, log, data)
        try:
            server.wait_until_healthy(timeout)
        except RuntimeError:
            server.stop()
            raise
        return server

    def broken(self) -> bool:
        """Exited, or (for an engine that restarts its workers) restarted since it began."""
        return self.process.poll() is not None

    def healthy(self) -> bool:
        """Running, and answering from the whole file."""
        if self.broken():
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
            if self.broken():
                break
            time.sleep(0.3)
        raise RuntimeError(f"the SPARQL server ({self.name}) is not healthy:\n"
                           f"{self.log.read_text()}")

    def made_healthy(self) -> EngineServer:
        """This server once it answers, or, if it cannot, a fresh one over the same data."""
        try:
            self.wait_until_healthy(timeout=60)
            return self
        except RuntimeError:
            self.stop()
            restarts = len(list(self.log.parent.glob(f"{self.log.stem}*")))
            return type(self).start(self.data, self.log.with_name(
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


COMUNICA = REPOSITORY / "node_modules" / ".bin" / "comunica-sparql-file-http"

# Comunica 4 shuts its worker down ``-t`` seconds after any query that fails (a 400:
# it never reports such a query as finished), then refuses connections while a new
# worker loads the file. The tests send failing queries on purpose, so the limit is set
# beyond any test run; the tests' own client timeouts bound every request.
WORKER_TIMEOUT_SECONDS = 24 * 3600
RESTARTED = re.compile(r"^Worker \d+ (?:died|timed out|forcefully killed)", re.MULTILINE)


class Comunica(EngineServer):
    """Comunica over one N-Quads file. Its default graph is the file's: ``ldpub dump
    --with-default-graph`` writes there the merge of the named graphs, a set, where
    Comunica's ``--unionDefaultGraph`` is a bag."""

    name = "comunica"

    @classmethod
    def missing(cls) -> str | None:
        if shutil.which("node") is None:
            return "Node.js is not installed (apt-get install nodejs npm, then npm ci)"
        if not COMUNICA.exists():
            return f"{COMUNICA} is absent: run `npm ci` at the repository root"
        return None

    @classmethod
    def launch(cls, data: Path, port: int, folder: Path) -> tuple[list[str], str]:
        return ([str(COMUNICA), str(data), "-p", str(port), "-t", str(WORKER_TIMEOUT_SECONDS)],
                f"http://127.0.0.1:{port}/sparql")

    def broken(self) -> bool:
        """Exited, or its first worker replaced (it then serves from a reloading file)."""
        return super().broken() or bool(RESTARTED.search(self.log.read_text()))


class OxigraphServer(EngineServer):
    """The Oxigraph server (``oxigraph`` from PyPI, a test dependency): the file is bulk
    loaded into an on-disk store, then served read-only, its default graph its own."""

    name = "oxigraph"

    @classmethod
    def missing(cls) -> str | None:
        if shutil.which("oxigraph") is None:
            return "the Oxigraph server is not installed (pip install -e '.[test]')"
        return None

    @classmethod
    def launch(cls, data: Path, port: int, folder: Path) -> tuple[list[str], str]:
        if folder.exists():
            shutil.rmtree(folder)
        subprocess.run(["oxigraph", "load", "--location", str(folder), "--file", str(data)],
                       check=True, capture_output=True, timeout=300)
        return (["oxigraph", "serve-read-only", "--location", str(folder),
                 "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query")


ENGINES: dict[str, type[EngineServer]] = {engine.name: engine for engine in (Comunica, OxigraphServer)}
