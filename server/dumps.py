"""Whole-dataset dumps: written once per data version, gzip'd, with size and checksum.

Harvesters copy a dataset from its dumps rather than by crawling (VoID §6.2). Each dump
is streamed from the store to a gzip file (nothing is held in memory whole), written
under a temporary name and renamed, under a file lock, so that several worker
processes sharing the folder produce it once and never serve half a file. A sidecar
JSON file keeps the size, the SHA-256 of the gzip'd bytes and the statement count,
which the dataset description publishes.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from . import formats
from .formats import Format
from .store import Store, queries

__all__ = ["Dump", "DumpCache", "DUMP_FORMATS", "DUMP_NAME", "dump_file_name"]

DUMP_NAME = "dataset"
# TriG first: it keeps every statement's graph and reads well.
DUMP_FORMATS: tuple[Format, ...] = tuple(formats.by_name(name) for name in ("trig", "nq", "ttl"))
CHUNK = 1 << 20
COMPRESS_LEVEL = 6  # gzip's own default: a few percent larger than 9, several times faster


@dataclass(frozen=True)
class Dump:
    """One produced dump file and what the description says about it."""

    name: str
    format: str
    path: Path
    size: int
    sha256: str
    statements: int

    @property
    def file_name(self) -> str:
        return self.path.name


def dump_file_name(name: str, fmt: Format) -> str:
    """
    >>> dump_file_name("dataset", formats.TURTLE)
    'dataset.ttl.gz'
    """
    return f"{name}.{fmt.name}.gz"


class DumpCache:
    """Dumps of each data version in ``root/<version>/``, produced on first need."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, store: Store, version: str, prefixes: dict[str, str], fmt: Format) -> Dump:
        folder = self.root / version
        target = folder / dump_file_name(DUMP_NAME, fmt)
        known = _read_sidecar(target)
        if known is not None:
            return known
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be writing it now
            try:
                return _read_sidecar(target) or _produce(store, prefixes, fmt, target)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def produce_all(self, store: Store, version: str, prefixes: dict[str, str]) -> list[Dump]:
        return [self.get(store, version, prefixes, fmt) for fmt in DUMP_FORMATS]


def _produce(store: Store, prefixes: dict[str, str], fmt: Format, target: Path) -> Dump:
    partial = target.with_name(f".{target.name}.partial")
    counter = _Counter()
    with partial.open("wb") as raw:
        # mtime=0 and no file name: the same statements give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                           compresslevel=COMPRESS_LEVEL) as compressed:
            ox.serialize(counter.count(_statements(store, fmt)), output=compressed,
                         format=fmt.ox, prefixes=prefixes if fmt.name != "nq" else None)
        raw.flush()
        os.fsync(raw.fileno())
    dump = Dump(name=DUMP_NAME, format=fmt.name, path=target, size=partial.stat().st_size,
                sha256=_sha256(partial), statements=counter.n)
    os.replace(partial, target)
    sidecar = _sidecar(target)
    sidecar.with_name(f".{sidecar.name}.partial").write_text(json.dumps(
        {k: v for k, v in asdict(dump).items() if k != "path"}) + "\n")
    os.replace(sidecar.with_name(f".{sidecar.name}.partial"), sidecar)
    return dump


def _statements(store: Store, fmt: Format) -> Iterable[ox.Quad] | Iterable[ox.Triple]:
    """Quads for a dataset format; distinct triples for a graph format (the union)."""
    if fmt.carries_graphs:
        return store.quads()
    return (ox.Triple(s["s"], s["p"], s["o"]) for s in store.query(queries.DISTINCT_TRIPLES))


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def count(self, items: Iterable) -> Iterator:
        for item in items:
            self.n += 1
            yield item


def _sidecar(target: Path) -> Path:
    return target.with_name(target.name + ".json")


def _read_sidecar(target: Path) -> Dump | None:
    try:
        data = json.loads(_sidecar(target).read_text())
    except (OSError, ValueError):
        return None
    if not target.is_file():
        return None
    return Dump(path=target, **data)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
