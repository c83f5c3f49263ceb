"""Configuration, read and validated in one place, and read by every layer.

Precedence: explicit values (command-line flags, ``create_app(config)``), then
``LDPUB_*`` environment variables, then the defaults below. Each setting is one row of
``FIELDS``; a bad value raises ``SettingsError`` naming the setting and what it expects.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from server.domain.validation import VALIDATORS

__all__ = ["Settings", "SettingsError", "REPOSITORY", "ENV_PREFIX", "NO_ENDPOINT"]

REPOSITORY = Path(__file__).resolve().parents[1]
ENV_PREFIX = "LDPUB_"
NO_ENDPOINT = "none"  # ``sparql_url``, ``search_url``: name no such service
# The least memory a query worker is given, whatever the machine: the engine and one
# small answer fit in it.
MIN_QUERY_MEMORY = 256 * 1024**2


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message says which and why."""


def _http_url(value: str, *, trailing_slash: bool) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("expected an absolute http(s) URL")
    if trailing_slash and not value.endswith("/"):
        raise ValueError("expected a URL ending with '/'")
    return value


def _endpoint(value: str) -> str:
    """An absolute http(s) URL, or ``none``."""
    if value.strip().lower() == NO_ENDPOINT:
        return NO_ENDPOINT
    return _http_url(value, trailing_slash=False)


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


def _path(value: str) -> Path | None:
    return Path(value).expanduser().resolve() if value else None


def _iri(value: str) -> str:
    return _http_url(value, trailing_slash=False)


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def _validator(value: str) -> str:
    name = value.strip().lower()
    if name not in VALIDATORS:
        raise ValueError(f"expected one of {', '.join(VALIDATORS)}")
    return name


def _text(value: str) -> str:
    return value


def _hosts(value: str) -> tuple[str, ...]:
    """Host names separated by commas or spaces: ``"query.wikidata.org, dbpedia.org"``."""
    hosts = tuple(dict.fromkeys(h.strip().lower() for h in value.replace(",", " ").split()))
    for host in hosts:
        if not re.fullmatch(r"[a-z0-9.\-]+|\[[0-9a-f:.]+\]", host):
            raise ValueError(f"expected host names separated by commas, not {host!r}")
    return hosts


@dataclass(frozen=True)
class Settings:
    """Everything the publisher needs to know, validated."""

    base_iri: str = "https://w3id.org/grand-paris-russia/"
    public_url: str | None = None
    allowed_hosts: tuple[str, ...] = ()  # Host names served without a public URL (``hosts``)
    store: str = "memory"
    data_dir: Path = REPOSITORY / "data"
    ontology_dir: Path = REPOSITORY / "ontology"
    shapes_dir: Path = REPOSITORY / "shapes"
    query_timeout: float = 5.0
    result_limit: int = 10_000
    cors_origin: str = "*"
    log_level: str = "INFO"
    dump_dir: Path | None = None  # None: beside an on-disk store, else the system temp folder
    licence: str = "https://creativecommons.org/licenses/by/4.0/"
    queries_dir: Path = REPOSITORY / "queries"  # example SPARQL queries (*.rq) for the query page
    service_hosts: tuple[str, ...] = ()  # hosts SPARQL SERVICE may call; none by default
    max_concurrent_queries: int = 4  # SPARQL queries running at once in one server process
    query_memory_mb: int | None = None  # memory one query may take; None: see query_memory
    max_query_bytes: int = 1024 * 1024  # largest SPARQL request body or query accepted
    validator: str = "auto"  # SHACL engine: pyshacl, turbo, or auto (by the data's size)
    release_dir: Path | None = None  # None: beside an on-disk store, else no releases
    checks_file: Path | None = None  # `ldpub check --earl` results; None: beside an on-disk store
    # The SPARQL endpoint that pages and descriptions name: None for this server's own,
    # NO_ENDPOINT for none (a static export's default: it has no endpoint), or a URL.
    sparql_url: str | None = None
    # The search that pages' search boxes send readers to, alike: None for this server's
    # own /search, NO_ENDPOINT for none (a static export's default), or a URL.
    search_url: str | None = None

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
    def query_memory(self) -> int:
        """Bytes one query worker may allocate beyond what it shares with the server.

        Unless set, a quarter of the machine's memory shared by the query slots: with
        the default two server processes, their queries together can take half of it.
        """
        if self.query_memory_mb is not None:
            return self.query_memory_mb * 1024**2
        machine = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return max(MIN_QUERY_MEMORY, machine // (4 * self.max_concurrent_queries))

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


FIELDS: dict[str, Callable[[str], Any]] = {
    "base_iri": _base_iri,
    "public_url": _public_url,
    "allowed_hosts": _hosts,
    "store": _store,
    "data_dir": _directory,
    "ontology_dir": _directory,
    "shapes_dir": _directory,
    "query_timeout": _positive_float,
    "result_limit": _positive_int,
    "cors_origin": _text,
    "log_level": _log_level,
    "dump_dir": _path,
    "licence": _iri,
    "queries_dir": _directory,
    "service_hosts": _hosts,
    "max_concurrent_queries": _positive_int,
    "query_memory_mb": _positive_int,
    "max_query_bytes": _positive_int,
    "validator": _validator,
    "release_dir": _path,
    "checks_file": _path,
    "sparql_url": _endpoint,
    "search_url": _endpoint,
}
assert set(FIELDS) == {f.name for f in fields(Settings)}, "every setting has one parser"
