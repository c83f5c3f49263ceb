"""Security tests: the Flask test client for headers and refusals, a real socket that must
see no connection for outbound requests, the production server for size limits, and
Debian's Chromium for the Content-Security-Policy the pages must satisfy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from server import create_app


class Listener:
    """A socket on 127.0.0.1 that records every connection made to it (and answers none)."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A local host that nothing the server does for a client may reach."""
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def app(repo_snapshot):
    made = create_app({"TESTING": True}, snapshot=repo_snapshot)
    yield made
    made.extensions["sparql"].close()


@pytest.fixture
def client(app):
    return app.test_client()
