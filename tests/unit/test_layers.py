"""The layers stay apart: the domain, the store and the SPARQL engine never import the web
layer or the runtime, nor the HTTP stack they run on (README, *Layout*).

Imports are read from each module's syntax tree wherever they stand (inside a function,
under ``TYPE_CHECKING``, relative or absolute), so no spelling of an import slips past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import server

PACKAGE = Path(server.__file__).parent
LOWER_LAYERS = ("domain", "store", "sparql")
FORBIDDEN = ("server.web", "server.runtime", "flask", "werkzeug", "gunicorn")
PROBE = "server.domain.probe"  # where the examples below pretend to stand


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.Module, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module an import statement of ``module`` names, with its line; relative
    imports are resolved against ``module`` (its own package when ``is_package``)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = module.split(".")
            anchor = parts[: len(parts) - node.level + is_package] if node.level else []
            base = ".".join(anchor + ([node.module] if node.module else []))
            found.append((node.lineno, base))
            # ``from server import web`` imports a module by its attribute name.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return sorted(found)


def forbidden(target: str) -> bool:
    return any(target == name or target.startswith(name + ".") for name in FORBIDDEN)


def crossings(path: Path) -> list[str]:
    """The forbidden imports of the module at ``path``: one per line, the module named."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    first: dict[int, str] = {}
    for line, target in imported(tree, module_name(path), path.name == "__init__.py"):
        if forbidden(target):
            first.setdefault(line, target)
    return [f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
            for line, target in first.items()]


def assert_apart(modules: list[Path]) -> None:
    found = [crossing for path in modules for crossing in crossings(path)]
    assert found == [], "the layers cross:\n" + "\n".join(found)


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_the_lower_layers_import_neither_the_web_nor_the_runtime(layer):
    modules = sorted((PACKAGE / layer).rglob("*.py"))
    assert len(modules) > 3, f"no modules found under server/{layer}"
    assert_apart(modules)


def test_the_modules_beside_the_layers_import_neither_the_web_nor_the_runtime():
    """``settings``, ``problems`` and ``memo`` are read by the lower layers: through them,
    the lower layers would reach the web or the runtime all the same. (The package's
    ``__init__`` and ``__main__`` build and run the app, so they stand above every layer.)"""
    modules = sorted(p for p in PACKAGE.glob("*.py") if not p.name.startswith("__"))
    assert {"settings.py", "problems.py"} <= {p.name for p in modules}
    assert_apart(modules)


@pytest.mark.parametrize("source, target", [
    ("from server.web.errors import BadRequest", "server.web.errors"),
    ("import server.runtime.settings", "server.runtime.settings"),
    ("from server.web import i18n", "server.web.i18n"),
    ("from server import runtime", "server.runtime"),
    ("from ..web.vocabulary import curie", "server.web.vocabulary"),
    ("from .. import web", "server.web"),
    ("def later():\n    from server.runtime.publisher import publisher",
     "server.runtime.publisher"),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import server.web.app as app",
     "server.web.app"),
    ("from flask import request", "flask"),
])
def test_every_spelling_of_a_crossing_is_caught(source, target):
    targets = [t for _, t in imported(ast.parse(source), PROBE, is_package=False)]
    assert target in targets and forbidden(target), targets


@pytest.mark.parametrize("source", [
    "from server.domain.formats import TURTLE",
    "from server.problems import BadRequest",
    "from server.settings import Settings",
    "from .formats import TURTLE",
    "from . import formats",
    "import flask_like_name",
])
def test_imports_within_the_layers_pass(source):
    targets = [t for _, t in imported(ast.parse(source), PROBE, is_package=False)]
    assert not any(forbidden(t) for t in targets), targets


def test_a_package_resolves_relative_imports_against_itself():
    tree = ast.parse("from .formats import TURTLE")
    assert (1, "server.domain.formats") in imported(tree, "server.domain", is_package=True)
