"""The tiny dataset on every backend: in memory, on disk, and behind real SPARQL servers.

The remote backend is tested against independent SPARQL 1.1 engines started here on
127.0.0.1 over an N-Quads dump of the data (``engines.py``): Comunica (npm
``@comunica/query-sparql-file``), the Oxigraph server (``oxigraph``) and Virtuoso (Debian
``virtuoso-opensource``), all installed by ``.ci/run``; an engine's tests are skipped,
with the reason, when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import ENGINES, EngineServer, engine_server
from jinja2 import StrictUndefined

from server import create_app
from server.domain.dumps import with_default_graph
from server.settings import Settings
from server.store import ondisk
from server.store.registry import open_snapshot

BACKENDS = ("memory", "ondisk", *(f"remote-{name}" for name in ENGINES))

@pytest.fixture(scope="session")
def nquads_file(tiny_snapshot, tmp_path_factory) -> Path:
    """The validated tiny dataset as N-Quads, with the merge of its named graphs as the
    default graph: what an operator bulk-loads into an engine (``ldpub dump
    --with-default-graph``)."""
    path = tmp_path_factory.mktemp("remote") / "tiny.nq"
    ox.serialize(with_default_graph(tiny_snapshot.store), output=str(path),
                 format=ox.RdfFormat.N_QUADS)
    return path


def running_servers() -> Iterator[dict[str, EngineServer]]:
    """Servers by engine name, stopped when the fixture ends."""
    running: dict[str, EngineServer] = {}
    yield running
    for server in running.values():
        server.stop()


@pytest.fixture(scope="session")
def session_sparql_servers() -> Iterator[dict[str, EngineServer]]:
    """One server per engine slow to start (``per_session``) for the whole run, loaded
    with the data each module asks for."""
    yield from running_servers()


@pytest.fixture(scope="module")
def module_sparql_servers() -> Iterator[dict[str, EngineServer]]:
    """One server per other engine and test module, so that what one module did to it
    stays there; started when a test first asks for it."""
    yield from running_servers()


@pytest.fixture(params=list(ENGINES))
def sparql_server(request, nquads_file, tmp_path_factory) -> EngineServer:
    """Each engine's server for this module, checked healthy before each test."""
    return engine_server(request.param, request, nquads_file, tmp_path_factory.mktemp("logs"))


@pytest.fixture(scope="session")
def ondisk_root(tiny_config, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ondisk") / "store"
    ondisk.load(Settings.load({**tiny_config, "store": f"oxigraph:{root}"}, environ={}))
    return root


@pytest.fixture(params=BACKENDS)
def backend(request, tiny_config, tmp_path) -> dict:
    """The configuration of the tiny dataset on one backend."""
    config = {**tiny_config, "dump_dir": str(tmp_path / "dumps")}
    if request.param == "ondisk":
        config["store"] = f"oxigraph:{request.getfixturevalue('ondisk_root')}"
    elif request.param.startswith("remote-"):
        server = engine_server(request.param.removeprefix("remote-"), request,
                               request.getfixturevalue("nquads_file"), tmp_path)
        config["store"] = "sparql+" + server.url
    return config


@pytest.fixture
def backend_snapshot(backend, tiny_snapshot):
    if backend.get("store") is None:
        return tiny_snapshot
    return open_snapshot(Settings.load(backend, environ={}))


@pytest.fixture
def backend_app(backend, backend_snapshot):
    app = create_app({**backend, "TESTING": True}, snapshot=backend_snapshot)
    app.jinja_env.undefined = StrictUndefined
    return app


@pytest.fixture
def backend_client(backend_app):
    return backend_app.test_client()
