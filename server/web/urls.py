"""Every absolute URL the server writes, from one place.

Behind a proxy the server is told its public URL (``LDPUB_PUBLIC_URL``); otherwise the
request's own host is used. Canonical IRIs under the base IRI are mapped to this
server's address for links only; the data keeps its canonical IRIs.
"""

from __future__ import annotations

from flask import request, url_for

from server.domain.iris import parse_graph_iri, to_local
from server.runtime.publisher import publisher

__all__ = ["public_base", "absolute", "local_href", "graph_href"]


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
