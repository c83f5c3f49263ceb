"""Paging of long lists: how many pages a number of entries fills, and the refusal of a
page past the last."""

from __future__ import annotations

from server.problems import ResourceNotFound

__all__ = ["checked_page_count", "page_count"]


def page_count(total: int, per_page: int) -> int:
    """The pages ``total`` entries fill at ``per_page`` a page: at least one, so that an
    empty list still has a first page to say so.

    >>> page_count(0, 50), page_count(50, 50), page_count(51, 50)
    (1, 1, 2)
    """
    return max(1, -(-total // per_page))


def checked_page_count(total: int, per_page: int, page: int) -> int:
    """``page_count``, once ``page`` is known to be one of them.

    Raises:
        ResourceNotFound: ``page`` is past the last page.
    """
    pages = page_count(total, per_page)
    if page > pages:
        raise ResourceNotFound(f"page {page} is past the last page ({pages})")
    return pages
