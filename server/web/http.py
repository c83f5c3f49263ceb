"""Building responses: the headers every negotiated representation carries.

``Vary: Accept`` on everything negotiated (303s and errors included), ``Content-Type``
with charset, an ``ETag`` derived from the data version and this server's address (never
from serialised bytes, whose blank-node labels change; weak where those labels are drawn
afresh), ``Last-Modified`` from the load time, ``304``
on revalidation (RFC 9110 §13), and ``Link`` headers to the alternates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from flask import Flask, Response, request
from flask_compress import Compress
from werkzeug.http import parse_range_header

from server.domain.formats import FORMATS, Format
from server.runtime.publisher import publisher
from server.web import urls
from server.web.cache import REPLAYABLE

__all__ = [
    "enable_compression",
    "ignore_unusable_ranges",
    "link_header",
    "replayable",
    "representation",
    "request_etag",
    "see_other",
]


def etag_for(*parts: str) -> str:
    """A strong validator for one representation of one data version."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def request_etag(fmt: Format, variant: str = "") -> str:
    """The validator of this request's representation in ``fmt`` (and the RDF version it
    names): the data version, the URL, this server's address (absolute links) and
    ``variant``."""
    return etag_for(publisher().snapshot.version, request.path, fmt.key,
                    request.query_string.decode(), variant, urls.public_base())


def link_header(links: Iterable[tuple[str, ...]]) -> str:
    """``Link`` header value from ``(url, rel, media type)`` triples (RFC 8288), or
    ``(url, rel, media type, hreflang)`` for a page in another language."""
    return ", ".join(_link(*link) for link in links)


def _link(url: str, rel: str, media: str | None, hreflang: str | None = None) -> str:
    return (f'<{url}>; rel="{rel}"' + (f'; type="{media}"' if media else "")
            + (f'; hreflang="{hreflang}"' if hreflang else ""))


def representation(
    body: bytes,
    fmt: Format,
    *,
    links: Iterable[tuple[str, ...]] = (),
    negotiated: bool = True,
    max_age: int = 300,
    variant: str = "",
    vary: Iterable[str] = (),
    weak: bool = False,
    modified: datetime | None = None,
) -> Response:
    """A cacheable representation of the current data version, answering 304 when fresh.

    ``variant`` names what else the body depends on (the reader's language), so that each
    variant has its own ETag; ``vary`` names the request headers it comes from. ``weak``
    for a body whose bytes are not the same each time it is made (blank-node labels drawn
    afresh): the same data, but not the same bytes, which a strong ETag would promise
    (RFC 9110 §8.8.1). ``modified`` for a body that changes apart from the data version.
    """
    snapshot = publisher().snapshot
    response = Response(body, 200, content_type=fmt.content_type)
    response.set_etag(request_etag(fmt, variant), weak=weak)
    response.last_modified = max(snapshot.loaded_at, modified or snapshot.loaded_at)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if negotiated:
        response.vary.add("Accept")
    for header in vary:
        response.vary.add(header)
    link_text = link_header(links)
    if link_text:
        response.headers["Link"] = link_text
    return response.make_conditional(request)


def see_other(url: str, *, links: Iterable[tuple[str, ...]] = ()) -> Response:
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


def replayable(response: Response) -> Response:
    """Let ``cache.ResponseCache`` store this response and replay it to identical reads.

    Only for responses that depend on nothing but the data version, the URL and the
    request headers the cache keys on (``Accept``, ``Accept-Language``, ``Accept-Encoding``,
    ``Host``, ``Origin``).
    """
    request.environ[REPLAYABLE] = True
    return response


def enable_compression(app: Flask) -> None:
    """gzip (and br, zstd) for every text and RDF type of the registry (RFC 9110 §8.4),
    and the sitemap's XML.

    A compressed body gets its own strong ETag (``"…:gzip"``), as RFC 9110 §8.8.3 asks
    of a different representation. CSS and JavaScript are files, streamed and never
    compressed (below); JSON comes only in error bodies, which are never compressed, and
    in ``/healthz``, below the smallest size worth compressing: none is listed.
    """
    compress = Compress()
    types = {fmt.media_type for fmt in FORMATS} | {"application/xml"}
    app.config.setdefault("COMPRESS_MIMETYPES", sorted(types))
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip", "br", "zstd", "deflate"])
    # Streamed bodies (files: static assets, dumps, already gzip'd) pass as they are:
    # wrapping them would leave the file unclosed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)


def ignore_unusable_ranges(app: Flask) -> None:
    """Serve the whole file (200) for a ``Range`` that is not one byte range.

    RFC 9110 §14.2: a server must ignore a range unit it does not know, and may ignore a
    malformed range or a list of ranges; Werkzeug's file responses answer all three with
    416, which tells a client its range is beyond the end of the file (it is not).
    """
    app.before_request(_drop_unusable_range)


def _drop_unusable_range() -> None:
    header = request.headers.get("Range")
    if header is None:
        return
    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        request.environ.pop("HTTP_RANGE", None)
