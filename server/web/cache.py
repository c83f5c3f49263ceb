"""Render once per data version, then serve the stored bytes.

Published data never changes under a version (a reload swaps the whole snapshot), so
everything computed from it can be kept until the version changes: descriptions, page
models, rendered pages (``server.memo.Memo``).

``ResponseCache`` goes one step further, in front of the application (RFC 9111 §4, the
way Varnish does it): a response a view marks as replayable is stored with the request
headers it can depend on, and an identical later request gets the stored status,
headers and bytes without entering Flask at all, or a ``304`` when its
``If-None-Match`` holds the stored ETag. Only ``GET`` and ``HEAD`` are served from it;
a request with other conditional or range headers, or whose response was not marked,
goes to the application as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_date, parse_etags

from server.memo import Memo

__all__ = ["REPLAYABLE", "ResponseCache"]

# The WSGI environ key a view sets to let its response be stored and replayed.
REPLAYABLE = "ldpub.replayable"

# Request headers a stored response may depend on: part of the key.
_KEY_HEADERS = (
    "HTTP_HOST",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ORIGIN",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
)
# Requests the store leaves to the application (RFC 9110 §13.2.2 evaluation order).
_BYPASS_HEADERS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE",
                   "HTTP_AUTHORIZATION", "HTTP_COOKIE")
# Headers a 304 repeats from the stored 200 (RFC 9110 §15.4.5), plus CORS and Link.
_NOT_MODIFIED_HEADERS = frozenset({
    "etag", "cache-control", "vary", "last-modified", "content-location", "expires", "link",
    "access-control-allow-origin", "access-control-expose-headers",
})


@dataclass(frozen=True)
class _Stored:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None

    @property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.headers if k.lower() in _NOT_MODIFIED_HEADERS]


class ResponseCache:
    """WSGI middleware replaying marked responses for identical reads of one version.

    Args:
        app: the WSGI application to wrap.
        version: returns the data version being served; it is part of every key, so a
            reload makes every stored response unreachable (and they are then dropped).
            None (no data yet) bypasses the cache.
        entries: how many responses to keep; the least recently used go first.
        max_body: responses larger than this are not stored.
    """

    def __init__(self, app: Callable, version: Callable[[], str | None], *, entries: int = 2048,
                 max_body: int = 2 * 1024 * 1024) -> None:
        self.app = app
        self._version = version
        self._max_body = max_body
        self._store: Memo[_Stored] = Memo(entries)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or any(h in environ for h in _BYPASS_HEADERS):
            return self.app(environ, start_response)
        version = self._version()
        if version is None:
            return self.app(environ, start_response)
        key = (
            environ.get("wsgi.url_scheme"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            *(environ.get(name) for name in _KEY_HEADERS),
        )
        stored = self._store.lookup(version, key)
        if stored is not None:
            return self._replay(stored, environ, start_response)
        return self._record(environ, start_response, version, key)

    def _replay(self, stored: _Stored, environ: dict[str, Any],
                start_response: Callable) -> Iterable[bytes]:
        if stored.status.startswith("200") and _not_modified(stored, environ):
            start_response("304 Not Modified", stored.not_modified_headers)
            return []
        start_response(stored.status, list(stored.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [stored.body]

    def _record(self, environ: dict[str, Any], start_response: Callable, version: str,
                key: tuple) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        keep = (
            environ.get(REPLAYABLE)
            and environ["REQUEST_METHOD"] == "GET"
            and "HTTP_IF_NONE_MATCH" not in environ
            and seen.get("status", "")[:3] in ("200", "303")
            and not any(k.lower() == "set-cookie" for k, _ in seen.get("headers", ()))
        )
        if not keep:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= self._max_body:
            headers = list(seen["headers"])
            etag = next((v for k, v in headers if k.lower() == "etag"), None)
            stored = _Stored(seen["status"], headers, body, _opaque(etag))
            self._store.put(version, key, stored)
        return [body]


def _not_modified(stored: _Stored, environ: dict[str, Any]) -> bool:
    """RFC 9110 §13.2.2: ``If-None-Match`` decides when present, else ``If-Modified-Since``."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return bool(stored.etag) and parse_etags(if_none_match).contains_weak(stored.etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    modified = parse_date(next((v for k, v in stored.headers if k.lower() == "last-modified"), None))
    return since is not None and modified is not None and modified <= since


def _opaque(etag: str | None) -> str | None:
    """The opaque tag of an ``ETag`` header value (``W/"x"`` and ``"x"`` give ``x``)."""
    if not etag:
        return None
    return etag.removeprefix("W/").strip('"')
