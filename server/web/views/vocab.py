"""The ontology and the shapes, for people and for machines.

``/ontology`` and ``/shapes`` are negotiated like resources (extension, then
``?format=``, then ``Accept``; ``*/*`` gets Turtle, browsers the documentation). The
ontology is a hash namespace, so ``BASE ontology#Agreement`` is read at
``/ontology#Agreement``: the HTML has one anchored section per term.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from server.domain.describe import graph_bytes
from server.domain.formats import HTML, RDF_FORMATS, TURTLE, Format
from server.runtime.publisher import publisher
from server.web import urls
from server.web.http import replayable, representation
from server.web.i18n import LANGUAGES
from server.web.negotiation import negotiate
from server.web.shapedoc import shapes_page
from server.web.views.common import (
    document_links,
    html_response,
    named_format,
    reader_language,
    rendered,
)
from server.web.vocabulary import ontology_page

__all__ = ["VOCABULARY_FORMATS", "bp"]

bp = Blueprint("vocab", __name__)

VOCABULARY_FORMATS: tuple[Format, ...] = (TURTLE, HTML,
                                          *(f for f in RDF_FORMATS if f is not TURTLE))
_DOCUMENTS = {
    "vocab.ontology": (lambda staged: staged.ontology_graph, ontology_page),
    "vocab.shapes": (lambda staged: staged.shapes_graph, shapes_page),
}


@bp.get("/ontology", endpoint="ontology")
@bp.get("/ontology.<ext>", endpoint="ontology")
@bp.get("/shapes", endpoint="shapes")
@bp.get("/shapes.<ext>", endpoint="shapes")
def document(ext: str | None = None) -> Response:
    endpoint = request.endpoint or "vocab.ontology"
    graph_of, page_of = _DOCUMENTS[endpoint]
    snapshot = publisher().snapshot
    fmt = negotiate(request.accept_mimetypes, VOCABULARY_FORMATS, default=TURTLE,
                    name=named_format(ext))
    links = document_links(endpoint, endpoint)
    if fmt is HTML:
        def context() -> dict:
            return {
                "page": page_of(snapshot, reader_language()),
                "formats": [(f, url_for(endpoint, ext=f.name)) for f in RDF_FORMATS],
                "languages": [(code, urls.absolute(endpoint, lang=code)) for code in LANGUAGES],
                "canonical": urls.absolute(endpoint),
            }

        return html_response(rendered(snapshot, endpoint, "vocab.html", context), links)
    body = graph_bytes(snapshot, graph_of(snapshot.staged), fmt)
    response = representation(body, fmt, links=links)
    if ext is None:
        response.headers["Content-Location"] = url_for(endpoint, ext=fmt.name)
    return replayable(response)
