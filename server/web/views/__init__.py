"""The web layer: one blueprint per page family, registered in one place."""

from __future__ import annotations

from flask import Flask, Response, request

from server.runtime.publisher import publisher
from server.web.security import register_security_headers
from server.web.views import (
    canned,
    changes,
    checks,
    dataset,
    graphs,
    releases,
    resources,
    search,
    site,
    sparql,
    texts,
    vocab,
)
from server.web.views.common import keep_language

__all__ = ["register_views", "BLUEPRINTS", "EXPOSED_HEADERS"]

# What a script on another origin may read of a response besides the simple headers.
EXPOSED_HEADERS = "Link, ETag, Location, Content-Length"

BLUEPRINTS = (site.bp, dataset.bp, resources.bp, vocab.bp, search.bp, sparql.bp, graphs.bp,
              canned.bp, releases.bp, changes.bp, checks.bp, texts.bp)


def register_views(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.after_request(_cross_origin_reads)
    app.after_request(keep_language)
    register_security_headers(app)


def _cross_origin_reads(response: Response) -> Response:
    """CORS for reads only, never with credentials (Fetch standard §3.2)."""
    origin = publisher().settings.cors_origin
    if origin and request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if origin != "*":
            response.vary.add("Origin")
    return response
