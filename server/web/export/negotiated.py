"""How each exported URL picks its representation: the views' own candidate tables.

A static server cannot run ``negotiation.negotiate``; it is given, for every URL family,
the formats that family offers in the views' order and the answer to a client that
states no preference, so that its rules decide as the live server does.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.domain.formats import HTML, JSONLD, RDF_FORMATS, TURTLE, Format
from server.web.views.canned import CANNED_FORMATS
from server.web.views.changes import FEED_FORMATS
from server.web.views.common import DOCUMENT_FORMATS
from server.web.views.graphs import GRAPH_FORMATS
from server.web.views.resources import RESOURCE_FORMATS
from server.web.views.site import HOME_FORMATS
from server.web.views.vocab import VOCABULARY_FORMATS

__all__ = ["FAMILIES", "SKIPPED_ENDPOINTS", "Family", "family_of"]


@dataclass(frozen=True)
class Family:
    """URLs negotiated alike: ``formats`` in the views' order, ``default`` for no ``Accept``.

    ``see_other``: the endpoint a non-HTML choice is sent to (``303``, with the format's
    extension); ``page``: the endpoint HTML is sent to, None when the URL serves it.
    """

    name: str
    endpoints: tuple[str, ...]
    formats: tuple[Format, ...]
    default: Format
    see_other: str | None = None
    page: str | None = None

    def __reduce__(self) -> tuple:
        # sent to and from export workers by name: formats hold engine objects that
        # do not pickle, and the receiver has the same table
        return _named, (self.name,)

    @property
    def redirect(self) -> bool:
        """Every answer is a ``303`` (``/id/…``)."""
        return self.see_other is not None and self.page is not None

    @property
    def has_html(self) -> bool:
        return HTML in self.formats


FAMILIES: tuple[Family, ...] = (
    Family("identify", ("resources.identify",), RESOURCE_FORMATS, TURTLE,
           see_other="resources.data", page="resources.page"),
    Family("data", ("resources.data",), RDF_FORMATS, TURTLE),
    Family("page", ("resources.page", "resources.values", "search.browse", "search.browse_kind"),
           (HTML,), HTML),
    Family("home", ("site.home",), HOME_FORMATS, HTML, see_other="dataset.void"),
    Family("document", ("dataset.void", "dataset.well_known", "dataset.validation",
                        "releases.releases"), DOCUMENT_FORMATS, TURTLE),
    Family("vocabulary", ("vocab.ontology", "vocab.shapes"), VOCABULARY_FORMATS, TURTLE),
    Family("graph", ("graphs.graph",), GRAPH_FORMATS, TURTLE),
    Family("feed", ("changes.feed",), FEED_FORMATS, JSONLD),
    Family("query", ("canned.query",), CANNED_FORMATS, HTML),
)

# Live services a static copy cannot answer: they stay on the Python server.
SKIPPED_ENDPOINTS = frozenset({"sparql.endpoint", "sparql.editor", "search.search",
                               "site.health"})

_BY_ENDPOINT = {endpoint: family for family in FAMILIES for endpoint in family.endpoints}
_BY_NAME = {family.name: family for family in FAMILIES}


def _named(name: str) -> Family:
    return _BY_NAME[name]


def family_of(endpoint: str) -> Family | None:
    """The family of a negotiated endpoint; None for one that serves a single file."""
    return _BY_ENDPOINT.get(endpoint)

