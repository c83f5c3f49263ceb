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
    ROOT/generations/<stamp>-<version>/precomputed.json what every page needs, made at load
    ROOT/dumps/<version>/dataset.<ext>.gz              dumps written at load
"""

from __future__ import annotations

import fcntl
import logging
import os
import select
import shutil
import signal
import threading
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from server.domain import precomputed
from server.domain.loading import DatasetInvalid, Snapshot, SourceFile, Staged, check
from server.domain.progress import Progress, Stage, counted
from server.domain.validation import ValidationReport
from server.settings import Settings
from server.store import StoreUnavailable, StoreUnusable
from server.store.embedded import EmbeddedStore, merge_default_graph
from server.store.manifest import Manifest, read_manifest, write_manifest

__all__ = ["OnDiskStore", "LoadOutcome", "location", "load", "publish", "open_snapshot",
           "dump_root", "SCHEME"]

log = logging.getLogger(__name__)

SCHEME = "oxigraph"
KEEP_GENERATIONS = 2  # the newest ones; older ones too while a server holds them
READERS_FILE = "readers.lock"  # every server process holding the generation has it locked
PROBE_SECONDS = 60  # how long opening a generation may take before it counts as unusable
READABLE = "readable"  # what the probing process answers for a generation it could read
PIPE_BUF = 4096  # a write this small reaches a pipe whole


class OnDiskStore(EmbeddedStore):
    """The embedded store over a read-only on-disk generation.

    The database engine under Oxigraph (RocksDB) keeps process-wide state from the first
    database a process opens, and a process forked after that crashes as it exits
    (SIGSEGV in its exit handlers). So a server that forks never opens a generation
    itself: the handle opens on first use in the process that reads it (a gunicorn
    worker opens it as it starts, ``wsgi``), and a forked child forgets the handle it
    inherited. It keeps it unused, never closed: the SPARQL query processes close the
    descriptors they inherit, and closing the handle would close numbers that now belong
    to something else.

    Every process that holds the generation, opened or not, holds a shared lock on its
    ``readers`` file (inherited across forks), so that ``ldpub load`` never removes a
    generation that a server still reads or may still fork workers for.
    """

    _inherited: list[ox.Store] = []

    def __init__(self, path: Path) -> None:
        self.path = path
        self._opened: ox.Store | None = None
        self._opening = threading.Lock()
        _hold(self)
        _HANDLES.add(self)

    @property
    def _store(self) -> ox.Store:  # read by every EmbeddedStore method
        store = self._opened  # never ``or``: a store's truth value counts its quads
        return store if store is not None else self.attach()

    @_store.setter
    def _store(self, store: ox.Store) -> None:  # set by EmbeddedStore.__init__ in ``attach``
        self._handle = store

    def attach(self) -> ox.Store:
        """This process's handle on the generation, opened now if need be.

        Raises:
            StoreUnavailable: the generation cannot be opened (removed or damaged).
        """
        with self._opening:
            if self._opened is None:
                try:
                    EmbeddedStore.__init__(self, ox.Store.read_only(str(self.path)))
                except (OSError, RuntimeError) as error:
                    log.error("cannot open the store generation %s: %s", self.path, error)
                    raise StoreUnavailable(f"the store cannot be read: {error}") from None
                self._opened = self._handle  # only now: other threads use it at once
            return self._opened

    def verify(self) -> None:
        """Raise ``StoreUnavailable`` unless this generation can be read here and opened
        by the processes a server forks."""
        if not (self.path / "CURRENT").is_file():
            raise StoreUnavailable(f"the store generation {self.path.parent} was removed")
        try:
            next(self._store.quads_for_pattern(None, None, None, None), None)
        except (OSError, RuntimeError) as error:
            raise StoreUnavailable(f"the store cannot be read: {error}") from None

    def _forget(self) -> None:
        if self._opened is not None:
            self._inherited.append(self._opened)
            self._opened = None
            self._opening = threading.Lock()


_HANDLES: weakref.WeakSet[OnDiskStore] = weakref.WeakSet()


def _forget_inherited_handles() -> None:
    for store in list(_HANDLES):
        store._forget()


os.register_at_fork(after_in_child=_forget_inherited_handles)


def _hold(store: OnDiskStore) -> None:
    """Take a shared lock on the generation's ``readers`` file, held while the store lives
    (and by the processes forked meanwhile, which share the descriptor)."""
    generation = store.path.parent
    try:  # ``ldpub load`` makes the file; a generation loaded by an older version has none
        readers = os.open(generation / READERS_FILE, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC)
    except FileNotFoundError:
        raise StoreUnusable(f"{generation}: the generation was removed; "
                            "open the store again") from None
    except OSError as error:
        log.warning("%s: not protected from removal by later loads: %s", generation, error)
        return
    weakref.finalize(store, os.close, readers)
    fcntl.flock(readers, fcntl.LOCK_SH)


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


def load(settings: Settings, progress: Progress | None = None) -> LoadOutcome:
    """Validate the configured sources and publish them as the store's new generation,
    telling ``progress`` of each stage (``check``'s, then "store" and "dumps").

    Raises:
        DataUnreadable, ShapesUnusable: the sources cannot be used.
        DatasetInvalid: the data does not conform; the store is left as it was.
    """
    started = datetime.now(UTC)
    staged, report = check(settings, progress)
    if not report.conforms:
        raise DatasetInvalid(report)
    return publish(settings, staged, report, started, progress)


def publish(settings: Settings, staged: Staged, report: ValidationReport,
            started: datetime | None = None, progress: Progress | None = None) -> LoadOutcome:
    """Write validated, staged data as the store's new generation and make it current."""
    from server.domain import (
        dumps,  # the dump writer needs the format registry, not the store layer
    )

    started = started or datetime.now(UTC)
    root = location(settings)
    (root / "generations").mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        _remove_partials(root)
        name = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{staged.version}"
        final = root / "generations" / name
        partial = root / "generations" / f".{name}.partial"
        try:
            partial.mkdir()
            (partial / READERS_FILE).touch()
            merge_default_graph(staged.store)
            with Stage(progress, "store", len(staged.store), "quads") as writing:
                disk = ox.Store(str(partial / "oxigraph"))
                disk.bulk_extend(counted(staged.store.quads_for_pattern(None, None, None, None),
                                         writing))
                disk.flush()
                del disk  # closes the database before servers open it read-only
                memory = EmbeddedStore(staged.store)
                stats = memory.stats()
            loaded = Snapshot(store=memory, version=staged.version,
                              loaded_at=started.replace(microsecond=0), report=report,
                              staged=staged, stats=stats)
            precomputed.write(partial, staged.version,
                              precomputed.made(loaded, settings.base_iri, progress))
            write_manifest(partial, Manifest(
                version=staged.version,
                loaded_at=loaded.loaded_at,
                base_iri=settings.base_iri,
                data_graphs=staged.data_graphs,
                derived_graph=staged.derived_graph,
                ontology_graph=staged.ontology_graph,
                shapes_graph=staged.shapes_graph,
                prefixes=staged.prefixes,
                files=tuple({"path": str(f.path), "role": f.role, "graph": f.graph}
                            for f in staged.files),
                graph_files=staged.graph_files,
                stats=stats,
                report=report,
            ))
            dumps.DumpCache(dump_root(settings)).produce_all(memory, staged.version,
                                                             staged.prefixes, progress)
            _sync(partial)
            partial.rename(final)
            _point_current(root, final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _prune(root)
    seconds = (datetime.now(UTC) - started).total_seconds()
    log.info("loaded version %s into %s in %.1f s", staged.version, final, seconds)
    return LoadOutcome(staged.version, final, stats.quads, seconds)


def open_snapshot(settings: Settings) -> Snapshot:
    """The store's current generation, checked readable, with its recorded metadata.

    The generation is opened and read in a short-lived child process, never in this one
    (see ``OnDiskStore``): a reload in a gunicorn master refuses a damaged generation and
    keeps serving the last good one.

    Raises:
        StoreUnusable: nothing loaded yet, a damaged store, or one loaded for another base IRI.
    """
    root = location(settings)
    current = root / "current"
    if not current.exists():
        raise StoreUnusable(f"{root}: no data loaded yet; run `ldpub load --store {settings.store}`")
    folder = current.resolve()  # pin the generation: a later swap does not move this server
    store = OnDiskStore(folder / "oxigraph")
    manifest = read_manifest(folder)
    if manifest.base_iri != settings.base_iri:
        raise StoreUnusable(f"{root} holds data for the base IRI {manifest.base_iri}, "
                            f"not {settings.base_iri}")
    _probe(store.path, set(manifest.stats.graphs))
    staged = Staged(
        store=None,
        files=tuple(SourceFile(Path(f["path"]), f["role"], f["graph"]) for f in manifest.files),
        data_graphs=manifest.data_graphs,
        derived_graph=manifest.derived_graph,
        ontology_graph=manifest.ontology_graph,
        shapes_graph=manifest.shapes_graph,
        prefixes=manifest.prefixes,
        version=manifest.version,
        graph_files=manifest.graph_files,
    )
    snapshot = Snapshot(store=store, version=manifest.version,
                        loaded_at=manifest.loaded_at, report=manifest.report, staged=staged,
                        stats=manifest.stats)
    return precomputed.prepared(snapshot, precomputed.read(folder, manifest.version))


def _probe(path: Path, graphs: set[str]) -> None:
    """Open the generation in a child process and read its graph names, as a server's
    workers will; raise ``StoreUnusable`` with what went wrong."""
    reader, writer = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns about forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child only reports, and leaves without running any exit handler
        try:
            os.close(reader)
            os.write(writer, (_problem_of(path, graphs) or READABLE).encode()[:PIPE_BUF])
        finally:
            os._exit(0)
    os.close(writer)
    try:
        answer = _answer(reader, pid)
    finally:
        os.close(reader)
    if answer != READABLE:
        raise StoreUnusable(f"{path.parent}: the store cannot be opened: {answer}")


def _answer(reader: int, pid: int) -> str:
    """What the probing child reported, once it has left."""
    answered = select.select([reader], [], [], PROBE_SECONDS)[0]
    if not answered:
        os.kill(pid, signal.SIGKILL)
    answer = os.read(reader, PIPE_BUF).decode(errors="replace") if answered else \
        f"opening it took more than {PROBE_SECONDS} s"
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # reaped already: a gunicorn master reaps every child
        pass
    return answer or "the process that opened it died"


def _problem_of(path: Path, graphs: set[str]) -> str:
    """What stops reading the generation at ``path``, or an empty string."""
    try:
        store = ox.Store.read_only(str(path))
        found = {g.value for g in store.named_graphs()}
    except Exception as error:  # noqa: BLE001 -- any failure is the answer
        return f"{type(error).__name__}: {error}"
    missing = graphs - found
    return f"{len(missing)} recorded graph(s) missing, e.g. {min(missing)}" if missing else ""


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


def _remove_partials(root: Path) -> None:
    """Remove what killed loads left. Called under the load lock: no other load is
    writing, and a load that died released the lock with its process."""
    for partial in (root / "generations").glob(".*.partial"):
        log.warning("removing %s, left by a load that did not finish", partial)
        shutil.rmtree(partial, ignore_errors=True)


def _prune(root: Path) -> None:
    """Drop generations (and their dumps) older than the last ``KEEP_GENERATIONS``,
    except those a server still holds."""
    generations = sorted(p for p in (root / "generations").iterdir()
                         if p.is_dir() and not p.name.startswith("."))
    kept = generations[-KEEP_GENERATIONS:]
    for old in generations[:-KEEP_GENERATIONS]:
        if not _remove_unless_held(old):
            kept.append(old)
    versions = {p.name.rsplit("-", 1)[-1] for p in kept}
    dumps = root / "dumps"
    if dumps.is_dir():
        for folder in dumps.iterdir():
            if folder.is_dir() and folder.name not in versions:
                shutil.rmtree(folder, ignore_errors=True)


def _remove_unless_held(generation: Path) -> bool:
    """Remove the generation unless a server process holds its readers lock.

    The exclusive lock is kept while the folder goes, so a server opening it meanwhile
    waits, then finds it gone (and keeps what it serves)."""
    try:
        readers = (generation / READERS_FILE).open("rb")
    except FileNotFoundError:  # loaded by an older version, which took no lock
        readers = None
    try:
        if readers is not None:
            fcntl.flock(readers, fcntl.LOCK_EX | fcntl.LOCK_NB)
        shutil.rmtree(generation, ignore_errors=True)
        return True
    except BlockingIOError:
        log.info("keeping %s: a server still reads it", generation)
        return False
    finally:
        if readers is not None:
            readers.close()
