"""The ``ldpub`` command: serve, validate, query and dump a dataset.

Exit codes mean something (after pySHACL): 0 success or conforms, 1 the data does not
conform (or a request failed), 2 the data, shapes or settings cannot be used. Every verb
takes the same setting options, which override ``LDPUB_*`` variables.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from server.domain import dumps, formats
from server.domain.citations import fact_line, mark_line
from server.domain.loading import DatasetInvalid, DataUnreadable, Snapshot, check, citation_coverage
from server.domain.validation import ShapesUnusable
from server.problems import PublisherError
from server.runtime.httpworker import READ_TIMEOUTS, guarded_worker
from server.runtime.progress import shown_progress
from server.runtime.selfcheck import own_url, start_self_check
from server.settings import Settings, SettingsError
from server.sparql.execution import Form, Job
from server.sparql.runner import QueryRunner
from server.store import StoreUnavailable, StoreUnusable
from server.store.registry import checks_path, open_snapshot, release_root, store_kind
from server.web.hosts import allow

__all__ = ["cli", "main"]

# ``ldpub query --format``: the default and the formats each result form can be written in.
QUERY_FORMATS: tuple[tuple[Form, str, tuple[formats.Format, ...]], ...] = (
    ("solutions", "tsv", formats.RESULT_FORMATS),
    ("boolean", "tsv", formats.RESULT_FORMATS),
    ("graph", "ttl", formats.RDF_FORMATS),
)

SETTING_OPTIONS = (
    ("--data-dir", "data_dir", "Folder of data files (Turtle, TriG) [LDPUB_DATA_DIR]."),
    ("--ontology-dir", "ontology_dir", "Folder of ontology files [LDPUB_ONTOLOGY_DIR]."),
    ("--shapes-dir", "shapes_dir", "Folder of SHACL shapes [LDPUB_SHAPES_DIR]."),
    ("--base-iri", "base_iri", "Base of the IRIs the data mints [LDPUB_BASE_IRI]."),
    ("--public-url", "public_url", "This server's public URL behind a proxy [LDPUB_PUBLIC_URL]."),
    ("--allowed-hosts", "allowed_hosts", ("Host names this server answers for without a public "
                                         "URL, besides its address and localhost, "
                                         "comma-separated [LDPUB_ALLOWED_HOSTS].")),
    ("--store", "store", ("Where the data is kept: memory, oxigraph:DIR (filled by `ldpub load`) "
                         "or sparql+http://host/path [LDPUB_STORE].")),
    ("--query-timeout", "query_timeout", "SPARQL time limit, seconds [LDPUB_QUERY_TIMEOUT]."),
    ("--result-limit", "result_limit", "Most SPARQL results returned [LDPUB_RESULT_LIMIT]."),
    ("--cors-origin", "cors_origin", "Access-Control-Allow-Origin for reads [LDPUB_CORS_ORIGIN]."),
    ("--log-level", "log_level", "DEBUG, INFO, WARNING or ERROR [LDPUB_LOG_LEVEL]."),
    ("--dump-dir", "dump_dir", "Where dumps are written once per data version [LDPUB_DUMP_DIR]."),
    ("--licence", "licence", ("IRI of the data's licence, for the dataset description "
                             "[LDPUB_LICENCE].")),
    ("--queries-dir", "queries_dir", "Example SPARQL queries (*.rq) [LDPUB_QUERIES_DIR]."),
    ("--service-hosts", "service_hosts",
     "Hosts SPARQL SERVICE may call, comma-separated; none by default [LDPUB_SERVICE_HOSTS]."),
    ("--max-concurrent-queries", "max_concurrent_queries",
     "SPARQL queries run at once per server process [LDPUB_MAX_CONCURRENT_QUERIES]."),
    ("--query-memory-mb", "query_memory_mb",
     ("Memory one SPARQL query may take, MiB; default: the machine's memory / (4 x query "
     "slots) [LDPUB_QUERY_MEMORY_MB].")),
    ("--max-query-bytes", "max_query_bytes",
     "Largest SPARQL query or request body, bytes [LDPUB_MAX_QUERY_BYTES]."),
    ("--release-dir", "release_dir", ("Where releases are kept (default: beside an on-disk "
                                     "store) [LDPUB_RELEASE_DIR].")),
    ("--checks-file", "checks_file", ("The results of `ldpub check --earl` that /checks shows "
                                     "(default: beside an on-disk store) [LDPUB_CHECKS_FILE].")),
    ("--validator", "validator", ("SHACL engine: pyshacl (the reference), turbo (native, for "
                                 "millions of statements) or auto (by size) [LDPUB_VALIDATOR].")),
    ("--sparql-url", "sparql_url", ("The SPARQL endpoint pages and descriptions name: a URL, or "
                                   "'none'; default: this server's /sparql, none for an export "
                                   "[LDPUB_SPARQL_URL].")),
    ("--search-url", "search_url", ("The search that pages' search boxes send readers to: a "
                                   "URL, or 'none'; default: this server's /search, none for "
                                   "an export [LDPUB_SEARCH_URL].")),
)


def setting_options(command: Callable) -> Callable:
    """Give a verb the setting options; their values are collected in ``ctx.obj``."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is not None:
            ctx.ensure_object(dict)[param.name] = value

    for flag, name, text in reversed(SETTING_OPTIONS):
        command = click.option(flag, name, default=None, help=text, expose_value=False,
                               callback=remember)(command)
    return click.pass_context(command)


class UnusableInput(click.ClickException):
    """Data, shapes or settings that cannot be used: exit 2."""

    exit_code = 2


def _overrides(ctx: click.Context) -> dict[str, Any]:
    return ctx.find_object(dict) or {}


def _settings(ctx: click.Context) -> Settings:
    try:
        return Settings.load(_overrides(ctx))
    except SettingsError as error:
        raise UnusableInput(str(error)) from None


def _app(ctx: click.Context, snapshot: Snapshot | None = None):
    from server import create_app

    try:
        return create_app(_overrides(ctx), snapshot=snapshot)
    except SettingsError as error:
        raise UnusableInput(str(error)) from None
    except (DataUnreadable, ShapesUnusable, StoreUnusable) as error:
        raise UnusableInput(str(error)) from None
    except DatasetInvalid as error:
        for result in error.report.violations:
            click.echo(result.line(), err=True)
        raise click.ClickException(str(error)) from None


def _snapshot(ctx: click.Context) -> Snapshot:
    settings = _settings(ctx)
    try:
        return open_snapshot(settings)
    except (DataUnreadable, ShapesUnusable, StoreUnusable, StoreUnavailable) as error:
        raise UnusableInput(str(error)) from None
    except DatasetInvalid as error:
        for result in error.report.violations:
            click.echo(result.line(), err=True)
        raise click.ClickException(str(error)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ldpub")
def cli() -> None:
    """Publish an RDF dataset as linked data: resource pages, dumps and SPARQL."""


@cli.command()
@setting_options
def validate(ctx: click.Context) -> None:
    """Load and validate the data: exit 0 conforms, 1 does not, 2 unreadable.

    Each stage (parse, rules, provenance, validation) is shown on standard error: as it
    goes on a terminal, as one line once done otherwise.
    """
    settings = _settings(ctx)
    try:
        with shown_progress() as progress:
            staged, report = check(settings, progress)
    except (DataUnreadable, ShapesUnusable) as error:
        raise UnusableInput(str(error)) from None
    for result in report.results:
        click.echo(result.line(), err=result.severity == "Violation")
    quads = len(staged.store)
    if not report.conforms:
        raise click.ClickException(
            f"does not conform: {len(report.violations)} violation(s) in {quads} quads "
            f"({report.engine})"
        )
    click.echo(f"conforms: {quads} quads in {len(staged.data_graphs)} data graphs "
               f"and the derived graph (version {staged.version}; {report.engine})")


@cli.command()
@click.option("--article", "slug", default=None, help="Only this article (its slug).")
@setting_options
def citations(ctx: click.Context, slug: str | None) -> None:
    """List the facts no citation line cites and the sentences neither cited nor marked,
    as lines of data/sources/{slug}.citations.tsv to fill in; exit 0 when none is left."""
    settings = _settings(ctx)
    try:
        articles = citation_coverage(settings)
    except DataUnreadable as error:
        raise UnusableInput(str(error)) from None
    chosen = [a for a in articles if slug in (None, a.source.slug)]
    if not chosen:
        raise UnusableInput(f"no article {slug!r} has a sentence table in "
                            f"{settings.data_dir / 'sources'}")
    left = 0
    for article in chosen:
        text = article.source.text_path.read_text(encoding="utf-8")
        state = "" if article.source.has_citations else " (no citations file yet)"
        click.echo(f"# {article.source.citations_path}{state}: {len(article.uncited)} uncited "
                   f"fact(s), {len(article.unmarked)} sentence(s) neither cited nor marked")
        for triple in article.uncited:
            click.echo(fact_line(triple, article.prefixes))
        for sentence in article.unmarked:
            click.echo(f"# s{sentence.n} ({sentence.kind}): {text[sentence.start:sentence.end]}")
            click.echo(mark_line(sentence))
        left += len(article.uncited) + len(article.unmarked)
    if left:
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--release", "and_release", is_flag=True,
              help="Then record the loaded data as a release (see `ldpub release`).")
@setting_options
def load(ctx: click.Context, and_release: bool) -> None:
    """Validate the data, then write it to the on-disk store (--store oxigraph:DIR).

    The new data goes to a fresh folder that replaces the served one in one step: a load
    that fails leaves the store as it was. Running servers see it on reload
    (`ldpub reload`). Each stage (parse, rules, provenance, validation, store, dumps) is
    shown on standard error: as it goes on a terminal, as one line once done otherwise.
    Exit 0 loaded, 1 the data does not conform, 2 unusable.
    """
    settings = _settings(ctx)
    try:
        loader = store_kind(settings).load
        if loader is None:
            raise StoreUnusable(f"`ldpub load` fills an on-disk store (--store oxigraph:DIR), "
                                f"not {settings.store!r}")
        with shown_progress() as progress:
            outcome = loader(settings, progress)
    except (DataUnreadable, ShapesUnusable, StoreUnusable) as error:
        raise UnusableInput(str(error)) from None
    except OSError as error:
        raise UnusableInput(f"cannot write the store: {error}") from None
    except DatasetInvalid as error:
        for result in error.report.violations:
            click.echo(result.line(), err=True)
        raise click.ClickException(f"{error}; the store is unchanged") from None
    click.echo(f"loaded {outcome.quads} quads (version {outcome.version}) into "
               f"{outcome.generation} in {outcome.seconds:.1f} s")
    if and_release:
        _record_release(ctx)


@cli.command()
@setting_options
def release(ctx: click.Context) -> None:
    """Record the data version as a release: its dumps, checksums and what changed.

    Releases are kept in --release-dir (default: beside an on-disk store) and stay
    served at /releases; servers show a new one after `ldpub reload` or a restart.
    Exit 0 recorded, 1 this data version is already the newest release, 2 unusable.
    """
    _record_release(ctx)


def _record_release(ctx: click.Context) -> None:
    from server.domain.releases import ReleaseExists, make_release

    settings = _settings(ctx)
    root = release_root(settings)
    if root is None:
        raise UnusableInput(f"no folder for releases: give --release-dir for the store "
                            f"{settings.store!r}")
    try:
        made = make_release(_snapshot(ctx), root, settings.base_iri)
    except ReleaseExists as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise UnusableInput(f"cannot write the release: {error}") from None
    click.echo(f"released {made.name} (version {made.version}, {made.quads} quads, "
               f"{len(made.resources)} resources) in {root / made.name}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", default=os.cpu_count() or 1, show_default="the cores",
              type=click.IntRange(min=1), help="Processes asking the app for URLs.")
@setting_options
def export(ctx: click.Context, directory: Path, workers: int) -> None:
    """Write the whole site as files into DIRECTORY, with rules for nginx, Apache and Caddy.

    Every page in each language, every format of every resource, graph and document, the
    dumps, sitemaps, change feed and releases, as the server itself answers them, for
    the public URL given (--public-url). Dated by the newest release of this data (or
    SOURCE_DATE_EPOCH), so two exports of one release are identical. SPARQL and search
    stay live services: the export names no SPARQL endpoint unless --sparql-url gives a
    live one, and no search unless --search-url does. Progress (the data, the URLs
    written of those known, the files dated) is shown on standard error. Exit 0 written,
    1 a URL failed (the folder is left as it was), 2 unusable settings or folder.
    """
    from server.runtime.export import ExportFailed, ExportRefused, export_site

    try:
        with shown_progress() as progress:
            done = export_site(_overrides(ctx), directory, progress, workers=workers)
    except ExportRefused as error:
        raise UnusableInput(str(error)) from None
    except ExportFailed as error:
        raise click.ClickException(f"nothing exported: {error}") from None
    except SettingsError as error:
        raise UnusableInput(str(error)) from None
    except (DataUnreadable, ShapesUnusable, StoreUnusable, StoreUnavailable) as error:
        raise UnusableInput(str(error)) from None
    click.echo(f"exported {len(done.urls)} URLs as {done.files} files ({done.bytes:,} bytes) into "
               f"{done.directory} in {done.seconds:.1f} s; dated {done.date.isoformat()} "
               f"by {done.dated_by}")


@cli.command()
@click.argument("path")
@click.option("--accept", default=None, help="Accept header to send.")
@click.option("--header", "-H", "headers_in", multiple=True, help="Extra header, 'Name: value'.")
@click.option("--headers", is_flag=True, help="Print the status line and headers too.")
@setting_options
def get(ctx: click.Context, path: str, accept: str | None, headers_in: tuple[str, ...],
        headers: bool) -> None:
    """Send one GET request through the app in process; exit 0 on 2xx or 3xx."""
    app = _app(ctx)
    request_headers = dict(h.split(":", 1) for h in headers_in if ":" in h)
    if accept:
        request_headers["Accept"] = accept
    response = app.test_client().get(path, headers={k.strip(): v.strip() for k, v in request_headers.items()})
    if headers:
        click.echo(f"HTTP/1.1 {response.status}")
        for name, value in response.headers.items():
            click.echo(f"{name}: {value}")
        click.echo("")
    sys.stdout.buffer.write(response.get_data())
    sys.stdout.flush()
    if response.status_code >= 400:
        ctx.exit(1)


@cli.command()
@click.option("--format", "format_name", type=click.Choice(["trig", "nq", "ttl", "nt"]),
              default="trig", show_default=True, help="Dump format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              default=None, help="File to write (default: standard output).")
@click.option("--with-default-graph", is_flag=True,
              help="Add the merge of the named graphs as the default graph (TriG, N-Quads): "
                   "the file to load into a remote SPARQL store.")
@setting_options
def dump(ctx: click.Context, format_name: str, output: Path | None,
         with_default_graph: bool) -> None:
    """Write the whole validated dataset, derived graph included."""
    snapshot = _snapshot(ctx)
    fmt = formats.by_name(format_name)
    if with_default_graph and not fmt.carries_graphs:
        raise click.UsageError("--with-default-graph needs a format with graphs: trig or nq")
    quads = dumps.with_default_graph(snapshot.store) if with_default_graph else snapshot.store.quads()
    body = formats.serialize_quads(quads, fmt, snapshot.prefixes)
    if output is None:
        sys.stdout.buffer.write(body)
    else:
        output.write_bytes(body)
        click.echo(f"wrote {len(body)} bytes to {output}", err=True)


@cli.command()
@click.argument("text")
@click.option("--format", "format_name", default=None,
              help="Result format: json, xml, csv, tsv (SELECT/ASK) or ttl, nt, jsonld, rdf, "
                   "trig, nq (CONSTRUCT/DESCRIBE). Default tsv or ttl.")
@setting_options
def query(ctx: click.Context, text: str, format_name: str | None) -> None:
    """Run a SPARQL query over the validated dataset (default graph: the merge of all graphs).

    The query goes through the endpoint's own checks, worker process and limits, so it
    is refused or answered exactly as ``/sparql`` would.
    """
    settings = _settings(ctx)
    snapshot = _snapshot(ctx)
    wanted = {form: formats.by_name(format_name or default, candidates)
              for form, default, candidates in QUERY_FORMATS}
    job = Job(text, None, {form: fmt and fmt.name for form, fmt in wanted.items()},
              settings.result_limit, settings.service_hosts)
    runner = QueryRunner(settings)
    try:
        answer = runner.run(snapshot, job)
    except PublisherError as error:
        raise click.ClickException(f"{error.title}: {error.message}") from None
    finally:
        runner.close()
    if answer.format is None:
        raise click.UsageError(f"format {format_name!r} does not fit this query's result")
    sys.stdout.buffer.write(answer.body)


OUTCOME_MARKS = {"passed": "PASS", "failed": "FAIL", "inapplicable": "SKIP"}


@cli.command("check")
@click.argument("url")
@click.option("--timeout", default=10.0, show_default=True,
              type=click.FloatRange(min=0, min_open=True), help="Seconds for each request.")
@click.option("--sample", default=3, show_default=True, type=click.IntRange(min=1),
              help="Resources checked (of distinct kinds), found in the sitemap.")
@click.option("--earl", "earl_file", default=None,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write the results to this file as W3C EARL (Turtle).")
@click.option("--base-iri", default=Settings.base_iri, show_default=True,
              envvar="LDPUB_BASE_IRI", help="Base of the checks' own IRIs in EARL "
                                            "(BASE checks#{id}) [LDPUB_BASE_IRI].")
def check_deployment(url: str, timeout: float, sample: int, earl_file: Path | None,
                     base_iri: str) -> None:
    """Check the HTTP contract (DESIGN §3-§5, §9) of the deployment at URL.

    Any deployment: this server, a static export behind nginx, Apache or Caddy, a proxy
    or a CDN. Each check prints PASS, FAIL or SKIP (nothing to check, such as the SPARQL
    endpoint of a static copy) with a one-line reason. Exit 0 all passed or skipped,
    1 a check failed, 2 the URL cannot be checked.
    """
    from server.conformance import earl
    from server.conformance.registry import Outcome, run_checks
    from server.conformance.site import Site, UnusableURL

    try:
        site = Site(url, timeout=timeout, sample=sample)
        site.reachable()
    except UnusableURL as error:
        raise UnusableInput(str(error)) from None

    def show(result) -> None:
        click.echo(f"{OUTCOME_MARKS[result.outcome.value]}  {result.check.id:<20} "
                   f"{result.check.section}  {result.check.title}: {result.reason}")

    results = run_checks(site, on_result=show)
    counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
    click.echo(f"{len(results)} checks of {site.base}: {counts[Outcome.PASSED]} passed, "
               f"{counts[Outcome.FAILED]} failed, {counts[Outcome.INAPPLICABLE]} inapplicable")
    if earl_file is not None:
        graph = earl.earl_graph(results, site.base, base_iri)
        try:
            earl.write(graph, earl_file)
        except OSError as error:
            raise UnusableInput(f"cannot write {earl_file}: {error}") from None
    if counts[Outcome.FAILED]:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@setting_options
def run(ctx: click.Context, host: str, port: int) -> None:
    """Serve with the development server (one process, reloads code on change: no)."""
    app = _app(ctx)
    allow(app, host)
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes.")
@click.option("--threads", default=32, show_default=True, type=click.IntRange(min=1),
              help="Threads per worker; SPARQL queries take at most twice "
                   "--max-concurrent-queries of them, the rest serve pages.")
@click.option("--timeout", default=60, show_default=True, type=int,
              help="Seconds before a silent worker is killed and replaced.")
@click.option("--pid", "pidfile", default=None, type=click.Path(dir_okay=False),
              help="Write the master's process id here (for `ldpub reload`).")
@click.option("--header-timeout", default=READ_TIMEOUTS["header_timeout"], show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds a client has to send a request's head once it began (else 408).")
@click.option("--body-timeout", default=READ_TIMEOUTS["body_timeout"], show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds a client has to send a request's body once it is read (else 408).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request to standard output (costs about a third of the "
                   "throughput on cached pages).")
@click.option("--self-check", is_flag=True,
              help="Once listening, run `ldpub check` on this server in the background; "
                   "/checks shows the results (kept in --checks-file, else a temporary "
                   "file).")
@setting_options
def serve(ctx: click.Context, host: str, port: int, workers: int, threads: int, timeout: int,
          pidfile: str | None, header_timeout: float, body_timeout: float,
          access_log: bool, self_check: bool) -> None:
    """Serve in production: a gunicorn master and worker processes.

    The data is loaded and validated once, in the master, before the workers fork.
    SIGHUP (or `ldpub reload`) loads it again: new workers get the new data if it
    conforms, the last good data otherwise.
    """
    from server.runtime.wsgi import GunicornServer

    scratch = None  # a folder for the self-check's results, removed on exit
    if self_check and checks_path(_settings(ctx)) is None:
        scratch = tempfile.mkdtemp(prefix="ldpub-checks-")
        ctx.ensure_object(dict)["checks_file"] = str(Path(scratch) / "checks.ttl")
    app = _app(ctx)
    allow(app, host)
    settings = app.extensions["publisher"].settings
    if threads <= 2 * settings.max_concurrent_queries:
        click.echo(f"warning: --threads {threads} leaves pages no thread of their own: "
                   f"running and waiting SPARQL queries may take "
                   f"{2 * settings.max_concurrent_queries}", err=True)
    logging.getLogger(__name__).info(
        "SPARQL: at most %d queries at once in each of %d workers, each in its own process "
        "limited to %d MB (LDPUB_QUERY_MEMORY_MB) and %g s (LDPUB_QUERY_TIMEOUT)",
        settings.max_concurrent_queries, workers, settings.query_memory // 1024**2,
        settings.query_timeout)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "pidfile": pidfile,
        "accesslog": "-" if access_log else None,
        "loglevel": settings.log_level.lower(),
        # /sparql takes bodies up to --max-query-bytes, the other routes MAX_CONTENT_LENGTH
        "worker_class": guarded_worker(header_timeout, body_timeout, max(
            app.config["MAX_CONTENT_LENGTH"] or 0, settings.max_query_bytes)),
        "when_ready": (lambda arbiter: start_self_check(
            own_url(host, port, settings.public_url), checks_path(settings),
            settings.base_iri)) if self_check else None,
        "on_exit": (lambda arbiter: shutil.rmtree(scratch, ignore_errors=True))
        if scratch else None,
    }
    GunicornServer(app, options).run()


@cli.command()
@click.option("--pid", "pidfile", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The pid file given to `ldpub serve --pid`.")
def reload(pidfile: str) -> None:
    """Ask a running `ldpub serve` to load its data again (sends SIGHUP)."""
    try:
        pid = int(Path(pidfile).read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (ValueError, ProcessLookupError, PermissionError) as error:
        raise click.ClickException(f"cannot signal the server in {pidfile}: {error}") from None
    click.echo(f"asked process {pid} to reload; invalid data would be refused and logged")


def main() -> None:
    cli(prog_name="ldpub")
