"""The query runner: a time limit that holds, and a bounded number of queries at once.

Each server process (a gunicorn worker, the development server, a test) has one runner.
A query waits for one of ``max_concurrent_queries`` slots, in a queue as long as that and
for at most ``query_timeout`` and a second (``admission``; past either bound a
``TooManyQueries`` 503 with ``Retry-After``), then runs in a worker process of the pool
for the published data version (``pool``). A query past ``query_timeout`` gets its worker killed and a
``QueryTimeout``; the next query finds another worker or forks a fresh one at once.

Pools are made in the process that uses them, by ``prepare``, which the app calls
before every request (``views.sparql``): under gunicorn the app is built in the master
before the workers fork (``preload_app``), so a pool made there would be shared by every
worker. A pool found with another process id is dropped (its workers belong to that
process), one with another data version is retired (a reload publishes a new immutable
snapshot, and the workers must hold it). Making a pool forks its zygote (``pool``),
and that fork waits at the ``GATE`` until no other request of this process is inside
the engine: every request but a SPARQL query passes the gate as a reader
(``views.sparql`` installs the hooks), and a fork closes it for a few milliseconds.

Stores that cannot live through ``fork`` (``query_isolation`` other than ``"fork"``,
such as a remote SPARQL endpoint, which holds connections) run the query in the
request's thread, under that store's own time limit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from server.domain.loading import Snapshot
from server.problems import (
    BadQuery,
    FormatUnusable,
    PublisherError,
    QueryRejected,
    QueryTimeout,
    QueryTooCostly,
    ResultTooLarge,
    ServiceUnavailable,
)
from server.settings import Settings
from server.sparql.admission import KILL_GRACE, Admission
from server.sparql.execution import Answer, Job, execute
from server.sparql.pool import WorkerLost, WorkerPool, WorkerTimeout

__all__ = ["GATE", "Failure", "ForkGate", "QueryRunner"]

log = logging.getLogger(__name__)

FORK = "fork"
# The errors a worker reports by name; anything else it reports is a server fault.
_REPORTED = {cls.__name__: cls for cls in (BadQuery, QueryRejected, ResultTooLarge,
                                           ServiceUnavailable, FormatUnusable)}


# How long a fork waits for the requests inside the engine to leave it.
FORK_PATIENCE = 2.0


class ForkGate:
    """Lets this process fork only while no other thread is inside the engine.

    Readers (requests that may query the store in this process) pass freely unless a
    fork is waiting; a fork waits for the readers inside to leave (writer first, so a
    steady stream of requests cannot starve it), for at most ``patience`` seconds.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._forking = False

    def enter(self) -> None:
        with self._cond:
            while self._forking:
                self._cond.wait()
            self._readers += 1

    def leave(self) -> None:
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    @contextmanager
    def reading(self) -> Iterator[None]:
        self.enter()
        try:
            yield
        finally:
            self.leave()

    @contextmanager
    def closed(self, patience: float) -> Iterator[bool]:
        """Hold the readers out; yields whether every reader left in time."""
        with self._cond:
            while self._forking:
                self._cond.wait()
            self._forking = True
            deadline = time.monotonic() + patience
            while self._readers and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)
            quiet = not self._readers
        try:
            yield quiet
        finally:
            with self._cond:
                self._forking = False
                self._cond.notify_all()


# One per process: a fork copies the whole process, whichever app its threads serve.
GATE = ForkGate()


class Failure:
    """What a worker sends back instead of an answer: an error, by class name."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message

    def error(self) -> PublisherError:
        cls = _REPORTED.get(self.name)
        if cls is None:
            log.error("a query worker failed: %s: %s", self.name, self.message)
            return ServiceUnavailable("the query failed inside the engine; it has been logged.")
        return cls(self.message)


class QueryRunner:
    """Runs queries for one app, under its time and concurrency limits."""

    def __init__(self, settings: Settings) -> None:
        self.timeout = settings.query_timeout
        self.network = bool(settings.service_hosts)  # workers may call allowed SERVICEs
        self.memory = settings.query_memory
        self._admission = Admission(settings.max_concurrent_queries,
                                    queue=settings.max_concurrent_queries,
                                    patience=settings.query_timeout + KILL_GRACE)
        self._lock = threading.Lock()
        self._pools: dict[str, WorkerPool] = {}  # one entry, "current"; a dict for finalize
        weakref.finalize(self, _retire_all, self._pools)

    def run(self, snapshot: Snapshot, job: Job) -> Answer:
        """The answer to ``job`` over ``snapshot``.

        Raises:
            TooManyQueries: every slot stayed busy (``admission``).
            QueryTimeout: the query ran past the time limit and was stopped.
            BadQuery, QueryRejected, ResultTooLarge: from the query itself.
        """
        with self._admission.admitted():
            if getattr(snapshot.store, "query_isolation", None) != FORK:
                return execute(snapshot.store, snapshot.prefixes, job)
            return self._in_worker(snapshot, job)

    def close(self) -> None:
        """Stop this process's workers (tests, shutdown)."""
        _retire_all(self._pools)

    def workers(self) -> int:
        """How many worker processes this process has now (for tests and monitoring)."""
        pool = self._pools.get("current")
        return len(pool) if pool is not None and pool.pid == os.getpid() else 0

    def prepare(self, snapshot: Snapshot) -> WorkerPool | None:
        """The worker pool for this process and data version, made now if need be."""
        if getattr(snapshot.store, "query_isolation", None) != FORK:
            return None
        pool = self._pools.get("current")
        if pool is not None and pool.pid == os.getpid() and pool.version == snapshot.version:
            return pool
        with self._lock:
            pool = self._pools.get("current")
            if pool is not None and pool.pid == os.getpid():
                if pool.version == snapshot.version:
                    return pool
                pool.retire()
            with GATE.closed(FORK_PATIENCE) as quiet:
                if not quiet:
                    log.warning("forking the query processes while a request is still "
                                "reading the store")
                fresh = WorkerPool(snapshot.version, _server_for(snapshot), self.timeout,
                                   network=self.network, memory=self.memory)
            if not (fresh.network_closed or self.network):
                log.warning("query workers keep network access: this system does not let "
                            "them have a network namespace of their own")
            self._pools["current"] = fresh
            return fresh

    def _in_worker(self, snapshot: Snapshot, job: Job) -> Answer:
        pool = self.prepare(snapshot)
        try:
            worker = pool.take()
        except WorkerLost as error:
            self._drop(pool)
            log.error("the query process pool was lost (%s); a new one will be made", error)
            raise ServiceUnavailable("the query processes had to be restarted; "
                                     "try again.", retry_after=1) from None
        started = time.monotonic()
        try:
            outcome = worker.ask(job, self.timeout)
        except WorkerTimeout:
            pool.discard(worker)
            raise QueryTimeout(
                f"the query ran longer than the {self.timeout:g} s limit of this endpoint "
                f"and was stopped after {time.monotonic() - started:.1f} s; "
                "narrow it down (fewer patterns, a LIMIT, more selective filters)."
            ) from None
        except WorkerLost as error:
            pool.discard(worker)
            if pool.out_of_memory(worker):
                raise self._too_costly() from None
            log.warning("a query worker was lost (%s) on: %.200r", error, job.text)
            raise ServiceUnavailable("the query stopped the process running it; "
                                     "it has been logged.") from None
        pool.give_back(worker)
        if isinstance(outcome, Failure):
            if outcome.name == MemoryError.__name__:
                raise self._too_costly()
            raise outcome.error()
        return outcome

    def _too_costly(self) -> QueryTooCostly:
        return QueryTooCostly(
            f"the query needed more than the {self.memory // 1024**2} MiB of memory one "
            "query may take on this endpoint, and was stopped; narrow it down (fewer "
            "patterns, more selective filters, no ORDER BY over a large result).")

    def _drop(self, pool: WorkerPool) -> None:
        with self._lock:
            if self._pools.get("current") is pool:
                del self._pools["current"]
        pool.retire()


def _server_for(snapshot: Snapshot):
    """What a worker does with a job: answer it, or report the error by name."""
    store, prefixes = snapshot.store, snapshot.prefixes

    def serve(job: Job) -> Any:
        try:
            return execute(store, prefixes, job)
        except PublisherError as error:
            return Failure(type(error).__name__, error.message)
        except Exception as error:  # noqa: BLE001 -- a fault: the server logs it, answers 503
            return Failure(type(error).__name__, str(error))

    return serve


def _retire_all(pools: dict[str, WorkerPool]) -> None:
    pool = pools.pop("current", None)
    if pool is not None and pool.pid == os.getpid():
        pool.retire()
