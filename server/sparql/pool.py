"""Query worker processes: forked so that they share the store, killed when they overrun.

An embedded engine cannot be interrupted mid-query, but a process can be killed. Workers
hold the published store copy-on-write (no copy, no reload), serve one query at a time
over a socket, and send back the answer's bytes; the server waits at most the time
limit, then kills the worker (SIGKILL, through a pidfd so that a recycled process id is
never hit) and takes another.

Why a zygote. Forking copies only the forking thread: a lock that another thread held
inside the engine stays locked forever in the child. Oxigraph releases the GIL while it
evaluates, so a worker forked from a busy server process can inherit such a lock and
hang (measured: a few forks in a hundred, with three threads querying). So each server
process forks one zygote per data version, at a moment when no other thread can be
using that version's store (see ``runner``), and every worker is forked from the zygote,
which never runs a query itself and has a single thread. The zygote and the workers
close every inherited descriptor but their own socket (a client socket they kept open
would never see its end), restore default signal handlers, freeze the inherited objects
out of the garbage collector, never write to the server's streams and leave with
``os._exit``.
"""

from __future__ import annotations

import gc
import math
import os
import resource
import signal
import socket
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Worker", "WorkerLost", "WorkerPool", "WorkerTimeout"]

# Memory a worker may take beyond what it shares with the server when forked; a query
# that wants more fails alone instead of pushing the machine into the OOM killer.
MEMORY_HEADROOM = 4 * 1024**3
# A worker whose server vanished mid-query ends itself this long after its time limit.
ORPHAN_GRACE = 5.0
_DEFAULT_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2",
                    "SIGWINCH", "SIGCHLD", "SIGALRM", "SIGPIPE")

Serve = Callable[[Any], Any]


class WorkerTimeout(Exception):
    """The worker did not answer within the time limit."""


class WorkerLost(Exception):
    """The worker (or the zygote) died, or could not be started."""


@dataclass
class Worker:
    pid: int
    pidfd: int
    conn: Connection

    def ask(self, job: Any, timeout: float) -> Any:
        """Send one job and wait for its answer, at most ``timeout`` seconds.

        Raises:
            WorkerTimeout: no answer in time; the caller kills the worker.
            WorkerLost: the worker is gone.
        """
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise WorkerTimeout()
            return self.conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerLost(str(error) or type(error).__name__) from None

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing (the zygote reaps it)."""
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.pidfd)
        self.conn.close()


class Zygote:
    """The process that forks the workers of one data version (see the module doc)."""

    def __init__(self, serve: Serve, hard_limit: float) -> None:
        control, theirs = socket.socketpair()
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a threaded process; see the module docstring.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the zygote never returns from here
            code = 1
            try:
                control.close()
                _zygote_loop(theirs, serve, hard_limit)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self._control = control
        self._lock = threading.Lock()

    def spawn(self) -> Worker:
        """A new worker, forked by the zygote.

        Raises:
            WorkerLost: the zygote is gone.
        """
        with self._lock:
            try:
                self._control.sendall(b"s")
                message, fds, _, _ = socket.recv_fds(self._control, 32, 1)
            except OSError as error:
                raise WorkerLost(f"the query process pool is gone: {error}") from None
        if not fds:
            raise WorkerLost("the query process pool is gone")
        pid = int(message)
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            os.close(fds[0])
            raise WorkerLost("a query worker died as it started") from None
        return Worker(pid, pidfd, Connection(fds[0]))

    def close(self) -> None:
        """End the zygote (it leaves when its control socket closes) and reap it."""
        self._control.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class WorkerPool:
    """The workers of one server process for one data version."""

    def __init__(self, version: str, serve: Serve, hard_limit: float) -> None:
        self.version = version
        self.pid = os.getpid()
        self._zygote = Zygote(serve, hard_limit)
        self._idle: list[Worker] = []
        self._count = 0
        self._lock = threading.Lock()
        self._retired = False

    def take(self) -> Worker:
        """An idle worker, or a new one."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return self._zygote.spawn()
        except WorkerLost:
            with self._lock:
                self._count -= 1
            raise

    def give_back(self, worker: Worker) -> None:
        with self._lock:
            if not self._retired:
                self._idle.append(worker)
                return
        self.discard(worker)

    def discard(self, worker: Worker) -> None:
        """Kill a worker that overran, died, or belongs to a retired pool."""
        worker.kill()
        with self._lock:
            self._count -= 1

    def retire(self) -> None:
        """Stop the zygote and the idle workers now; busy ones go when they answer."""
        with self._lock:
            if self._retired:
                return
            self._retired = True
            idle, self._idle = self._idle, []
        for worker in idle:
            self.discard(worker)
        self._zygote.close()

    def __len__(self) -> int:
        return self._count


def _zygote_loop(control: socket.socket, serve: Serve, hard_limit: float) -> None:
    _isolate(control.fileno())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    while control.recv(1):
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # a worker
            code = 1
            try:
                control.close()
                mine.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _limit_memory()
                _worker_loop(Connection(theirs.detach()), serve, hard_limit)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        socket.send_fds(control, [str(pid).encode()], [mine.fileno()])
        mine.close()


def _worker_loop(conn: Connection, serve: Serve, hard_limit: float) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone, or retired this pool
        signal.alarm(math.ceil(hard_limit + ORPHAN_GRACE))  # SIGALRM ends the process
        answer = serve(job)
        signal.alarm(0)
        try:
            conn.send(answer)
        except OSError:
            return


def _isolate(keep: int) -> None:
    """Drop what the server process had: descriptors, signal handlers, GC bookkeeping."""
    gc.freeze()
    os.closerange(3, keep)
    os.closerange(keep + 1, _max_fd())
    for name in _DEFAULT_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _max_fd() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 65536


def _limit_memory() -> None:
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + MEMORY_HEADROOM
    if hard == resource.RLIM_INFINITY or wanted < hard:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
