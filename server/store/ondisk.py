"""The embedded persistent store: Oxigraph on disk, filled by ``ldpub load``.

For datasets that should not be parsed and validated at every start. ``ldpub load``
validates first, then writes a fresh generation beside the old one and swaps one
symbolic link; a load that fails (invalid data, a full disk, a crash) leaves the served
generation untouched. Servers open the store read-only, so any number of worker
processes share it; they see a new generation on reload.

Layout of ``oxigraph:ROOT``::

    ROOT/current -> generations/<stamp>-<version>     (replaced atomically)
    ROOT/generations/<stamp>-<version>/oxigraph/       the Oxigraph store
    ROOT/generations/<stamp>-<version>/snapshot.json   the manifest (see ``manifest``)
    ROOT/dumps/<version>/dataset.<ext>.gz              dumps written at load
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ..loading import DatasetInvalid, Snapshot, SourceFile, Staged, check
from ..settings import Settings
from ..validation import ValidationReport
from . import StoreUnusable
from .embedded import EmbeddedStore
from .manifest import Manifest, read_manifest, write_manifest

__all__ = ["OnDiskStore", "LoadOutcome", "location", "load", "publish", "open_snapshot",
           "dump_root", "SCHEME"]

log = logging.getLogger(__name__)

SCHEME = "oxigraph"
KEEP_GENERATIONS = 2  # the served one and the one before, which a worker may still hold


class OnDiskStore(EmbeddedStore):
    """The embedded store over a read-only on-disk generation.

    A process forked from the server (the SPARQL query workers) closes the descriptors
    it inherits, and with them the database's files; so each process opens the store
    for itself on first use (about 10 ms), and keeps the inherited handle unused: closing
    it would close descriptor numbers that now belong to something else.
    """

    _inherited: list[ox.Store] = []

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = os.getpid()
        super().__init__(ox.Store.read_only(str(path)))

    @property
    def _store(self) -> ox.Store:  # read by every EmbeddedStore method
        if os.getpid() != self._pid:
            self._inherited.append(self._opened)
            self._opened = ox.Store.read_only(str(self.path))
            self._pid = os.getpid()
        return self._opened

    @_store.setter
    def _store(self, store: ox.Store) -> None:
        self._opened = store


@dataclass(frozen=True)
class LoadOutcome:
    version: str
    generation: Path
    quads: int
    seconds: float


def location(settings: Settings) -> Path:
    """The store's root folder, from ``oxigraph:ROOT``."""
    _, _, path = settings.store.partition(":")
    if not path:
        raise StoreUnusable("an on-disk store needs a folder: oxigraph:/path/to/store")
    return Path(path).expanduser().resolve()


def dump_root(settings: Settings) -> Path:
    return location(settings) / "dumps"


def load(settings: Settings) -> LoadOutcome:
    """Validate the configured sources and publish them as the store's new generation.

    Raises:
        DataUnreadable, ShapesUnusable: the sources cannot be used.
        DatasetInvalid: the data does not conform; the store is left as it was.
    """
    started = datetime.now(UTC)
    staged, report = check(settings)
    if not report.conforms:
        raise DatasetInvalid(report)
    return publish(settings, staged, report, started)


def publish(settings: Settings, staged: Staged, report: ValidationReport,
            started: datetime | None = None) -> LoadOutcome:
    """Write validated, staged data as the store's new generation and make it current."""
    from .. import dumps  # the dump writer needs the format registry, not the store layer

    started = started or datetime.now(UTC)
    root = location(settings)
    (root / "generations").mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        name = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{staged.version}"
        final = root / "generations" / name
        partial = root / "generations" / f".{name}.partial"
        try:
            partial.mkdir()
            disk = ox.Store(str(partial / "oxigraph"))
            disk.bulk_extend(staged.store.quads_for_pattern(None, None, None, None))
            disk.flush()
            del disk  # closes the database before servers open it read-only
            memory = EmbeddedStore(staged.store)
            write_manifest(partial, Manifest(
                version=staged.version,
                loaded_at=started.replace(microsecond=0),
                base_iri=settings.base_iri,
                data_graphs=staged.data_graphs,
                derived_graph=staged.derived_graph,
                ontology_graph=staged.ontology_graph,
                shapes_graph=staged.shapes_graph,
                prefixes=staged.prefixes,
                files=tuple({"path": str(f.path), "role": f.role, "graph": f.graph}
                            for f in staged.files),
                graph_files=staged.graph_files,
                stats=memory.stats(),
                report=report,
            ))
            dumps.DumpCache(dump_root(settings)).produce_all(memory, staged.version,
                                                             staged.prefixes)
            _sync(partial)
            partial.rename(final)
            _point_current(root, final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _prune(root)
    seconds = (datetime.now(UTC) - started).total_seconds()
    log.info("loaded version %s into %s in %.1f s", staged.version, final, seconds)
    return LoadOutcome(staged.version, final, len(staged.store), seconds)


def open_snapshot(settings: Settings) -> Snapshot:
    """The store's current generation, opened read-only, with its recorded metadata.

    Raises:
        StoreUnusable: nothing loaded yet, a damaged store, or one loaded for another base IRI.
    """
    root = location(settings)
    current = root / "current"
    if not current.exists():
        raise StoreUnusable(f"{root}: no data loaded yet; run `ldpub load --store {settings.store}`")
    folder = current.resolve()  # pin the generation: a later swap does not move this server
    manifest = read_manifest(folder)
    if manifest.base_iri != settings.base_iri:
        raise StoreUnusable(f"{root} holds data for the base IRI {manifest.base_iri}, "
                            f"not {settings.base_iri}")
    try:
        store = OnDiskStore(folder / "oxigraph")
    except OSError as error:
        raise StoreUnusable(f"{folder}: the store cannot be opened: {error}") from None
    staged = Staged(
        store=store.oxigraph,
        files=tuple(SourceFile(Path(f["path"]), f["role"], f["graph"]) for f in manifest.files),
        data_graphs=manifest.data_graphs,
        derived_graph=manifest.derived_graph,
        ontology_graph=manifest.ontology_graph,
        shapes_graph=manifest.shapes_graph,
        prefixes=manifest.prefixes,
        version=manifest.version,
        graph_files=manifest.graph_files,
    )
    return Snapshot(store=store, version=manifest.version,
                    loaded_at=manifest.loaded_at, report=manifest.report, staged=staged,
                    stats=manifest.stats)


@contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    """One load at a time per store."""
    with (root / ".load.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _sync(folder: Path) -> None:
    """Flush the new generation to disk before it becomes the current one."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def _point_current(root: Path, generation: Path) -> None:
    """Replace ``current`` in one rename: readers see the old or the new, never neither."""
    temporary = root / ".current.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(generation.relative_to(root))
    os.replace(temporary, root / "current")
    descriptor = os.open(root, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _prune(root: Path) -> None:
    """Drop generations (and their dumps) older than the last ``KEEP_GENERATIONS``."""
    generations = sorted(p for p in (root / "generations").iterdir()
                         if p.is_dir() and not p.name.startswith("."))
    kept = generations[-KEEP_GENERATIONS:]
    for old in generations[:-KEEP_GENERATIONS]:
        shutil.rmtree(old, ignore_errors=True)
    versions = {p.name.rsplit("-", 1)[-1] for p in kept}
    dumps = root / "dumps"
    if dumps.is_dir():
        for folder in dumps.iterdir():
            if folder.is_dir() and folder.name not in versions:
                shutil.rmtree(folder, ignore_errors=True)
