"""Content negotiation as web-server rules: ``Accept`` header -> chosen format, by table.

A static server has no ``negotiation.negotiate``; what nginx, Apache and Caddy can do is
match the header against strings and regular expressions, first match wins. The rules
are made from the format registry in two tiers:

1. **Exact headers** that real clients send (browsers, curl, rdflib, Jena, each media
   type alone or with ``charset``, with ``*/*;q=0.1`` after it…), each decided by
   ``negotiate`` itself: for these the static server answers as the live one, q-values
   included.
2. **Patterns** for any other header, by quality tiers: from ``q=1`` down to ``q=0.0x``,
   the first of the family's media types named at that tier (in the views' order), then
   ``type/*``, then ``*/*`` (the first format the header does not refuse with ``q=0``).
   This is the live server's rule with qualities read to their first decimal: two types
   at ``q=0.85`` and ``q=0.8`` tie, and the family's order decides.

A header that names none of the family's types nor a wildcard gets ``""``: 406.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from server.domain.formats import FORMATS, Format
from server.problems import NotAcceptable
from server.web.negotiation import negotiate, pick_language

__all__ = ["COMMON_ACCEPTS", "NONE", "Rule", "accept_rules", "decide", "language_rules"]

NONE = ""  # nothing acceptable: 406

# What clients send, beside each media type of the registry alone (added below).
COMMON_ACCEPTS: tuple[str, ...] = (
    "*/*",
    # Chromium, Firefox, Safari
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"),
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,"
    "image/svg+xml,*/*;q=0.8"),
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    # rdflib's URL reader by format
    "application/rdf+xml, */*;q=0.1",
    "text/turtle, application/x-turtle, */*;q=0.1",
    "text/plain, */*;q=0.1",
    "application/trig, */*;q=0.1",
    "application/ld+json, application/json;q=0.9, */*;q=0.1",
    "application/n-quads, */*;q=0.1",
    "text/n3, */*;q=0.1",
    # Jena RIOT, the LOD crawlers (LDSpider, Any23)
    ("text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,"
    "application/rdf+xml;q=0.7,*/*;q=0.5"),
    "text/turtle,application/rdf+xml;q=0.9,application/n-triples;q=0.8,*/*;q=0.1",
    "application/rdf+xml, text/rdf+n3;q=0.5, text/turtle;q=0.5, application/n-triples;q=0.5",
    "application/rdf+xml,text/html;q=0.1",
    "text/turtle;q=1.0,application/rdf+xml;q=0.9,*/*;q=0.1",
    "application/ld+json;q=1.0,text/turtle;q=0.9",
    "text/*",
    "application/*",
    "text/html",
    "text/html;q=0.9, text/turtle",
)

# a parameter other than q (written without look-around, which RE2 - Caddy's - lacks)
_PARAM = r";\s*(?:[^q,;\s][^,;]*|q[^,;=\s][^,;]*)"
_TIERS: tuple[tuple[str, str], ...] = (
    ("1", r"(?:;\s*q\s*=\s*1(?:\.0{0,3})?\s*(?:" + _PARAM + r")*)?"),
    *((f"0.{d}", r";\s*q\s*=\s*0?\." + str(d) + r"[0-9]{0,2}\s*(?:" + _PARAM + r")*")
      for d in range(9, 0, -1)),
    ("0.0x", r";\s*q\s*=\s*0?\.0(?:[1-9][0-9]?|0[1-9])\s*(?:" + _PARAM + r")*"),
)
_REFUSED = r";\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:" + _PARAM + r")*"


@dataclass(frozen=True)
class Rule:
    """``pattern`` (a regular expression, case-insensitive, or an exact header when
    ``exact``) gives ``value``: a format name, ``NONE`` or a language code."""

    pattern: str
    value: str
    exact: bool = False


def decide(header: str, formats: Sequence[Format], default: Format) -> str:
    """What the live server answers ``header`` with: a format name or ``NONE``."""
    accept = parse_accept_header(header, MIMEAccept) if header else MIMEAccept()
    try:
        return negotiate(accept, formats, default=default).name
    except NotAcceptable:
        return NONE


def accept_rules(formats: Sequence[Format], default: Format, *,
                 look_around: bool = True) -> list[Rule]:
    """Exact rules for the common headers, then the tiered patterns, for one family.

    Without ``look_around`` (RE2), a wildcard gives the first format even when the
    header refuses it with ``q=0`` (``text/turtle;q=0, */*``)."""
    return [*_exact_rules(formats, default), *_tier_rules(formats, look_around)]


def _headers() -> Iterator[str]:
    yield from COMMON_ACCEPTS
    for fmt in FORMATS:
        for media in fmt.media_types:
            yield media
            yield f"{media}; charset=utf-8"
            yield f"{media};charset=utf-8"
            yield f"{media}, */*;q=0.1"
            yield f"{media},*/*;q=0.1"


def _exact_rules(formats: Sequence[Format], default: Format) -> Iterator[Rule]:
    yield Rule("", default.name, exact=True)
    for header in dict.fromkeys(_headers()):
        yield Rule(header, decide(header, formats, default), exact=True)


def _element(media: str, quality: str) -> str:
    """One element of an ``Accept`` list: ``media`` with its parameters at ``quality``."""
    return r"(?:^|,)\s*" + re.escape(media) + r"\s*(?:" + _PARAM + r")*" + quality + r"\s*(?:,|$)"


def _not_refused(fmt: Format) -> str:
    return r"^(?!.*" + _element(fmt.media_type, _REFUSED) + ")"


def _tier_rules(formats: Sequence[Format], look_around: bool) -> Iterator[Rule]:
    def not_refused(fmt: Format) -> str:
        return _not_refused(fmt) if look_around else ""

    offered = [(fmt, media) for fmt in formats for media in fmt.media_types]
    main_types = list(dict.fromkeys(media.split("/")[0] for _, media in offered))
    for _, quality in _TIERS:
        for fmt, media in offered:
            yield Rule(not_refused(fmt) + ".*" + _element(media, quality), fmt.name)
        for main in main_types:
            for fmt in formats:
                if any(m.split("/")[0] == main for m in fmt.media_types):
                    yield Rule(not_refused(fmt) + ".*" + _element(main + "/*", quality),
                               fmt.name)
        for fmt in formats:
            yield Rule(not_refused(fmt) + ".*" + _element("*/*", quality), fmt.name)
    yield Rule(".*", NONE)


def language_rules(languages: Sequence[str], default: str) -> list[Rule]:
    """``Accept-Language`` -> one of ``languages`` (``pick_language``): per tier, the first
    range of the header that is ours (``fr``, ``fr-CA``) or ``*`` (the default)."""
    rules = [Rule("", default, exact=True)]
    for header in ("fr", "en", "fr-FR,fr;q=0.9", "en-US,en;q=0.9", "en-GB,en;q=0.9",
                   "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "en-US,en;q=0.9,fr;q=0.8",
                   "de-DE,de;q=0.9,en;q=0.8", "*"):
        accept = parse_accept_header(header, LanguageAccept)
        rules.append(Rule(header, pick_language(accept, languages, default), exact=True))
    codes = "|".join(re.escape(code) for code in languages)
    for _, quality in _TIERS:
        # a range of ours before ``*`` at one quality: Werkzeug orders ranges by specificity
        ours = r"\s*(?:" + codes + r")(?:-[a-z0-9]+)*\s*" + quality + r"\s*(?:,|$)"
        skipped = r"^(?:(?!" + ours + r")[^,]*,)*?\s*"
        for code in languages:
            rules.append(Rule(skipped + re.escape(code) + r"(?:-[a-z0-9]+)*\s*" + quality
                              + r"\s*(?:,|$)", code))
        rules.append(Rule(r"(?:^|,)\s*\*\s*" + quality + r"\s*(?:,|$)", default))
    rules.append(Rule(".*", default))
    return rules
