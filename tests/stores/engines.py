"""Independent SPARQL 1.1 servers for the tests, started on 127.0.0.1 over one N-Quads file:
Comunica (npm ``@comunica/query-sparql-file``, a devDependency), the Oxigraph server
(``oxigraph``, a test dependency) and Virtuoso (Debian ``virtuoso-opensource``), all
installed by ``.ci/run``.

Each engine is a class with how to start it, how to load it and what it lacks on this
machine; what they share (waiting until healthy, replacing one that is not, stopping its
process group) is here. The file's default graph is the merge of the named graphs
(``ldpub dump --with-default-graph``), so every engine answers over the same set.
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

import pyoxigraph as ox
import pytest
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
    # Started once per test session and reloaded with other data when asked (an engine
    # slow to start); the others are started once per test module.
    per_session: ClassVar[bool] = False

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
            server.load(timeout)
            server.wait_until_healthy(timeout)
        except RuntimeError:
            server.stop()
            raise
        return server

    def load(self, timeout: float) -> None:
        """Load ``self.data`` into the running engine (for one that does not read it itself)."""

    def serving(self, data: Path) -> EngineServer:
        """This server if it serves ``data``, or one that does."""
        if data == self.data:
            return self
        self.stop()
        return type(self).start(data, self.log.with_name(f"{data.stem}-{self.log.name}"))

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


# Virtuoso keeps every statement in a graph: the file's default graph is loaded into this
# one, which the endpoint then reads when a query names no dataset.
VIRTUOSO_DEFAULT_GRAPH = "urn:x-ldpub:default-graph"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = {folder}/load
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerRoot = {folder}
ServerThreads = 4
[SPARQL]
"""
# CaseMode 2, as in Debian's own virtuoso.ini: with the default (1), an ASK is answered
# as a one-row table (``__ASK_RETVAL``), not as a boolean. The [SPARQL] section sets no
# ResultSetMaxRows: Debian's virtuoso.ini caps every answer at 10,000 rows, silently,
# which would cut the dumps short.


class Virtuoso(EngineServer):
    """OpenLink Virtuoso 7 (Debian ``virtuoso-opensource``) with a database of its own,
    loaded by its bulk loader (``ld_dir``, ``rdf_loader_run``) over its SQL port.

    Its default graph, when a query names none, is the union of all its graphs, a bag
    that also holds its own system graphs, and ``GRAPH ?g`` ranges over all of them. So
    the file's default graph goes into a graph of its own, and the endpoint's host
    settings (``DB.DBA.SYS_SPARQL_HOST``) name it as the default graph and the file's
    named graphs as the named graphs of every query."""

    name = "virtuoso"
    per_session = True

    @classmethod
    def missing(cls) -> str | None:
        if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
            return "Virtuoso is not installed (apt-get install virtuoso-opensource)"
        return None

    @classmethod
    def launch(cls, data: Path, port: int, folder: Path) -> tuple[list[str], str]:
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "load").mkdir(parents=True)
        (folder / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(folder=folder, sql_port=free_port(), port=port))
        return (["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                f"http://127.0.0.1:{port}/sparql")

    @property
    def folder(self) -> Path:
        return self.log.parent / f"{self.log.stem}-store"

    def load(self, timeout: float) -> None:
        """Bulk-load the file, then name its graphs as the endpoint's dataset."""
        shutil.copy(self.data, self.folder / "load" / "data.nq")
        defines = " ".join(f"define input:named-graph-uri <{g}>" for g in named_graphs(self.data))
        self.sql(f"""
            ld_dir({sql_text(str(self.folder / "load"))}, 'data.nq', '{VIRTUOSO_DEFAULT_GRAPH}');
            rdf_loader_run();
            select 'NOT LOADED', ll_file, ll_error from DB.DBA.load_list where ll_error is not null;
            insert replacing DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI, SH_DEFINES)
              values ('%', '{VIRTUOSO_DEFAULT_GRAPH}', {sql_text(defines)});
            """, timeout)

    def serving(self, data: Path) -> EngineServer:
        """This server, emptied and loaded with ``data`` if it served other data."""
        if data == self.data:
            return self
        graphs = [*named_graphs(self.data), VIRTUOSO_DEFAULT_GRAPH]
        self.sql("".join(f"sparql clear graph <{g}>;\n" for g in graphs)
                 + "delete from DB.DBA.load_list;\n", timeout=60)
        self.data = data
        self.load(timeout=180)
        self.wait_until_healthy()
        return self

    def sql(self, script: str, timeout: float) -> None:
        """Run ``script`` as the database administrator, once the SQL port answers."""
        port = re.search(r"^ServerPort = 127\.0\.0\.1:(\d+)$",
                         (self.folder / "virtuoso.ini").read_text(), re.MULTILINE).group(1)
        deadline = time.monotonic() + timeout
        while True:
            done = subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", "dba", "VERBOSE=OFF",
                                   "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"], input=script,
                                  capture_output=True, text=True, timeout=timeout, check=False)
            connected = done.returncode == 0  # isql-vt exits 3 when it cannot connect
            if connected or self.broken() or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        if "*** Error" in done.stderr or "NOT LOADED" in done.stdout or not connected:
            raise RuntimeError(f"Virtuoso refused the script:\n{done.stdout}{done.stderr}")


def named_graphs(data: Path) -> list[str]:
    """The named graphs of an N-Quads file."""
    return sorted({q.graph_name.value for q in ox.parse(path=data, format=ox.RdfFormat.N_QUADS)
                   if isinstance(q.graph_name, ox.NamedNode)})


def sql_text(text: str) -> str:
    """``text`` as a Virtuoso SQL string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


ENGINES: dict[str, type[EngineServer]] = {
    engine.name: engine for engine in (Comunica, OxigraphServer, Virtuoso)}


def started(engine: type[EngineServer], data: Path, folder: Path) -> EngineServer:
    """``engine`` serving ``data``, or the test skipped saying what is missing."""
    reason = engine.missing()
    if reason:
        pytest.skip(f"no {engine.name} SPARQL server: {reason}")
    return engine.start(data, folder / f"{engine.name}.log")


def engine_server(name: str, request: pytest.FixtureRequest, data: Path,
                  folder: Path) -> EngineServer:
    """Engine ``name`` serving ``data``, checked healthy (replaced if it is not)."""
    engine = ENGINES[name]
    running = request.getfixturevalue(
        "session_sparql_servers" if engine.per_session else "module_sparql_servers")
    if name in running:
        running[name] = running[name].made_healthy().serving(data)
    else:
        running[name] = started(engine, data, folder)
    return running[name]
