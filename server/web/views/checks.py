"""``/checks``: this deployment's last ``ldpub check`` results, as a page in each language
or as W3C EARL in every RDF format.

The results are what ``ldpub check URL --earl FILE`` wrote (``ldpub serve --self-check``
runs it once the server listens): a file of their own (``store.registry.checks_path``),
never computed while a request waits. The file is read again only when it changes, and
its change gives the answer a new ETag and ``Last-Modified``.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from server.conformance.earl import recorded
from server.domain import formats
from server.domain.formats import HTML
from server.domain.namespaces import EARL
from server.runtime.publisher import publisher
from server.store.registry import checks_path
from server.web.http import representation
from server.web.views.common import DOCUMENT_FORMATS, negotiate_document, reader_language

bp = Blueprint("checks", __name__)

OUTCOMES = ("passed", "failed", "inapplicable")


@bp.get("/checks", endpoint="checks")
@bp.get("/checks.<ext>", endpoint="checks")
def results(ext: str | None = None) -> Response:
    fmt = negotiate_document(ext)
    found = recorded(checks_path(publisher().settings))
    stamp = found.stamp if found else "none"
    modified = found.written if found else None
    links = [(url_for("checks.checks", ext=f.name), "alternate", f.media_type)
             for f in DOCUMENT_FORMATS]
    if fmt is HTML:
        lang = reader_language()
        counts = {o: sum(r.outcome == o for r in found.rows) if found else 0 for o in OUTCOMES}
        page = render_template(
            "checks.html", results=found, lang=lang, counts=counts,
            subjects=sorted({r.subject for r in found.rows}) if found else [],
            formats=[(f.label, url_for("checks.checks", ext=f.name))
                     for f in formats.RDF_FORMATS])
        return representation(page.encode("utf-8"), HTML, links=links,
                              variant=f"{lang}-{stamp}", vary=("Accept-Language",),
                              modified=modified, max_age=60)
    body = formats.serialize_quads(found.quads if found else (), fmt,
                                   {**publisher().snapshot.prefixes, "earl": str(EARL)})
    return representation(body, fmt, links=links, variant=stamp, modified=modified,
                          max_age=60)
