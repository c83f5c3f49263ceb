"""Configuration, read and validated in one place.

Precedence: explicit values (command-line flags, ``create_app(config)``), then
``LDPUB_*`` environment variables, then the defaults below. Each setting is one row of
``FIELDS``; a bad value raises ``SettingsError`` naming the setting and what it expects.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Settings", "SettingsError", "REPOSITORY", "ENV_PREFIX"]

REPOSITORY = Path(__file__).resolve().parent.parent
ENV_PREFIX = "LDPUB_"


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message says which and why."""


def _http_url(value: str, *, trailing_slash: bool) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("expected an absolute http(s) URL")
    if trailing_slash and not value.endswith("/"):
        raise ValueError("expected a URL ending with '/'")
    return value


def _base_iri(value: str) -> str:
    return _http_url(value, trailing_slash=True)


def _public_url(value: str) -> str | None:
    if not value:
        return None
    return _http_url(value, trailing_slash=False).rstrip("/") + "/"


def _directory(value: str) -> Path:
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise ValueError(f"no such directory: {path}")
    return path


def _positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError("expected a number > 0")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("expected a whole number > 0")
    return number


def _store(value: str) -> str:
    scheme = value.split(":", 1)[0]
    if scheme not in ("memory", "oxigraph", "sparql+http", "sparql+https"):
        raise ValueError(
            "expected 'memory', 'oxigraph:/path/to/dir' or 'sparql+http(s)://host/endpoint'"
        )
    return value


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def _text(value: str) -> str:
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the publisher needs to know, validated."""

    base_iri: str = "https://w3id.org/grand-paris-russia/"
    public_url: str | None = None
    store: str = "memory"
    data_dir: Path = REPOSITORY / "data"
    ontology_dir: Path = REPOSITORY / "ontology"
    shapes_dir: Path = REPOSITORY / "shapes"
    query_timeout: float = 10.0
    result_limit: int = 10_000
    cors_origin: str = "*"
    log_level: str = "INFO"

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from explicit overrides, then ``LDPUB_*`` variables, then defaults.

        Raises:
            SettingsError: a value is malformed, or a key is unknown.
        """
        environ = os.environ if environ is None else environ
        overrides = {k.lower(): v for k, v in (overrides or {}).items() if v is not None}
        unknown = set(overrides) - set(FIELDS)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name, parse in FIELDS.items():
            env_name = ENV_PREFIX + name.upper()
            if name in overrides:
                raw, origin = overrides[name], f"setting {name!r}"
            elif env_name in environ:
                raw, origin = environ[env_name], env_name
            else:
                continue
            try:
                values[name] = parse(str(raw))
            except ValueError as error:
                raise SettingsError(f"{origin}={str(raw)!r}: {error}") from None
        return cls(**values)

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


FIELDS: dict[str, Callable[[str], Any]] = {
    "base_iri": _base_iri,
    "public_url": _public_url,
    "store": _store,
    "data_dir": _directory,
    "ontology_dir": _directory,
    "shapes_dir": _directory,
    "query_timeout": _positive_float,
    "result_limit": _positive_int,
    "cors_origin": _text,
    "log_level": _log_level,
}
assert set(FIELDS) == {f.name for f in fields(Settings)}, "every setting has one parser"
