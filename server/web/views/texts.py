"""``/source/{slug}.txt``: an article's text, the document every sentence IRI points into.

A text is never edited once published (DESIGN §8), so it is sent with its SHA-256 as a
strong ETag (the content's own hash: the same bytes have the same validator whatever
the data version), a year's ``max-age`` and ``304`` on ``If-None-Match``; the same
checksum is stated in the dataset description. The article's reading view, the same
text sentence by sentence, is its HTML alternate.
"""

from __future__ import annotations

from types import MappingProxyType

from flask import Blueprint, Response, request

from server.domain.describe import scope
from server.domain.loading import Snapshot
from server.domain.texts import SourceText, read_texts
from server.memo import Memo
from server.problems import ResourceNotFound
from server.runtime.publisher import publisher
from server.web import urls
from server.web.converters import register_converters
from server.web.http import link_header, replayable

__all__ = ["TEXT_MAX_AGE", "bp", "source_texts"]

bp = Blueprint("texts", __name__)
bp.record_once(lambda state: register_converters(state.app))

TEXT_MAX_AGE = 365 * 24 * 3600
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
_TEXTS: Memo[MappingProxyType[str, SourceText]] = Memo(2)


def source_texts(snapshot: Snapshot) -> MappingProxyType[str, SourceText]:
    """The texts this server publishes, read once per served snapshot."""
    return _TEXTS.get(scope(snapshot), "texts",
                      lambda: read_texts(publisher().settings.data_dir))


@bp.get("/source/<slug:slug>.txt", endpoint="source")
def source(slug: str) -> Response:
    found = source_texts(publisher().snapshot).get(slug)
    if found is None:
        raise ResourceNotFound(f"no source text {slug}.txt; each article's page links to its text")
    response = Response(found.body, 200, content_type=TEXT_CONTENT_TYPE)
    response.set_etag(found.sha256)
    response.cache_control.public = True
    response.cache_control.max_age = TEXT_MAX_AGE
    response.headers["Link"] = link_header([
        (urls.absolute("resources.page", kind="article", slug=slug), "alternate", "text/html"),
    ])
    return replayable(response.make_conditional(request))
