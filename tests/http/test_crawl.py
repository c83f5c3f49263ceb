"""Every resource is reachable by following links from the home page (DESIGN §5), as a
crawler that reads HTML, follows 303s and never sees an error would find it."""

from __future__ import annotations

from collections import deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pyoxigraph as ox
from bs4 import BeautifulSoup

from server.domain.iris import parse_resource_iri
from server.store import queries

FOLLOWED = ("/id/", "/page/", "/browse", "/ontology", "/shapes", "/graph/")
MAX_PAGES = 3000


def crawl(client, start: str = "/") -> tuple[set[str], list[tuple[str, int]]]:
    """Paths of every page reached from ``start``; and every answer that was not fine."""
    seen, queue, problems = {start}, deque([start]), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code == 303:
            target = urlsplit(response.headers["Location"])
            _visit(target.path + (f"?{target.query}" if target.query else ""), seen, queue)
            continue
        if response.status_code != 200:
            problems.append((path, response.status_code))
            continue
        if response.mimetype != "text/html":
            continue
        for link in BeautifulSoup(response.data, "html.parser").select("a[href]"):
            url = urlsplit(urljoin("http://localhost" + path, link["href"]))
            if url.netloc != "localhost":
                continue
            assert url.path.startswith((*FOLLOWED, "/search", "/dataset", "/data/", "/sparql", "/queries/",
                                        "/validation", "/static/", "/releases", "/changes", "/source/")) \
                or url.path == "/", \
                f"{path} links to {url.path}, which nothing serves"
            if not url.path.startswith(FOLLOWED):
                continue
            query = [(k, v) for k, v in parse_qsl(url.query) if k != "lang"]  # one language
            _visit(url.path + (f"?{urlencode(query)}" if query else ""), seen, queue)
    return seen, problems


def _visit(path: str, seen: set[str], queue: deque) -> None:
    if path not in seen:
        seen.add(path)
        queue.append(path)


def published(snapshot, base: str) -> set[str]:
    """The resources with a page: a sentence of an article (``…#s12``) is read on its
    article's page, not a page of its own."""
    text = queries.bind(queries.SUBJECTS_UNDER, space=[ox.Literal(base + "id/")])
    return {s["s"].value for s in snapshot.store.query(text)
            if parse_resource_iri(base, s["s"].value) is not None}


def test_every_resource_of_the_repository_is_reachable_from_the_home_page(repo_client,
                                                                          repo_snapshot):
    base = "https://w3id.org/grand-paris-russia/"
    seen, problems = crawl(repo_client)
    assert problems == []
    pages = {path for path in seen if path.startswith("/page/") and "/values" not in path}
    reached = {f"{base}id/{path[len('/page/'):]}" for path in pages}
    expected = {iri for iri in published(repo_snapshot, base)
                if parse_resource_iri(base, iri) is not None}
    assert len(expected) > 100
    assert expected - reached == set()


def test_every_resource_of_the_tiny_dataset_is_reachable_too(client, tiny_snapshot):
    base = "https://example.org/tiny/"
    seen, problems = crawl(client)
    assert problems == []
    reached = {f"{base}id/{p[len('/page/'):]}" for p in seen if p.startswith("/page/")}
    assert published(tiny_snapshot, base) <= reached
