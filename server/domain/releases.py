"""Releases: published data versions that stay citable, with their dumps and checksums.

A release freezes one data version under an identifier (its date, ``2026-12-05``, then
``2026-12-05.2`` for a second one that day): its dumps, the SHA-256 of each, and a
fingerprint of every resource's description, from which the change feed and the
sitemap's ``lastmod`` are computed without keeping old stores. Releases live in a folder
of their own (``registry.release_root``), one sub-folder each::

    RELEASES/<name>/release.json        identifier, date, data version, previous release
    RELEASES/<name>/resources.json      IRI -> [fingerprint, release in which it last changed]
    RELEASES/<name>/dataset.<ext>.gz    the dumps, with their ``.json`` sidecars (``dumps``)

A release is written under a temporary name and renamed whole, so a failed one leaves
nothing behind, and files never change once written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from server.domain import harvest, iris
from server.domain.dumps import DUMP_FORMATS, Dump, DumpCache
from server.domain.loading import Snapshot

__all__ = ["Release", "ReleaseExists", "make_release", "read_releases", "fingerprints",
           "is_release_name"]

RELEASE_FILE = "release.json"
RESOURCES_FILE = "resources.json"
NAME = re.compile(r"\d{4}-\d{2}-\d{2}(\.\d+)?")


class ReleaseExists(ValueError):
    """The data version is already the newest release: nothing new to record."""


@dataclass(frozen=True)
class Release:
    """One recorded data version."""

    name: str
    issued: datetime
    version: str
    previous: str | None
    quads: int
    dumps: tuple[Dump, ...]
    # IRI -> (fingerprint of its description, name of the release in which it last changed)
    resources: MappingProxyType[str, tuple[str, str]] = field(repr=False)


def is_release_name(text: str) -> bool:
    """
    >>> is_release_name("2026-12-05"), is_release_name("2026-12-05.2"), is_release_name("../x")
    (True, True, False)
    """
    return NAME.fullmatch(text) is not None


def read_releases(root: Path | None) -> tuple[Release, ...]:
    """Every release in ``root``, oldest first; none if there is no folder."""
    if root is None or not root.is_dir():
        return ()
    found = [_read(folder) for folder in root.iterdir()
             if is_release_name(folder.name) and (folder / RELEASE_FILE).is_file()]
    return tuple(sorted(found, key=lambda r: (r.issued, r.name)))


def make_release(snapshot: Snapshot, root: Path, base_iri: str,
                 now: datetime | None = None) -> Release:
    """Record the snapshot's data version as a new release in ``root``.

    Raises:
        ReleaseExists: the newest release already holds this data version.
    """
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    known = read_releases(root)
    previous = known[-1] if known else None
    if previous is not None and previous.version == snapshot.version:
        raise ReleaseExists(f"release {previous.name} already holds data version "
                            f"{snapshot.version}")
    name = _free_name(root, now)
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        DumpCache(root).produce_all(snapshot.store, partial.name, snapshot.prefixes)
        for lock in partial.glob(".*.lock"):  # no other process writes a release's dumps
            lock.unlink()
        prints = fingerprints(snapshot, base_iri)
        before = previous.resources if previous else {}
        resources = {iri: [digest, before[iri][1] if iri in before and before[iri][0] == digest
                           else name] for iri, digest in prints.items()}
        (partial / RESOURCES_FILE).write_text(json.dumps(resources, sort_keys=True) + "\n")
        record = {"name": name, "issued": now.isoformat(), "version": snapshot.version,
                  "previous": previous.name if previous else None,
                  "quads": snapshot.stats.quads}
        (partial / RELEASE_FILE).write_text(json.dumps(record, indent=1) + "\n")
        os.replace(partial, root / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return _read(root / name)


def fingerprints(snapshot: Snapshot, base_iri: str) -> dict[str, str]:
    """The SHA-256 of each resource's description (its concise bounded description, as
    the pages and ``/data`` serve it), blank node labels left out so that the same
    statements give the same fingerprint in any store."""
    found = {}
    for key in harvest.resource_keys(snapshot.store, base_iri):
        iri = iris.resource_iri(base_iri, key.kind, key.slug)
        lines = sorted({_line(q) for q in snapshot.store.describe(iri)})
        found[iri] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return found


def _line(quad: ox.Quad) -> str:
    return " ".join("_:" if isinstance(t, ox.BlankNode) else str(t)
                    for t in (quad.subject, quad.predicate, quad.object, quad.graph_name))


def _free_name(root: Path, now: datetime) -> str:
    day = now.date().isoformat()
    name, n = day, 1
    while (root / name).exists():
        n += 1
        name = f"{day}.{n}"
    return name


def _read(folder: Path) -> Release:
    record = json.loads((folder / RELEASE_FILE).read_text())
    resources = json.loads((folder / RESOURCES_FILE).read_text())
    cache = DumpCache(folder.parent)
    dumps = tuple(d for d in (cache.known(folder.name, fmt) for fmt in DUMP_FORMATS) if d)
    return Release(name=record["name"], issued=datetime.fromisoformat(record["issued"]),
                   version=record["version"], previous=record["previous"],
                   quads=record["quads"], dumps=dumps,
                   resources=MappingProxyType({k: tuple(v) for k, v in resources.items()}))
