"""Browser tests: Debian's Chromium driven by Playwright, against a live server on a free
port of 127.0.0.1 serving the repository's data. Skipped, with the reason, where
``/usr/bin/chromium`` is absent (``.ci/run`` installs it)."""

from __future__ import annotations

import pytest


@pytest.fixture
def open_page(chromium, live_url):
    """A fresh page in a new context; records every URL it asks for."""
    contexts = []

    def open_(path: str, *, locale: str = "en-US", width: int = 1200):
        context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(live_url + path)
        return page

    yield open_
    for context in contexts:
        context.close()
