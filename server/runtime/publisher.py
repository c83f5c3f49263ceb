"""The one object a running app holds: settings and the published snapshot.

Requests read ``publisher().snapshot`` once and use that object throughout, so a reload
(which swaps one reference, and only for data that conforms) is never seen half-done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from server.domain.loading import DatasetInvalid, DataUnreadable, Snapshot
from server.domain.validation import ShapesUnusable
from server.settings import Settings
from server.store import StoreUnavailable, StoreUnusable
from server.store.registry import open_snapshot

__all__ = ["Publisher", "ReloadOutcome", "publisher", "LOAD_ERRORS"]

log = logging.getLogger(__name__)

LOAD_ERRORS = (DataUnreadable, DatasetInvalid, ShapesUnusable, StoreUnusable, StoreUnavailable)
RETRY_SECONDS = 5


@dataclass(frozen=True)
class ReloadOutcome:
    reloaded: bool
    version: str
    message: str
    at: datetime


class Publisher:
    """Holds the published snapshot of the configured store (``store.registry``).

    A remote store that cannot be reached at start leaves the publisher without a
    snapshot: requests are answered 503 (``StoreUnavailable``) and the store is tried
    again, at most every ``RETRY_SECONDS``, until it answers.
    """

    def __init__(self, settings: Settings, snapshot: Snapshot | None,
                 opener: Callable[[Settings], Snapshot] = open_snapshot) -> None:
        self.settings = settings
        self._snapshot = snapshot
        self._open = opener
        self._lock = threading.Lock()
        self._next_attempt = 0.0
        self.refused: ReloadOutcome | None = None  # the last reload, if it was refused

    @property
    def snapshot(self) -> Snapshot:
        snapshot = self._snapshot
        return snapshot if snapshot is not None else self._first_snapshot()

    def _first_snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None:
                if time.monotonic() < self._next_attempt:
                    raise StoreUnavailable("the store could not be reached; retrying",
                                           RETRY_SECONDS)
                try:
                    self._snapshot = self._open(self.settings)
                except StoreUnavailable:
                    self._next_attempt = time.monotonic() + RETRY_SECONDS
                    raise
                log.info("store reached: now serving version %s", self._snapshot.version)
            return self._snapshot

    def reload(self) -> ReloadOutcome:
        """Load the configured data again; publish it only if it conforms and opens.

        Whatever goes wrong is refused, logged and kept in ``refused`` (``/healthz``
        shows it): in a gunicorn master, an exception here would stop the server.
        """
        with self._lock:
            try:
                fresh = self._open(self.settings)
            except LOAD_ERRORS as error:
                details = [str(error)]
                if isinstance(error, DatasetInvalid):
                    details += [r.line() for r in error.report.violations]
                return self._refuse(details)
            except Exception as error:  # noqa: BLE001 -- see the docstring
                log.exception("reload failed unexpectedly")
                return self._refuse([f"{type(error).__name__}: {error}"])
            self._snapshot = fresh
            self.refused = None
            log.info("reloaded: now serving version %s", fresh.version)
            return ReloadOutcome(True, fresh.version, "reloaded", _now())

    def _refuse(self, details: list[str]) -> ReloadOutcome:
        current = self._snapshot.version if self._snapshot else "(none)"
        log.error("reload refused, still serving version %s: %s", current,
                  "\n  ".join(details))
        self.refused = ReloadOutcome(False, current, "\n".join(details), _now())
        return self.refused

    def after_fork(self) -> None:
        """Open the served store in this freshly forked server process, before requests
        come (a store whose handles cannot cross a fork opens them here)."""
        attach = getattr(self._snapshot.store, "attach", None) if self._snapshot else None
        if attach is not None:
            try:
                attach()
            except (StoreUnavailable, StoreUnusable) as error:  # /healthz and pages say so
                log.error("this server process cannot read the store: %s", error)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def publisher() -> Publisher:
    """The publisher of the app handling the current request."""
    return current_app.extensions["publisher"]
