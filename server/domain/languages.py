"""The languages the data is published in.

A label is chosen in the reader's one, else in the other (``labels``); a query's
language parameter offers them by name (``canned``); the site's own words
(``server.web.i18n``) are written in each, so a reader may choose any of them.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "LANGUAGE_NAMES"]

LANGUAGES: tuple[str, ...] = ("en", "fr")
# Each language in its own words, as a picker offers it.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
