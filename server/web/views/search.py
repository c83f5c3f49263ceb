"""Finding resources: search by name, browse by kind or by class, a page at a time.

``/search?q=`` matches every name of every resource, in any language, without regard
to case or accents (``catalogue.search``); it answers HTML or JSON as negotiated
(``?format=json`` too). ``/browse`` lists the kinds and classes with their counts,
``/browse/{kind}`` and ``/browse?class=`` page through their resources by label.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from server.domain import catalogue
from server.domain.formats import HTML, JSON, Format
from server.domain.paging import checked_page_count
from server.problems import BadRequest, ResourceNotFound
from server.runtime.publisher import publisher
from server.web import urls
from server.web.http import replayable, representation
from server.web.negotiation import negotiate
from server.web.pages import browse_page, search_json, search_page
from server.web.terms import embed_json
from server.web.views.common import (
    html_response,
    page_number,
    reader_language,
    rendered,
    require_html,
    term_parameter,
)

__all__ = ["SEARCH_FORMATS", "bp"]

bp = Blueprint("search", __name__)

SEARCH_FORMATS: tuple[Format, ...] = (HTML, JSON)
SEARCH_PER_PAGE = 20
BROWSE_PER_PAGE = 50
MAX_QUERY_LENGTH = 200


@bp.get("/search")
def search() -> Response:
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(f"a search is at most {MAX_QUERY_LENGTH} characters long")
    number = page_number()
    fmt = negotiate(request.accept_mimetypes, SEARCH_FORMATS, default=HTML,
                    name=request.args.get("format"))
    snapshot, settings = publisher().snapshot, publisher().settings
    lang = reader_language()
    found = catalogue.catalogue(snapshot, settings.base_iri)
    hits = catalogue.search(snapshot, settings.base_iri, query, lang) if query.strip() else ()
    checked_page_count(len(hits), SEARCH_PER_PAGE, number)
    model = search_page(found, hits, query, number, SEARCH_PER_PAGE, lang, settings.base_iri)
    links = [(urls.absolute("search.search", q=query, page=number, format=f.name), "alternate",
              f.media_type) for f in SEARCH_FORMATS]
    if fmt is JSON:
        # "<" as \u003c: a JSON body that echoes the query is never read as markup
        body = embed_json(json.dumps(search_json(model, urls.local_href), ensure_ascii=False,
                                     indent=1))
        response = representation((body + "\n").encode("utf-8"), JSON, links=links,
                                  variant=lang, vary=("Accept-Language",))
        return replayable(response)
    body = render_template("search.html", page=model).encode("utf-8")
    return html_response(body, links)


@bp.get("/browse")
def browse() -> Response:
    """The kinds and classes, with counts; or one class's resources (``?class=``)."""
    snapshot, settings = publisher().snapshot, publisher().settings
    found = catalogue.catalogue(snapshot, settings.base_iri)
    cls = term_parameter("class", snapshot.prefixes) if "class" in request.args else None
    if cls is not None and cls not in found.by_class:
        raise ResourceNotFound(f"no resource of class {cls} is published")
    number = page_number()
    require_html()

    def context() -> dict:
        lang = reader_language()
        listing = (catalogue.listing(snapshot, settings.base_iri, lang, cls=cls, page=number,
                                     per_page=BROWSE_PER_PAGE) if cls else None)
        return {"page": browse_page(found, listing, lang, settings.base_iri, cls=cls)}

    _check_page(len(found.by_class.get(cls, ())) if cls else 0, number)
    return html_response(rendered(snapshot, ("browse", cls, number), "browse.html", context))


@bp.get("/browse/<kind:kind>")
def browse_kind(kind: str) -> Response:
    snapshot, settings = publisher().snapshot, publisher().settings
    found = catalogue.catalogue(snapshot, settings.base_iri)
    if kind not in found.by_kind:
        raise ResourceNotFound(f"no resource of kind {kind!r} is published")
    number = page_number()
    require_html()
    _check_page(len(found.by_kind[kind]), number)

    def context() -> dict:
        lang = reader_language()
        listing = catalogue.listing(snapshot, settings.base_iri, lang, kind=kind, page=number,
                                    per_page=BROWSE_PER_PAGE)
        return {"page": browse_page(found, listing, lang, settings.base_iri, kind=kind)}

    return html_response(rendered(snapshot, ("browse-kind", kind, number), "browse.html", context))


def _check_page(total: int, number: int) -> None:
    checked_page_count(total, BROWSE_PER_PAGE, number)

