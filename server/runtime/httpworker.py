"""The gunicorn worker of ``ldpub serve``: threads that a slow or malformed request cannot hold.

gunicorn's threaded worker already waits for a connection's first bytes in its event loop,
without a thread. Past that, a thread reads the request head and the application reads
the body, both with blocking reads and no end: a client that trickles one header line
every few seconds (or a body byte) keeps that thread as long as it likes. This worker adds:

- a deadline for the head (``header_timeout``, from the first byte) and one for the body
  (``body_timeout``, from the moment the application is called); past either the client
  gets ``408 Request Timeout`` (RFC 9110 §15.5.9) and the connection is closed;
- a chunked body whose announced chunk is larger than the application accepts
  (``MAX_CONTENT_LENGTH``) is refused at once with 400 instead of being waited for, and a
  malformed chunk met while the application reads is a 400, not a 500;
- the error pages gunicorn writes itself (400, 408, 414, 431…) carry the security headers
  every other response has (``security``).
"""

from __future__ import annotations

import time
from typing import Any

from gunicorn import util
from gunicorn.http.body import ChunkedReader
from gunicorn.http.errors import InvalidChunkSize, ParseException
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import BadRequest, RequestTimeout

from server.web.security import SECURITY_HEADERS

__all__ = ["GuardedThreadWorker", "ReadTimeout", "READ_TIMEOUTS", "guarded_worker"]

# Seconds a client has to send a request head once it started, and a request body once the
# application asks for it. nginx waits 60 s between two reads; a total bound is stricter and
# still far above what a real client on a slow link needs for 8 KiB of head or 1 MiB of body.
READ_TIMEOUTS: dict[str, float] = {"header_timeout": 10.0, "body_timeout": 30.0}
_SECURITY_LINES = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items())


class ReadTimeout(Exception):
    """The client did not send its request (head or body) before the deadline."""


class DeadlineSocket:
    """A client socket whose reads fail with ``ReadTimeout`` once a deadline has passed.

    Everything but ``recv`` goes to the socket itself: gunicorn's parser and response
    writer use this object wherever they used the socket.
    """

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._deadline: float | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def limit(self, seconds: float | None) -> None:
        """Reads from now on must be done within ``seconds`` (None: no deadline)."""
        self._deadline = None if seconds is None else time.monotonic() + seconds

    def recv(self, size: int, *flags: int) -> bytes:
        if self._deadline is None:
            return self._sock.recv(size, *flags)
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise ReadTimeout()
        previous = self._sock.gettimeout()
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            raise ReadTimeout() from None
        finally:
            self._sock.settimeout(previous)


class BoundedChunkedReader(ChunkedReader):
    """gunicorn's chunked-body reader, refusing a chunk larger than the whole body may be."""

    def __init__(self, req: Any, unreader: Any, largest: int) -> None:
        super().__init__(req, unreader)
        self.largest = largest

    def parse_chunk_size(self, unreader: Any, data: bytes | None = None):
        size, rest = super().parse_chunk_size(unreader, data)
        if size > self.largest:
            raise InvalidChunkSize(b"a chunk larger than the largest body accepted")
        return size, rest


class GuardedInput:
    """``wsgi.input`` whose read errors are HTTP errors the application answers (400, 408)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def _guarded(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self._body, method)(*args)
        except ReadTimeout:
            raise RequestTimeout("the request body did not arrive in time.") from None
        except ParseException as error:
            raise BadRequest(f"the request body is malformed: {error}") from None

    def read(self, *args: Any) -> bytes:
        return self._guarded("read", *args)

    def readline(self, *args: Any) -> bytes:
        return self._guarded("readline", *args)

    def readlines(self, *args: Any) -> list[bytes]:
        return self._guarded("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")


class GuardedThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker with read deadlines, bounded chunks and secure errors."""

    header_timeout = READ_TIMEOUTS["header_timeout"]
    body_timeout = READ_TIMEOUTS["body_timeout"]
    largest_body: int | None = None  # None: the application's MAX_CONTENT_LENGTH

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app = self.wsgi
        largest = (self.largest_body
                   or (getattr(app, "config", None) or {}).get("MAX_CONTENT_LENGTH") or 2**31)

        def guarded(environ: dict, start_response: Any) -> Any:
            body = environ["wsgi.input"]
            reader = getattr(body, "reader", None)
            if type(reader) is ChunkedReader:  # noqa: E721 -- exactly gunicorn's, not ours
                body.reader = BoundedChunkedReader(reader.req, reader.req.unreader, largest)
            environ["wsgi.input"] = GuardedInput(body)
            sock = environ.get("gunicorn.socket")
            if isinstance(sock, DeadlineSocket):
                sock.limit(self.body_timeout)
            return app(environ, start_response)

        self.wsgi = guarded

    def handle(self, conn: Any) -> Any:
        if not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket(conn.sock)
        conn.sock.limit(self.header_timeout)
        try:
            return super().handle(conn)
        finally:
            conn.sock.limit(None)  # keep-alive waits are the event loop's, with its own timeout

    def handle_request(self, req: Any, conn: Any) -> bool:
        try:
            keep = super().handle_request(req, conn)
        finally:
            conn.sock.limit(None)  # gunicorn drains what is left of the body, bounded itself
        # A body cut off by its deadline leaves the connection at an unknown place.
        return keep and not getattr(req.body, "failed", False)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, ReadTimeout):
            self.log.info("request from %s not received in time: 408", (addr or ("",))[0])
            page = b"<html><body><h1>Request Timeout</h1></body></html>\n"
            head = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                    f"Content-Type: text/html\r\nContent-Length: {len(page)}\r\n")
            _send(client, head.encode("latin-1") + b"\r\n" + page)
            return
        captured = _Captured()
        super().handle_error(req, captured, addr, exc)
        _send(client, captured.data)


def guarded_worker(header_timeout: float, body_timeout: float,
                   largest_body: int | None = None) -> type[GuardedThreadWorker]:
    """The worker class with these deadlines and this largest body (gunicorn takes a
    class, not an instance)."""
    return type("GuardedThreadWorker", (GuardedThreadWorker,),
                {"header_timeout": header_timeout, "body_timeout": body_timeout,
                 "largest_body": largest_body})


class _Captured:
    """Stands for the client socket while gunicorn writes an error page, to add headers."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data


def _send(client: Any, response: bytes) -> None:
    """Write a response gunicorn built (or ours), with the security headers added."""
    status, _, rest = response.partition(b"\r\n")
    if not status:
        return
    try:
        util.write_nonblock(client, status + b"\r\n" + _SECURITY_LINES.encode("latin-1") + rest)
    except OSError:
        pass  # the client left
