"""What the server rules need to know of the site, read from the app: the URL pattern of
each negotiated family, the media type of each file suffix, the headers every answer
carries. Nothing here is typed twice: the URL map, the format registry and the security
headers are the sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask

from server.domain.formats import FORMATS
from server.web.export.negotiated import FAMILIES, Family
from server.web.security import SECURITY_HEADERS
from server.web.views import EXPOSED_HEADERS

__all__ = [
    "DATA_VARY",
    "HTML_VARY",
    "MAX_AGE",
    "FamilyRoute",
    "common_headers",
    "family_routes",
    "family_types",
    "media_types",
]

# The live server's choices for a representation of the current data (``http``, ``views``).
MAX_AGE = 300
DATA_VARY = "Accept"
HTML_VARY = "Accept, Accept-Language, Cookie"
# Suffixes of the files that are not RDF, and of the dumps.
OTHER_TYPES: tuple[tuple[str, str], ...] = (
    ("css", "text/css"), ("js", "application/javascript"), ("xml", "application/xml"),
    ("txt", "text/plain"), ("gz", "application/gzip"), ("json", "application/json"),
)
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@dataclass(frozen=True)
class FamilyRoute:
    family: Family
    pattern: str  # a regular expression over the URL path, anchored
    captures: tuple[str, ...]  # the rule's argument names, in order


def family_routes(app: Flask) -> Iterator[FamilyRoute]:
    """Each negotiated family's URL patterns (the rules without an extension)."""
    for family in FAMILIES:
        for rule in app.url_map.iter_rules():
            if rule.endpoint in family.endpoints and "ext" not in rule.arguments:
                pattern, names = _rule_pattern(app, rule.rule)
                yield FamilyRoute(family, pattern, names)


def _rule_pattern(app: Flask, rule: str) -> tuple[str, tuple[str, ...]]:
    parts, names, last = [], [], 0
    for match in _ARGUMENT.finditer(rule):
        parts.append(re.escape(rule[last:match.start()]))
        converter = app.url_map.converters[match.group(1) or "default"](app.url_map)
        parts.append(f"({converter.regex})")
        names.append(match.group(2))
        last = match.end()
    parts.append(re.escape(rule[last:]))
    return "^" + "".join(parts) + "$", tuple(names)


def media_types() -> dict[str, str]:
    """File suffix -> media type: the site's plain files (``sitemap.xml``), then the
    registry (its first format of each name)."""
    table = dict(OTHER_TYPES)
    for fmt in FORMATS:
        table.setdefault(fmt.name, fmt.media_type)
    return table


def family_types(family: Family) -> dict[str, str]:
    """The suffixes whose type differs for this family (SPARQL results as ``.json``)."""
    common = media_types()
    return {fmt.name: fmt.media_type for fmt in family.formats
            if common.get(fmt.name) != fmt.media_type}


def common_headers(cors_origin: str | None) -> dict[str, str]:
    """The headers on every answer: the security policy and CORS for reads."""
    headers = dict(SECURITY_HEADERS)
    if cors_origin:
        headers["Access-Control-Allow-Origin"] = cors_origin
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return headers
