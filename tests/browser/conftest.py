"""Browser tests: Debian's Chromium driven by Playwright, against a live server on a free
port of 127.0.0.1 serving the repository's data. Skipped, with the reason, where
``/usr/bin/chromium`` is absent (``.ci/run`` installs it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from server import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(items):
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_url(repo_snapshot) -> Iterator[str]:
    """The repository's data served by a real HTTP server in a thread."""
    app = create_app({"TESTING": True}, snapshot=repo_snapshot)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module (Playwright's sync API allows one instance at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
