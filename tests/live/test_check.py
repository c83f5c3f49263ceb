"""``ldpub check`` against real deployments on 127.0.0.1: the production server passes
every check, and a proxy in front of it that breaks one rule of the contract (drops
``Vary``, answers 302 instead of 303) fails exactly the checks of that rule, with a
non-zero exit. The results written as EARL parse and have the shape EARL gives them."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from server.conformance import all_checks
from server.domain.loading import load_snapshot
from server.domain.namespaces import EARL
from server.domain.releases import make_release
from server.runtime.cli import cli
from server.settings import Settings
from tests.conftest import TINY_BASE, dataset_config

pytestmark = pytest.mark.live

LINE = re.compile(r"(PASS|FAIL|SKIP)  (\S+)\s+§\d+  ")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length",
              "content-encoding"}
Headers = list[tuple[str, str]]
Mutation = Callable[[str, int, Headers, bytes], tuple[int, Headers, bytes]]


@pytest.fixture
def deployment(start_server, tiny_copy, tmp_path) -> str:
    """The production server over the tiny dataset, with one release recorded."""
    config = dataset_config(tiny_copy, TINY_BASE)
    releases = tmp_path / "releases"
    make_release(load_snapshot(Settings.load(config, environ={})), releases, TINY_BASE)
    args = [f"--{key.replace('_', '-')}={value}" for key, value in config.items()]
    server = start_server("serve", "--workers", "1", "--threads", "12",
                          "--release-dir", str(releases), *args)
    return server.url


def outcomes(output: str) -> dict[str, str]:
    return {m[2]: m[1] for m in map(LINE.match, output.splitlines()) if m}


def run_check(url: str, *extra: str):
    return CliRunner().invoke(cli, ["check", url, "--timeout", "20", *extra])


def test_the_production_server_passes_every_check_and_says_so_in_earl(deployment, tmp_path):
    earl_file = tmp_path / "results.ttl"
    result = run_check(deployment, "--earl", str(earl_file))
    seen = outcomes(result.output)
    assert set(seen) == {c.id for c in all_checks()}, result.output
    assert set(seen.values()) == {"PASS"}, result.output
    assert result.exit_code == 0

    graph = Graph().parse(earl_file, format="turtle")
    assertions = list(graph.subjects(RDF.type, EARL.Assertion))
    assert len(assertions) == len(seen)
    tests = set()
    for assertion in assertions:
        assert graph.value(assertion, EARL.subject) == URIRef(deployment + "/")
        assert (graph.value(assertion, EARL.assertedBy), RDF.type, EARL.Assertor) in graph
        test = graph.value(assertion, EARL.test)
        assert (test, RDF.type, EARL.TestCase) in graph
        tests.add(test)
        outcome = graph.value(assertion, EARL.result)
        assert (outcome, RDF.type, EARL.TestResult) in graph
        assert graph.value(outcome, EARL.outcome) == EARL.passed
        date = graph.value(outcome, DCTERMS.date)
        assert isinstance(date, Literal) and date.datatype == XSD.dateTime
        assert isinstance(date.toPython(), datetime)
        assert str(graph.value(outcome, DCTERMS.description)).strip()
    base = Settings.base_iri
    assert tests == {URIRef(f"{base}checks#{c.id}") for c in all_checks()}


def _forwarding(upstream: str, mutate: Mutation):
    """A WSGI proxy to ``upstream`` that passes ``Host`` on (as nginx's
    ``proxy_set_header Host $host``) and lets ``mutate`` change each answer."""

    @Request.application
    def app(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Accept-Encoding"] = "identity"
        answer = requests.request(request.method, upstream + request.full_path.rstrip("?"),
                                  headers=headers, data=request.get_data(),
                                  allow_redirects=False, timeout=30)
        status, kept, body = mutate(request.path, answer.status_code,
                                    [(k, v) for k, v in answer.raw.headers.items()
                                     if k.lower() not in HOP_BY_HOP], answer.content)
        return Response(body, status=status, headers=kept)

    return app


@pytest.fixture
def proxy(deployment) -> Iterator[Callable[[Mutation], str]]:
    servers = []

    def start(mutate: Mutation) -> str:
        server = make_server("127.0.0.1", 0, _forwarding(deployment, mutate), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def _without_vary(path, status, headers, body):
    return status, [(k, v) for k, v in headers if k.lower() != "vary"], body


def _found_for_see_other(path, status, headers, body):
    return (302 if status == 303 else status), headers, body


def _unchanged(path, status, headers, body):
    return status, headers, body


def _no_endpoint(path, status, headers, body):
    """A copy without /sparql whose description, copied from the live site, names it."""
    return (404, headers, b"Not Found\n") if path.startswith("/sparql") else \
        (status, headers, body)


def _static_copy(path, status, headers, body):
    """A copy without an endpoint whose description names none (as a static export's)."""
    turtle = any(k.lower() == "content-type" and v.startswith("text/turtle") for k, v in headers)
    if path == "/dataset" and status == 200 and turtle:
        graph = Graph().parse(data=body, format="turtle")
        graph.remove((None, VOID.sparqlEndpoint, None))
        body = graph.serialize(format="turtle", encoding="utf-8")
    return _no_endpoint(path, status, headers, body)


def _not_a_service(path, status, headers, body):
    """An endpoint that is there but broken."""
    return (500, headers, b"Internal Server Error\n") if path.startswith("/sparql") else \
        (status, headers, body)


SPARQL_CHECKS = {c.id for c in all_checks() if c.section == "§4"}


@pytest.mark.parametrize(("mutate", "failing", "skipped", "reason"), [
    (_unchanged, set(), set(), ""),
    (_without_vary, {"vary-accept"}, set(), "without the Accept token"),
    (_found_for_see_other, {"deref-html", "deref-rdf"}, set(), "not 303 See Other"),
    (_no_endpoint, set(), SPARQL_CHECKS, "answers 404, though the description names it"),
    (_static_copy, set(), SPARQL_CHECKS, "answers 404 and the description names none"),
    (_not_a_service, SPARQL_CHECKS, set(), "answered 500, not a service description"),
])
def test_a_proxy_that_breaks_a_rule_fails_exactly_its_checks(proxy, mutate, failing, skipped,
                                                            reason):
    result = run_check(proxy(mutate))
    seen = outcomes(result.output)
    assert set(seen) == {c.id for c in all_checks()}, result.output
    assert {check for check, mark in seen.items() if mark == "FAIL"} == failing, result.output
    assert {check for check, mark in seen.items() if mark == "SKIP"} == skipped, result.output
    assert result.exit_code == (1 if failing else 0)
    for check in failing | skipped:
        line = next(line for line in result.output.splitlines() if f"  {check} " in line)
        assert reason in line, line


@pytest.mark.parametrize(("url", "message"), [
    ("example.org", "is not an http(s) URL"),
    ("http://127.0.0.1:99999/", "port"),
    ("http://127.0.0.1:9/x?q=1", "without ?query"),
])
def test_a_url_that_cannot_be_checked_is_a_clear_error(url, message):
    result = CliRunner().invoke(cli, ["check", url])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_deployment_that_does_not_answer_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(cli, ["check", f"http://127.0.0.1:{port}/", "--timeout", "2"])
    assert result.exit_code == 2
    assert "cannot reach" in result.output and "cannot connect" in result.output




def test_serve_self_check_publishes_its_own_results_at_checks(start_server, tiny_copy,
                                                              tmp_path):
    """Asked for (``--self-check``), the production server checks itself once it listens,
    in a process of its own, and ``/checks`` then shows every check passed."""
    checks_file = tmp_path / "checks.ttl"
    args = [f"--{key.replace('_', '-')}={value}"
            for key, value in dataset_config(tiny_copy, TINY_BASE).items()]
    server = start_server("serve", "--workers", "1", "--threads", "12", "--self-check",
                          "--checks-file", str(checks_file), *args)
    deadline = time.monotonic() + 120
    while not checks_file.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert checks_file.exists(), server.log.read_text()
    earl = Graph().parse(data=requests.get(f"{server.url}/checks.ttl", timeout=10).content,
                         format="turtle")
    outcomes_seen = [earl.value(earl.value(a, EARL.result), EARL.outcome)
                     for a in earl.subjects(RDF.type, EARL.Assertion)]
    assert outcomes_seen == [EARL.passed] * len(all_checks())
    page = requests.get(f"{server.url}/checks?lang=fr", headers={"Accept": "text/html"},
                        timeout=10).text
    assert f"{len(all_checks())} réussie(s), 0 en échec" in page
