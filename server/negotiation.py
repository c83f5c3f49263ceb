"""Choosing a representation: extension, then ``?format=``, then ``Accept``.

Ranking is Werkzeug's ``MIMEAccept.best_match`` (quality, then specificity, ties broken
by the order of our candidates; ``q=0`` excludes). A request without ``Accept`` gets
the documented default; a request nothing fits gets ``NotAcceptable`` listing what we
can produce (RFC 9110 §12.5.1, §15.5.7).
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import LanguageAccept, MIMEAccept

from .errors import NotAcceptable
from .formats import Format, by_name

__all__ = ["negotiate", "pick_language"]


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
    if not accept:
        return default
    offered = [media for fmt in candidates for media in fmt.media_types]
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable(candidates)
    return _by_media_type(best, candidates)


def _by_media_type(media_type: str, candidates: Sequence[Format]) -> Format | None:
    wanted = media_type.split(";")[0].strip().lower()
    for fmt in candidates:
        if wanted in fmt.media_types:
            return fmt
    return None


def pick_language(accept: LanguageAccept, available: Sequence[str], default: str) -> str:
    """The reader's language among ``available`` (``fr-CA`` counts as ``fr``)."""
    return accept.best_match(available, default=default) or default
