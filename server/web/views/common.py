"""What the page views share: the reader's language, rendering once, HTML responses.

A page depends on the data version, the URL, the reader's language and this server's
public address; it is rendered once for each and then served from memory
(``cache.Memo``), with an ETag per language and ``Vary: Accept, Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from flask import Response, current_app, render_template, request, url_for

from server.domain import catalogue
from server.domain.describe import scope
from server.domain.formats import HTML, RDF_FORMATS, TURTLE, Format, lenient_name
from server.domain.labels import CORE_LABELS, Label, Labels
from server.domain.loading import Snapshot
from server.memo import Memo
from server.problems import BadRequest
from server.runtime.publisher import publisher
from server.web import urls
from server.web.http import replayable, representation
from server.web.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    messages,
    one_language_notes,
)
from server.web.negotiation import negotiate, pick_language
from server.web.terms import Term

__all__ = [
    "browse_href",
    "document_links",
    "has_endpoint",
    "html_response",
    "keep_language",
    "named_format",
    "page_number",
    "reader_language",
    "rendered",
    "require_html",
    "site_context",
    "term_parameter",
]

_RENDERED: Memo[bytes] = Memo(2048)
_LICENCES = Labels(())
MAX_PAGE = 100_000
# The language the switch chose: a preference only, never a session.
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Query-string arguments a page's links in other languages keep.
KEPT_ARGUMENTS = ("q", "page", "p", "inverse", "class")


def chosen_language() -> str | None:
    """The language the reader picked with the switch (``?lang=``), if it is one of ours."""
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGES else None


def reader_language() -> str:
    """``?lang=`` when it names one of ours, else the one the reader chose before (the
    ``lang`` cookie the switch sets), else the best of ``Accept-Language``."""
    chosen = chosen_language() or request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return pick_language(request.accept_languages, LANGUAGES, DEFAULT_LANGUAGE)


def keep_language(response: Response) -> Response:
    """Every HTML page states its language (``Content-Language``) and what chose it
    (``Vary: Accept-Language, Cookie``); the switch's choice is kept in a cookie, so
    every link followed from then on stays in that language."""
    if response.mimetype != HTML.media_type or request.endpoint in (None, "static"):
        return response
    response.headers["Content-Language"] = reader_language()
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    chosen = chosen_language()
    if chosen is not None and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE,
                            samesite="Lax", httponly=True, secure=request.is_secure)
    return response


def rendered(snapshot: Snapshot, key: Hashable, template: str,
             context: Callable[[], dict]) -> bytes:
    """``template`` rendered with ``context()`` once per data version, language and address."""
    lang = reader_language()
    # the language switch links to this path with these arguments, so they are part of
    # what was rendered (``/graph/x`` and ``/graph/x.html`` are one page, two switches)
    kept = tuple((k, v) for k, v in request.args.items() if k in KEPT_ARGUMENTS)
    full_key = (template, key, lang, urls.public_base(), request.path, kept)
    return _RENDERED.get(scope(snapshot), full_key,
                         lambda: render_template(template, **context()).encode("utf-8"))


def html_response(body: bytes, links: Iterable[tuple[str, ...]] = ()) -> Response:
    """A page: one ETag per language, ``Vary: Accept, Accept-Language``, replayable, with
    ``Link`` headers to the same page in each language (and ``links``)."""
    response = representation(body, HTML, links=[*links, *language_links()],
                              variant=reader_language(), vary=("Accept-Language",))
    return replayable(response)


def language_links() -> list[tuple[str, str, str | None, str]]:
    """The current page in each of the site's languages (``hreflang`` alternates)."""
    if request.endpoint is None:
        return []
    kept = {k: v for k, v in request.args.items() if k in KEPT_ARGUMENTS}
    return [(urls.absolute(request.endpoint, **(request.view_args or {}), **kept, lang=code),
             "alternate", HTML.media_type, code) for code in LANGUAGES]


def require_html() -> None:
    """Pages are HTML only: a client that accepts no HTML gets 406 (RFC 9110 §15.5.7).

    Raises:
        NotAcceptable: the ``Accept`` header leaves HTML out.
    """
    negotiate(request.accept_mimetypes, (HTML,), default=HTML, name=request.args.get("format"))


def named_format(ext: str | None) -> str | None:
    """The format the URL names, if any: the path's extension exactly as written (a path
    names one representation, so ``.TTL`` or ``.%20`` is no format: 406), else ``?format=``
    as clients spell it (``Turtle``, ``rdf+xml``)."""
    if ext is not None:
        return ext
    name = request.args.get("format", "")
    return lenient_name(name) if name.strip() else None


def page_number(name: str = "page") -> int:
    """A 1-based page number from the query string.

    Raises:
        BadRequest: it is not a whole number between 1 and ``MAX_PAGE``.
    """
    text = request.args.get(name, "1")
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PAGE:
        raise BadRequest(f"{name} must be a whole number from 1 to {MAX_PAGE}, not {text[:40]!r}")
    return int(text)


def term_parameter(name: str, prefixes: dict[str, str]) -> str:
    """An IRI named in the query string in full or as a prefixed name (``schema:Person``).

    Raises:
        BadRequest: the parameter names no IRI.
    """
    text = request.args.get(name, "").strip()
    prefix, colon, local = text.partition(":")
    if colon and prefix in prefixes and not local.startswith("//"):
        text = prefixes[prefix] + local
    if (not text.startswith(("http://", "https://")) or len(text) > 2000
            or any(c in text for c in ' <>"{}|\\^`')):
        raise BadRequest(f"{name} must be an IRI or a prefixed name such as schema:Person")
    return text


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def browse_href(cls: str | None) -> str | None:
    """The browse page of ``cls``, where a page that lists a few of its members sends
    readers for all; None without one (no such class published, or no browse route)."""
    if cls is None or not has_endpoint("search.browse"):
        return None
    served = publisher()
    if cls not in catalogue.catalogue(served.snapshot, served.settings.base_iri).by_class:
        return None
    return url_for("search.browse", **{"class": cls})


def _href(endpoint: str) -> str | None:
    return url_for(endpoint) if has_endpoint(endpoint) else None


def document_links(page_endpoint: str | None, data_endpoint: str, iri: str | None = None,
                   **values) -> list[tuple[str, str, str | None]]:
    """``Link`` header entries: the HTML and every RDF format of a document, plus the
    thing it describes (RFC 6892 ``describes``)."""
    links: list[tuple[str, str, str | None]] = []
    if iri is not None:
        links.append((iri, "describes", None))
    if page_endpoint:
        links.append((urls.absolute(page_endpoint, **values), "alternate", HTML.media_type))
    for fmt in RDF_FORMATS:
        links.append((urls.absolute(data_endpoint, ext=fmt.name, **values), "alternate",
                      fmt.media_type))
    return links


def site_context() -> dict:
    """What ``base.html`` needs on every page: the reader's language, the site's words,
    the navigation and the language switch for the current URL."""
    lang = reader_language()
    nav = [(name, href) for name, href in (
        ("home", _href("site.home")), ("browse", _href("search.browse")),
        ("ontology", _href("vocab.ontology")), ("shapes", _href("vocab.shapes")),
        ("sparql", urls.sparql_href()), ("dataset", _href("dataset.void")),
    ) if href]
    switch = []
    if request.endpoint and request.method in ("GET", "HEAD") and request.url_rule is not None:
        kept = {k: v for k, v in request.args.items() if k in KEPT_ARGUMENTS}
        for code in LANGUAGES:
            switch.append((code, LANGUAGE_NAMES[code], url_for(
                request.endpoint, **(request.view_args or {}), **kept, lang=code), code == lang))
    return {"site": {"lang": lang, "ui": messages(lang), "nav": nav, "switch": switch,
                     "only": one_language_notes(lang),
                     "search": urls.search_href(),
                     "licence": licence(lang)}}


DOCUMENT_FORMATS: tuple[Format, ...] = (*RDF_FORMATS, HTML)


def negotiate_document(ext: str | None) -> Format:
    """A document's format: extension (exactly), then ``?format=``, then ``Accept``; ``*/*`` gets
    Turtle, browsers get HTML."""
    return negotiate(request.accept_mimetypes, DOCUMENT_FORMATS, default=TURTLE,
                     name=named_format(ext))


def byte_size(n: int, lang: str = "en") -> str:
    """A byte count for people, in the reader's units and decimal mark: 1.2 MB, 1,2 Mo."""
    words = messages(lang)
    units = words["byte_units"].split()
    for i, unit in enumerate(units):
        if n < 1000 or i == len(units) - 1:
            return f"{n} {unit}" if i == 0 else f"{n:.1f} {unit}".replace(".", words["decimal_mark"])
        n /= 1000
    return str(n)


def licence(lang: str) -> Term:
    """The data's licence, named from the table of well-known licences (its IRI otherwise):
    every page's footer, error pages included, so it never waits on the store."""
    iri = publisher().settings.licence
    label = _LICENCES.get(iri, lang) if iri in CORE_LABELS else Label(iri, None)
    return Term(iri, label.text, label.lang, external=True)
