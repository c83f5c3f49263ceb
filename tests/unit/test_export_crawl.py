"""The export's crawl fails on a URL the app fails, naming it, rather than leave it out."""

from __future__ import annotations

import pytest
from flask import Flask

from server.web.export.site import Unanswered, crawl

PUBLIC = "https://data.example.org/"


def _site(status: int) -> Flask:
    """A home page that links to a page answered with ``status``."""
    app = Flask(__name__)
    app.add_url_rule("/", "home", lambda: '<a href="/slow">a canned query</a>')
    app.add_url_rule("/slow", "slow", lambda: (
        {"status": status, "title": "Query Timeout", "message": "the query ran past 5 s"}, status))
    return app


def test_a_url_the_app_fails_stops_the_export_and_is_named(tmp_path):
    with pytest.raises(Unanswered) as failed:
        crawl(_site(503), PUBLIC, tmp_path / "site")
    assert str(failed.value) == \
        "/slow (Accept: any) was answered 503 SERVICE UNAVAILABLE: Query Timeout: " \
        "the query ran past 5 s"


def test_a_url_that_is_not_there_is_left_out(tmp_path):
    """A 404 is an answer (a link to nothing of this site), not a failure."""
    site = crawl(_site(404), PUBLIC, tmp_path / "site")
    assert "/" in site.urls and "/slow" not in site.urls
    assert (tmp_path / "site" / "index").read_text() == '<a href="/slow">a canned query</a>'
