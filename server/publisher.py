"""The one object a running app holds: settings and the published snapshot.

Requests read ``publisher().snapshot`` once and use that object throughout, so a reload
(which swaps one reference, and only for data that conforms) is never seen half-done.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import current_app

from .loading import DatasetInvalid, DataUnreadable, Snapshot, load_snapshot
from .settings import Settings
from .validation import ShapesUnusable

__all__ = ["Publisher", "ReloadOutcome", "publisher", "LOAD_ERRORS"]

log = logging.getLogger(__name__)

LOAD_ERRORS = (DataUnreadable, DatasetInvalid, ShapesUnusable)


@dataclass(frozen=True)
class ReloadOutcome:
    reloaded: bool
    version: str
    message: str


class Publisher:
    def __init__(self, settings: Settings, snapshot: Snapshot) -> None:
        self.settings = settings
        self._snapshot = snapshot
        self._lock = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def reload(self) -> ReloadOutcome:
        """Load the configured data again; publish it only if it conforms."""
        with self._lock:
            try:
                fresh = load_snapshot(self.settings)
            except LOAD_ERRORS as error:
                details = [str(error)]
                if isinstance(error, DatasetInvalid):
                    details += [r.line() for r in error.report.violations]
                log.error("reload refused, still serving version %s: %s",
                          self._snapshot.version, "\n  ".join(details))
                return ReloadOutcome(False, self._snapshot.version, "\n".join(details))
            self._snapshot = fresh
            log.info("reloaded: now serving version %s", fresh.version)
            return ReloadOutcome(True, fresh.version, "reloaded")


def publisher() -> Publisher:
    """The publisher of the app handling the current request."""
    return current_app.extensions["publisher"]
