"""Blueprint ``canned``: each query of the queries folder as a page and a data source.

``/queries/{name}`` shows the query's form (a picker for each parameter: the instances
of its class, the data's languages, a date), runs it with the reader's values and shows
the results table with labels and links; ``/queries/{name}.{ext}`` (or ``Accept``) gives
the same answer in any SPARQL results or RDF format. The values are bound by
``canned.bind`` (RDF terms, never text); the query then runs like any other, under the
endpoint's time and result limits (``sparql.runner``).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, render_template, request, url_for

from server.domain import canned, catalogue
from server.domain.examples import ExampleQuery, example_queries
from server.domain.formats import HTML, RDF_FORMATS, RESULT_FORMATS, Format, by_name
from server.domain.loading import Snapshot
from server.problems import BadRequest, NotAcceptable, ResourceNotFound
from server.runtime.publisher import publisher
from server.sparql import page as pages
from server.sparql.execution import FORMS, Answer, Job
from server.web import urls
from server.web.http import representation
from server.web.negotiation import negotiate
from server.web.views.common import reader_language
from server.web.views.sparql import FORM_NAMES, runner

bp = Blueprint("canned", __name__)

# The page first: a browser (and ``*/*``) gets the page, programs name what they want.
CANNED_FORMATS: tuple[Format, ...] = (HTML, *RESULT_FORMATS, *RDF_FORMATS)


@bp.get("/queries/<slug:name>", endpoint="query")
@bp.get("/queries/<slug:name>.<ext>", endpoint="query")
def query(name: str, ext: str | None = None) -> Response:
    snapshot = publisher().snapshot
    example, fmt, lang = find(name), _format(ext), reader_language()
    found = catalogue.catalogue(snapshot, publisher().settings.base_iri)
    bound = canned.bind(example, request.args, found)
    if bound.text is None and fmt is not HTML:
        raise BadRequest(f"parameter {bound.missing[0]}: a value is required.")
    answer = _run(snapshot, bound.text, fmt) if bound.text is not None else None
    if answer is not None and fmt is not HTML:
        return representation(answer.body, fmt)
    model = pages.CannedPage(
        name=example.name,
        title=example.title_in(lang),
        text=bound.text or example.text,
        fields=tuple(pages.Field(p.name, p.type if p.of_class is None else "iri", p.label(lang),
                                 bound.values.get(p.name, ""), canned.choices(p, found, lang))
                     for p in example.parameters),
        results=(pages.results_view(answer, urls.local_href, snapshot.prefixes,
                                    lambda iri: found.known_label(iri, lang))
                 if answer else None),
        downloads=_downloads(example, answer, bound.values) if answer else (),
        editor=urls.sparql_href(query=bound.text) if bound.text else None,
    )
    body = render_template("canned.html", page=model).encode("utf-8")
    return representation(body, HTML, variant=lang, vary=("Accept-Language",))


def _run(snapshot: Snapshot, text: str, fmt: Format) -> Answer:
    """The bound query's answer in ``fmt``, as the endpoint would give it.

    Raises:
        NotAcceptable: ``fmt`` does not fit the answer (an RDF format for a SELECT).
    """
    settings = publisher().settings
    job = Job(text, urls.absolute("sparql.endpoint"),
              {form: fmt.name if fmt in FORMS[form] else None for form in FORMS},
              settings.result_limit, settings.service_hosts)
    answer = runner().run(snapshot, job)
    if answer.format is None:
        raise NotAcceptable(FORMS[answer.form], f"a {FORM_NAMES[answer.form]} result")
    return answer


def find(name: str) -> ExampleQuery:
    """The query of that name in the queries folder.

    Raises:
        ResourceNotFound: there is none.
    """
    for example in example_queries(publisher().settings.queries_dir):
        if example.name == name:
            return example
    raise ResourceNotFound(f"no query named {name!r}")


def _format(ext: str | None) -> Format:
    if ext is not None:
        fmt = by_name(ext, CANNED_FORMATS)
        if fmt is None:
            raise NotAcceptable(CANNED_FORMATS, f"unknown format {ext!r}")
        return fmt
    return negotiate(request.accept_mimetypes, CANNED_FORMATS, default=HTML,
                     name=request.args.get("format"))


def _downloads(example: ExampleQuery, answer: Answer,
               values: Mapping[str, str]) -> tuple[pages.Link, ...]:
    return tuple(pages.Link(fmt.label, url_for("canned.query", name=example.name, ext=fmt.name,
                                               **values),
                            fmt.media_type, f"{example.name}.{fmt.name}")
                 for fmt in FORMS[answer.form] if fmt is not HTML)
