"""Every absolute URL the server writes, from one place.

Behind a proxy the server is told its public URL (``LDPUB_PUBLIC_URL``); otherwise the
request's own host is used. Canonical IRIs under the base IRI are mapped to this
server's address for links only; the data keeps its canonical IRIs.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for

from server.domain.iris import parse_graph_iri, to_local
from server.runtime.publisher import publisher
from server.settings import NO_ENDPOINT

__all__ = [
    "absolute",
    "graph_href",
    "local_href",
    "public_base",
    "search_href",
    "sparql_endpoint",
    "sparql_href",
    "sparql_is_here",
]


def public_base() -> str:
    """This server's public root URL, ending with ``/``."""
    return publisher().settings.public_url or request.host_url


def absolute(endpoint: str, **values) -> str:
    """``url_for`` made absolute against the public URL, never the backend's address."""
    return public_base().rstrip("/") + url_for(endpoint, **values)


def local_href(iri: str) -> str:
    """Where a reader of this server follows ``iri``: here for ours, as-is for others."""
    settings = publisher().settings
    return to_local(iri, settings.base_iri, public_base())


def graph_href(iri: str) -> str | None:
    """This server's page of a named graph (``/graph/{slug}``), or None for a graph it does
    not serve there (the ontology, the shapes, graphs named outside ``BASE graph/``)."""
    slug = parse_graph_iri(publisher().settings.base_iri, iri)
    return absolute("graphs.graph", slug=slug) if slug else None


SPARQL_ENDPOINT = "sparql.endpoint"


def sparql_is_here() -> bool:
    """The site names this server's own endpoint (no other ``sparql_url`` is set)."""
    return publisher().settings.sparql_url is None and \
        SPARQL_ENDPOINT in current_app.view_functions


def sparql_endpoint() -> str | None:
    """The SPARQL endpoint the site names (``sparql_url``), absolute: this server's own
    unless another is set; None when it names none (a static export has no endpoint)."""
    if sparql_is_here():
        return absolute(SPARQL_ENDPOINT)
    chosen = publisher().settings.sparql_url
    return None if chosen in (None, NO_ENDPOINT) else chosen


def sparql_href(**query: str) -> str | None:
    """A link to the named endpoint (with ``query`` arguments): this server's own as a path,
    another as its URL; None when the site names none."""
    if sparql_is_here():
        return url_for(SPARQL_ENDPOINT, **query)
    endpoint = sparql_endpoint()
    return endpoint and endpoint + ("?" + urlencode(query) if query else "")


SEARCH = "search.search"


def search_href() -> str | None:
    """Where search boxes send a reader (``search_url``): this server's own search as a
    path, another as its URL; None when the site names none (a static export has none)."""
    chosen = publisher().settings.search_url
    if chosen is None:
        return url_for(SEARCH) if SEARCH in current_app.view_functions else None
    return None if chosen == NO_ENDPOINT else chosen
