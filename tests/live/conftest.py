"""Real servers on 127.0.0.1: the production command in a subprocess, on a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    def __init__(self, args: list[str], cwd: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pidfile = cwd / "server.pid"
        self.log = log
        command = [sys.executable, "-m", "server", *args, "--port", str(self.port)]
        if args[0] == "serve":
            command += ["--pid", str(self.pidfile)]
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self._log_file,
                                        stderr=subprocess.STDOUT)

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).ok:
                    return
            except requests.RequestException:  # not listening yet, or slow to answer
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not answer in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log_file.close()


@pytest.fixture
def start_server(tmp_path) -> Iterator:
    started: list[ServerProcess] = []

    def start(*args: str) -> ServerProcess:
        server = ServerProcess(list(args), tmp_path, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        server.wait_until_up()
        return server

    yield start
    for server in started:
        server.stop()
