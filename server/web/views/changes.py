"""``/changes``: the change feed (Activity Streams 2.0), JSON-LD by default, also Turtle.

``/changes`` is the ``OrderedCollection`` (its size, first and last pages);
``/changes?page=N`` a page of 100 activities, newest first. Like ``/releases`` it is read
once per served snapshot.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, request
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from server.domain import changes
from server.domain.describe import scope
from server.domain.formats import JSONLD, TURTLE
from server.domain.paging import page_count
from server.domain.release_description import release_iri
from server.memo import Memo
from server.problems import BadRequest, ResourceNotFound
from server.runtime.publisher import publisher
from server.web import urls
from server.web.http import representation
from server.web.negotiation import negotiate
from server.web.views.releases import releases

bp = Blueprint("changes", __name__)

PER_PAGE = 100
FEED_FORMATS = (JSONLD, TURTLE)
_CHANGES: Memo[list] = Memo(2)


@bp.get("/changes", endpoint="feed")
@bp.get("/changes.<ext>", endpoint="feed")
def feed(ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    fmt = negotiate(request.accept_mimetypes, FEED_FORMATS, default=JSONLD,
                    name=ext or request.args.get("format"))
    found = _CHANGES.get(scope(snapshot), "changes",
                         lambda: changes.changes(releases(snapshot)))
    pages = page_count(len(found), PER_PAGE)
    url = urls.absolute("changes.feed")
    number = request.args.get("page")
    if number is None:
        document = changes.collection(len(found), pages, url, _page_url)
    else:
        if not number.isdigit():
            raise BadRequest("page must be a whole number from 1")
        if not 1 <= int(number) <= pages:
            raise ResourceNotFound(f"no page {number}; the feed has {pages}")
        start = (int(number) - 1) * PER_PAGE
        base = publisher().settings.base_iri
        document = changes.collection_page(
            found[start:start + PER_PAGE], int(number), pages, url, _page_url,
            lambda c: f"{base}changes#{c.release}-{c.position}",
            lambda name: release_iri(base, name))
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    if fmt is TURTLE:
        body = Graph().parse(data=body, format="json-ld").serialize(format="turtle").encode()
    links = [(urls.absolute("changes.feed", ext=f.name), "alternate", f.media_type)
             for f in FEED_FORMATS]
    return representation(body, fmt, links=links)


def _page_url(number: int) -> str:
    return urls.absolute("changes.feed", page=number)


def feed_quads(dataset: str) -> list[ox.Quad]:
    """The dataset's link to its change feed, for the VoID/DCAT description."""
    feed = ox.NamedNode(urls.absolute("changes.feed"))
    return [ox.Quad(ox.NamedNode(dataset), ox.NamedNode(str(RDFS.seeAlso)), feed),
            ox.Quad(feed, ox.NamedNode(str(RDF.type)),
                    ox.NamedNode(f"{changes.AS}OrderedCollection"))]
