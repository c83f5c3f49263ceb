"""Whole-dataset dumps: written once per data version, gzip'd, with size and checksum.

Harvesters copy a dataset from its dumps rather than by crawling (VoID §6.2). Each dump
is streamed from the store to a gzip file (nothing is held in memory whole), written
under a temporary name and renamed, under a file lock, so that several worker
processes sharing the folder produce it once and never serve half a file. A sidecar
JSON file keeps the size, the SHA-256 of the gzip'd bytes and the statement count,
which the dataset description publishes. The same cache keeps other documents too large
to hold in memory (a large named graph): ``Contents`` says what a file holds.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from server.domain import formats
from server.domain.formats import Format
from server.domain.progress import Progress, Stage
from server.store import Store, queries

__all__ = ["Contents", "DATASET", "Dump", "DumpCache", "DUMP_FORMATS", "DUMP_NAME",
           "dump_file_name", "merged_triples", "with_default_graph"]

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


Statements = Iterable[ox.Quad] | Iterable[ox.Triple]


@dataclass(frozen=True)
class Contents:
    """What a cached file holds: the name it is filed under, its statements in a format
    (read from the store as they are written), and whether it is gzip'd."""

    name: str
    statements: Callable[[Store, Format], Statements]
    gzipped: bool = True

    def file_name(self, fmt: Format) -> str:
        """
        >>> Contents("graph-derived", lambda store, fmt: (), gzipped=False).file_name(formats.TURTLE)
        'graph-derived.ttl'
        """
        return dump_file_name(self.name, fmt) if self.gzipped else f"{self.name}.{fmt.name}"


class DumpCache:
    """Dumps of each data version in ``root/<version>/``, produced on first need."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, store: Store, version: str, prefixes: dict[str, str], fmt: Format,
            contents: Contents | None = None) -> Dump:
        """The file of ``contents`` (the whole dataset by default) in ``fmt``."""
        contents = contents or DATASET
        folder = self.root / version
        target = folder / contents.file_name(fmt)
        known = _read_sidecar(target)
        if known is not None:
            return known
        folder.mkdir(parents=True, exist_ok=True)
        # One lock a file: a long graph being written does not hold up the dumps.
        with (folder / f".{target.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be writing it now
            try:
                return _read_sidecar(target) or _produce(store, prefixes, fmt, target, contents)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def known(self, version: str, fmt: Format) -> Dump | None:
        """The dump of the whole dataset in ``fmt`` if it was written, else None."""
        return _read_sidecar(self.root / version / DATASET.file_name(fmt))

    def produce_all(self, store: Store, version: str, prefixes: dict[str, str],
                    progress: Progress | None = None) -> list[Dump]:
        """The whole dataset's dump in every format, written now if not yet; ``progress``
        hears of each as the stage "dumps"."""
        made = []
        with Stage(progress, "dumps", len(DUMP_FORMATS), "dumps") as writing:
            for fmt in DUMP_FORMATS:
                made.append(self.get(store, version, prefixes, fmt))
                writing.advance(note=made[-1].path.name, bytes=made[-1].size)
        return made


def _produce(store: Store, prefixes: dict[str, str], fmt: Format, target: Path,
             contents: Contents) -> Dump:
    partial = target.with_name(f".{target.name}.partial")
    counter = _Counter()
    try:
        with partial.open("wb") as raw:
            _write(counter.count(contents.statements(store, fmt)), raw, fmt, prefixes,
                   contents.gzipped)
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)  # a statement the format cannot carry, a store gone
        raise
    dump = Dump(name=contents.name, format=fmt.name, path=target, size=partial.stat().st_size,
                sha256=_sha256(partial), statements=counter.n)
    os.replace(partial, target)
    sidecar = _sidecar(target)
    sidecar.with_name(f".{sidecar.name}.partial").write_text(json.dumps(
        {k: v for k, v in asdict(dump).items() if k != "path"}) + "\n")
    os.replace(sidecar.with_name(f".{sidecar.name}.partial"), sidecar)
    return dump


def _write(statements: Statements, raw, fmt: Format, prefixes: dict[str, str],
           gzipped: bool) -> None:
    options = {"format": fmt.ox, "prefixes": prefixes if fmt.name != "nq" else None}
    if not gzipped:
        ox.serialize(statements, output=raw, **options)
        return
    # mtime=0 and no file name: the same statements give the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                       compresslevel=COMPRESS_LEVEL) as compressed:
        ox.serialize(statements, output=compressed, **options)


def merged_triples(store: Store) -> Iterator[ox.Triple]:
    """The RDF merge of the named graphs: each triple they state, once (the default graph)."""
    return (ox.Triple(s["s"], s["p"], s["o"]) for s in store.query(queries.DISTINCT_TRIPLES))


def with_default_graph(store: Store) -> Iterator[ox.Quad]:
    """The named graphs and their merge as the default graph: what a remote engine loads
    to serve the default graph as a set, with no union of its own (DESIGN §4, §6)."""
    yield from store.quads()
    yield from (ox.Quad(t.subject, t.predicate, t.object) for t in merged_triples(store))


def _statements(store: Store, fmt: Format) -> Statements:
    """Quads for a dataset format (the named graphs); the merge for a graph format."""
    if fmt.carries_graphs:
        return store.quads()
    return merged_triples(store)


DATASET = Contents(DUMP_NAME, _statements)


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
