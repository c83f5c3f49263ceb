"""Dereferenceable resources: the 303 pattern ("Cool URIs for the Semantic Web" §4.3).

``/id/{kind}/{slug}`` names the thing and answers ``303 See Other``: to the page for
clients that ask for HTML, to the description in the negotiated format for the others
(``*/*`` gets Turtle: the candidates list Turtle first). ``/page/…`` is the HTML page,
``/data/…`` the description negotiated by ``Accept`` and ``/data/….{ext}`` one format
whatever ``Accept`` says; the extension wins, then ``?format=``, then ``Accept``. The
RDF 1.2 view (``Accept: text/turtle; version=1.2``, ``formats.RDF12_FORMATS``) has no
extension: ``/id/…`` sends its clients to ``/data/…``, which negotiates it again.
Every answer is computed once per data version and replayed from memory after that.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from server.domain import iris
from server.domain.describe import describe, description_bytes, labels_of, sources, values_page
from server.domain.formats import HTML, JSONLD, RDF12_FORMATS, RDF_FORMATS, TURTLE, Format
from server.domain.loading import Snapshot
from server.domain.pictures import signing_network
from server.domain.reifiers import citations
from server.runtime.publisher import publisher
from server.web import urls
from server.web.converters import register_converters
from server.web.http import replayable, representation, see_other
from server.web.i18n import LANGUAGES
from server.web.layout import property_hints
from server.web.negotiation import negotiate
from server.web.pages import value_triple, values_list
from server.web.pictures import SigningGraph, signing_graph
from server.web.presenters import resource_page
from server.web.reading import article_reading
from server.web.terms import embed_json
from server.web.views.common import (
    document_links,
    html_response,
    named_format,
    page_number,
    reader_language,
    rendered,
    require_html,
    term_parameter,
)

__all__ = ["RESOURCE_FORMATS", "bp"]

bp = Blueprint("resources", __name__)
bp.record_once(lambda state: register_converters(state.app))

# Turtle first: Werkzeug breaks ties by this order, so ``*/*`` (curl, crawlers) gets data,
# while browsers, which name text/html, get the page.
RESOURCE_FORMATS: tuple[Format, ...] = (TURTLE, HTML, *(f for f in RDF_FORMATS if f is not TURTLE))
# What the live server negotiates besides: the RDF 1.2 view, which has no URL of its own.
NEGOTIATED_FORMATS: tuple[Format, ...] = (*RESOURCE_FORMATS, *RDF12_FORMATS)
DATA_FORMATS: tuple[Format, ...] = (*RDF_FORMATS, *RDF12_FORMATS)
VALUES_PER_PAGE = 50


@bp.app_template_filter("local_href")
def local_href_filter(iri: str) -> str:
    """Where a reader of this server follows ``iri`` (``urls.local_href``)."""
    return urls.local_href(iri)


def _resource(kind: str, slug: str) -> tuple:
    snapshot = publisher().snapshot
    iri = iris.resource_iri(publisher().settings.base_iri, kind, slug)
    return snapshot, iri


def identify(kind: str, slug: str) -> Response:
    snapshot, iri = _resource(kind, slug)
    describe(snapshot, iri)  # 404 for what we never published
    fmt = negotiate(request.accept_mimetypes, NEGOTIATED_FORMATS, default=TURTLE,
                    name=request.args.get("format"))
    if fmt is HTML:
        target = urls.absolute("resources.page", kind=kind, slug=slug)
    else:
        target = urls.absolute("resources.data", kind=kind, slug=slug, **_extension(fmt))
    links = document_links("resources.page", "resources.data", iri, kind=kind, slug=slug)
    return replayable(see_other(target, links=links))


def page(kind: str, slug: str) -> Response:
    snapshot, iri = _resource(kind, slug)
    settings = publisher().settings

    def context() -> dict:
        description = describe(snapshot, iri)
        model = resource_page(description, reader_language(), settings.base_iri,
                              property_hints(snapshot, description.types), snapshot.prefixes,
                              citations(snapshot, iri, description.graphs))
        return {
            "page": model,
            "signing": _signing(snapshot, iri, model.lang),
            "jsonld": embed_json(description_bytes(snapshot, iri, JSONLD)),
            "formats": _format_links(kind, slug),
            "languages": _language_links("resources.page", kind=kind, slug=slug),
            "canonical": urls.absolute("resources.page", kind=kind, slug=slug),
            "reading": article_reading(snapshot, iri, slug, description.sources,
                                       reader_language(), settings.base_iri)
            if kind == "article" else None,
        }

    describe(snapshot, iri)  # 404 before rendering anything
    require_html()
    body = rendered(snapshot, ("page", iri), "resource.html", context)
    return html_response(body, document_links("resources.page", "resources.data", iri,
                                              kind=kind, slug=slug))


def data(kind: str, slug: str, ext: str | None = None) -> Response:
    snapshot, iri = _resource(kind, slug)
    describe(snapshot, iri)
    fmt = negotiate(request.accept_mimetypes, DATA_FORMATS, default=TURTLE,
                    name=named_format(ext))
    body = description_bytes(snapshot, iri, fmt)
    links = document_links("resources.page", "resources.data", iri, kind=kind, slug=slug)
    response = representation(body, fmt, links=links)
    if ext is None and fmt.version is None:
        response.headers["Content-Location"] = url_for("resources.data", kind=kind, slug=slug,
                                                       ext=fmt.name)
    return replayable(response)


def _extension(fmt: Format) -> dict[str, str]:
    """The URL values naming ``fmt``: its extension, none for a view that has no URL."""
    return {} if fmt.version else {"ext": fmt.name}


def values(kind: str, slug: str) -> Response:
    """The full, paged list of one property's values (or of the resources linking here)."""
    snapshot, iri = _resource(kind, slug)
    predicate = term_parameter("p", snapshot.prefixes)
    inverse = request.args.get("inverse", "") in ("1", "true", "yes")
    number = page_number()
    settings = publisher().settings

    def context() -> dict:
        found = values_page(snapshot, iri, predicate, inverse=inverse, page=number,
                            per_page=VALUES_PER_PAGE)
        description = describe(snapshot, iri)
        cited = citations(snapshot, ("values", iri, predicate, inverse, number),
                          [value_triple(found, value) for value in found.values])
        return {"page": values_list(found, description, sources(snapshot), reader_language(),
                                    settings.base_iri, cited)}

    values_page(snapshot, iri, predicate, inverse=inverse, page=number, per_page=VALUES_PER_PAGE)
    require_html()
    body = rendered(snapshot, ("values", iri, predicate, inverse, number), "values.html", context)
    return html_response(body, document_links("resources.page", "resources.data", iri,
                                              kind=kind, slug=slug))


def _signing(snapshot: Snapshot, iri: str, lang: str) -> SigningGraph | None:
    """Who signed what with whom, drawn on the page of an agreement someone signed."""
    network = signing_network(snapshot, iri)
    if network is None:
        return None
    named = {iri, *(s.person for s in network.signings), *(s.agreement for s in network.signings),
             *(org for _, org in network.acts_for)}
    return signing_graph(network, labels_of(snapshot, [ox.NamedNode(x) for x in sorted(named)]), lang)


def _format_links(kind: str, slug: str) -> list[tuple[Format, str]]:
    return [(fmt, url_for("resources.data", kind=kind, slug=slug, ext=fmt.name))
            for fmt in RDF_FORMATS]


def _language_links(endpoint: str, **values) -> list[tuple[str, str]]:
    return [(code, urls.absolute(endpoint, **values, lang=code)) for code in LANGUAGES]


# Registered here rather than by decorators, so that mutation testing, which leaves
# decorated functions alone, reaches the handlers (docs/mutation-testing.md).
ROUTES: tuple[tuple[str, Callable[..., Response]], ...] = (
    ("/id/<kind:kind>/<slug:slug>", identify),
    ("/page/<kind:kind>/<slug:slug>", page),
    ("/data/<kind:kind>/<slug:slug>", data),
    ("/data/<kind:kind>/<slug:slug>.<ext>", data),
    ("/page/<kind:kind>/<slug:slug>/values", values),
)
for _rule, _view in ROUTES:
    bp.add_url_rule(_rule, view_func=_view, methods=["GET"])
