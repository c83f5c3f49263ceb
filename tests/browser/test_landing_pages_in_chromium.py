"""The landing pages, which embed the dataset's schema.org markup, load in Chromium
without a console error or an uncaught script error, and the browser reads the markup."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

LANDING_PAGES = ("/", "/dataset", "/?lang=fr")


@pytest.mark.parametrize("path", LANDING_PAGES)
def test_a_landing_page_shows_no_console_error(chromium, live_url, path):
    context = chromium.new_context(locale="en-US")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(live_url + path, wait_until="networkidle")
        assert response is not None and response.status == 200
        markup = [json.loads(text) for text in page.locator(
            'script[type="application/ld+json"]').all_text_contents()]
        assert [m["@type"] for m in markup] == ["Dataset"]
        assert errors == [], f"{path}: {errors}"
    finally:
        context.close()
