"""``/releases``: the published releases (HTML in both languages, and RDF), and their dumps.

The releases folder is read once per served snapshot, like everything else a response
depends on, so that ETags and the response cache stay true: a release recorded while a
server runs appears after ``ldpub reload`` or a restart. A release's dumps never change,
so they are sent with their SHA-256 as a strong ETag and a year's ``max-age``.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, render_template, send_file, url_for

from server.domain import dumps, formats
from server.domain.describe import scope
from server.domain.formats import HTML
from server.domain.loading import Snapshot
from server.domain.release_description import release_quads
from server.domain.releases import Release, is_release_name, read_releases
from server.memo import Memo
from server.problems import ResourceNotFound
from server.runtime.publisher import publisher
from server.store.registry import release_root
from server.web import urls
from server.web.http import representation
from server.web.views.common import DOCUMENT_FORMATS, byte_size, negotiate_document, reader_language

bp = Blueprint("releases", __name__)

RELEASE_MAX_AGE = 365 * 24 * 3600
_RELEASES: Memo[tuple[Release, ...]] = Memo(2)


def releases(snapshot: Snapshot) -> tuple[Release, ...]:
    """The releases this server shows, read once per served snapshot."""
    return _RELEASES.get(scope(snapshot), "releases",
                         lambda: read_releases(release_root(publisher().settings)))


def releases_quads(snapshot: Snapshot, licence: str) -> list:
    """The releases in DCAT, with this server's URLs for their dumps."""
    return release_quads(releases(snapshot), publisher().settings.base_iri, licence,
                         _dump_url)


@bp.get("/releases", endpoint="releases")
@bp.get("/releases.<ext>", endpoint="releases")
def listing(ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    fmt = negotiate_document(ext)
    links = [(url_for("releases.releases", ext=f.name), "alternate", f.media_type)
             for f in DOCUMENT_FORMATS]
    found = releases(snapshot)
    if fmt is HTML:
        lang = reader_language()
        page = render_template("releases.html", releases=tuple(reversed(found)), lang=lang,
                               size=byte_size,
                               formats=[(f.label, url_for("releases.releases", ext=f.name))
                                        for f in formats.RDF_FORMATS])
        return representation(page.encode("utf-8"), HTML, links=links, variant=lang,
                              vary=("Accept-Language",))
    body = formats.serialize_quads(releases_quads(snapshot, publisher().settings.licence),
                                   fmt, snapshot.prefixes)
    return representation(body, fmt, links=links)


@bp.get("/releases/<name>/<dump_name>.<ext>.gz", endpoint="dump")
def dump(name: str, dump_name: str, ext: str) -> Response:
    snapshot = publisher().snapshot
    chosen = next((r for r in releases(snapshot) if r.name == name), None)
    if not is_release_name(name) or chosen is None:
        raise ResourceNotFound(f"no release {name}; the releases are listed at /releases")
    found = next((d for d in chosen.dumps if d.format == ext and d.name == dump_name), None)
    if found is None:
        offered = ", ".join(d.file_name for d in chosen.dumps)
        raise ResourceNotFound(f"no dump {dump_name}.{ext}.gz in release {name}; its dumps "
                               f"are: {offered}")
    response = send_file(found.path, mimetype="application/gzip", conditional=True,
                         etag=found.sha256, last_modified=chosen.issued,
                         max_age=RELEASE_MAX_AGE, download_name=f"{name}-{found.file_name}")
    response.cache_control.public = True
    response.cache_control.immutable = True
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["Link"] = f'<{urls.absolute("releases.releases")}>; rel="describedby"'
    return response


def _dump_url(name: str, ext: str) -> str:
    return urls.absolute("releases.dump", name=name, dump_name=dumps.DUMP_NAME, ext=ext)
