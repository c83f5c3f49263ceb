"""The store backends, one row each: how to open a snapshot, where its dumps go.

``LDPUB_STORE`` names the backend by its scheme: ``memory`` (the default: the sources
are parsed, validated and held in memory at every start), ``oxigraph:/path`` (the
on-disk store that ``ldpub load`` fills) and ``sparql+http(s)://host/path`` (a remote
SPARQL 1.1 endpoint). Everything else in the publisher sees a ``Snapshot``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from server.domain import precomputed
from server.domain.loading import Snapshot, load_snapshot
from server.domain.progress import Progress
from server.settings import Settings
from server.store import StoreUnusable, ondisk, remote
from server.store.ondisk import LoadOutcome

__all__ = ["StoreKind", "STORES", "store_kind", "open_snapshot", "dump_root",
           "release_root", "checks_path"]


@dataclass(frozen=True)
class StoreKind:
    scheme: str
    description: str
    open: Callable[[Settings], Snapshot]
    dump_root: Callable[[Settings], Path]
    # what ``ldpub load`` runs, telling its stages to the progress callback
    load: Callable[[Settings, Progress | None], LoadOutcome] | None = None


def _loaded_in_memory(settings: Settings) -> Snapshot:
    """The sources loaded and validated, with what every page needs made now (before a
    server forks its workers, who then share it)."""
    snapshot = load_snapshot(settings)
    return precomputed.prepared(snapshot, precomputed.made(snapshot, settings.base_iri))


def _shared_dump_root(settings: Settings) -> Path:
    return settings.dump_dir or Path(tempfile.gettempdir()) / "ldpub-dumps"


STORES: dict[str, StoreKind] = {
    kind.scheme: kind
    for kind in (
        StoreKind("memory", "in memory, loaded and validated from the sources at start",
                  _loaded_in_memory, _shared_dump_root),
        StoreKind(ondisk.SCHEME, "Oxigraph on disk, filled and validated by `ldpub load`",
                  ondisk.open_snapshot, lambda s: s.dump_dir or ondisk.dump_root(s),
                  load=ondisk.load),
        *(StoreKind(scheme, "a remote SPARQL 1.1 endpoint", remote.open_snapshot,
                    _shared_dump_root) for scheme in remote.SCHEMES),
    )
}


def store_kind(settings: Settings) -> StoreKind:
    scheme = settings.store.split(":", 1)[0]
    try:
        return STORES[scheme]
    except KeyError:
        raise StoreUnusable(f"unknown store {settings.store!r}; expected one of: "
                            + ", ".join(STORES)) from None


def open_snapshot(settings: Settings) -> Snapshot:
    """The published snapshot of the configured store.

    Raises:
        DataUnreadable, DatasetInvalid, ShapesUnusable: the sources of a memory store.
        StoreUnusable: an on-disk store never loaded or damaged.
        StoreUnavailable: a remote store that cannot be reached.
    """
    return store_kind(settings).open(settings)


def dump_root(settings: Settings) -> Path:
    return store_kind(settings).dump_root(settings)


def release_root(settings: Settings) -> Path | None:
    """Where releases are kept: ``release_dir``, else ``ROOT/releases`` beside an on-disk
    store's generations; None (no releases) for the other stores without the setting."""
    if settings.release_dir is not None:
        return settings.release_dir
    if store_kind(settings).scheme == ondisk.SCHEME:
        return ondisk.location(settings) / "releases"
    return None


def checks_path(settings: Settings) -> Path | None:
    """The EARL file of ``ldpub check`` results that ``/checks`` shows: ``checks_file``,
    else ``ROOT/checks.ttl`` beside an on-disk store; None for the other stores without
    the setting."""
    if settings.checks_file is not None:
        return settings.checks_file
    if store_kind(settings).scheme == ondisk.SCHEME:
        return ondisk.location(settings) / "checks.ttl"
    return None
