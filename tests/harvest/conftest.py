"""Apps over the tiny dataset, each with its own dump folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import StrictUndefined

from server import create_app

TINY = "https://example.org/tiny/"


def config_for(root: Path, dumps: Path, **extra) -> dict:
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": TINY, "dump_dir": str(dumps),
            **extra}


def app_for(config: dict, snapshot=None):
    app = create_app({**config, "TESTING": True}, snapshot=snapshot)
    app.jinja_env.undefined = StrictUndefined
    return app


@pytest.fixture
def client(tiny_config, tiny_snapshot, tmp_path):
    return app_for({**tiny_config, "dump_dir": str(tmp_path / "dumps")}, tiny_snapshot).test_client()


@pytest.fixture
def client_for(tiny_copy, tmp_path):
    """A client over a changed copy of the tiny dataset: ``client_for({"extra.ttl": text})``."""

    def make(files: dict[str, str] | None = None, shapes: dict[str, str] | None = None, **extra):
        for name, text in (files or {}).items():
            (tiny_copy / "data" / name).write_text(text)
        for name, text in (shapes or {}).items():
            (tiny_copy / "shapes" / name).write_text(text)
        return app_for(config_for(tiny_copy, tmp_path / "dumps", **extra)).test_client()

    return make
