"""What every web server's rules are made from: one description of the exported site.

The generators (``nginx``, ``apache``, ``caddy``) only write this in their own syntax, so
the three reproduce the same contract (DESIGN §3) from the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for

from server.domain.formats import HTML
from server.web.export.accept import Rule, accept_rules, language_rules
from server.web.export.negotiated import FAMILIES, Family
from server.web.export.routes import FamilyRoute, common_headers, family_routes, media_types
from server.web.export.site import ERROR_DIR, Site, file_stem
from server.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from server.web.views.common import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE

__all__ = ["LANGUAGE_COOKIE", "NOT_ACCEPTABLE", "SiteRules", "site_rules"]

NOT_ACCEPTABLE = "406"  # the choice when nothing fits
_PLACEHOLDER = "LDPUBARG{}"


@dataclass(frozen=True)
class Redirect:
    """A family that answers ``303``: the target of each choice, with ``{name}`` where a
    captured argument of the route goes (None: that choice is served, not redirected)."""

    route: FamilyRoute
    targets: dict[str, str | None]
    exists: str  # a file that exists when the thing was published, with ``{name}``


@dataclass(frozen=True)
class SiteRules:
    public_url: str
    routes: tuple[FamilyRoute, ...]
    redirects: tuple[Redirect, ...]
    choices: dict[str, list[Rule]]  # family name -> Accept rules
    languages: tuple[str, ...]
    default_language: str
    language_rules: list[Rule]
    links: dict[str, str]  # file stem of a URL -> its Link header
    media_types: dict[str, str]
    headers: dict[str, str]
    families: tuple[Family, ...]
    error_families: tuple[str, ...]  # families with a 406 body

    def cookie(self, code: str) -> str:
        """The ``Set-Cookie`` of the language switch (``?lang=``), as the live server's."""
        return f"{LANGUAGE_COOKIE}={code}; Max-Age={LANGUAGE_COOKIE_AGE}; HttpOnly; Path=/; " \
               "SameSite=Lax"

    @staticmethod
    def suffix(fmt_name: str, lang: str) -> str:
        return f"{lang}.html" if fmt_name == HTML.name else fmt_name


def site_rules(app: Flask, site: Site, cors_origin: str | None) -> SiteRules:
    routes = tuple(family_routes(app))
    return SiteRules(
        public_url=site.public_url,
        routes=routes,
        redirects=tuple(_redirect(app, site.public_url, route) for route in routes
                        if route.family.see_other),
        choices={family.name: accept_rules(family.formats, family.default)
                 for family in FAMILIES},
        languages=LANGUAGES,
        default_language=DEFAULT_LANGUAGE,
        language_rules=language_rules(LANGUAGES, DEFAULT_LANGUAGE),
        links={file_stem(url): exported.link for url, exported in sorted(site.urls.items())
               if exported.link},
        media_types=media_types(),
        headers=common_headers(cors_origin),
        families=FAMILIES,
        error_families=tuple(name for name in sorted({f.name for f in FAMILIES})
                             if f"{ERROR_DIR}/406.{name}.txt" in site.files),
    )


def _redirect(app: Flask, public_url: str, route: FamilyRoute) -> Redirect:
    """Where a redirecting family sends each choice, from the URL map itself."""
    family = route.family
    placeholders = {name: _PLACEHOLDER.format(i) for i, name in enumerate(route.captures)}
    with app.test_request_context(base_url=public_url):
        def target(endpoint: str, **extra) -> str:
            url = public_url.rstrip("/") + url_for(endpoint, **placeholders, **extra)
            for name, placeholder in placeholders.items():
                url = url.replace(placeholder, "{" + name + "}")
            return url

        targets = {fmt.name: ((target(family.page) if family.page else None) if fmt is HTML
                              else target(family.see_other, ext=fmt.name))
                   for fmt in family.formats}
        exists = target(family.see_other, ext=family.default.name) if family.page else ""
    return Redirect(route, targets, exists[len(public_url.rstrip("/")):])
