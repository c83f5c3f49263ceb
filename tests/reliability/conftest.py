"""Reliability tests: fuzzing through the Flask test client, bad datasets built in
``tmp_path``, and the production server (``ldpub serve``) on 127.0.0.1 under load and
faults. The production server and the crawl are those of ``bench/soak.py`` (the long
soak), loaded here as a module, so CI runs the same crawl in a short form."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from server.settings import REPOSITORY

TESTS = Path(__file__).resolve().parent.parent


def load_module(name: str, path: Path) -> ModuleType:
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
def comunica() -> ModuleType:
    """The independent SPARQL server of the store tests (``tests/stores/comunica.py``)."""
    return load_module("comunica", TESTS / "stores" / "comunica.py")
