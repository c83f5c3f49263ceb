"""An app on a real socket of 127.0.0.1, for clients that speak HTTP (rdflib, requests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from werkzeug.serving import make_server


def serving(app) -> Iterator[str]:
    """``app`` served from a thread: its URL, then, when resumed, stop it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["sparql"].close()
