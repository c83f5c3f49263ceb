"""Paging of long lists: how many pages a number of entries fills."""

from __future__ import annotations

__all__ = ["page_count"]


def page_count(total: int, per_page: int) -> int:
    """The pages ``total`` entries fill at ``per_page`` a page: at least one, so that an
    empty list still has a first page to say so.

    >>> page_count(0, 50), page_count(50, 50), page_count(51, 50)
    (1, 1, 2)
    """
    return max(1, -(-total // per_page))
