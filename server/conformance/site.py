"""A deployment as the checks see it: a base URL, requests with a time limit that never
follow redirects, and what is discovered once and shared (the dataset description, the
sitemap's pages, a sample of resources). Nothing is known in advance but the URL
patterns of DESIGN §3: no slug is written into a check."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import requests
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, VOID

from server.conformance.registry import Failed, Inapplicable, expect

__all__ = ["Resource", "Site", "UnusableURL", "links", "media_type", "parse_rdf"]

T = TypeVar("T")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
USER_AGENT = "ldpub-check"
# the dataset formats carry graphs: rdflib reads them into a Dataset
DATASET_TYPES = ("application/trig", "application/n-quads")


class UnusableURL(ValueError):
    """The URL given is not one a deployment can be checked at."""


@dataclass(frozen=True)
class Resource:
    """A resource of the deployment, by the URL patterns of DESIGN §3."""

    kind: str
    slug: str
    site: Site

    def url(self, family: str, ext: str | None = None) -> str:
        """``family`` is ``id``, ``page`` or ``data``."""
        return self.site.url(f"{family}/{self.kind}/{self.slug}" + (f".{ext}" if ext else ""))


def media_type(response: requests.Response) -> str:
    """The media type of an answer, without its parameters, lower-cased."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def parse_rdf(body: bytes, kind: str, where: str, local: Callable[[str], bool]) -> Graph:
    """The body parsed by rdflib as ``kind`` (a media type). A JSON-LD ``@context`` that
    is a URL outside the deployment (``local``) is a failure before parsing: rdflib would
    fetch it, and DESIGN §3 promises a client never has to.

    Raises:
        Failed: it does not parse, or it needs a remote context.
    """
    if kind == "application/ld+json":
        remote = [url for url in remote_contexts(body, where) if not local(url)]
        expect(not remote, f"{where}: the JSON-LD @context is a remote URL a client must "
                           f"fetch: {', '.join(remote)}")
    graph = Dataset() if kind in DATASET_TYPES else Graph()
    try:
        return graph.parse(data=body, format=kind)
    except Exception as error:  # noqa: BLE001 -- rdflib parsers raise many kinds, all failures
        raise Failed(f"{where}: the {kind} does not parse: {str(error)[:200]}") from None


def remote_contexts(body: bytes, where: str) -> list[str]:
    """The URLs a JSON-LD document names as its ``@context`` (at any depth).

    >>> remote_contexts(b'{"@context": ["https://w3id.org/x", {"a": "b"}], '
    ...                 b'"@graph": [{"@context": "http://h/c"}]}', "doc")
    ['https://w3id.org/x', 'http://h/c']
    >>> remote_contexts(b'{"@context": {"@vocab": "http://schema.org/"}}', "doc")
    []
    """
    try:
        document = json.loads(body)
    except ValueError as error:
        raise Failed(f"{where}: not JSON: {error}") from None
    found: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    values = value if isinstance(value, list) else [value]
                    found.extend(v for v in values if isinstance(v, str))
                visit(value)

    visit(document)
    return found


class Site:
    """The deployment at ``base`` (its public URL)."""

    def __init__(self, base: str, timeout: float = 10.0, sample: int = 3):
        parts = urlsplit(base.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UnusableURL(f"{base!r} is not an http(s) URL with a host name")
        if parts.query or parts.fragment:
            raise UnusableURL(f"{base!r}: give the deployment's base URL, without ?query "
                              "or #fragment")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise UnusableURL(f"{base!r} has a port that is not a number") from None
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.base = f"{parts.scheme}://{parts.netloc}{path}"
        self.timeout = timeout
        self.sample_size = sample
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.trust_env = False  # the deployment asked for, never a proxy of the environment
        self._known: dict[str, object] = {}

    # requests --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base, path.lstrip("/"))

    def within(self, url: str) -> bool:
        return url.startswith(self.base)

    def request(self, method: str, url: str, *, accept: str | None = None,
                headers: dict[str, str] | None = None, **options) -> requests.Response:
        """One request, never following a redirect.

        Raises:
            Failed: no answer within the time limit, or no connection.
        """
        sent = dict(headers or {})
        if accept is not None:
            sent["Accept"] = accept
        try:
            return self.session.request(method, url, headers=sent, allow_redirects=False,
                                        timeout=self.timeout, **options)
        except requests.Timeout:
            raise Failed(f"{method} {url}: no answer within {self.timeout:g} s") from None
        except requests.ConnectionError:
            raise Failed(f"{method} {url}: cannot connect (refused, unreachable or an "
                         "unknown host)") from None
        except requests.RequestException as error:
            raise Failed(f"{method} {url}: {type(error).__name__}: "
                         f"{str(error)[:160]}") from None

    def get(self, url: str, accept: str | None = None, **options) -> requests.Response:
        return self.request("GET", url, accept=accept, **options)

    def get_ok(self, url: str, accept: str | None = None, **options) -> requests.Response:
        """A GET that must answer 200."""
        response = self.get(url, accept, **options)
        expect(response.status_code == 200,
               f"GET {url} (Accept: {accept}) answered {response.status_code}, not 200")
        return response

    def location(self, response: requests.Response) -> str | None:
        """The absolute target of a redirect."""
        target = response.headers.get("Location")
        return urljoin(response.url, target) if target else None

    def parse(self, body: bytes, kind: str, where: str) -> Graph:
        """``parse_rdf`` with this deployment's URLs as the local ones."""
        return parse_rdf(body, kind, where, self.within)

    def reachable(self) -> None:
        """Raise ``UnusableURL`` unless something answers HTTP at the base URL."""
        try:
            self.get(self.base, accept="text/html")
        except Failed as failure:
            raise UnusableURL(f"cannot reach {self.base}: {failure}") from None

    # discovered once -------------------------------------------------------------------

    def once(self, name: str, make: Callable[[], T]) -> T:
        """``make()`` the first time; its value, or the failure it raised, afterwards."""
        if name not in self._known:
            try:
                self._known[name] = make()
            except (Failed, Inapplicable) as stop:
                self._known[name] = stop
        value = self._known[name]
        if isinstance(value, (Failed, Inapplicable)):
            raise type(value)(str(value))
        return value  # type: ignore[return-value]

    @property
    def description(self) -> Graph:
        """The dataset description (``/dataset`` as Turtle)."""
        def read() -> Graph:
            url = self.url("dataset")
            response = self.get_ok(url, "text/turtle")
            expect(media_type(response) == "text/turtle",
                   f"GET {url} (Accept: text/turtle) is {media_type(response)!r}")
            return self.parse(response.content, "text/turtle", url)
        return self.once("description", read)

    @property
    def dataset(self) -> URIRef:
        """The dataset the description is about."""
        def find() -> URIRef:
            graph = self.description
            found = sorted({s for s in graph.subjects(VOID.dataDump, None)}
                           | {s for s in graph.subjects(RDF.type, VOID.Dataset)
                              if (s, VOID.uriSpace, None) in graph})
            expect(found and isinstance(found[0], URIRef),
                   f"{self.url('dataset')} describes no void:Dataset with dumps")
            return found[0]
        return self.once("dataset", find)

    @property
    def sitemap(self) -> list[tuple[str, str | None]]:
        """Every (page URL, lastmod) of the sitemap (the first sitemap of an index)."""
        return self.once("sitemap", lambda: self._sitemap_entries(self.sitemap_url()))

    @property
    def sitemap_pages(self) -> list[str]:
        return [url for url, _ in self.sitemap]

    def sitemap_url(self) -> str:
        """The sitemap that ``robots.txt`` names, else ``/sitemap.xml``."""
        response = self.get(self.url("robots.txt"))
        if response.status_code == 200:
            for line in response.text.splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() == "sitemap" and value.strip():
                    return value.strip()
        return self.url("sitemap.xml")

    def _sitemap_entries(self, url: str, index: bool = True) -> list[tuple[str, str | None]]:
        """The entries of a sitemap; of an index (``index``), its first sitemap's."""
        expect(self.within(url), f"the sitemap {url} is outside {self.base}")
        response = self.get_ok(url)
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError as error:
            raise Failed(f"{url} is not XML: {error}") from None
        entries = [((e.findtext(f"{SITEMAP_NS}loc") or "").strip(),
                    e.findtext(f"{SITEMAP_NS}lastmod"))
                   for e in root if e.tag in (f"{SITEMAP_NS}url", f"{SITEMAP_NS}sitemap")]
        if root.tag == f"{SITEMAP_NS}sitemapindex" and index:
            expect(entries, f"{url}: the sitemap index names no sitemap")
            return self._sitemap_entries(entries[0][0], index=False)
        expect(root.tag == f"{SITEMAP_NS}urlset",
               f"{url}: the root element is {root.tag}, not a sitemap urlset")
        return entries

    @property
    def resources(self) -> list[Resource]:
        """A sample of resources: the sitemap's pages of distinct kinds first (else the
        description's example resources), at most ``sample_size``."""
        def pick() -> list[Resource]:
            try:
                found = self._resources_from(self.sitemap_pages)
                source = "the sitemap"
            except Failed:
                found, source = [], "the sitemap (unreadable)"
            if not found:
                found = self._example_resources()
                source += " nor the description's void:exampleResource"
            expect(found, f"no resource page /page/{{kind}}/{{slug}} found in {source}")
            kinds: dict[str, Resource] = {}
            for resource in found:
                kinds.setdefault(resource.kind, resource)
            chosen = list(kinds.values())[:self.sample_size]
            chosen += [r for r in found if r not in chosen][:self.sample_size - len(chosen)]
            return chosen
        return self.once("resources", pick)

    def _resources_from(self, urls: list[str]) -> list[Resource]:
        pattern = re.compile(re.escape(self.base) + r"page/([a-z]+)/([a-z0-9][a-z0-9-]*)")
        return [Resource(m[1], m[2], self) for m in map(pattern.fullmatch, urls) if m]

    def _example_resources(self) -> list[Resource]:
        graph = self.description
        spaces = [str(s) for s in graph.objects(self.dataset, VOID.uriSpace)]
        pages = [self.url("page/" + str(e).removeprefix(space))
                 for e in graph.objects(self.dataset, VOID.exampleResource)
                 for space in spaces if str(e).startswith(space)]
        return self._resources_from(sorted(pages))

    @property
    def resource(self) -> Resource:
        return self.resources[0]

    def canonical_iri(self, resource: Resource) -> str:
        """The resource's IRI as the data writes it: ``BASE id/{kind}/{slug}`` under the
        description's ``void:uriSpace`` (DESIGN §2), else the ``describes`` link of its
        page."""
        def find() -> str:
            try:
                spaces = sorted(str(s) for s in
                                self.description.objects(self.dataset, VOID.uriSpace))
            except Failed:
                spaces = []
            if spaces:
                return f"{spaces[0]}{resource.kind}/{resource.slug}"
            response = self.get_ok(resource.url("page"), "text/html")
            for link in links(response):
                if link.get("rel") == "describes":
                    return link["url"]
            raise Failed(f"GET {resource.url('page')}: no Link rel=\"describes\" names the "
                         "resource's IRI")
        return self.once(f"iri {resource.kind}/{resource.slug}", find)


def links(response: requests.Response) -> list[dict[str, str]]:
    """Every entry of the ``Link`` header (RFC 8288), several with one ``rel`` included."""
    return requests.utils.parse_header_links(response.headers.get("Link", "")) \
        if response.headers.get("Link") else []
