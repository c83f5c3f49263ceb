"""``ldpub export DIR``: the site as files, and the web-server rules that serve them.

``DIR/site/`` holds the files (the document root), with Apache's ``.htaccess``;
``DIR/nginx/`` the nginx includes; ``DIR/Caddyfile.ldpub`` Caddy's. An export is of one data
version at one public URL: its dates are the release's (``ldpub release``), or
``SOURCE_DATE_EPOCH``'s (the reproducible-builds convention), so two exports of one
release are the same bytes.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.domain.loading import Snapshot
from server.domain.progress import Progress, Stage
from server.domain.releases import read_releases
from server.settings import NO_ENDPOINT, Settings
from server.store.registry import open_snapshot, release_root
from server.web.export.apache import apache_files
from server.web.export.caddy import caddy_files
from server.web.export.model import site_rules
from server.web.export.nginx import nginx_files
from server.web.export.site import Unanswered, crawl

__all__ = ["EXPORT_QUERY_SECONDS", "MARKER", "SITE_DIR", "ExportFailed", "ExportRefused",
           "Exported", "export_site", "pinned", "static_overrides"]

SITE_DIR = "site"
MARKER = ".ldpub-export"
RULES: tuple[Callable, ...] = (nginx_files, apache_files, caddy_files)
EXPORT_QUERY_SECONDS = 120.0


class ExportRefused(ValueError):
    """The export cannot be written where or as asked; the message says why."""


class ExportFailed(RuntimeError):
    """The app failed a URL of the site: nothing was exported, an earlier export stays."""


@dataclass(frozen=True)
class Exported:
    directory: Path
    files: int
    bytes: int
    urls: dict[str, str | None]  # URL -> its family (None: one file)
    date: datetime
    dated_by: str
    seconds: float


def pinned(snapshot: Snapshot, settings: Settings) -> tuple[Snapshot, str]:
    """The snapshot dated by its release (or ``SOURCE_DATE_EPOCH``), and what dated it."""
    newest = read_releases(release_root(settings))[-1:]
    if newest and newest[0].version == snapshot.version:
        return dataclasses.replace(snapshot, loaded_at=newest[0].issued), \
            f"release {newest[0].name}"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dataclasses.replace(snapshot, loaded_at=datetime.fromtimestamp(int(epoch), UTC)), \
            "SOURCE_DATE_EPOCH"
    return snapshot, "the load time (no release of this data version: two exports differ)"


def export_site(overrides: dict, directory: Path, progress: Progress | None = None,
                snapshot: Snapshot | None = None, workers: int = 1) -> Exported:
    """Export the site that ``overrides`` configure into ``directory``, asking for its URLs
    in ``workers`` processes; ``progress`` hears of the stages "data", "pages" (URLs
    written of URLs known) and "files" (dated).

    Raises:
        ExportRefused: no public URL, or ``directory`` holds something else than an export.
    """
    from server import create_app

    started = time.monotonic()
    overrides = static_overrides(overrides)
    settings = Settings.load(overrides)
    if settings.public_url is None:
        raise ExportRefused("an export needs the public URL it will be served at "
                            "(--public-url or LDPUB_PUBLIC_URL)")
    _check_directory(directory)
    # the store's kind only: a remote store's address may carry credentials
    with Stage(progress, "data", note=settings.store.split(":", 1)[0]):
        snapshot, dated_by = pinned(snapshot or open_snapshot(settings), settings)
    app = create_app(overrides, snapshot=snapshot)
    fresh = directory.with_name(directory.name + ".partial")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        site = crawl(app, settings.public_url, fresh / SITE_DIR, progress, workers,
                     lambda: create_app(overrides, snapshot=snapshot))
        rules = site_rules(app, site, settings.cors_origin)
        texts = {name: text for make in RULES for name, text in make(rules).items()}
    except Unanswered as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise ExportFailed(str(error)) from None
    finally:
        app.extensions["sparql"].close()
    _finish(fresh, directory, texts, snapshot.loaded_at.timestamp(), progress)
    return Exported(directory, len(site.files), site.size,
                    {url: exported.family and exported.family.name
                     for url, exported in site.urls.items()},
                    snapshot.loaded_at, dated_by, time.monotonic() - started)


def static_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of the site an export writes: ``overrides`` naming no SPARQL endpoint
    and no search unless one is set (``sparql_url``, ``search_url``: live ones), since a
    static site has neither; and a query time limit of at least ``EXPORT_QUERY_SECONDS``,
    since a canned query's answer is written once for every reader, and a limit met on a
    busy machine would leave it out of one export and not of the next.

    Raises:
        SettingsError: a setting is malformed.
    """
    settings = Settings.load(overrides)
    return {**overrides, "sparql_url": settings.sparql_url or NO_ENDPOINT,
            "search_url": settings.search_url or NO_ENDPOINT,
            "query_timeout": max(settings.query_timeout, EXPORT_QUERY_SECONDS)}


def _check_directory(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise ExportRefused(f"{directory} is not empty and holds no earlier export: "
                            "give an empty or new folder")


def _finish(fresh: Path, directory: Path, texts: dict[str, str], mtime: float,
            progress: Progress | None) -> None:
    """Date every file, add the rules, then swap the fresh folder in for ``directory``."""
    files = sorted(path for path in (fresh / SITE_DIR).rglob("*") if path.is_file())
    with Stage(progress, "files", len(files), "files") as dating:
        for path in files:
            os.utime(path, (mtime, mtime))
            dating.advance()
    for name, text in sorted(texts.items()):
        path = fresh / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (fresh / MARKER).write_text("written by `ldpub export`; exporting again replaces it\n")
    if directory.exists():
        shutil.rmtree(directory)
    fresh.rename(directory)
