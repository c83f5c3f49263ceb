"""Building responses: the headers every negotiated representation carries.

``Vary: Accept`` on everything negotiated (303s and errors included), ``Content-Type``
with charset, a strong ``ETag`` derived from the data version (never from serialised
bytes, whose blank-node labels change), ``Last-Modified`` from the load time, ``304``
on revalidation (RFC 9110 §13), and ``Link`` headers to the alternates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import Response, request

from .formats import Format
from .publisher import publisher

__all__ = ["representation", "see_other", "link_header"]


def etag_for(*parts: str) -> str:
    """A strong validator for one representation of one data version."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def link_header(links: Iterable[tuple[str, str, str | None]]) -> str:
    """``Link`` header value from ``(url, rel, media type)`` triples (RFC 8288)."""
    return ", ".join(
        f'<{url}>; rel="{rel}"' + (f'; type="{media}"' if media else "") for url, rel, media in links
    )


def representation(
    body: bytes,
    fmt: Format,
    *,
    links: Iterable[tuple[str, str, str | None]] = (),
    negotiated: bool = True,
    max_age: int = 300,
) -> Response:
    """A cacheable representation of the current data version, answering 304 when fresh."""
    snapshot = publisher().snapshot
    response = Response(body, 200, content_type=fmt.content_type)
    response.set_etag(etag_for(snapshot.version, request.path, fmt.name, request.query_string.decode()))
    response.last_modified = snapshot.loaded_at
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if negotiated:
        response.vary.add("Accept")
    link_text = link_header(links)
    if link_text:
        response.headers["Link"] = link_text
    return response.make_conditional(request)


def see_other(url: str, *, links: Iterable[tuple[str, str, str | None]] = ()) -> Response:
    """A ``303 See Other`` to the representation chosen for the client (Cool URIs §4.3)."""
    response = Response(f"See Other: {url}\n", 303, mimetype="text/plain")
    response.headers["Location"] = url
    response.vary.add("Accept")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    link_text = link_header(links)
    if link_text:
        response.headers["Link"] = link_text
    return response
