"""The parse check (rdflib's parser) and the engine (Oxigraph's) read the same queries.

The check refuses what it cannot read, so wherever the two parsers disagree the query is
refused, never run unchecked; this shows that real queries are not among those: every
example query and one query per SPARQL 1.1 feature passes the check and parses in the
engine. The engine runs in a query worker without network, in case a text held more
than it seems.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from server.domain.namespaces import STANDARD_PREFIXES
from server.settings import REPOSITORY
from server.sparql.pool import WorkerPool
from server.sparql.safety import check_query

from .conftest import QUERIES

FEATURES = [
    "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(?o) > 1) "
    "ORDER BY DESC(?n) LIMIT 5 OFFSET 1",
    "SELECT * WHERE { ?s schema:knows+/schema:name|^schema:knows ?x }",
    "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } OPTIONAL { ?s ?q ?r } }",
    "SELECT * WHERE { VALUES (?a ?b) { (1 'x') (UNDEF \"y\"@fr) } BIND(?a + 1 AS ?c) }",
    "SELECT * WHERE { ?s ?p ?o MINUS { ?s a schema:Person } FILTER NOT EXISTS { ?s ?q 1 } }",
    "SELECT * FROM <urn:g> FROM NAMED <urn:h> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s schema:name ?l FILTER(LANG(?l) = '') }",
    "DESCRIBE <http://example.org/a> ?s WHERE { ?s ?p ?o }",
    "ASK { FILTER(REGEX(STR(<http://x/>), '^http', 'i') && BOUND(?u) = false) }",
    "SELECT (GROUP_CONCAT(DISTINCT ?o; SEPARATOR=', ') AS ?all) (SAMPLE(?o) AS ?one) "
    "WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p \"\"\"multi\nline\"\"\"^^xsd:string . ?s ?q 1.5e3 }",
    "SELECT (STRLEN('\\u00e9t\\u00E9') AS ?n) (IRI(CONCAT('http://x/', 'y')) AS ?i) {}",
    "SELECT * WHERE { ?s ?p ?o } # a comment with SERVICE <http://x/> in it",
    "BASE <http://example.org/> PREFIX : <ns#> SELECT * WHERE { :a <b> ?o }",
]


def _corpus() -> list[pytest.param]:
    files = sorted((REPOSITORY / "queries").glob("*.rq")) + sorted(Path(QUERIES).glob("*.rq"))
    return ([pytest.param(f.read_text(encoding="utf-8"), id=f.name) for f in files]
            + [pytest.param(q, id=f"feature-{n}") for n, q in enumerate(FEATURES)])


def _engine_parses(text: str) -> str:
    try:
        ox.Store().query(text, prefixes=STANDARD_PREFIXES)
    except SyntaxError as error:
        return str(error)
    return "parsed"


@pytest.fixture(scope="module")
def engine():
    pool = WorkerPool("parse", _engine_parses, 5.0, memory=512 * 1024**2)
    worker = pool.take()
    yield worker
    pool.discard(worker)
    pool.retire()


@pytest.mark.parametrize("text", _corpus())
def test_the_check_and_the_engine_both_read_it(engine, text):
    check_query(text, allowed_hosts=(), base="http://localhost/sparql",
                prefixes=STANDARD_PREFIXES)
    assert engine.ask(text, 5.0) == "parsed"
