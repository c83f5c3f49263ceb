"""Named graphs dereference: ``/graph/{slug}`` is the graph ``BASE graph/{slug}``.

Graph names appear in every TriG and N-Quads answer, in the dumps, the provenance
footnotes and the VoID description; following one gives the graph itself (SPARQL 1.1
Graph Store Protocol §4.1, direct graph identification), negotiated like a resource:
the extension wins, then ``?format=``, then ``Accept``; ``*/*`` gets Turtle, browsers
a page saying what the graph is. TriG and N-Quads keep the graph name; the triple
formats give its triples. A graph is a document, so it answers at its own address
rather than by ``303``.

A page of the listing (``?page=N``) is a document of its own: in an RDF format, what the
graph states of the resources that page lists (not the reifiers and sentences that
explain those statements, which the listing leaves out), with ``Link`` ``prev`` and
``next`` in every format. The whole graph stays at the URL without ``?page``: a crawler
that follows the pager with an RDF ``Accept`` no longer gets the whole graph once a page
(the export wrote 120 copies of a 1M dataset's derived graph so).

A large graph (``namedgraph.LARGE_GRAPH``) is sent from its file, with its length and
range support, and never kept by ``cache.ResponseCache``, which holds bodies in memory;
its ETag is made as for a small graph's, from the data version, path and format.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, send_file, url_for

from server.domain import iris
from server.domain.describe import description_bytes, graph_bytes, graph_part_bytes
from server.domain.formats import HTML, JSONLD, RDF12_FORMATS, RDF_FORMATS, TURTLE, Format
from server.domain.loading import Snapshot
from server.problems import ResourceNotFound
from server.runtime.publisher import publisher
from server.store.registry import dump_root
from server.web import urls
from server.web.converters import register_converters
from server.web.http import link_header, replayable, representation, request_etag
from server.web.i18n import LANGUAGES
from server.web.namedgraph import Listing, graph_file, graph_listing, graph_page, is_large
from server.web.negotiation import negotiate
from server.web.terms import embed_json
from server.web.views.common import (
    document_links,
    html_response,
    named_format,
    page_number,
    reader_language,
    rendered,
)

__all__ = ["GRAPH_FORMATS", "bp"]

bp = Blueprint("graphs", __name__)
bp.record_once(lambda state: register_converters(state.app))

# Turtle first, as for resources: ``*/*`` gets data, browsers name text/html.
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, HTML, *(f for f in RDF_FORMATS if f is not TURTLE))
# What the live server negotiates besides for a graph it serializes: the RDF 1.2 view,
# which has no URL of its own. A large graph is sent from its RDF 1.1 file, without it.
NEGOTIATED_FORMATS: tuple[Format, ...] = (*GRAPH_FORMATS, *RDF12_FORMATS)
SUBJECTS_PER_PAGE = 50
MAX_AGE = 300  # as ``http.representation`` gives small graphs


@bp.app_template_filter("graph_href")
def graph_href_filter(iri: str) -> str | None:
    """The page of a named graph this server serves (``urls.graph_href``), else None."""
    return urls.graph_href(iri)


@bp.get("/graph/<slug:slug>", endpoint="graph")
@bp.get("/graph/<slug:slug>.<ext>", endpoint="graph")
def graph(slug: str, ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    iri = iris.graph_iri(publisher().settings.base_iri, slug)
    if iri not in snapshot.stats.graphs:
        raise ResourceNotFound(f"no named graph {iri} is published")
    number = page_number()
    paged = "page" in request.args
    large = is_large(snapshot, iri)
    fmt = negotiate(request.accept_mimetypes, GRAPH_FORMATS if large else NEGOTIATED_FORMATS,
                    default=TURTLE, name=named_format(ext))
    links = [(urls.absolute("graphs.graph", slug=slug, ext=HTML.name), "alternate",
              HTML.media_type), *document_links(None, "graphs.graph", slug=slug)]
    if paged:
        listing = graph_listing(snapshot, iri, page=number, per_page=SUBJECTS_PER_PAGE)
        links += _pager_links(slug, listing)
    if fmt is HTML:
        return _page(snapshot, iri, slug, links, number)
    if paged:
        return replayable(representation(
            graph_part_bytes(snapshot, iri, listing.subjects, fmt), fmt, links=links))
    if large:
        response = _from_file(snapshot, iri, fmt, links)
    else:
        response = replayable(representation(graph_bytes(snapshot, iri, fmt), fmt, links=links))
    if ext is None and fmt.version is None:
        response.headers["Content-Location"] = url_for("graphs.graph", slug=slug, ext=fmt.name)
    return response


def _pager_links(slug: str, listing: Listing) -> list[tuple[str, str, None]]:
    """``prev`` and ``next`` (RFC 8288) of a page of the listing, whatever its format."""
    steps = (("prev", listing.page - 1), ("next", listing.page + 1))
    return [(urls.absolute("graphs.graph", slug=slug, page=number), rel, None)
            for rel, number in steps if 1 <= number <= listing.pages]


def _from_file(snapshot: Snapshot, iri: str, fmt: Format, links: list) -> Response:
    settings = publisher().settings
    found = graph_file(snapshot, iri, settings.base_iri, fmt, dump_root(settings))
    response = send_file(found.path, mimetype=fmt.media_type, conditional=True,
                         etag=request_etag(fmt),
                         last_modified=snapshot.loaded_at, max_age=MAX_AGE)
    response.content_type = fmt.content_type  # Werkzeug adds a charset to text/* only
    del response.headers["Content-Disposition"]  # the file's name is not the graph's
    response.vary.add("Accept")
    response.headers["Link"] = link_header(links)
    return response


def _page(snapshot: Snapshot, iri: str, slug: str, links: list, number: int) -> Response:
    model = graph_page(snapshot, iri, reader_language(), publisher().settings.base_iri,
                       page=number, per_page=SUBJECTS_PER_PAGE)  # 404 past the last page

    def context() -> dict:
        described = snapshot.store.exists(iri)
        return {
            "page": model,
            "jsonld": embed_json(description_bytes(snapshot, iri, JSONLD)) if described else None,
            "formats": [(f, url_for("graphs.graph", slug=slug, ext=f.name)) for f in RDF_FORMATS],
            "languages": [(code, urls.absolute("graphs.graph", slug=slug, lang=code))
                          for code in LANGUAGES],
            "canonical": urls.absolute("graphs.graph", slug=slug),
            "per_page": SUBJECTS_PER_PAGE,
        }

    body = rendered(snapshot, ("graph", iri, number), "graph.html", context)
    return html_response(body, links)
