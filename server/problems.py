"""What can go wrong with a request, in terms every layer shares.

Domain code, the SPARQL engine and the views raise these; they say what went wrong
(a ``Kind``, a title and a message), never how a protocol answers it. The web layer
maps each kind to its HTTP status in one table and renders the problem
(``server.web.errors``); the command line prints the title and the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from server.domain.formats import RDF_FORMATS, RESULT_FORMATS, Format, Unserializable

__all__ = [
    "Kind",
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
]


class Kind(Enum):
    """The family of a problem: what a client can do about it."""

    FAULT = "fault"  # ours: the client cannot help it
    INVALID = "invalid"  # the request cannot be taken as it is asked
    NOT_FOUND = "not found"  # nothing is published under that name
    NOT_ACCEPTABLE = "not acceptable"  # no form the client accepts can carry the answer
    TOO_LARGE = "too large"  # the request is larger than what is read
    UNSUPPORTED_BODY = "unsupported body"  # the request's body is of a type not read
    OVER_LIMIT = "over limit"  # the answer passes a limit of this server
    UNAVAILABLE = "unavailable"  # no answer this time: busy, unreachable or out of time


class PublisherError(Exception):
    kind = Kind.FAULT
    title = "Internal Server Error"

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after  # seconds after which asking again may succeed


class BadRequest(PublisherError):
    kind = Kind.INVALID
    title = "Bad Request"


class ResourceNotFound(PublisherError):
    kind = Kind.NOT_FOUND
    title = "Not Found"


class NotAcceptable(PublisherError):
    kind = Kind.NOT_ACCEPTABLE
    title = "Not Acceptable"

    def __init__(self, candidates: Sequence[Format], reason: str | None = None):
        super().__init__(f"{reason + '; ' if reason else ''}{_available(candidates)}")


class ServiceUnavailable(PublisherError):
    kind = Kind.UNAVAILABLE
    title = "Service Unavailable"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message, retry_after=retry_after)


class BadQuery(BadRequest):
    """A query the parser refuses; the message is the parser's, with line and column."""

    title = "Malformed Query"


class QueryRejected(BadRequest):
    """A well-formed request the read-only endpoint will not run (update, LOAD, SERVICE)."""

    title = "Query Refused"


class PayloadTooLarge(PublisherError):
    kind = Kind.TOO_LARGE
    title = "Content Too Large"


class UnsupportedMediaType(PublisherError):
    kind = Kind.UNSUPPORTED_BODY
    title = "Unsupported Media Type"


class ResultTooLarge(PublisherError):
    """More results than the configured limit: the query ran, the answer is refused whole
    rather than cut short, so that no client mistakes part of a result for all of it."""

    kind = Kind.OVER_LIMIT
    title = "Result Too Large"


class QueryTooCostly(PublisherError):
    """The query wanted more memory than one query may take here; it was stopped alone,
    and retrying it will not help (the same family as ``ResultTooLarge``)."""

    kind = Kind.OVER_LIMIT
    title = "Query Too Costly"


class QueryTimeout(PublisherError):
    """The query ran past its time limit and was stopped; retrying it will not help."""

    kind = Kind.UNAVAILABLE
    title = "Query Timeout"


class TooManyQueries(ServiceUnavailable):
    """Every query slot of this worker stayed busy: come back in a moment."""

    title = "Too Many Queries"


class FormatUnusable(PublisherError):
    """The data holds what the chosen format cannot carry (``formats.Unserializable``)."""

    kind = Kind.NOT_ACCEPTABLE
    title = "Not Acceptable"

    @classmethod
    def of(cls, error: Unserializable) -> FormatUnusable:
        family = RDF_FORMATS if error.format in RDF_FORMATS else RESULT_FORMATS
        return cls(f"{error}; {_available([f for f in family if f is not error.format])}")


def _available(candidates: Sequence[Format]) -> str:
    """How a refusal names what can be had instead: ``available formats: text/turtle (.ttl), …``,
    and ``text/turtle; version=1.2`` for an RDF 1.2 view, which no extension names."""
    return "available formats: " + ", ".join(
        f.media_range if f.version else f"{f.media_type} (.{f.name})" for f in candidates)
