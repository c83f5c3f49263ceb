"""Choosing a representation: extension, then ``?format=``, then ``Accept``.

Ranking is Werkzeug's ``MIMEAccept.best_match`` (quality, then specificity, ties broken
by the order of our candidates; ``q=0`` excludes). A request without ``Accept`` gets
the documented default; a request nothing fits gets ``NotAcceptable`` listing what we
can produce (RFC 9110 §12.5.1, §15.5.7).

The one media-type parameter that chooses a representation is ``version``, the RDF
version label (RDF 1.2 Concepts, "RDF Version Announcement"): a media range naming
``version=1.2`` is matched only by the candidates that carry RDF 1.2 triple terms
(``formats.RDF12_FORMATS``); a range naming none, ``version=1.1`` or ``version=1.2-basic``
(no triple terms) only by the RDF 1.1 ones; a range naming any other version by none.
Each version's ranges are ranked apart, and the better quality wins; at equal quality,
the version the client named. So ``application/ld+json; version=1.2, text/turtle; q=0.5``
gets RDF 1.1 Turtle rather than JSON-LD under a 1.2 label, and a request whose only range
names a version we cannot give is ``406``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_options_header

from server.domain.formats import BASIC_RDF_VERSIONS, Format, by_name
from server.problems import NotAcceptable

__all__ = ["negotiate", "pick_language"]

NEGOTIATIONS = 1024  # the (Accept, route) pairs whose choice is kept; a header is at most 8 KiB


def negotiate(
    accept: MIMEAccept,
    candidates: Sequence[Format],
    *,
    default: Format,
    name: str | None = None,
) -> Format:
    """The format to answer with.

    Args:
        accept: the request's parsed ``Accept`` header.
        candidates: what this route can produce, in order of preference.
        default: the answer when the client states no preference.
        name: a format named by the URL (extension or ``?format=``); it wins outright.

    Raises:
        NotAcceptable: nothing in ``candidates`` fits.
    """
    if name:
        chosen = by_name(name, candidates) or _by_media_type(name, candidates)
        if chosen is None:
            raise NotAcceptable(candidates, f"unknown format {name!r}")
        return chosen
    chosen = _ranked(tuple(accept), tuple(candidates), default)
    if chosen is None:
        raise NotAcceptable(candidates)
    return chosen


@lru_cache(maxsize=NEGOTIATIONS)
def _ranked(ranges: tuple[tuple[str, float], ...], candidates: tuple[Format, ...],
            default: Format) -> Format | None:
    """What ``negotiate`` chooses for one ``Accept`` (its parsed ranges), None if nothing
    fits: a pure function of them, kept for the ``Accept`` headers clients repeat (a
    third of a small query's time went here)."""
    by_version = _by_version(MIMEAccept(list(ranges)))
    if not any(by_version.values()):
        return default
    found = [_best(accepted, [fmt for fmt in candidates if fmt.version == version])
             for version, accepted in by_version.items()]
    # stable sort, RDF 1.1 first: at equal quality the last, a version the client named, wins
    ranked = sorted((match for match in found if match is not None), key=lambda m: m[0])
    return ranked[-1][1] if ranked else None


def _by_version(accept: MIMEAccept) -> dict[str | None, MIMEAccept]:
    """The client's media ranges by the RDF version they name (None: RDF 1.1), without
    their other parameters (``charset``, ``profile``): we serve every format in UTF-8 and
    one profile, so ``text/turtle; charset=utf-8`` and ``application/ld+json; profile=…``
    must match ours, which Werkzeug's exact parameter comparison would refuse. What is
    not a media range at all is ignored (RFC 9110 §12.5.1 lets a server disregard a
    malformed ``Accept``).
    """
    ranges: dict[str | None, list[tuple[str, float]]] = {None: []}
    for value, quality in accept:
        media, parameters = parse_options_header(value)
        if "/" not in media:
            continue
        version = parameters.get("version")
        key = None if version is None or version in BASIC_RDF_VERSIONS else version
        ranges.setdefault(key, []).append((media.strip().lower(), quality))
    return {version: MIMEAccept(found) for version, found in ranges.items()}


def _best(accept: MIMEAccept, candidates: Sequence[Format]) -> tuple[float, Format] | None:
    """The quality and format of the best match among ``candidates``, if any fits."""
    # A format the client refuses by its own media type (q=0) is not let in by an alias
    # (``application/sparql-results+json;q=0, */*`` must not get it as application/json).
    refused = {value for value, quality in accept if quality == 0}
    offered = [media for fmt in candidates if fmt.media_type not in refused
               for media in fmt.media_types]
    best = accept.best_match(offered)
    if best is None:
        return None
    return accept.quality(best), _by_media_type(best, candidates)


def _by_media_type(media_type: str, candidates: Sequence[Format]) -> Format | None:
    wanted = media_type.split(";")[0].strip().lower()
    for fmt in candidates:
        if wanted in fmt.media_types:
            return fmt
    return None


def pick_language(accept: LanguageAccept, available: Sequence[str], default: str) -> str:
    """The reader's language among ``available`` (``fr-CA`` counts as ``fr``).

    The client's ranges are taken by quality, each matching a language of ours or a
    sub-tag of it (RFC 4647 §3.4 lookup), so ``fr-CA, en;q=0.5`` gives ``fr``, which
    Werkzeug's exact-match-first ``best_match`` would turn into ``en``.

    >>> from werkzeug.datastructures import LanguageAccept
    >>> pick_language(LanguageAccept([("fr-CA", 1), ("en", 0.5)]), ["en", "fr"], "en")
    'fr'
    >>> pick_language(LanguageAccept([("de", 1), ("*", 0.1)]), ["en", "fr"], "en")
    'en'
    """
    ranked = sorted(((quality, order, tag.lower()) for order, (tag, quality) in enumerate(accept)
                     if quality > 0), key=lambda item: (-item[0], item[1]))
    for _, _, tag in ranked:
        if tag == "*":
            return default
        for code in available:
            if tag == code or tag.startswith(code + "-") or code.startswith(tag + "-"):
                return code
    return default
