"""The web-server rules decide ``Accept`` and ``Accept-Language`` as the live server does.

The rules are regular expressions a static server matches in order; here Python's ``re``
runs them (the patterns use nothing Python and PCRE read differently), against the
server's own ``negotiate`` and ``pick_language``.
"""

from __future__ import annotations

import random
import re

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from server.domain.formats import FORMATS
from server.web.export.accept import accept_rules, decide, language_rules
from server.web.export.negotiated import FAMILIES
from server.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from server.web.negotiation import pick_language


def _apply(rules, header: str) -> str:
    for rule in rules:
        if rule.pattern == header if rule.exact else re.search(rule.pattern, header, re.I):
            return rule.value
    raise AssertionError(f"no rule for {header!r}")


def _random_accept(rnd: random.Random) -> str:
    ranges = [m for f in FORMATS for m in f.media_types] + ["*/*", "text/*", "application/*",
                                                            "image/png"]
    return ", ".join(rnd.choice(ranges) + rnd.choice(["", "", ";q=1", ";q=0.9", ";q=0.5",
                                                       ";q=0.1", ";q=0", "; charset=utf-8"])
                     for _ in range(rnd.randint(1, 4)))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_the_exact_headers_are_decided_by_negotiate(family):
    rules = accept_rules(family.formats, family.default)
    for rule in rules:
        if rule.exact:
            assert _apply(rules, rule.pattern) == decide(rule.pattern, family.formats,
                                                         family.default), rule.pattern


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_other_headers_agree_with_the_live_server(family):
    """The quality tiers, on random lists of media ranges with random q-values: the
    figure docs/deployment.md states (at least 99 %)."""
    rnd = random.Random(family.name)
    rules = accept_rules(family.formats, family.default)
    headers = [_random_accept(rnd) for _ in range(1000)]
    agree = sum(_apply(rules, h) == decide(h, family.formats, family.default) for h in headers)
    assert agree >= 990, f"{agree}/1000"


@pytest.mark.parametrize("header,chosen", [
    ("text/turtle;q=0.2, application/ld+json;q=0.9", "jsonld"),
    ("application/n-triples, text/turtle;q=0.5", "nt"),
    ("text/turtle;q=0, */*", "html"),
    ("image/png", ""),
    ("", "ttl"),
])
def test_q_values_for_a_resource(header, chosen):
    family = next(f for f in FAMILIES if f.name == "identify")
    assert _apply(accept_rules(family.formats, family.default), header) == chosen


def test_languages_as_pick_language():
    rules = language_rules(LANGUAGES, DEFAULT_LANGUAGE)
    rnd = random.Random(7)
    for _ in range(1000):
        header = ", ".join(rnd.choice(["en", "fr", "fr-CA", "en-US", "de", "*", "es"])
                           + rnd.choice(["", ";q=0.5", ";q=0.9", ";q=0"])
                           for _ in range(rnd.randint(1, 3)))
        expected = pick_language(parse_accept_header(header, LanguageAccept), LANGUAGES,
                                 DEFAULT_LANGUAGE)
        assert _apply(rules, header) == expected, header
