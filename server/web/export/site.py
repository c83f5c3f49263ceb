"""The whole site as files, made by the app itself so each byte is what the live server sends.

The export walks the site as a harvester would: from the home page, ``robots.txt``, the
sitemaps and the dataset description, it follows every link of this site (HTML ``href``
and ``src``, ``Link`` headers, sitemap ``<loc>``, IRIs in the change feed) and asks the
app, through Flask's test client at the public URL, for every representation of every
URL: each format of a negotiated URL, each language of a page. A URL's representations
are files named after it (``data/person/x.ttl``, ``page/person/x.fr.html``,
``index.en.html``; a query string after ``@``), which the server rules
(``server.web.export.rules``) map back to URLs.
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import multiprocessing.util
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pyoxigraph as ox
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_options_header
from werkzeug.test import TestResponse

from server.domain.formats import HTML, Format, by_name
from server.domain.progress import Progress, Stage
from server.web.export.negotiated import SKIPPED_ENDPOINTS, Family, family_of
from server.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["ERROR_DIR", "ExportedUrl", "Site", "Unanswered", "crawl", "file_stem",
           "variant_file"]

# The bodies a static server answers errors with (404 by what the client accepts, 406
# naming the formats of the URL's family).
ERROR_DIR = "_errors"
ERROR_TYPES: tuple[tuple[str, str], ...] = (("html", "text/html"), ("json", "application/json"),
                                            ("txt", "text/plain"))
# A media type no route produces, to read each family's 406 body.
NOTHING_ACCEPTABLE = "application/x-ldpub-nothing"
# Query-string arguments that name a representation rather than a resource; the static
# rules choose the language themselves and a format only by extension or Accept.
REPRESENTATION_ARGUMENTS = ("lang", "format")
SEEDS = ("/", "/robots.txt", "/sitemap.xml", "/dataset", "/.well-known/void", "/ontology",
         "/shapes", "/changes", "/releases", "/validation", "/browse")


class Unanswered(RuntimeError):
    """The app failed a URL of the site (a 5xx): an export without it would not be the site,
    and a second export could differ from the first."""


def _detail(response: TestResponse) -> str:
    """What a failed answer says, when it says it as data: its problem's title and message,
    or the first line of a text; nothing of a page."""
    if response.is_json:
        problem = response.get_json(silent=True)
        if isinstance(problem, dict):
            return ": ".join(str(problem[key]) for key in ("title", "message") if key in problem)
    if response.mimetype == "text/plain":
        return response.get_data(as_text=True).strip().partition("\n")[0][:200]
    return ""


@dataclass
class ExportedUrl:
    """One URL of the site: its family (None: a single file) and its ``Link`` header."""

    url: str
    family: Family | None
    link: str | None = None


@dataclass
class Site:
    """The exported site: files written under ``root`` as they are made (a large dataset
    is never held in memory), their digests, and the URLs they answer."""

    public_url: str
    root: Path
    files: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # name -> size, sha-256
    urls: dict[str, ExportedUrl] = field(default_factory=dict)

    def add_file(self, name: str, body: bytes) -> None:
        if self.note_file(name, (len(body), hashlib.sha256(body).digest())):
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written in place: another worker writing the same name writes the same bytes
            # at the same offsets, so whatever the interleaving the file ends whole once
            # both are done, and the export is only swapped in when every worker is.
            path.write_bytes(body)

    def note_file(self, name: str, digest: tuple[int, bytes]) -> bool:
        """Record ``name``'s size and digest; False when it is known already.

        Raises:
            ValueError: ``name`` is known with other bytes.
        """
        known = self.files.get(name)
        if known is None:
            self.files[name] = digest
            return True
        if known != digest:
            raise ValueError(f"two representations claim {name} with different bytes")
        return False

    @property
    def size(self) -> int:
        return sum(size for size, _ in self.files.values())


def file_stem(url: str) -> str:
    """The file name of a URL's representations, before their suffix.

    >>> file_stem("/"), file_stem("/data/person/x"), file_stem("/browse?class=a&page=2")
    ('index', 'data/person/x', 'browse@class=a&page=2')
    """
    path, _, query = url.partition("?")
    stem = "index" if path == "/" else path.lstrip("/")
    return stem + ("@" + query if query else "")


def variant_file(url: str, fmt: Format, lang: str) -> str:
    """
    >>> variant_file("/dataset", HTML, "fr"), variant_file("/dataset", by_name("ttl"), "fr")
    ('dataset.fr.html', 'dataset.ttl')
    """
    stem = file_stem(url)
    return f"{stem}.{lang}.html" if fmt is HTML else f"{stem}.{fmt.name}"


def crawl(app: Flask, public_url: str, root: Path,
          progress: Progress | None = None, workers: int = 1,
          make_app: Callable[[], Flask] | None = None) -> Site:
    """Every representation of every URL reachable on the site, as the app answers it,
    written under ``root``.

    With ``workers`` > 1, URLs are asked for in that many forked processes, each with its
    own app from ``make_app`` (a copy of ``app`` would share its query processes) over
    the data already loaded, shared by the fork. Each URL's files are its own bytes
    whoever writes them, and the site is the closure of the links whatever the order of
    the answers, so the export is the same for any number of workers.
    """
    site = Site(public_url, root)
    families: dict[str, str] = {}  # family name -> its smallest URL, for the 406 bodies
    _WORKER.walker = _Walker(app, public_url, root)
    queue: deque[tuple[str, ...]] = deque((seed,) for seed in SEEDS)
    seen = set(SEEDS)
    in_flight: dict[Future, int] = {}  # a worker's task -> its number of URLs
    asking = Stage(progress, "pages", len(seen), "URLs")

    def merge(answers: list[_Answer]) -> None:
        files = len(site.files)
        for answer in answers:
            for name, digest in answer.files.items():
                site.note_file(name, digest)
            site.urls.update(answer.urls)
            for name, url in answer.families.items():
                families[name] = min(url, families.get(name, url))
            for found in answer.found:
                if found not in seen:
                    group = tuple(url for url in _WORKER.walker.resource_urls(found)
                                  if url not in seen)
                    seen.update(group)
                    queue.append(group)
        asking.advance(len(answers), total=len(seen), files=len(site.files) - files)

    with asking:
        if workers <= 1 or make_app is None:
            while queue:
                merge(_export_chunk(_take(queue, CHUNK)))
        else:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_start_worker,
                                     initargs=(make_app, public_url, root)) as pool:
                while queue or in_flight:
                    while queue and len(in_flight) < 2 * workers:
                        chunk = _take(queue, CHUNK)
                        in_flight[pool.submit(_export_chunk, chunk)] = len(chunk)
                    finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in finished:
                        del in_flight[future]
                        merge(future.result())
    _WORKER.walker.export_errors(site, families)
    return site


# The URLs of one thing, asked for together by one worker in this order: the thing's
# description or graph is made once for all of them.
GROUPS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("resources.identify", "resources.data", "resources.page"),
                    ("resources.identify", "resources.data", "resources.page")),
    "graphs.graph": ("graphs.graph",),
}
# Endpoints whose URL with a format's extension (``/data/x.ttl``) answers what the URL
# without it answers for that format (the view takes the format from the extension
# instead of ``Accept``, then does the same: same body, same ``Link``), and whose file is
# that very file (``data/x.ttl``): such a URL takes the answer its group already had.
SAME_AS_NEGOTIATED = frozenset({"resources.data", "graphs.graph"})
# URLs per task handed to a worker: enough to make the hand-over cheap, few enough that
# every worker has work while the crawl is still finding URLs.
CHUNK = 16


@dataclass
class _Answer:
    """What asking for one URL made: its files (written already), its entries, its links."""

    files: dict[str, tuple[int, bytes]]
    urls: dict[str, ExportedUrl]
    families: dict[str, str]
    found: list[str]


class _WorkerState:
    walker: _Walker


_WORKER = _WorkerState()


def _start_worker(make_app: Callable[[], Flask], public_url: str, root: Path) -> None:
    app = make_app()
    _WORKER.walker = _Walker(app, public_url, root)
    # a forked worker exits without the interpreter's atexit: close the app's query
    # processes with multiprocessing's own exit hooks
    multiprocessing.util.Finalize(None, app.extensions["sparql"].close, exitpriority=10)


def _take(queue: deque[tuple[str, ...]], count: int) -> list[str]:
    """At least ``count`` URLs (or all), whole groups of them."""
    taken: list[str] = []
    while queue and len(taken) < count:
        taken += queue.popleft()
    return taken


def _export_chunk(urls: list[str]) -> list[_Answer]:
    _WORKER.walker.answered.clear()  # a chunk holds whole groups: nothing to keep after
    return [_WORKER.walker.answer(url) for url in urls]


class _Walker:
    def __init__(self, app: Flask, public_url: str, root: Path):
        self.app = app
        self.public_url = public_url
        self.root = root
        self.site = Site(public_url, root)
        self.client = app.test_client()
        self.adapter = app.url_map.bind_to_environ(
            {"SERVER_NAME": "export", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
             "REQUEST_METHOD": "GET", "PATH_INFO": "/", "SCRIPT_NAME": ""})
        self.families: dict[str, str] = {}  # family name -> one of its URLs
        # negotiated URLs of ``SAME_AS_NEGOTIATED`` answered in this chunk -> their
        # ``Link`` header and the formats they answered
        self.answered: dict[str, tuple[str | None, set[str]]] = {}

    def resource_urls(self, url: str) -> tuple[str, ...]:
        """``url`` with the other URLs of its thing (``/id/x``, ``/data/x``, ``/page/x``
        and ``/data/x.ttl``…), to be asked for together by one worker: the thing's
        description is then made once for all of them, where a bounded memo would have
        dropped it before the crawl came back to the others."""
        path, _, query = url.partition("?")
        try:
            endpoint, arguments = self.adapter.match(path)
        except HTTPException:
            return (url,)
        ext = arguments.pop("ext", None)
        if query or endpoint not in GROUPS or ext is not None and \
                not (endpoint in SAME_AS_NEGOTIATED and ext in self._shared_formats(endpoint)):
            return (url,)
        group = []
        for other in GROUPS[endpoint]:
            group.append(self.adapter.build(other, arguments))
            if other in SAME_AS_NEGOTIATED:
                group += [self.adapter.build(other, {**arguments, "ext": name})
                          for name in self._shared_formats(other)]
        return tuple(group)

    @staticmethod
    def _shared_formats(endpoint: str) -> tuple[str, ...]:
        """The extensions of an endpoint's formats that are files of its negotiated URL."""
        return tuple(fmt.name for fmt in family_of(endpoint).formats if fmt is not HTML)

    def answer(self, url: str) -> _Answer:
        """Write ``url``'s files; say what they are and what they link to."""
        self.site = Site(self.public_url, self.root)
        self.families = {}
        found = list(self.export(url))
        return _Answer(self.site.files, self.site.urls, self.families, found)

    def get(self, url: str, accept: str | None = None, lang: str | None = None) -> TestResponse:
        headers = {"Accept": accept} if accept else {}
        if lang:
            headers["Accept-Language"] = lang
        response = self.client.get(url, headers=headers, base_url=self.public_url)
        response.make_sequence()  # read a streamed file whole, then close it
        response.close()
        if response.status_code >= 500:
            detail = _detail(response)
            raise Unanswered(f"{url} (Accept: {accept or 'any'}) was answered "
                             f"{response.status}" + (f": {detail}" if detail else ""))
        return response

    def export(self, url: str) -> Iterator[str]:
        """Write ``url``'s representations; yield the site's URLs they link to."""
        path = url.partition("?")[0]
        try:
            endpoint, arguments = self.adapter.match(path)
        except HTTPException:
            return
        if endpoint in SKIPPED_ENDPOINTS:
            return
        family = None if "ext" in arguments else family_of(endpoint)
        if family is None:
            if "ext" in arguments and family_of(endpoint) is not None:
                negotiated = path[:-len(arguments["ext"]) - 1]
                yield negotiated  # the negotiated URL of this document
                link, answered = self.answered.get(negotiated, (None, set()))
                if endpoint in SAME_AS_NEGOTIATED and arguments["ext"] in answered \
                        and url == path:
                    self.site.urls[url] = ExportedUrl(url, None, link)
                    return
            yield from self._single(url, arguments.get("ext"))
        else:
            self.families.setdefault(family.name, url)
            yield from self._negotiated(url, family, endpoint in SAME_AS_NEGOTIATED)

    def _single(self, url: str, ext: str | None) -> Iterator[str]:
        fmt = by_name(ext) if ext else None
        if fmt is HTML:  # ``/dataset.html``: one file per language
            responses = [(variant_file(url, HTML, lang), self.get(url, lang=lang))
                         for lang in LANGUAGES]
        else:
            responses = [(file_stem(url), self.get(url))]
        if any(response.status_code != 200 for _, response in responses):
            return
        self.site.urls[url] = ExportedUrl(url, None, responses[0][1].headers.get("Link"))
        for name, response in responses:
            self.site.add_file(name, response.get_data())
            yield from self._links(url, response)

    def _negotiated(self, url: str, family: Family, shared: bool) -> Iterator[str]:
        first = self.get(url)
        if family.redirect:
            if first.status_code == 303:
                self.site.urls[url] = ExportedUrl(url, family, first.headers.get("Link"))
                yield from self._links(url, first)
            return
        if first.status_code != 200:
            return
        self.site.urls[url] = ExportedUrl(url, family, first.headers.get("Link"))
        answered: set[str] = set()
        for fmt in family.formats:
            for lang in (LANGUAGES if fmt is HTML else (DEFAULT_LANGUAGE,)):
                response = self.get(url, fmt.media_type, lang if fmt is HTML else None)
                if response.status_code != 200:
                    continue
                answered.add(fmt.name)
                self.site.add_file(variant_file(url, fmt, lang), response.get_data())
                yield from self._links(url, response)
        if shared:
            self.answered[url] = (first.headers.get("Link"), answered)

    def _links(self, url: str, response: TestResponse) -> Iterator[str]:
        base = self.site.public_url.rstrip("/") + url
        mimetype = response.mimetype
        found: list[str] = [target for target, _ in _link_targets(response.headers.get("Link"))]
        body = response.get_data()
        if mimetype == "text/html":
            found += _html_links(body.decode("utf-8"))
        elif mimetype in ("application/xml", "text/xml") and url.endswith(".xml"):
            found += _sitemap_locations(body)
        elif mimetype == "text/plain" and url == "/robots.txt":
            found += _robots_sitemaps(body.decode("utf-8"))
        elif url.startswith("/changes") and mimetype in ("text/turtle", "application/ld+json"):
            found += _rdf_iris(body, mimetype)
        for href in dict.fromkeys(found):  # a page links to one place many times
            local = self._local(urljoin(base, href))
            if local is not None:
                yield local

    def _local(self, absolute: str) -> str | None:
        """``absolute`` as a URL of this site (path and query, representation arguments
        dropped), or None for another site's."""
        public = self.site.public_url
        if not absolute.startswith(public):
            return None
        parts = urlsplit(absolute)
        query = "&".join(item for item in parts.query.split("&")
                         if item and item.split("=", 1)[0] not in REPRESENTATION_ARGUMENTS)
        return parts.path + ("?" + query if query else "")

    def export_errors(self, site: Site, families: dict[str, str]) -> None:
        """Write into ``site`` the bodies of its 404s and of each family's 406."""
        for ext, media in ERROR_TYPES:
            response = self.get("/.ldpub-missing", media)
            site.add_file(f"{ERROR_DIR}/404.{ext}", response.get_data())
        for name, url in sorted(families.items()):
            for ext, media in ERROR_TYPES:
                response = self.get(url, media if ext != "txt" else NOTHING_ACCEPTABLE)
                if response.status_code == 406:
                    site.add_file(f"{ERROR_DIR}/406.{name}.{ext}", response.get_data())


def _link_targets(header: str | None) -> Iterator[tuple[str, dict[str, str]]]:
    """``(url, parameters)`` of each entry of a ``Link`` header (RFC 8288)."""
    if not header:
        return
    for entry in header.split(", <"):
        value, options = parse_options_header("<" + entry.lstrip("<") if entry else entry)
        yield value.strip("<>"), options


class _HrefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def _html_links(text: str) -> list[str]:
    parser = _HrefParser()
    parser.feed(text)
    return parser.found


def _sitemap_locations(body: bytes) -> list[str]:
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    root = ElementTree.fromstring(body)
    return [element.text.strip() for element in root.iter() if element.tag.endswith("}loc")
            and element.text]


def _robots_sitemaps(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.lower().startswith("sitemap:")]


def _rdf_iris(body: bytes, mimetype: str) -> list[str]:
    fmt = ox.RdfFormat.from_media_type(mimetype)
    return [term.value for quad in ox.parse(body, format=fmt)
            for term in (quad.subject, quad.object) if isinstance(term, ox.NamedNode)]
