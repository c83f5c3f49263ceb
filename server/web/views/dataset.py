"""Pages for harvesters: the dataset description, dumps, sitemap, robots, SHACL report.

``/dataset`` (also ``/.well-known/void``, VoID §7.2) is negotiated like a resource:
extension, then ``?format=``, then ``Accept``; ``*/*`` gets Turtle, browsers get HTML.
Dumps are files written once per data version (``dumps.DumpCache``) and sent with
their length, a strong ETag (their SHA-256) and range support.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import replace

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, send_file, url_for

from server.domain import canned, changes, dumps, formats, harvest, iris, schemaorg, void
from server.domain.describe import label_quads, scope
from server.domain.examples import example_queries
from server.domain.formats import HTML
from server.domain.labels import CORE_LABELS, Labels
from server.domain.loading import Snapshot
from server.domain.namespaces import SCHEMA
from server.memo import Memo
from server.problems import ResourceNotFound
from server.runtime.publisher import publisher
from server.store.registry import dump_root
from server.web import urls
from server.web.http import etag_for, representation
from server.web.terms import Term, embed_json, term_of
from server.web.views.changes import feed_quads
from server.web.views.common import (
    DOCUMENT_FORMATS,
    browse_href,
    byte_size,
    has_endpoint,
    negotiate_document,
    reader_language,
)
from server.web.views.releases import releases, releases_quads

bp = Blueprint("dataset", __name__)

DUMP_MAX_AGE = 3600
SPARQL_ENDPOINT = "sparql.endpoint"
PAGE_ENDPOINT = "resources.page"
GRAPH_ENDPOINT = "graphs.graph"
# The graphs the page's table lists, the largest first (723 at 1M generated statements);
# every one is in the description as data and in the sitemap.
GRAPHS_SHOWN = 50
FEED_ENDPOINT = "changes.feed"
_FACTS: Memo[void.DatasetFacts] = Memo(4)
_KEYS: Memo[list] = Memo(4)
_LASTMOD: Memo[changes.LastModified] = Memo(2)
_LABELS: Memo[Labels] = Memo(4)


@bp.get("/dataset", endpoint="void")
@bp.get("/dataset.<ext>", endpoint="void")
@bp.get("/.well-known/void", endpoint="well_known")
def description(ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    fmt = negotiate_document(ext)
    desc = _description(snapshot)
    links = _alternates("dataset.void")
    if fmt is HTML:
        lang = reader_language()
        page = render_template("dataset.html", page=desc, lang=lang, alternates=links,
                               formats=_format_links("dataset.void"), sizes=byte_size,
                               href=urls.local_href, markup=_markup(snapshot, desc),
                               name=_names(snapshot, desc, lang), graphs_shown=GRAPHS_SHOWN,
                               all_sources=browse_href(str(SCHEMA.NewsArticle)))
        return _html(page, links)
    body = formats.serialize_quads([*void.void_quads(desc), *_canned_queries(desc.iri),
                                    *releases_quads(snapshot, desc.licence),
                                    *feed_quads(desc.iri)], fmt,
                                   snapshot.prefixes)
    return representation(body, fmt, links=links, weak=True)  # fresh blank nodes each time


def _canned_queries(dataset: str) -> list:
    """The dataset's canned queries, each a ``schema:SearchAction`` of the dataset."""
    if not has_endpoint("canned.query"):
        return []
    return canned.action_quads(dataset, example_queries(publisher().settings.queries_dir),
                               lambda name: urls.absolute("canned.query", name=name))


@bp.get("/dumps/<name>.<ext>.gz", endpoint="dump")
def dump(name: str, ext: str) -> Response:
    snapshot = publisher().snapshot
    fmt = formats.by_name(ext, dumps.DUMP_FORMATS)
    if name != dumps.DUMP_NAME or fmt is None or fmt.name != ext:
        offered = ", ".join(dumps.dump_file_name(dumps.DUMP_NAME, f) for f in dumps.DUMP_FORMATS)
        raise ResourceNotFound(f"no dump {name}.{ext}.gz; the dumps are: {offered}")
    found = _cache().get(snapshot.store, snapshot.version, snapshot.prefixes, fmt)
    response = send_file(found.path, mimetype="application/gzip", conditional=True,
                         etag=found.sha256, last_modified=snapshot.loaded_at,
                         max_age=DUMP_MAX_AGE, download_name=found.file_name)
    response.cache_control.public = True
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["Link"] = f'<{urls.absolute("dataset.void")}>; rel="describedby"'
    return response


@bp.get("/sitemap.xml", endpoint="sitemap")
def sitemap() -> Response:
    snapshot = publisher().snapshot
    chunks = harvest.sitemap_chunks(_keys(snapshot), harvest.SITEMAP_LIMIT)
    if len(chunks) == 1:
        return _sitemap_file(snapshot, chunks[0])
    parts = [urls.absolute("dataset.sitemap_part", number=n) for n in range(1, len(chunks) + 1)]
    body = render_template("sitemap-index.xml", parts=parts, lastmod=_lastmod(snapshot).default)
    return _document(body, "application/xml; charset=utf-8")


@bp.get("/sitemaps/<int:number>.xml", endpoint="sitemap_part")
def sitemap_part(number: int) -> Response:
    snapshot = publisher().snapshot
    chunks = harvest.sitemap_chunks(_keys(snapshot), harvest.SITEMAP_LIMIT)
    if not 1 <= number <= len(chunks):
        raise ResourceNotFound(f"no sitemap part {number}; there are {len(chunks)}")
    return _sitemap_file(snapshot, chunks[number - 1])


@bp.get("/robots.txt", endpoint="robots")
def robots() -> Response:
    body = (
        "User-agent: *\n"
        + (f"Disallow: {url_for(SPARQL_ENDPOINT)}?\n" if urls.sparql_is_here() else "")
        + "Allow: /\n"
        f"Sitemap: {urls.absolute('dataset.sitemap')}\n"
        f"# Changes between releases (Activity Streams 2.0): {urls.absolute(FEED_ENDPOINT)}\n"
    )
    return _document(body, "text/plain; charset=utf-8")


@bp.get("/validation", endpoint="validation")
@bp.get("/validation.<ext>", endpoint="validation")
def validation(ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    fmt = negotiate_document(ext)
    report = snapshot.report
    links = _alternates("dataset.validation")
    if fmt is HTML:
        page = render_template("validation.html", report=report, version=snapshot.version,
                               loaded_at=snapshot.loaded_at, href=urls.local_href,
                               formats=_format_links("dataset.validation"))
        return _html(page, links)
    if report is None:
        raise ResourceNotFound("this publisher reads a remote store that it did not load, so it "
                               "holds no validation report; the data is validated where it is "
                               "loaded (ldpub validate)")
    body = formats.serialize_quads(harvest.report_quads(report), fmt, snapshot.prefixes)
    return representation(body, fmt, links=links, weak=True)  # new blank nodes per validation


# --- helpers


def _cache() -> dumps.DumpCache:
    return dumps.DumpCache(dump_root(publisher().settings))


def _description(snapshot: Snapshot) -> void.DatasetDescription:
    settings = publisher().settings
    facts = _FACTS.get(snapshot.version, "facts",
                       lambda: void.dataset_facts(snapshot, settings.base_iri))
    addresses = void.Addresses(
        home=urls.absolute("site.home"),
        description=urls.absolute("dataset.void"),
        sparql=urls.sparql_endpoint(),
        sitemap=urls.absolute("dataset.sitemap"),
        validation=urls.absolute("dataset.validation"),
        dumps={f.name: urls.absolute("dataset.dump", name=dumps.DUMP_NAME, ext=f.name)
               for f in dumps.DUMP_FORMATS},
    )
    produced = _cache().produce_all(snapshot.store, snapshot.version, snapshot.prefixes)
    return void.dataset_description(snapshot, settings.base_iri, settings.licence, facts,
                                    addresses, produced)


def landing_markup(snapshot: Snapshot) -> str:
    """The schema.org ``Dataset`` that the landing pages (``/``, ``/dataset``) embed."""
    return _markup(snapshot, _description(snapshot))


def _markup(snapshot: Snapshot, desc: void.DatasetDescription) -> str:
    covered = schemaorg.dataset_coverage(snapshot)
    return embed_json(json.dumps(schemaorg.dataset_markup(desc, covered), ensure_ascii=False))


def _keys(snapshot: Snapshot) -> list:
    """Every page the sitemap lists, as (endpoint, URL values): resources, then graphs."""
    base = publisher().settings.base_iri

    def make() -> list:
        resources = [(PAGE_ENDPOINT, (("kind", key.kind), ("slug", key.slug)))
                     for key in harvest.resource_keys(snapshot.store, base)]
        graphs = [(GRAPH_ENDPOINT, (("slug", slug),))
                  for slug in harvest.graph_slugs(snapshot.stats.graphs, base)]
        return resources + graphs

    return _KEYS.get(snapshot.version, "keys", make)


def _sitemap_file(snapshot: Snapshot, keys) -> Response:
    dates = _lastmod(snapshot)
    base = publisher().settings.base_iri
    pages = []
    for endpoint, values in keys:
        found = dict(values)
        iri = iris.resource_iri(base, found["kind"], found["slug"]) if "kind" in found else None
        pages.append((urls.absolute(endpoint, **found), dates.of(iri)))
    body = render_template("sitemap.xml", pages=pages)
    return _document(body, "application/xml; charset=utf-8")


def _alternates(endpoint: str) -> list[tuple[str, str, str | None]]:
    return [(url_for(endpoint, ext=f.name), "alternate", f.media_type) for f in DOCUMENT_FORMATS]


def _format_links(endpoint: str) -> list[tuple[str, str]]:
    return [(f.label, url_for(endpoint, ext=f.name)) for f in formats.RDF_FORMATS]


def _names(snapshot: Snapshot, desc: void.DatasetFacts, lang: str) -> Callable[[str], Term]:
    """How the page names the classes, properties, graphs and vocabularies it lists: their
    labels in the reader's language (a vocabulary by its namespace or its ontology's IRI)."""
    settings = publisher().settings
    iris = {p.iri for p in (*desc.classes, *desc.properties, *desc.graphs)}
    iris |= {v for v in desc.vocabularies} | {v.rstrip("#/") for v in desc.vocabularies}
    iris |= {*desc.sources, *desc.examples, desc.licence}
    labels = _LABELS.get(scope(snapshot), "dataset", lambda: Labels(
        label_quads(snapshot, [ox.NamedNode(i) for i in sorted(iris)])))

    def name(iri: str) -> Term:
        named = iri if labels.has(iri) or iri in CORE_LABELS else iri.rstrip("#/")
        term = term_of(named, labels, lang, settings.base_iri)
        return replace(term, iri=iri)

    return name


def _html(page: str, links) -> Response:
    return representation(page.encode("utf-8"), HTML, links=links, variant=reader_language(),
                          vary=("Accept-Language",))


def _document(body: str, content_type: str) -> Response:
    """A document that depends on the data version only: cacheable, revalidated by ETag."""
    snapshot = publisher().snapshot
    response = Response(body, 200, content_type=content_type)
    response.set_etag(etag_for(snapshot.version, request.path, urls.public_base()))
    response.last_modified = snapshot.loaded_at
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


def _lastmod(snapshot: Snapshot) -> changes.LastModified:
    """The sitemap's dates: a resource's is the release in which it last changed, when the
    data served is the newest release; otherwise (no release, or data newer than the
    last one) the time this data was loaded."""
    return _LASTMOD.get(scope(snapshot), "lastmod",
                        lambda: changes.last_modified(releases(snapshot), snapshot.version,
                                                      snapshot.loaded_at))
