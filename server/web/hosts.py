"""Which ``Host`` a request may name, since absolute URLs are built from it.

Without a public URL (``LDPUB_PUBLIC_URL``), the ``Location`` of a 303, the sitemap,
``robots.txt`` and the dataset description name the host the client sent; a shared cache
that keys on the URL would hand a spoofed one to everybody. So a request must name a
well-formed host (RFC 3986 §3.2.2: DNS labels of 1–63 letters, digits and hyphens, or an
IP address, and an optional port), else 400; and, unless a public URL is set, one of the
hosts this server answers for: the names of ``LDPUB_ALLOWED_HOSTS``, the address it is
bound to, and the loopback names. Flask's ``TRUSTED_HOSTS`` (Werkzeug's ``host_is_trusted``)
holds that list and refuses the others (400). With a public URL, every absolute URL uses
it, and any well-formed host is served.
"""

from __future__ import annotations

import ipaddress
import re

from flask import Flask, Response, request
from werkzeug.exceptions import SecurityError

from server.settings import Settings

__all__ = ["LOOPBACK", "allow", "register_host_check", "well_formed"]

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)
_WILDCARDS = ("0.0.0.0", "::", "[::]", "")


def well_formed(host: str) -> bool:
    """Whether ``host`` (``name[:port]``, as in a ``Host`` header) is a usable host."""
    name, port = _split(host)
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return False
    if name.startswith("["):
        return name.endswith("]") and _address(name[1:-1], ipaddress.IPv6Address)
    if _address(name, ipaddress.IPv4Address):
        return True
    labels = name.removesuffix(".").split(".")
    return len(name) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def allow(app: Flask, host: str) -> None:
    """Answer for ``host`` too (the address ``ldpub serve`` or ``ldpub run`` is bound to);
    a wildcard address names no host a client would send."""
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is None or host in _WILDCARDS:
        return
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if name not in trusted:
        trusted.append(name)


def register_host_check(app: Flask, settings: Settings) -> None:
    """Refuse malformed hosts always, and hosts not allowed when no public URL is set."""
    if settings.public_url is None:
        app.config["TRUSTED_HOSTS"] = [*settings.allowed_hosts, *LOOPBACK]
    app.before_request(_check_host)


def _check_host() -> Response | None:
    """A plain-text 400, made without the URL map: it cannot build URLs for this host."""
    sent = request.headers.get("Host")
    if sent is None or not well_formed(sent):
        return _bad_request(f"the Host header {(sent or '')[:100]!r} does not name a valid "
                            "host (a DNS name or an IP address, and an optional port).")
    if isinstance(request.routing_exception, SecurityError):
        return _bad_request(_refusal(sent))
    return None


def _bad_request(message: str) -> Response:
    return Response(f"400 Bad Request\n\n{message}\n", 400, mimetype="text/plain")


def _refusal(sent: str) -> str:
    return (f"this server does not answer for the host {sent[:100]!r}; its operator can "
            "name it in LDPUB_ALLOWED_HOSTS, or set LDPUB_PUBLIC_URL behind a proxy.")


def _split(host: str) -> tuple[str, str | None]:
    if host.startswith("[") and "]" in host:
        name, _, rest = host.partition("]")
        return name + "]", rest[1:] if rest.startswith(":") else (rest or None)
    name, colon, port = host.partition(":")
    return name, port if colon else None


def _address(text: str, kind: type) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True
