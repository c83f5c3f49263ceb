"""Shared fixtures: the tiny fixture dataset, the repository's own dataset, apps.

Loading and validating a dataset is the slow part, so snapshots are loaded once per
session and each test builds its own app around one (``create_app(snapshot=...)``).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from jinja2 import StrictUndefined
from werkzeug.serving import make_server

from server import create_app
from server.domain.loading import Snapshot, load_snapshot
from server.settings import REPOSITORY, Settings

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
TINY_BASE = "https://example.org/tiny/"


def dataset_config(root: Path, base_iri: str) -> dict[str, str]:
    return {
        "data_dir": str(root / "data"),
        "ontology_dir": str(root / "ontology"),
        "shapes_dir": str(root / "shapes"),
        "base_iri": base_iri,
    }


@pytest.fixture(scope="session")
def tiny_config() -> dict[str, str]:
    return dataset_config(TINY, TINY_BASE)


@pytest.fixture(scope="session")
def tiny_snapshot(tiny_config) -> Snapshot:
    return load_snapshot(Settings.load(tiny_config, environ={}))


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny dataset, for tests that break or change it."""
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    return root


def make_app(config: dict, snapshot: Snapshot | None = None):
    app = create_app({**config, "TESTING": True}, snapshot=snapshot)
    app.jinja_env.undefined = StrictUndefined
    return app


@pytest.fixture
def tiny_app(tiny_config, tiny_snapshot):
    return make_app(tiny_config, tiny_snapshot)


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


@pytest.fixture(scope="session")
def repo_settings() -> Settings:
    return Settings.load({}, environ={})


@pytest.fixture(scope="session")
def repo_snapshot(repo_settings) -> Snapshot:
    """The repository's own dataset, loaded and validated once."""
    return load_snapshot(repo_settings)


@pytest.fixture
def repo_app(repo_snapshot):
    return make_app({}, repo_snapshot)


@pytest.fixture
def repo_client(repo_app):
    return repo_app.test_client()




CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Browser tests need Debian's Chromium; where it is absent they are skipped, saying so."""
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module (Playwright's sync API allows one instance at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def served(app) -> Iterator[str]:
    """``app`` on a real socket of 127.0.0.1, served from a thread: its base URL; the
    server and the app's query processes are stopped on leaving."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["sparql"].close()


@pytest.fixture(scope="session")
def live_url(repo_snapshot) -> Iterator[str]:
    """The repository's data on a real socket of 127.0.0.1, served from a thread."""
    with served(make_app({}, repo_snapshot)) as url:
        yield url


@pytest.fixture(scope="session")
def tiny_live_url(tiny_config, tiny_snapshot) -> Iterator[str]:
    """The tiny fixture on a real socket of 127.0.0.1, served from a thread."""
    with served(make_app(tiny_config, tiny_snapshot)) as url:
        yield url


def load_module(name: str, path: Path) -> ModuleType:
    """A helper module that is not a package member (bench scripts, test servers)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def soak() -> ModuleType:
    """``bench/soak.py``: the production server on a free port, and the mixed crawl."""
    return load_module("ldpub_bench_soak", REPOSITORY / "bench" / "soak.py")


@pytest.fixture(scope="session")
def engines() -> ModuleType:
    """The independent SPARQL servers of the store tests (``tests/stores/engines.py``)."""
    return load_module("engines", REPOSITORY / "tests" / "stores" / "engines.py")
