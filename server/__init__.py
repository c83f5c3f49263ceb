"""A linked-data publisher: SHACL-validated RDF served as resources, dumps and SPARQL.

``create_app`` builds everything explicitly; nothing happens at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .errors import register_error_handlers
from .loading import Snapshot, load_snapshot
from .publisher import Publisher, publisher
from .settings import Settings

__all__ = ["create_app", "publisher"]


def create_app(config: Mapping[str, Any] | None = None, *, snapshot: Snapshot | None = None) -> Flask:
    """Build the application.

    Args:
        config: settings that override ``LDPUB_*`` variables and defaults (see
            ``server.settings``); keys ``TESTING`` and other Flask keys pass through.
        snapshot: an already loaded snapshot for these settings (tests reuse one);
            otherwise the data is loaded and validated now.

    Raises:
        SettingsError, DataUnreadable, DatasetInvalid, ShapesUnusable: the app cannot
            start on this configuration.
    """
    config = dict(config or {})
    flask_keys = {k: config.pop(k) for k in list(config) if k.isupper()}
    settings = Settings.load(config)
    logging.basicConfig(level=settings.log_level_number,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask(__name__)
    app.config.update(flask_keys)
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH", 1024 * 1024)
    app.extensions["publisher"] = Publisher(settings, snapshot or load_snapshot(settings))

    from .views import register_views

    register_error_handlers(app)
    register_views(app)
    return app
