"""Schemathesis over ``docs/openapi.yaml``, against ``ldpub serve`` on 127.0.0.1: requests
generated from the document (valid and invalid ones) get the answers it promises, under
every check Schemathesis has (no server error, documented statuses, content types, headers
and bodies, invalid input refused, valid input accepted). The examples per operation are
bounded and derived from a fixed seed, so that the run is short and repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql import prepareQuery
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.live, pytest.mark.slow]

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES = 20
QUERIES = Path(__file__).resolve().parents[2] / "queries"



def _tabular(text: str) -> bool:
    """A SELECT or ASK query: one the document's result formats (``format=json``…) fit."""
    return prepareQuery(text).algebra.name in ("SelectQuery", "AskQuery")


# The document's ``format: sparql-query``: what parses as a SPARQL 1.1 query. The example
# queries that SELECT or ASK, and small queries over generated terms and limits.
SPARQL_QUERIES = st.one_of(
    st.sampled_from([text for path in sorted(QUERIES.glob("*.rq"))
                     if _tabular(text := path.read_text(encoding="utf-8"))]),
    st.builds("SELECT * WHERE {{ ?s ?p ?o }} LIMIT {}".format, st.integers(0, 50)),
    st.builds("ASK {{ ?s ?p {} }}".format, st.integers(-10**6, 10**6)),
    st.builds('SELECT ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{}")) }} LIMIT 5'.format,
              st.text(st.characters(codec="utf-8", exclude_characters='"\\\r\n'), max_size=8)),
)
schemathesis.openapi.format("sparql-query", SPARQL_QUERIES)

# The document's ``format: media-range``: an Accept header that admits a format we serve
# (one that admits none is answered 406, which the negotiation tests check).
MEDIA_RANGES = st.sampled_from(["*/*", "text/*", "application/*", "text/html", "text/turtle",
                                "application/ld+json", "application/n-triples",
                                "application/rdf+xml", "application/trig",
                                "application/n-quads"])
QUALITIES = st.sampled_from(["", ";q=1", ";q=0.9", ";q=0.5", ";q=0.1"])
schemathesis.openapi.format("media-range", st.lists(
    st.builds("{}{}".format, MEDIA_RANGES, QUALITIES), min_size=1, max_size=3).map(", ".join))


@pytest.fixture(scope="module")
def api(soak, tmp_path_factory):
    server = soak.Server(folder=tmp_path_factory.mktemp("schemathesis")).start()
    loaded = schemathesis.openapi.from_path(OPENAPI)
    loaded.config.update(base_url=server.url)
    yield loaded
    server.stop()


schema = schemathesis.pytest.from_fixture("api")

# On the endpoint, which formats fit depends on whether a query is given (none: the RDF
# service description; a SELECT: result formats), a dependency OpenAPI cannot state; so a
# format the document lists may rightly get 406 there. Every other check still runs.
FORMAT_FOLLOWS_QUERY = {"/sparql", "/sparql/"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_server_does_what_its_document_says(case):
    excluded = [positive_data_acceptance] if case.operation.path in FORMAT_FOLLOWS_QUERY else []
    case.call_and_validate(timeout=60, excluded_checks=excluded)
