"""URL converters from the IRI policy: a bad kind or slug is a 404 before any view runs.

``kind`` matches exactly the kinds of ``iris.KINDS`` and ``slug`` the slug pattern, so
routes such as ``/id/<kind:kind>/<slug:slug>`` accept only IRIs we could have minted
(no dots, no slashes, no upper case: no path traversal reaches a view).
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import BaseConverter

from server.domain.iris import KINDS, SLUG_PATTERN

__all__ = ["CONVERTERS", "KindConverter", "SlugConverter", "register_converters"]


class KindConverter(BaseConverter):
    regex = "(?:" + "|".join(re.escape(kind) for kind in KINDS) + ")"


class SlugConverter(BaseConverter):
    regex = SLUG_PATTERN


CONVERTERS: dict[str, type[BaseConverter]] = {"kind": KindConverter, "slug": SlugConverter}


def register_converters(app: Flask) -> None:
    """Add the converters to ``app`` (before any rule that uses them is added)."""
    for name, converter in CONVERTERS.items():
        app.url_map.converters.setdefault(name, converter)
