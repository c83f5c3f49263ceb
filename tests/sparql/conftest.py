"""The SPARQL endpoint over the tiny dataset, with example queries and short limits.

``w3c_app`` serves the W3C protocol suite's data (data1-3.nt, each as the named graph the
manifest's ``ut:graphData`` gives it), for the dataset tests of the manifest.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest
from jinja2 import StrictUndefined
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS

from server import create_app
from server.store.embedded import EmbeddedStore, merge_default_graph

HERE = Path(__file__).parent
QUERIES = HERE / "fixtures" / "queries"
W3C = HERE.parent / "fixtures" / "w3c" / "sparql11-protocol"  # copied from the W3C: see its README
MANIFEST = W3C / "manifest.ttl"
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
SCHEMA = "http://schema.org/"
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?aa }")


def make_app(config: dict, snapshot):
    app = create_app({**config, "TESTING": True}, snapshot=snapshot)
    app.jinja_env.undefined = StrictUndefined
    return app


@pytest.fixture(scope="session")
def sparql_config(tiny_config) -> dict[str, str]:
    return {**tiny_config, "queries_dir": str(QUERIES), "query_timeout": "2"}


@pytest.fixture
def sparql_app(sparql_config, tiny_snapshot):
    app = make_app(sparql_config, tiny_snapshot)
    yield app
    app.extensions["sparql"].close()


@pytest.fixture
def client(sparql_app):
    return sparql_app.test_client()


@pytest.fixture
def app_with(tiny_snapshot, sparql_config):
    """An app with other settings; its worker processes are stopped afterwards."""
    made = []

    def make(**settings):
        app = make_app({**sparql_config, **{k: str(v) for k, v in settings.items()}},
                       tiny_snapshot)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["sparql"].close()


def w3c_graph_data() -> dict[str, Path]:
    """Graph name -> file, from every ``ut:graphData`` of the manifest."""
    manifest = Graph().parse(MANIFEST, format="turtle")
    found = {}
    for data in manifest.objects(None, UT.graphData):
        found[str(manifest.value(data, RDFS.label))] = Path(str(manifest.value(data, UT.graph))
                                                            .removeprefix("file://"))
    return found


@pytest.fixture(scope="session")
def w3c_snapshot(tiny_snapshot):
    store = ox.Store()
    for name, path in w3c_graph_data().items():
        local = W3C / path.name
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                     for t in ox.parse(local.read_bytes(), format=ox.RdfFormat.N_TRIPLES))
    merge_default_graph(store)  # as the loader does
    embedded = EmbeddedStore(store)
    return dataclasses.replace(tiny_snapshot, store=embedded, version="w3c-protocol",
                               stats=embedded.stats())


@pytest.fixture
def w3c_client(sparql_config, w3c_snapshot):
    app = make_app(sparql_config, w3c_snapshot)
    yield app.test_client()
    app.extensions["sparql"].close()


def _live_servers():
    """``ServerProcess`` of the live tests: the production command on a free port."""
    spec = importlib.util.spec_from_file_location(
        "live_servers", Path(__file__).parents[1] / "live" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ServerProcess


@pytest.fixture
def served(tmp_path, sparql_config):
    """Start ``ldpub serve`` (gunicorn, two workers) on the tiny data; stop it after."""
    server_process = _live_servers()
    started = []

    def start(*extra: str):
        args = ["serve", "--workers", "2"]
        for key, value in sparql_config.items():
            args += [f"--{key.replace('_', '-')}", value]
        server = server_process([*args, *extra], tmp_path, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        server.wait_until_up()
        return server

    yield start
    for server in started:
        server.stop()


def uri(value: str) -> URIRef:
    return URIRef(value)
