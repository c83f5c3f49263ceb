"""The tiny dataset on every backend: in memory, on disk, and behind a real SPARQL server.

The remote backend is tested against Comunica's SPARQL endpoint (npm
``@comunica/query-sparql-file``, installed by ``.ci/run``), an independent SPARQL 1.1
engine started here on 127.0.0.1 over an N-Quads dump of the data; its tests are skipped,
with the reason, when Node or the package is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from comunica import SparqlServer, comunica_missing
from jinja2 import StrictUndefined

from server import create_app
from server.domain.dumps import with_default_graph
from server.runtime.settings import Settings
from server.store import ondisk
from server.store.registry import open_snapshot

BACKENDS = ("memory", "ondisk", "remote")

@pytest.fixture(scope="session")
def nquads_file(tiny_snapshot, tmp_path_factory) -> Path:
    """The validated tiny dataset as N-Quads, with the merge of its named graphs as the
    default graph: what an operator bulk-loads into an engine (``ldpub dump
    --with-default-graph``)."""
    path = tmp_path_factory.mktemp("remote") / "tiny.nq"
    ox.serialize(with_default_graph(tiny_snapshot.store), output=str(path),
                 format=ox.RdfFormat.N_QUADS)
    return path


@pytest.fixture(scope="module")
def module_sparql_server(nquads_file, tmp_path_factory) -> Iterator[list[SparqlServer]]:
    """One server per test module, so that what one module did to it stays there."""
    reason = comunica_missing()
    if reason:
        pytest.skip(f"no independent SPARQL server: {reason}")
    running = [SparqlServer.start(nquads_file,
                                  tmp_path_factory.mktemp("logs") / "comunica.log")]
    yield running
    running[0].stop()


@pytest.fixture
def sparql_server(module_sparql_server) -> SparqlServer:
    """The module's server, checked healthy before each test (replaced if it is not)."""
    module_sparql_server[0] = module_sparql_server[0].made_healthy()
    return module_sparql_server[0]


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
    elif request.param == "remote":
        config["store"] = "sparql+" + request.getfixturevalue("sparql_server").url
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
