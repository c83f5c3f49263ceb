"""What every page needs, made once when a data version is loaded.

The catalogue (the home page's counts and class tree, browse lists, search), the sources
every page cites, the dataset's coverage and its dated events each take seconds to read
from a store of a million statements. Made on a worker's first request, they made every
worker's first page wait that long (26 s for the first ``/`` at 1M, per worker). So they
are made when the data is loaded: the memory store makes them before the server forks
its workers; ``ldpub load`` writes them beside the on-disk generation
(``precomputed.json``) and a server reads them as it opens it. A value missing there (a
generation an older version wrote, a remote store) is made on first use, once per
process (``server.memo``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from server.domain import catalogue, describe, pictures, schemaorg
from server.domain.loading import Snapshot
from server.domain.progress import Progress, Stage

__all__ = ["FILE", "VALUES", "Value", "made", "prepared", "read", "write"]

log = logging.getLogger(__name__)

FILE = "precomputed.json"
FORMAT = 1


@dataclass(frozen=True)
class Value:
    """One value made at load: how to make it from a snapshot, and how to keep it as JSON."""

    name: str
    make: Callable[[Snapshot, str], Any]  # (snapshot, base IRI) -> value
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


VALUES: tuple[Value, ...] = (
    Value(catalogue.PRECOMPUTED, catalogue.catalogue, catalogue.encoded, catalogue.decoded),
    Value(describe.SOURCES, lambda snapshot, _: describe.sources(snapshot),
          describe.encoded_sources, describe.decoded_sources),
    Value(schemaorg.COVERAGE, lambda snapshot, _: schemaorg.dataset_coverage(snapshot),
          schemaorg.encoded, schemaorg.decoded),
    Value(pictures.DATED_EVENTS, lambda snapshot, _: pictures.dated_events(snapshot),
          pictures.encoded_events, pictures.decoded_events),
)


def made(snapshot: Snapshot, base: str, progress: Progress | None = None) -> dict[str, Any]:
    """Every value of ``VALUES`` for ``snapshot``, made now."""
    values: dict[str, Any] = {}
    with Stage(progress, "precompute", len(VALUES), "values") as stage:
        for value in VALUES:
            stage.advance(0, note=value.name)
            values[value.name] = value.make(snapshot, base)
            stage.advance()
    return values


def prepared(snapshot: Snapshot, values: dict[str, Any]) -> Snapshot:
    """``snapshot`` holding ``values``, which its pages read instead of the store."""
    return replace(snapshot, precomputed=MappingProxyType(dict(values)))


def write(folder: Path, version: str, values: dict[str, Any]) -> None:
    """Keep ``values`` of data version ``version`` in ``folder`` (a generation being written)."""
    document = {"format": FORMAT, "version": version,
                "values": {v.name: v.encode(values[v.name]) for v in VALUES}}
    (folder / FILE).write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                               encoding="utf-8")


def read(folder: Path, version: str) -> dict[str, Any]:
    """The values kept in ``folder`` for data version ``version``.

    They only spare work: a file that is missing, unreadable or of another version is
    logged and yields nothing, and each value is then made on first use.
    """
    path = folder / FILE
    started = time.perf_counter()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT or document.get("version") != version:
            log.warning("%s: written for another format or data version; its values will be "
                        "made on first use", path)
            return {}
        kept = document["values"]
        values = {v.name: v.decode(kept[v.name]) for v in VALUES if v.name in kept}
    except FileNotFoundError:
        log.info("%s: none (an older load); the values will be made on first use", path)
        return {}
    except (OSError, ValueError, LookupError, TypeError, AttributeError, RecursionError) as error:
        log.warning("%s cannot be read (%s: %s); its values will be made on first use",
                    path, type(error).__name__, error)
        return {}
    log.info("read %d precomputed values from %s in %.2f s", len(values), path,
             time.perf_counter() - started)
    return values
