"""One error path: typed problems, one handler, one shape per media type.

Views, domain and SPARQL code raise ``server.problems`` errors, which say what went
wrong; ``STATUS`` says how HTTP answers each kind. The handler renders them as HTML,
JSON or plain text, as the client accepts, keeping ``Vary: Accept``. Anything
unexpected is logged and answered with an opaque 500 (no stack trace reaches a client).
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from server.domain.formats import Unserializable
from server.problems import FormatUnusable, Kind, PublisherError, ServiceUnavailable
from server.store import StoreUnavailable

__all__ = ["STATUS", "problem_headers", "problem_status", "register_error_handlers"]

log = logging.getLogger(__name__)

# The status each kind of problem is answered with (RFC 9110 §15).
STATUS: dict[Kind, int] = {
    Kind.FAULT: 500,
    Kind.INVALID: 400,
    Kind.NOT_FOUND: 404,
    Kind.NOT_ACCEPTABLE: 406,
    Kind.TOO_LARGE: 413,
    Kind.UNSUPPORTED_BODY: 415,
    Kind.OVER_LIMIT: 422,  # understood, and refused whole (RFC 9110 §15.5.21)
    Kind.UNAVAILABLE: 503,
}
assert set(STATUS) == set(Kind), "every kind of problem has its status"


def problem_status(error: PublisherError) -> int:
    return STATUS[error.kind]


def problem_headers(error: PublisherError) -> dict[str, str]:
    """``Retry-After`` when the problem says when to ask again (RFC 9110 §10.2.3)."""
    return {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}


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
        return _render(problem_status(error), error.title, error.message, problem_headers(error))

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
