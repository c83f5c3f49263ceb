"""Production serving under gunicorn, with the data loaded once in the master.

``preload_app`` loads and validates before the workers fork, so they share the data
copy-on-write. On SIGHUP gunicorn calls ``on_reload`` in the master, which reloads
the publisher (refusing invalid data), then forks fresh workers from it: each worker
serves one whole version, never a mixture.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

__all__ = ["GunicornServer"]


class GunicornServer(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)
        self.cfg.set("preload_app", True)
        self.cfg.set("on_reload", self._on_reload)

    def load(self) -> Flask:
        return self.application

    def _on_reload(self, arbiter) -> None:
        self.application.extensions["publisher"].reload()
