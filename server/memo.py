"""Values computed once per data version: bounded, thread-safe, and never twice at once.

Published data never changes under a version (a reload swaps the whole snapshot), so a
value computed from it (a description, a page model, rendered bytes) can be kept until
the version changes. A cold burst (a crawler's eight parallel requests for one page
after a restart) must not compute one value eight times: the first request computes it
and the others wait for its result.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["Memo"]

T = TypeVar("T")


class Memo(Generic[T]):
    """A bounded, thread-safe map from ``(version, key)`` to a value made once.

    ``version`` is any hashable naming the data a value was made from (the data version,
    or ``describe.scope``: the version in one store). Entries of an older version are
    dropped as soon as a newer version is asked for. Concurrent misses of one key are
    merged: one thread makes the value, the others wait for it (or for its exception).
    """

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()
        self._making: dict[tuple[Hashable, Hashable], Future[T]] = {}

    def get(self, version: Hashable, key: Hashable, make: Callable[[], T]) -> T:
        """The value for ``key`` under ``version``, made by ``make()`` when missing."""
        with self._lock:
            found = self._lookup(version, key)
            if found is not None:
                return found
            making = self._making.get((version, key))
            if making is None:
                making = self._making[(version, key)] = Future()
                first = True
            else:
                first = False
        if not first:
            return making.result()
        try:
            value = make()
        except BaseException as error:
            making.set_exception(error)
            raise
        else:
            self.put(version, key, value)
            making.set_result(value)
            return value
        finally:
            with self._lock:
                self._making.pop((version, key), None)

    def lookup(self, version: Hashable, key: Hashable) -> T | None:
        with self._lock:
            return self._lookup(version, key)

    def _lookup(self, version: Hashable, key: Hashable) -> T | None:
        if version != self._version:
            self._entries.clear()
            self._version = version
            return None
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, version: Hashable, key: Hashable, value: T) -> None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
