"""The Content-Security-Policy holds in a real browser: every page works under it with no
violation reported, and markup that slipped into a page could not run script."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

EXAMPLE = "SELECT ?name WHERE { ?person a <http://schema.org/Person> ; <http://schema.org/name> ?name } LIMIT 5"
PAGES = (
    "/",
    "/page/person/andrei-tchibis",
    "/page/organization/paris-ile-de-france-capitale-economique",
    "/sparql",
    "/sparql?query=" + quote(EXAMPLE),
    "/queries/c01-posts-of-a-person?lang=fr",
    "/search?q=paris",
    "/browse",
    "/browse/person",
    "/ontology",
    "/shapes",
    "/dataset",
    "/validation",
    "/page/person/no-such-person",
)
# Runs before any script of the page: CSP violations are recorded as they happen.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def visit(chromium, live_url):
    contexts = []

    def visit_(path: str):
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        page.on("pageerror", lambda error: page.console_messages.append(f"pageerror: {error}"))
        response = page.goto(live_url + path)
        page.wait_for_load_state("networkidle")
        return page, response

    yield visit_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_runs_under_the_policy_without_violation(visit, path):
    page, response = visit(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("window.__violations") == [], path
    reported = [m for m in page.console_messages if "Content Security Policy" in m]
    assert reported == [], path
    # The site's stylesheet was applied: the policy did not block the page's own assets.
    assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 0)"), path


def test_the_query_page_editor_and_script_work_under_the_policy(visit):
    page, _ = visit("/sparql?query=" + quote(EXAMPLE))
    assert page.locator(".CodeMirror").count() == 1, "the editor (an external script) loaded"
    assert page.locator("table.results-table tbody tr").count() == 5
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")  # sparql.js, from /static, runs the query again
    page.wait_for_load_state("networkidle")
    assert page.locator("table.results-table tbody tr").count() == 5
    assert page.evaluate("window.__violations") == []


def test_injected_markup_cannot_run_script(visit):
    """What escaping would have missed still cannot run: inline handlers and scripts are
    refused by the policy, and the refusal is reported."""
    page, _ = visit("/page/person/andrei-tchibis")
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend',
            '<img src="/static/none.png" onerror="window.__ran = 1">');
        const script = document.createElement('script');
        script.textContent = 'window.__ran = 2';
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__violations"))
