"""What changed between releases, per resource: the change feed and the sitemap's dates.

Each release keeps a fingerprint of every resource's description (``releases``); two
consecutive releases compared give a ``Create`` (new in the later one), an ``Update``
(its description differs) or a ``Delete`` (gone) per resource. The first release creates
everything it holds. The feed is an Activity Streams 2.0 ``OrderedCollection``
(https://www.w3.org/TR/activitystreams-core/#collections), newest first, in pages; its
JSON-LD carries its own ``@context`` (the terms of the AS2 context it uses), so a client
fetches nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from server.domain.releases import Release

__all__ = ["Change", "LastModified", "changes", "last_modified", "CONTEXT", "collection", "collection_page"]

AS = "https://www.w3.org/ns/activitystreams#"
KINDS = ("Create", "Update", "Delete")
CONTEXT = {
    "as": AS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "@id",
    "type": "@type",
    **{name: f"as:{name}" for name in ("OrderedCollection", "OrderedCollectionPage", *KINDS)},
    "summary": "as:summary",
    "totalItems": {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"},
    "published": {"@id": "as:published", "@type": "xsd:dateTime"},
    "orderedItems": {"@id": "as:items", "@type": "@id", "@container": "@list"},
    **{name: {"@id": f"as:{name}", "@type": "@id"}
       for name in ("object", "first", "last", "next", "prev", "partOf", "context")},
}


@dataclass(frozen=True)
class Change:
    kind: str  # Create, Update or Delete
    iri: str
    release: str
    published: datetime
    position: int  # in its release: a release never changes, so neither does this


def changes(releases: Sequence[Release]) -> list[Change]:
    """Every change, newest release first; in one release by kind, then IRI."""
    found: list[Change] = []
    previous: Release | None = None
    for release in releases:
        before = previous.resources if previous else {}
        now = release.resources
        kinds = {**{iri: "Delete" for iri in before if iri not in now},
                 **{iri: "Create" for iri in now if iri not in before},
                 **{iri: "Update" for iri in now if iri in before and before[iri][0] != now[iri][0]}}
        step = sorted(kinds.items(), key=lambda item: (KINDS.index(item[1]), item[0]))
        found[:0] = [Change(kind, iri, release.name, release.issued, n)
                     for n, (iri, kind) in enumerate(step, 1)]
        previous = release
    return found


@dataclass(frozen=True)
class LastModified:
    """When each resource last changed, and the date of anything else."""

    dates: dict[str, datetime]
    default: datetime

    def of(self, iri: str | None) -> datetime:
        return self.dates.get(iri, self.default) if iri else self.default


def last_modified(releases: Sequence[Release], version: str,
                  loaded_at: datetime) -> LastModified:
    """The release in which each resource last changed, if ``version`` is the newest
    release; else nothing is known but the time the data was loaded."""
    if not releases or releases[-1].version != version:
        return LastModified({}, loaded_at)
    dates = {release.name: release.issued for release in releases}
    return LastModified({iri: dates[last] for iri, (_, last) in releases[-1].resources.items()},
                        releases[-1].issued)


def collection(total: int, pages: int, url: str, page_url) -> dict:
    """The feed's entry point: its size and its first (newest) and last pages."""
    return {"@context": CONTEXT, "id": url, "type": "OrderedCollection",
            "summary": "Changes of the published resources between releases, newest first",
            "totalItems": total, "first": page_url(1), "last": page_url(max(1, pages))}


def collection_page(items: Sequence[Change], number: int, pages: int, url: str, page_url,
                    activity_iri, release_iri) -> dict:
    """One page of the feed, with the links to its neighbours."""
    page = {"@context": CONTEXT, "id": page_url(number), "type": "OrderedCollectionPage",
            "partOf": url,
            "orderedItems": [{"id": activity_iri(change), "type": change.kind,
                              "object": change.iri, "context": release_iri(change.release),
                              "published": change.published.isoformat()} for change in items]}
    if number > 1:
        page["prev"] = page_url(number - 1)
    if number < pages:
        page["next"] = page_url(number + 1)
    return page
