"""Blueprint ``sparql``: the SPARQL 1.1 endpoint at ``/sparql`` and ``/sparql/`` (DESIGN §4).

Thin by design: read the protocol request (``sparql.protocol``), negotiate a format for
each result form the query may have, let the runner answer (``sparql.runner``: read-only
checks, time limit, result limit, in a worker process), then send the format that fits
the form the answer has. Without a query, RDF clients get the service description and
browsers the query page, whose results table is rendered here too (so it works without
script; the editor from npm is an enhancement).

Both ``/sparql`` and ``/sparql/`` answer directly: a redirect would turn a POST into a
GET behind some proxies.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from server.domain import canned, catalogue, void
from server.domain.examples import ExampleQuery, example_queries
from server.domain.formats import HTML, RDF_FORMATS, RESULT_FORMATS, TURTLE, Format, serialize_quads
from server.domain.loading import Snapshot
from server.problems import NotAcceptable, PayloadTooLarge, PublisherError, ResourceNotFound
from server.runtime.publisher import publisher
from server.settings import REPOSITORY, Settings
from server.sparql import page as pages
from server.sparql.description import ServiceFacts, service_description
from server.sparql.execution import FORMS, Answer, Form, Job
from server.sparql.protocol import QueryRequest, parse_request
from server.sparql.runner import GATE, QueryRunner
from server.web import urls
from server.web.errors import problem_headers, problem_status
from server.web.http import representation
from server.web.negotiation import negotiate
from server.web.views.common import has_endpoint, reader_language

bp = Blueprint("sparql", __name__)

SERVICE_FORMATS: tuple[Format, ...] = (*RDF_FORMATS, HTML)
# The query editor (CodeMirror 5, from npm; see package.json): name -> file in node_modules.
EDITOR_ASSETS = {
    "codemirror.js": "codemirror/lib/codemirror.js",
    "codemirror.css": "codemirror/lib/codemirror.css",
    "sparql-mode.js": "codemirror/mode/sparql/sparql.js",
}
NODE_MODULES = REPOSITORY / "node_modules"
LONGEST_SHARED_URL = 4000  # past this a browser or proxy may refuse the URL


@bp.record_once
def _install(state) -> None:
    state.app.extensions["sparql"] = QueryRunner(state.app.extensions["publisher"].settings)


@bp.before_app_request
def _enter_gate() -> None:
    """Requests that may read the store here pass the fork gate (``sparql.runner``)."""
    if request.endpoint != "sparql.endpoint":
        GATE.enter()
        g.sparql_gate = True


@bp.teardown_app_request
def _leave_gate(_error: BaseException | None) -> None:
    if g.pop("sparql_gate", False):
        GATE.leave()


@bp.route("/sparql/", methods=["GET", "POST"], endpoint="endpoint")
@bp.route("/sparql", methods=["GET", "POST"], endpoint="endpoint")  # first: url_for's choice
def endpoint() -> Response:
    settings = publisher().settings
    query = parse_request(request.method, request.mimetype or None,
                          request.mimetype_params.get("charset"), _query_string(settings),
                          _body(settings))
    snapshot = publisher().snapshot
    if query is None:
        return _service(settings, snapshot)
    chosen = _formats(query)
    job = Job(query.text, urls.absolute("sparql.endpoint"),
              {form: fmt and fmt.name for form, fmt in chosen.items()}, settings.result_limit,
              settings.service_hosts, query.default_graphs, query.named_graphs)
    try:
        answer = runner().run(snapshot, job)
    except PublisherError as error:
        if HTML in chosen.values():
            return _page(settings, snapshot, query, error=error)
        raise
    fmt = chosen[answer.form]
    if fmt is None:
        raise NotAcceptable(FORMS[answer.form], f"a {FORM_NAMES[answer.form]} result")
    if fmt is HTML:
        return _page(settings, snapshot, query, answer=answer)
    return _respond(answer.body, fmt)


@bp.get("/sparql/editor/<name>", endpoint="editor")
def editor_asset(name: str) -> Response:
    """The editor's files, served from the npm install (never copied into the repository)."""
    path = _editor_file(name)
    if path is None:
        raise ResourceNotFound(f"no editor file {name!r} (run `npm install` for the editor)")
    return send_file(path, max_age=86400, conditional=True)


def runner() -> QueryRunner:
    return current_app.extensions["sparql"]


FORM_NAMES: dict[Form, str] = {"solutions": "SELECT", "boolean": "ASK",
                              "graph": "CONSTRUCT/DESCRIBE"}


def _formats(query: QueryRequest) -> dict[Form, Format | None]:
    """The format for each result form, as ``format=`` or ``Accept`` asks; None where
    nothing fits (a 406, but only if the answer has that form)."""
    chosen: dict[Form, Format | None] = {}
    for form, candidates in FORMS.items():
        try:
            chosen[form] = _pick(query.format_names, candidates)
        except NotAcceptable:
            chosen[form] = None
    if not any(chosen.values()):
        everything = tuple(dict.fromkeys(f for c in FORMS.values() for f in c))
        raise NotAcceptable(everything, "no format asked for fits any query result")
    return chosen


def _pick(names: tuple[str, ...], candidates: tuple[Format, ...]) -> Format:
    """The first named format that fits (clients repeat ``format=`` with several
    spellings), else the one ``Accept`` prefers."""
    for name in names:
        try:
            return negotiate(request.accept_mimetypes, candidates, default=candidates[0],
                             name=name)
        except NotAcceptable:
            continue
    if names:
        raise NotAcceptable(candidates, f"unknown format {names[0]!r}")
    return negotiate(request.accept_mimetypes, candidates, default=candidates[0])


def _query_string(settings: Settings) -> bytes:
    raw = request.query_string
    if len(raw) > settings.max_query_bytes:
        raise PayloadTooLarge(f"the URL is longer than {settings.max_query_bytes} bytes; "
                              "send a long query with POST.")
    return raw


def _body(settings: Settings) -> bytes:
    if request.method != "POST":
        return b""
    limit = settings.max_query_bytes
    message = f"the request body is larger than the {limit} bytes this endpoint accepts."
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(message)
    # One byte over the limit: a chunked body (no Content-Length) past the limit is cut
    # there by Werkzeug without an error, and a query cut short is another query.
    request.max_content_length = limit + 1
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(message) from None
    if len(body) > limit:
        raise PayloadTooLarge(message)
    return body


def _respond(body: bytes, fmt: Format) -> Response:
    if request.method in ("GET", "HEAD"):
        # The URL holds the query: cacheable per version, with a weak ETag since the
        # engine labels blank nodes anew on every run.
        return representation(body, fmt, weak=True)
    response = Response(body, 200, content_type=fmt.content_type)
    response.vary.add("Accept")
    response.cache_control.no_store = True
    _cross_origin(response)
    return response


def _cross_origin(response: Response) -> None:
    """A query sent by POST is a read too (GET and HEAD get CORS from ``views``)."""
    origin = publisher().settings.cors_origin
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        if origin != "*":
            response.vary.add("Origin")


@bp.after_request
def _preflight(response: Response) -> Response:
    """Browsers ask before POSTing ``application/sparql-query`` from another origin."""
    if request.method == "OPTIONS" and publisher().settings.cors_origin:
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _service(settings: Settings, snapshot: Snapshot) -> Response:
    names = [n for n in request.args.getlist("format") if n.strip()]
    fmt = negotiate(request.accept_mimetypes, SERVICE_FORMATS, default=TURTLE,
                    name=names[0].strip().lower() if names else None)
    if fmt is HTML:
        return _page(settings, snapshot, None)
    described = url_for("dataset.void") if has_endpoint("dataset.void") else "/dataset"
    facts = ServiceFacts(
        endpoint=urls.absolute("sparql.endpoint"),
        dataset=void.dataset_iri(settings.base_iri),
        dataset_description=urls.public_base().rstrip("/") + described,
        stats=snapshot.stats,
        graphs=sorted(snapshot.stats.graphs),
        result_formats=(*RESULT_FORMATS, *RDF_FORMATS),
        federated=bool(settings.service_hosts),
        prefixes=snapshot.prefixes,
    )
    quads = service_description(facts)
    if has_endpoint("canned.query"):
        quads += canned.action_quads(facts.endpoint, example_queries(settings.queries_dir),
                                     lambda name: urls.absolute("canned.query", name=name))
    return representation(serialize_quads(quads, fmt, snapshot.prefixes), fmt)


def _page(settings: Settings, snapshot: Snapshot, query: QueryRequest | None, *,
          answer: Answer | None = None, error: PublisherError | None = None) -> Response:
    text = query.text if query else pages.starter_query(snapshot.prefixes)
    lang = reader_language()
    found = catalogue.catalogue(snapshot, settings.base_iri)
    again = _parameters(query) if query else {}
    share = urls.absolute("sparql.endpoint", **again) if query else None
    downloads: tuple[pages.Link, ...] = ()
    if answer is not None:
        downloads = tuple(
            pages.Link(fmt.label, url_for("sparql.endpoint", **again, format=fmt.name),
                       fmt.media_type, f"results.{fmt.name}")
            for fmt in FORMS[answer.form] if fmt is not HTML)
    model = pages.QueryPage(
        endpoint=url_for("sparql.endpoint"),
        query=text,
        prefixes=snapshot.prefixes,
        examples=pages.example_links(example_queries(settings.queries_dir), _example_href, lang),
        results=(pages.results_view(answer, urls.local_href, snapshot.prefixes,
                                    lambda iri: found.known_label(iri, lang))
                 if answer else None),
        error=(error.title, error.message) if error else None,
        downloads=downloads,
        share=share if share and len(share) <= LONGEST_SHARED_URL else None,
        editor={name: url_for("sparql.editor", name=name)
                for name in EDITOR_ASSETS} if _editor_installed() else {},
        limits=(settings.query_timeout, settings.result_limit),
    )
    body = render_template("sparql.html", page=model).encode("utf-8")
    if error is not None or request.method == "POST":
        response = Response(body, problem_status(error) if error else 200,
                            content_type=HTML.content_type)
        response.headers.update(problem_headers(error) if error else {})
        response.vary.add("Accept")
        response.cache_control.no_store = True
        return response
    return representation(body, HTML, variant=lang, vary=("Accept-Language",),
                          weak=query is not None)


def _example_href(example: ExampleQuery) -> str:
    """A query with parameters opens on its own page (its form); others run here."""
    if example.parameters and has_endpoint("canned.query"):
        return url_for("canned.query", name=example.name)
    return url_for("sparql.endpoint", query=example.text)


def _parameters(query: QueryRequest) -> dict[str, str | list[str]]:
    """The URL parameters that ask the same query of the same dataset again."""
    found: dict[str, str | list[str]] = {"query": query.text}
    if query.names_dataset:
        found["default-graph-uri"] = list(query.default_graphs or ())
        found["named-graph-uri"] = list(query.named_graphs or ())
    return found


def _editor_file(name: str) -> Path | None:
    relative = EDITOR_ASSETS.get(name)
    path = NODE_MODULES / relative if relative else None
    return path if path is not None and path.is_file() else None


def _editor_installed() -> bool:
    return all(_editor_file(name) for name in EDITOR_ASSETS)
