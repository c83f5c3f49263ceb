"""Fixtures of the unit tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def engine_runs(monkeypatch) -> list:
    """The shapes each run of the native engine was given (its ``use_shapes``), in order."""
    import pyshacl_turbo

    runs: list = []
    engine = pyshacl_turbo.validate

    def validate(*args, **kwargs):
        runs.append(kwargs["use_shapes"])
        return engine(*args, **kwargs)

    monkeypatch.setattr(pyshacl_turbo, "validate", validate)
    return runs
