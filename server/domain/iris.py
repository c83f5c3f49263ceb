"""IRI policy: what we mint under the base IRI, and how it maps to local URLs.

The data always keeps its canonical IRIs (``BASE id/{kind}/{slug}``); a server running
elsewhere (``http://localhost:8080``) maps them to its own address for links only
("Cool URIs for the Semantic Web", §4.3).
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

__all__ = [
    "KINDS",
    "SLUG_PATTERN",
    "ResourceKey",
    "is_slug",
    "resource_iri",
    "parse_resource_iri",
    "graph_iri",
    "parse_graph_iri",
    "source_text_iri",
    "sentence_iri",
    "statement_iri",
    "rule_iri",
    "to_local",
]

KINDS: tuple[str, ...] = (
    "person",
    "organization",
    "place",
    "event",
    "agreement",
    "article",
    "project",
    "concept",
    "quotation",
    "image",
    "role",
    "observation",
)

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG = re.compile(rf"^{SLUG_PATTERN}$")


class ResourceKey(NamedTuple):
    kind: str
    slug: str


def is_slug(text: str) -> bool:
    """
    >>> is_slug("andrei-tchibis"), is_slug("Andrei"), is_slug("a--b"), is_slug("")
    (True, False, False, False)
    """
    return bool(_SLUG.match(text))


def resource_iri(base: str, kind: str, slug: str) -> str:
    """
    >>> resource_iri("https://w3id.org/gpr/", "person", "alexandre-missoffe")
    'https://w3id.org/gpr/id/person/alexandre-missoffe'
    """
    return f"{base}id/{kind}/{slug}"


def graph_iri(base: str, slug: str) -> str:
    """The named graph that holds a data file's facts (DESIGN §2).

    >>> graph_iri("https://w3id.org/gpr/", "derived")
    'https://w3id.org/gpr/graph/derived'
    """
    return f"{base}graph/{slug}"


def parse_graph_iri(base: str, iri: str) -> str | None:
    """The slug of a named graph served at ``/graph/{slug}``: under ``BASE graph/``, with a
    valid slug (a TriG file may name other graphs; those are not served there).

    >>> parse_graph_iri("https://w3id.org/gpr/", "https://w3id.org/gpr/graph/derived")
    'derived'
    >>> parse_graph_iri("https://w3id.org/gpr/", "https://w3id.org/gpr/graph/Notes_2018") is None
    True
    """
    prefix = graph_iri(base, "")
    slug = iri[len(prefix):] if iri.startswith(prefix) else ""
    return slug if is_slug(slug) else None


def parse_resource_iri(base: str, iri: str) -> ResourceKey | None:
    """
    >>> parse_resource_iri("https://w3id.org/gpr/", "https://w3id.org/gpr/id/place/paris")
    ResourceKey(kind='place', slug='paris')
    >>> parse_resource_iri("https://w3id.org/gpr/", "https://example.org/id/place/paris") is None
    True
    """
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        return None
    kind, _, slug = iri[len(prefix) :].partition("/")
    if kind in KINDS and is_slug(slug):
        return ResourceKey(kind, slug)
    return None


def source_text_iri(base: str, slug: str) -> str:
    """An article's text, as a file of the project (DESIGN §8).

    >>> source_text_iri("https://w3id.org/gpr/", "an-article")
    'https://w3id.org/gpr/source/an-article.txt'
    """
    return f"{base}source/{slug}.txt"


def sentence_iri(base: str, slug: str, n: int, suffix: str = "") -> str:
    """Sentence ``n`` of an article (a fragment of the article's IRI), or one of its parts
    (``-position``, ``-quote``, ``-w{start}-{end}`` for some of its words).

    >>> sentence_iri("https://w3id.org/gpr/", "an-article", 12, "-quote")
    'https://w3id.org/gpr/id/article/an-article#s12-quote'
    """
    return f"{resource_iri(base, 'article', slug)}#s{n}{suffix}"


def statement_iri(graph: str, ntriples: str) -> str:
    """The reifier of a triple in ``graph``: stable across loads, since it is made of the
    graph and the triple's N-Triples form, and of nothing else.

    >>> statement_iri("https://w3id.org/gpr/graph/a", '<urn:s> <urn:p> "o" .')
    'https://w3id.org/gpr/graph/a#st-8c037cdb4152b9d3'
    """
    return f"{graph}#st-{hashlib.sha256(ntriples.encode()).hexdigest()[:16]}"


def rule_iri(base: str, stem: str) -> str:
    """A rule of ``data/rules`` (by its file's stem), as a resource of the derived graph."""
    return f"{graph_iri(base, 'derived')}#rule-{stem}"


# Schemes a link may carry as they are. Data can hold any IRI, ``javascript:`` and
# ``data:`` included, which would run code or open a document made by the data's author
# when a reader follows them; those get the inert ``unsafe:`` prefix (as Angular's URL
# sanitizer does), so the page still shows the IRI but following it does nothing.
LINK_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "urn", "tag", "doi", "geo", "tel"})


def to_local(iri: str, base: str, public_url: str) -> str:
    """Map an IRI under ``base`` to the same path on this server; leave others alone,
    unless their scheme is not one a link may carry (``LINK_SCHEMES``).

    >>> to_local("https://w3id.org/gpr/id/place/paris", "https://w3id.org/gpr/", "http://localhost:8080/")
    'http://localhost:8080/id/place/paris'
    >>> to_local("http://dbpedia.org/resource/Paris", "https://w3id.org/gpr/", "http://localhost:8080/")
    'http://dbpedia.org/resource/Paris'
    >>> to_local("JavaScript:alert(1)", "https://w3id.org/gpr/", "http://localhost:8080/")
    'unsafe:JavaScript:alert(1)'
    """
    if iri.startswith(base):
        return public_url.rstrip("/") + "/" + iri[len(base) :]
    if iri.partition(":")[0].lower() not in LINK_SCHEMES:
        return "unsafe:" + iri
    return iri
