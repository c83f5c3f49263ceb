"""Browser tests: Debian's Chromium driven by Playwright, against a live server on a free
port of 127.0.0.1 serving the repository's data. Skipped, with the reason, where
``/usr/bin/chromium`` is absent (``.ci/run`` installs it)."""

from __future__ import annotations

import pytest


def page_opener(chromium, url: str):
    """Open pages of ``url``, each in a new context (with or without script); records every
    URL a page asks for. Yields the opener, then closes the contexts."""
    contexts = []

    def open_(path: str, *, locale: str = "en-US", width: int = 1200, script: bool = True):
        context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900},
                                       java_script_enabled=script)
        contexts.append(context)
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(url + path)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(chromium, live_url):
    """A page of the repository's data in a fresh context."""
    yield from page_opener(chromium, live_url)


@pytest.fixture
def open_tiny_page(chromium, tiny_live_url):
    """A page of the tiny fixture in a fresh context."""
    yield from page_opener(chromium, tiny_live_url)
