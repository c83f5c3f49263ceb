"""Each problem the publisher names is answered with the status DESIGN gives it, and only
the web layer knows that status (``server.web.errors.STATUS``)."""

from __future__ import annotations

import pytest

from server import problems
from server.domain.formats import RDF_FORMATS
from server.problems import PublisherError
from server.web.errors import STATUS, problem_headers, problem_status

# (problem, its status, its title, Retry-After) as clients see them.
ANSWERS = [
    (problems.PublisherError("x"), 500, "Internal Server Error", None),
    (problems.BadRequest("x"), 400, "Bad Request", None),
    (problems.BadQuery("x"), 400, "Malformed Query", None),
    (problems.QueryRejected("x"), 400, "Query Refused", None),
    (problems.ResourceNotFound("x"), 404, "Not Found", None),
    (problems.NotAcceptable(RDF_FORMATS), 406, "Not Acceptable", None),
    (problems.FormatUnusable("x"), 406, "Not Acceptable", None),
    (problems.PayloadTooLarge("x"), 413, "Content Too Large", None),
    (problems.UnsupportedMediaType("x"), 415, "Unsupported Media Type", None),
    (problems.ResultTooLarge("x"), 422, "Result Too Large", None),
    (problems.QueryTooCostly("x"), 422, "Query Too Costly", None),
    (problems.ServiceUnavailable("x"), 503, "Service Unavailable", "5"),
    (problems.TooManyQueries("x", retry_after=1), 503, "Too Many Queries", "1"),
    (problems.QueryTimeout("x"), 503, "Query Timeout", None),
]


@pytest.mark.parametrize("error, status, title, retry_after", ANSWERS,
                         ids=[type(error).__name__ for error, *_ in ANSWERS])
def test_each_problem_has_its_status_title_and_retry_delay(error, status, title, retry_after):
    assert (problem_status(error), error.title) == (status, title)
    expected = {} if retry_after is None else {"Retry-After": retry_after}
    assert problem_headers(error) == expected


def test_every_problem_class_is_pinned_above():
    named = {getattr(problems, name) for name in problems.__all__}
    classes = {c for c in named if isinstance(c, type) and issubclass(c, PublisherError)}
    assert classes == {type(error) for error, *_ in ANSWERS}


def test_the_problems_carry_no_http_the_web_does():
    for error, *_ in ANSWERS:
        assert not hasattr(error, "status") and not hasattr(error, "headers"), error
        assert error.kind in STATUS
