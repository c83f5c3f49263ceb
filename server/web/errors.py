"""One error path: typed exceptions, one handler, one shape per media type.

Views and domain code raise ``PublisherError`` subclasses; the handler renders them as
HTML, JSON or plain text, as the client accepts, keeping ``Vary: Accept``. Anything
unexpected is logged and answered with an opaque 500 (no stack trace reaches a client).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from server.domain.formats import RDF_FORMATS, RESULT_FORMATS, Unserializable
from server.store import StoreUnavailable

if TYPE_CHECKING:
    from server.domain.formats import Format

__all__ = [
    "PublisherError",
    "BadRequest",
    "ResourceNotFound",
    "NotAcceptable",
    "ServiceUnavailable",
    "BadQuery",
    "QueryRejected",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "ResultTooLarge",
    "QueryTooCostly",
    "QueryTimeout",
    "TooManyQueries",
    "FormatUnusable",
    "register_error_handlers",
]

log = logging.getLogger(__name__)


class PublisherError(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadRequest(PublisherError):
    status = 400
    title = "Bad Request"


class ResourceNotFound(PublisherError):
    status = 404
    title = "Not Found"


class NotAcceptable(PublisherError):
    status = 406
    title = "Not Acceptable"

    def __init__(self, candidates: Sequence[Format], reason: str | None = None):
        self.available = [fmt.media_type for fmt in candidates]
        super().__init__(f"{reason + '; ' if reason else ''}{_available(candidates)}")


class ServiceUnavailable(PublisherError):
    status = 503
    title = "Service Unavailable"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class BadQuery(BadRequest):
    """A query the parser refuses; the message is the parser's, with line and column."""

    title = "Malformed Query"


class QueryRejected(BadRequest):
    """A well-formed request the read-only endpoint will not run (update, LOAD, SERVICE)."""

    title = "Query Refused"


class PayloadTooLarge(PublisherError):
    status = 413
    title = "Content Too Large"


class UnsupportedMediaType(PublisherError):
    status = 415
    title = "Unsupported Media Type"


class ResultTooLarge(PublisherError):
    """More results than the configured limit: the query ran, the answer is refused whole
    rather than cut short, so that no client mistakes part of a result for all of it
    (RFC 9110 §15.5.21)."""

    status = 422
    title = "Result Too Large"


class QueryTooCostly(PublisherError):
    """The query wanted more memory than one query may take here; it was stopped alone,
    and retrying it will not help (the same family as ``ResultTooLarge``)."""

    status = 422
    title = "Query Too Costly"


class QueryTimeout(PublisherError):
    """The query ran past its time limit and was stopped; retrying it will not help."""

    status = 503
    title = "Query Timeout"


class TooManyQueries(ServiceUnavailable):
    """Every query slot of this worker stayed busy: come back in a moment."""

    title = "Too Many Queries"


class FormatUnusable(PublisherError):
    """The data holds what the chosen format cannot carry (``formats.Unserializable``)."""

    status = 406
    title = "Not Acceptable"

    @classmethod
    def of(cls, error: Unserializable) -> FormatUnusable:
        family = RDF_FORMATS if error.format in RDF_FORMATS else RESULT_FORMATS
        return cls(f"{error}; {_available([f for f in family if f is not error.format])}")


def _available(candidates: Sequence[Format]) -> str:
    """How a 406 names what can be had instead: ``available formats: text/turtle (.ttl), …``."""
    return "available formats: " + ", ".join(f"{f.media_type} (.{f.name})" for f in candidates)


def _render(status: int, title: str, message: str, headers: dict[str, str]) -> Response:
    best = request.accept_mimetypes.best_match(
        ["text/html", "application/json", "text/plain"], default="text/plain"
    )
    if best == "application/json":
        body = json.dumps({"status": status, "title": title, "message": message},
                          ensure_ascii=False)
        response = Response(body + "\n", status, mimetype="application/json")
    elif best == "text/html":
        page = render_template("error.html", status=status, title=title, message=message)
        response = Response(page, status, mimetype="text/html")
    else:
        response = Response(f"{status} {title}\n\n{message}\n", status, mimetype="text/plain")
    response.headers.update(headers)
    response.vary.add("Accept")
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PublisherError)
    def publisher_error(error: PublisherError) -> Response:
        return _render(error.status, error.title, error.message, error.headers)

    @app.errorhandler(Unserializable)
    def unserializable(error: Unserializable) -> Response:
        return publisher_error(FormatUnusable.of(error))

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable) -> Response:
        """The store is down or slow: 503, never 404 (the resource may well exist)."""
        log.warning("store unavailable on %s %s: %s", request.method, request.path, error)
        return publisher_error(ServiceUnavailable(str(error), error.retry_after))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        headers = {k: v for k, v in error.get_headers() if k.lower() in ("allow", "retry-after")}
        return _render(error.code or 500, error.name, error.description or error.name, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _render(500, "Internal Server Error",
                       "The server met an unexpected condition; it has been logged.", {})
