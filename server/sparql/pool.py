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

No network. Unless ``SERVICE`` may call some hosts (``LDPUB_SERVICE_HOSTS``), the zygote
moves into a network namespace of its own before it forks any worker
(``unshare(CLONE_NEWNET)``, with a user namespace where the process lacks the
privilege): it has no interface but a loopback that is down, so no code in a worker,
the engine's native HTTP client included, can connect anywhere, whatever the query
says. This is the second wall behind the parse check (``safety``). Where the kernel
refuses namespaces (some containers), the pool says so (``network_closed``) and the
server logs a warning.
"""

from __future__ import annotations

import ctypes
import gc
import math
import os
import resource
import signal
import socket
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Worker", "WorkerLost", "WorkerPool", "WorkerTimeout"]

# How long the zygote waits for a lost worker's exit status before giving up on it.
DEATH_PATIENCE = 1.0
# How much lower than the server process's the query workers' CPU priority is (nice(2)).
QUERY_NICENESS = 10
# A worker whose server vanished mid-query ends itself this long after its time limit.
ORPHAN_GRACE = 5.0
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
# A network namespace as such, then with a user namespace for an unprivileged process.
_NAMESPACES = (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET)
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

    def __init__(self, serve: Serve, hard_limit: float, *, network: bool, memory: int) -> None:
        control, theirs = socket.socketpair()
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a threaded process; see the module docstring.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the zygote never returns from here
            code = 1
            try:
                control.close()
                _zygote_loop(theirs, serve, hard_limit, network, memory)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self._control = control
        self._lock = threading.Lock()
        # The zygote's first word: whether its workers are cut off from the network.
        self.network_closed = control.recv(1) == b"1"

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

    def exit_status(self, pid: int) -> int | None:
        """How a lost worker ended (``os.waitstatus_to_exitcode``: minus the signal that
        killed it), or None if the zygote cannot tell."""
        with self._lock:
            try:
                self._control.sendall(b"w" + pid.to_bytes(4, "little"))
                answer = self._control.recv(5)
            except OSError:
                return None
        if len(answer) != 5 or answer[0] != 1:
            return None
        return int.from_bytes(answer[1:], "little", signed=True)

    def close(self) -> None:
        """End the zygote (it leaves when its control socket closes) and reap it."""
        self._control.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class WorkerPool:
    """The workers of one server process for one data version."""

    def __init__(self, version: str, serve: Serve, hard_limit: float, *,
                 network: bool = False, memory: int) -> None:
        """``network``: whether workers keep network access (for allowed ``SERVICE``);
        ``memory``: bytes a worker may allocate beyond what it shares when forked."""
        self.version = version
        self.pid = os.getpid()
        self._zygote = Zygote(serve, hard_limit, network=network, memory=memory)
        self.network_closed = self._zygote.network_closed
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

    def out_of_memory(self, worker: Worker) -> bool:
        """Whether a lost worker ended as the engine does when an allocation fails past
        the memory limit (it aborts: SIGABRT)."""
        return self._zygote.exit_status(worker.pid) == -signal.SIGABRT

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


def _zygote_loop(control: socket.socket, serve: Serve, hard_limit: float,
                 network: bool, memory: int) -> None:
    _isolate(control.fileno())
    _yield_to_pages()
    control.sendall(b"0" if network or not _close_network() else b"1")
    ended: dict[int, int] = {}  # worker pid -> exit code, kept until asked for
    while command := control.recv(1):
        _reap(ended)
        if command == b"w":
            pid = int.from_bytes(control.recv(4), "little")
            code = ended.pop(pid, None)
            if code is None:
                code = _wait(pid)
            control.sendall(b"\x00\x00\x00\x00\x00" if code is None
                            else b"\x01" + code.to_bytes(4, "little", signed=True))
            continue
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # a worker
            code = 1
            try:
                control.close()
                mine.close()
                _limit_memory(memory)
                _worker_loop(Connection(theirs.detach()), serve, hard_limit)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        socket.send_fds(control, [str(pid).encode()], [mine.fileno()])
        mine.close()


def _reap(ended: dict[int, int]) -> None:
    """Collect the workers that ended (killed on time-out, or lost) without waiting."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        ended[pid] = os.waitstatus_to_exitcode(status)
        if len(ended) > 1024:  # statuses nobody asked for
            ended.pop(next(iter(ended)))


def _wait(pid: int) -> int | None:
    """The exit code of a worker that is ending now, waiting at most ``DEATH_PATIENCE``."""
    deadline = time.monotonic() + DEATH_PATIENCE
    while time.monotonic() < deadline:
        try:
            found, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if found:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    return None


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


def _close_network() -> bool:
    """Move this (single-threaded) process into a new, empty network namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    return any(libc.unshare(flags) == 0 for flags in _NAMESPACES)


def _yield_to_pages() -> None:
    """Run the queries at a lower CPU priority than the server process (the workers inherit
    it from the zygote): on a machine whose cores the queries fill, pages and ``/healthz``
    still get the processor first."""
    try:
        os.nice(QUERY_NICENESS)
    except OSError:
        pass  # not allowed here: same priority as before


def _max_fd() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 65536


def _limit_memory(headroom: int) -> None:
    """Cap the address space at what the worker shares with the server plus
    ``headroom``: a query that wants more fails alone, before the machine runs short."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + headroom
    if hard == resource.RLIM_INFINITY or wanted < hard:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
