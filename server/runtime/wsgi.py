"""Production serving under gunicorn, with the data loaded once in the master.

``preload_app`` loads and validates before the workers fork, so they share the data
copy-on-write. On SIGHUP gunicorn calls ``on_reload`` in the master, which reloads
the publisher (refusing invalid data, or a store that does not open), then forks fresh
workers from it: each worker serves one whole version, never a mixture. Each worker opens
the store's files itself as it starts (``post_fork``; see ``store.ondisk``).

The workers are gunicorn's threaded ones with read deadlines (``httpworker``): a slow
client holds a thread for at most ``header_timeout`` seconds, then gets a 408.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from server.runtime.httpworker import GuardedThreadWorker

__all__ = ["GunicornServer", "REQUEST_LIMITS"]

# What one request may hold before a byte of it reaches the application (gunicorn answers
# 414 or 431 itself). A request line of up to 8 KiB, gunicorn's largest, so that a SPARQL
# query of a few kilobytes still fits in a GET URL (the query page POSTs longer ones); at
# most 100 header fields of 8 KiB each, which no browser or SPARQL client comes near.
# Bodies are limited by the application (``MAX_CONTENT_LENGTH``, 413).
REQUEST_LIMITS: dict[str, int] = {
    "limit_request_line": 8190,
    "limit_request_fields": 100,
    "limit_request_field_size": 8190,
}


class GunicornServer(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        defaults = {**REQUEST_LIMITS, "worker_class": GuardedThreadWorker}
        for key, value in {**defaults, **self.options}.items():
            if value is not None:
                self.cfg.set(key, value)
        self.cfg.set("preload_app", True)
        self.cfg.set("on_reload", self._on_reload)
        self.cfg.set("post_fork", self._post_fork)
        # gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl), so a
        # second instance would take over the first one's; `ldpub reload` uses the pid file.
        self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        """The application, its templates compiled now: the workers fork with them, so
        none of them compiles a template on its first page (0.2 s for the home page)."""
        environment = self.application.jinja_env
        for name in environment.list_templates(extensions=("html", "xml")):
            environment.get_template(name)
        return self.application

    def _on_reload(self, arbiter) -> None:
        self.application.extensions["publisher"].reload()

    def _post_fork(self, arbiter, worker) -> None:
        """Each worker opens the store for itself: the master never opens an on-disk one."""
        self.application.extensions["publisher"].after_fork()
