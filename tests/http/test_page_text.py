"""What every page says, read as a reader reads it, in both languages: no Python repr, no
``None``, no empty heading, no raw template, and no IRI where the data has a label."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from bs4.element import NavigableString
from test_crawl import crawl

from server.domain.labels import CORE_LABELS, LABEL_PREDICATES
from server.web.i18n import LANGUAGES

REPR = re.compile(r"<[\w.]+ (?:object|method|function)\b| at 0x[0-9a-f]{6,}|built-in method")
IRI = re.compile(r"^https?://\S+$")
# Where a page shows an IRI on purpose: as code, in preformatted queries, in scripts.
VERBATIM = ("code", "pre", "script", "style", "textarea")


@pytest.fixture(scope="module")
def labelled(repo_snapshot) -> set[str]:
    values = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    text = f"SELECT DISTINCT ?s WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    return {s["s"].value for s in repo_snapshot.store.query(text)} | set(CORE_LABELS)


def visible_texts(soup: BeautifulSoup):
    for node in soup.find_all(string=True):
        if isinstance(node, NavigableString) and not node.find_parent(VERBATIM) \
                and type(node) is NavigableString:
            text = node.strip()
            if text:
                yield node, text


def problems_of(path: str, html: bytes, labelled: set[str], lang: str | None = None) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [] if lang is None else one_language_problems(path, soup, lang)
    for heading in soup.select("h1, h2, h3, h4, h5, h6"):
        if not heading.get_text(strip=True):
            found.append(f"{path}: empty {heading.name}")
    for node, text in visible_texts(soup.body or soup):
        if REPR.search(text):
            found.append(f"{path}: Python repr {text[:80]!r}")
        if re.search(r"\bNone\b", text):
            found.append(f"{path}: None in {text[:80]!r}")
        if "{{" in text or "{%" in text:
            found.append(f"{path}: raw template {text[:80]!r}")
        if IRI.match(text) and text in labelled:
            found.append(f"{path}: the IRI {text} is shown where it has a label")
    for tag in soup.select("[title], [aria-label], [alt]"):
        for name in ("title", "aria-label", "alt"):
            value = tag.get(name) or ""
            if REPR.search(value) or value.strip() == "None":
                found.append(f"{path}: {name}={value[:80]!r}")
    return found


def one_language_problems(path: str, soup: BeautifulSoup, lang: str) -> list[str]:
    """A label the sources give only in the other language is marked as such: its
    element carries that ``lang`` and is followed by a badge with a text alternative
    ("fr only", or the language tag of an article's own title)."""
    found = []
    main = soup.main or soup
    for tag in main.select("h1[lang], a[lang]:not(.badge)"):
        # the list of sources and each value's footnote name the articles by their titles
        if tag.find_parent(class_=["sources", "cite"]):
            continue
        if tag["lang"] in LANGUAGES and tag["lang"] != lang:
            badge = tag.find("abbr", recursive=False) if tag.name == "h1" else tag.find_next_sibling()
            if badge is None or badge.name != "abbr" or "tag" not in badge.get("class", []):
                found.append(f"{path}: {tag.get_text(strip=True)!r} in {tag['lang']} has no badge")
    for badge in main.select("abbr.only"):
        if not badge.get("title") or not badge.get_text(strip=True).startswith(("en", "fr")):
            found.append(f"{path}: a one-language badge without its text alternative")
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_shows_anything_raw(repo_app, labelled, lang):
    client = repo_app.test_client()
    client.set_cookie("lang", lang)
    seen, errors = crawl(client)
    assert errors == []
    pages = sorted(seen) + ["/dataset", "/validation", "/sparql", "/search?q=paris"]
    assert len(pages) > 150
    found = []
    for path in pages:
        response = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
        if response.status_code == 200 and response.mimetype == "text/html":
            assert response.headers["Content-Language"] == lang, path
            found += problems_of(path, response.data, labelled, lang)
    assert found == [], "\n".join(found)
