"""Security headers on every response: what a browser may load, frame, sniff and send on.

The pages load nothing but this server's own stylesheets and scripts (no inline script
or style, no CDN, no font or image from elsewhere; the JSON-LD a page embeds is a data
block, which Content Security Policy does not govern). So the policy allows ``'self'``
and nothing more, and a value that slipped past escaping still could not run (CSP Level 3
§6). Frames are refused twice: ``frame-ancestors`` for browsers that read CSP, and
``X-Frame-Options`` for those that only know the older header (RFC 7034). Responses are
never sniffed into another type (``nosniff``, Fetch §3.5), and links to other sites do not
tell them which query or search led there (``Referrer-Policy``).

The headers go on every response, not only HTML: an error page, a JSON body echoing a
query or a file opened directly in a tab is then held to the same rules.
"""

from __future__ import annotations

from flask import Flask, Response

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "register_security_headers"]

# One directive per row: (directive, sources).
_POLICY = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),  # data: for the empty favicon every page declares
    ("connect-src", "'self'"),
    ("form-action", "'self'"),
    ("base-uri", "'none'"),
    ("frame-ancestors", "'none'"),
)
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {sources}" for name, sources in _POLICY)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def register_security_headers(app: Flask) -> None:
    app.after_request(_secure)


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
