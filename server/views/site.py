"""The site's own pages: home and health."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from ..publisher import publisher

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    snapshot = publisher().snapshot
    return render_template("home.html", stats=snapshot.stats, version=snapshot.version)


@bp.get("/healthz")
def health():
    snapshot = publisher().snapshot
    return jsonify(status="ok", version=snapshot.version, triples=snapshot.stats.triples,
                   loaded=snapshot.loaded_at.isoformat())
