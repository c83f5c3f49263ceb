"""``ldpub check``: the HTTP contract (DESIGN §3–§5, §9) checked against any deployment.

A deployment is known only by its base URL and what it answers over HTTP: the live
server, a static export behind nginx, Apache or Caddy, or a proxy or CDN in front of
either. ``registry`` holds the table of checks, ``site`` what they share (the requests,
the resources discovered from the sitemap or the dataset description), the
``dereference``, ``harvest`` and ``sparql`` modules the checks themselves, and ``earl``
their results as W3C EARL.
"""

from server.conformance.registry import Check, Outcome, Result, all_checks, run_checks

__all__ = ["Check", "Outcome", "Result", "all_checks", "run_checks"]
