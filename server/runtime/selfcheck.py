"""``ldpub serve --self-check``: the server checks its own contract once it listens.

The check runs in a process of its own, started by gunicorn's master when the workers
are ready (``when_ready``) and never waited for, at a lower CPU priority: it is one more
HTTP client of the server, so no request waits for it, and it sees what any client
sees. It writes its results as EARL to the checks file that ``/checks`` shows.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["NICENESS", "own_url", "start_self_check"]

NICENESS = 10
_LOG = logging.getLogger(__name__)


def own_url(host: str, port: int, public_url: str | None) -> str:
    """The URL clients use: the public one behind a proxy, else the bound address
    (a wildcard address checked through loopback).

    >>> own_url("0.0.0.0", 8080, None), own_url("::", 80, None)
    ('http://127.0.0.1:8080/', 'http://[::1]:80/')
    >>> own_url("127.0.0.1", 8080, "https://data.example.org/")
    'https://data.example.org/'
    """
    if public_url:
        return public_url
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def start_self_check(url: str, earl_file: Path, base_iri: str) -> subprocess.Popen:
    """Start ``ldpub check url --earl earl_file`` in the background."""
    command = [sys.executable, "-m", "server", "check", url, "--earl", str(earl_file),
               "--base-iri", base_iri]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               preexec_fn=lambda: os.nice(NICENESS), close_fds=True)
    _LOG.info("self-check of %s started (process %d); results at /checks, from %s",
              url, process.pid, earl_file)
    return process
