"""Edges of negotiation a client meets: the reader's language by quality, not by the
order of the header; ``q=0`` refuses; media-type parameters never change the choice."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PAGE = "/page/person/ada-lovelace"


@pytest.mark.parametrize(("accept_language", "lang"), [
    ("en;q=0.5, fr", "fr"),           # quality first, whatever the order
    ("fr, en;q=0.5", "fr"),
    ("fr, en", "fr"),                 # equal quality: the client's order
    ("en, fr", "en"),
    ("fr-CA, en;q=0.5", "fr"),        # a sub-tag counts as its language
    ("fr;q=0, de", "en"),             # refused, then nothing we have: the default
    ("*, fr;q=0.5", "en"),            # any language first: the default
    ("de, fr;q=0.2, en;q=0.1", "fr"),
])
def test_the_page_language_follows_the_readers_preferences(client, accept_language, lang):
    response = client.get(PAGE, headers={"Accept": "text/html", "Accept-Language": accept_language})
    html = BeautifulSoup(response.data, "html.parser").html
    assert html["lang"] == lang, f"Accept-Language {accept_language!r} gave a page in {html['lang']}"


@pytest.mark.parametrize("accept", [
    "application/n-triples; charset=utf-8; x=y",
    "application/n-triples;charset=UTF-8, text/turtle;q=0.5",
])
def test_media_type_parameters_do_not_change_the_choice(client, accept):
    response = client.get("/data/person/ada-lovelace", headers={"Accept": accept})
    assert response.mimetype == "application/n-triples", accept


@pytest.mark.parametrize("name", ["text/turtle;charset=utf-8", "text/turtle; charset=utf-8"])
def test_a_format_parameter_may_be_a_media_type_with_parameters(client, name):
    response = client.get("/data/person/ada-lovelace", query_string={"format": name})
    assert (response.status_code, response.mimetype) == (200, "text/turtle"), name
