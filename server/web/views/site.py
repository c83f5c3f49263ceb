"""The site's own pages: home and health; and what every page's frame needs.

The home page presents the dataset (DESIGN §3): what it is and its two sources, what it
holds by kind and by class, where to browse, a search box and example SPARQL queries
(the ``*.rq`` files of the queries folder) that open on the SPARQL endpoint.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from server.domain import catalogue, void
from server.domain.describe import sources
from server.domain.examples import example_queries
from server.domain.formats import HTML, RDF_FORMATS, TURTLE
from server.domain.pictures import dated_events
from server.problems import NotAcceptable
from server.runtime.publisher import publisher
from server.web import urls
from server.web.http import replayable, see_other
from server.web.i18n import LANGUAGES
from server.web.negotiation import negotiate
from server.web.pages import home_page
from server.web.pictures import timeline
from server.web.views.common import (
    browse_href,
    has_endpoint,
    html_response,
    reader_language,
    rendered,
    site_context,
)
from server.web.views.dataset import landing_markup

bp = Blueprint("site", __name__)
bp.app_context_processor(site_context)

SPARQL_ENDPOINT = "sparql.endpoint"
# What the home page points harvesters and query writers to: (words, endpoint).
DATA_LINKS = (
    ("sparql", SPARQL_ENDPOINT), ("dataset", "dataset.void"), ("validation", "dataset.validation"),
    ("ontology", "vocab.ontology"), ("shapes", "vocab.shapes"),
    ("releases", "releases.releases"), ("changes", "changes.feed"),
)


# The home page is the dataset's page: RDF clients are sent to its description.
HOME_FORMATS = (HTML, *RDF_FORMATS)


@bp.get("/")
def home():
    fmt = negotiate(request.accept_mimetypes, HOME_FORMATS, default=HTML,
                    name=request.args.get("format"))
    if fmt is not HTML:
        if not has_endpoint("dataset.void"):
            raise NotAcceptable((HTML,))
        return replayable(see_other(urls.absolute("dataset.void", ext=fmt.name)))
    snapshot, settings = publisher().snapshot, publisher().settings

    def context() -> dict:
        dataset = void.dataset_iri(settings.base_iri)
        about = snapshot.store.describe(dataset) if snapshot.store.exists(dataset) else []
        examples = [(query, url_for("canned.query", name=query.name)
                     if has_endpoint("canned.query") else None)
                    for query in example_queries(settings.queries_dir)]
        found = catalogue.catalogue(snapshot, settings.base_iri)
        page = home_page(found, sources(snapshot),
                         about, dataset, snapshot.stats, examples, reader_language(),
                         settings.base_iri)
        dated = dated_events(snapshot)
        drawn = timeline(dated.events, dated.labels, page.lang)
        return {
            "page": page,
            "timeline": drawn,
            "all_sources": browse_href(page.sources_class),
            "all_events": browse_href(found.covering_class([e.iri for e in dated.events]))
            if drawn and drawn.more else None,
            "languages": [(code, urls.absolute("site.home", lang=code)) for code in LANGUAGES],
            "data_links": [(name, href) for name, href in (
                (name, urls.sparql_href() if endpoint == SPARQL_ENDPOINT else
                 url_for(endpoint) if has_endpoint(endpoint) else None)
                for name, endpoint in DATA_LINKS) if href],
            "dataset_markup": landing_markup(snapshot) if has_endpoint("dataset.void") else None,
        }

    links = ([(urls.absolute("dataset.void"), "describedby", TURTLE.media_type)]
             if has_endpoint("dataset.void") else [])
    return html_response(rendered(snapshot, "home", "home.html", context), links)


@bp.get("/healthz")
def health():
    """The version served; 503 when this process cannot read its store (the error path
    of ``StoreUnavailable``); and the last reload, when it was refused."""
    served = publisher()
    snapshot = served.snapshot
    verify = getattr(snapshot.store, "verify", None)  # a store that can fail under us
    if verify is not None:
        verify()
    body = {"status": "ok", "version": snapshot.version, "triples": snapshot.stats.triples,
            "loaded": snapshot.loaded_at.isoformat(),
            "store": served.settings.store.split(":", 1)[0]}
    if served.refused is not None:
        body["reload_refused"] = {"at": served.refused.at.isoformat(),
                                  "reason": served.refused.message}
    return jsonify(body)
