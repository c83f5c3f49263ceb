"""The Flask application: ``create_app`` builds everything explicitly; nothing happens at import time."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from server.domain.loading import Snapshot
from server.runtime.publisher import Publisher
from server.settings import Settings
from server.store import StoreUnavailable
from server.store.registry import open_snapshot
from server.web.cache import ResponseCache
from server.web.errors import register_error_handlers
from server.web.hosts import register_host_check
from server.web.http import enable_compression, ignore_unusable_ranges

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None, *, snapshot: Snapshot | None = None) -> Flask:
    """Build the application.

    Args:
        config: settings that override ``LDPUB_*`` variables and defaults (see
            ``server.settings``); keys ``TESTING`` and other Flask keys pass through.
        snapshot: an already loaded snapshot for these settings (tests reuse one);
            otherwise the configured store is opened now (``store.registry``): the
            memory store loads and validates the sources, the others read what
            ``ldpub load`` recorded or what the remote endpoint holds.

    Raises:
        SettingsError, DataUnreadable, DatasetInvalid, ShapesUnusable, StoreUnusable:
            the app cannot start on this configuration. A remote store that cannot be
            reached is not fatal: the app answers 503 until it can.
    """
    config = dict(config or {})
    flask_keys = {k: config.pop(k) for k in list(config) if k.isupper()}
    settings = Settings.load(config)
    logging.basicConfig(level=settings.log_level_number,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask(__name__)
    app.config.update(flask_keys)
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH", 1024 * 1024)
    app.extensions["publisher"] = Publisher(settings, snapshot or _first_snapshot(settings))

    from server.web.views import register_views

    register_error_handlers(app)
    register_host_check(app, settings)
    ignore_unusable_ranges(app)
    register_views(app)
    enable_compression(app)
    app.wsgi_app = ResponseCache(app.wsgi_app, lambda: _served_version(app))
    return app


def _served_version(app: Flask) -> str | None:
    """The data version being served, or None while the store cannot be reached."""
    try:
        return app.extensions["publisher"].snapshot.version
    except StoreUnavailable:
        return None


def _first_snapshot(settings: Settings) -> Snapshot | None:
    try:
        return open_snapshot(settings)
    except StoreUnavailable as error:
        logging.getLogger(__name__).warning("starting without data, answering 503: %s", error)
        return None
