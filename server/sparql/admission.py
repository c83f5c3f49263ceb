"""Which queries may run now, which may wait, and for how long.

A query holds the server thread that received it for as long as it runs (the engine works
in a worker process; the thread waits for its answer). So the threads that pages and
``/healthz`` need stay free only if queries can take no more than a fixed share of them:
at most ``slots`` run at once, at most ``queue`` more wait, each for at most ``patience``
seconds; any other query is refused at once with a 503 and ``Retry-After``. A server
process with ``threads`` threads keeps ``threads - slots - queue`` of them for everything
else (``ldpub serve`` checks that this is positive).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from server.problems import TooManyQueries

__all__ = ["Admission", "KILL_GRACE", "RETRY_AFTER"]

# Seconds a refused client is told to wait: a slot frees up as soon as any query ends.
RETRY_AFTER = 1
# A query in the queue waits for the time limit of the one it waits for, and this much more
# for that one to be stopped and its slot given back.
KILL_GRACE = 1.0


class Admission:
    """Slots for running queries and a short, bounded queue in front of them."""

    def __init__(self, slots: int, queue: int, patience: float) -> None:
        self.slots, self.queue, self.patience = slots, queue, patience
        self._cond = threading.Condition()
        self._running = 0
        self._waiting = 0

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """Hold a slot while the block runs.

        Raises:
            TooManyQueries: the queue is full, or no slot freed up within ``patience``.
        """
        self._enter()
        try:
            yield
        finally:
            self._leave()

    def _enter(self) -> None:
        with self._cond:
            if self._running >= self.slots and self._waiting >= self.queue:
                raise TooManyQueries("every query slot of this server process is busy and "
                                     "enough queries are waiting; try again in a moment.",
                                     retry_after=RETRY_AFTER)
            self._waiting += 1
            try:
                free = self._cond.wait_for(lambda: self._running < self.slots,
                                           timeout=self.patience)
            finally:
                self._waiting -= 1
            if not free:
                raise TooManyQueries(f"no query slot of this server process freed up within "
                                     f"{self.patience:g} s; try again in a moment.",
                                     retry_after=RETRY_AFTER)
            self._running += 1

    def _leave(self) -> None:
        with self._cond:
            self._running -= 1
            self._cond.notify()
