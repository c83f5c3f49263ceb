"""Check results as W3C EARL 1.0 (https://www.w3.org/TR/EARL10-Schema/): one
``earl:Assertion`` per check, by ``ldpub check``, about the deployment's URL, with a stable
test IRI per check (``BASE checks#{id}``) and an ``earl:TestResult`` holding the outcome,
the date and the one-line reason. ``read`` turns such a graph back into rows, for the
``/checks`` page."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from server.conformance.registry import Result, all_checks
from server.domain.namespaces import EARL, new_graph

__all__ = ["CHECKS_PATH", "Recorded", "Row", "earl_graph", "read", "recorded", "test_iri",
           "write"]

CHECKS_PATH = "checks"  # BASE checks: the checks' own document
OUTCOMES = {"passed": EARL.passed, "failed": EARL.failed, "inapplicable": EARL.inapplicable}


def test_iri(base_iri: str, check_id: str) -> URIRef:
    return URIRef(f"{base_iri}{CHECKS_PATH}#{check_id}")


def earl_graph(results: Sequence[Result], subject: str, base_iri: str) -> Graph:
    """The results as EARL, the checks described as ``earl:TestCase``."""
    graph = new_graph()
    graph.bind("earl", EARL)
    tool = URIRef(f"{base_iri}{CHECKS_PATH}#ldpub-check")
    graph.add((tool, RDF.type, EARL.Software))
    graph.add((tool, RDF.type, EARL.Assertor))
    graph.add((tool, DCTERMS.title, Literal("ldpub check")))
    graph.add((tool, DCTERMS.hasVersion, Literal(version("ldpub"))))
    deployment = URIRef(subject)
    graph.add((deployment, RDF.type, EARL.TestSubject))
    for result in results:
        test = test_iri(base_iri, result.check.id)
        graph.add((test, RDF.type, EARL.TestCase))
        graph.add((test, DCTERMS.identifier, Literal(result.check.id)))
        graph.add((test, DCTERMS.title, Literal(result.check.title, lang="en")))
        graph.add((test, DCTERMS.title, Literal(result.check.fr, lang="fr")))
        graph.add((test, DCTERMS.source, Literal(f"DESIGN.md {result.check.section}")))
        assertion, outcome = BNode(), BNode()
        graph.add((assertion, RDF.type, EARL.Assertion))
        graph.add((assertion, EARL.assertedBy, tool))
        graph.add((assertion, EARL.subject, deployment))
        graph.add((assertion, EARL.test, test))
        graph.add((assertion, EARL.mode, EARL.automatic))
        graph.add((assertion, EARL.result, outcome))
        graph.add((outcome, RDF.type, EARL.TestResult))
        graph.add((outcome, EARL.outcome, OUTCOMES[result.outcome.value]))
        graph.add((outcome, DCTERMS.date, Literal(result.date.isoformat(),
                                                  datatype=XSD.dateTime)))
        graph.add((outcome, DCTERMS.description, Literal(result.reason, lang="en")))
    return graph


@dataclass(frozen=True)
class Row:
    """One assertion read back: what the ``/checks`` page shows."""

    id: str
    titles: dict[str, str]  # language -> title
    section: str
    outcome: str  # passed, failed or inapplicable
    reason: str
    date: datetime
    subject: str


def read(graph: Graph) -> list[Row]:
    """The assertions of an EARL graph, in the order of the table of checks."""
    names = {iri: name for name, iri in OUTCOMES.items()}
    rows = []
    for assertion in graph.subjects(RDF.type, EARL.Assertion):
        test, result = graph.value(assertion, EARL.test), graph.value(assertion, EARL.result)
        date = graph.value(result, DCTERMS.date)
        rows.append(Row(
            id=str(graph.value(test, DCTERMS.identifier) or test),
            titles={t.language or "": str(t) for t in graph.objects(test, DCTERMS.title)},
            section=str(graph.value(test, DCTERMS.source) or "").removeprefix("DESIGN.md "),
            outcome=names.get(graph.value(result, EARL.outcome), "failed"),
            reason=str(graph.value(result, DCTERMS.description) or ""),
            date=date.toPython() if isinstance(date, Literal) else datetime.min,
            subject=str(graph.value(assertion, EARL.subject))))
    order = {check.id: n for n, check in enumerate(all_checks())}
    return sorted(rows, key=lambda r: (order.get(r.id, len(order)), r.id))


def write(graph: Graph, path: Path) -> None:
    """Write the EARL as Turtle in one step (a reader sees the old file or the new one)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    os.replace(partial, path)


@dataclass(frozen=True)
class Recorded:
    """The last results recorded in a file: the graph, its rows, when it was written."""

    quads: tuple[ox.Quad, ...]
    rows: tuple[Row, ...]
    written: datetime
    stamp: str  # changes whenever the file does: for validators


def recorded(path: Path | None) -> Recorded | None:
    """The results in ``path``, read again only when the file changed; None when there is
    no file or it does not parse (a page then says that no results are recorded)."""
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return None
    return _read_file(path, stat.st_mtime_ns, stat.st_size) if stat else None


@functools.lru_cache(maxsize=4)
def _read_file(path: Path, mtime_ns: int, size: int) -> Recorded | None:
    try:
        body = path.read_bytes()
        graph = Graph(bind_namespaces="none").parse(data=body, format="turtle")
        quads = tuple(ox.parse(body, format=ox.RdfFormat.TURTLE))
    except Exception:  # noqa: BLE001 -- any unreadable file is "no results"
        return None
    return Recorded(quads, tuple(read(graph)), datetime.fromtimestamp(mtime_ns / 1e9, UTC),
                    f"{mtime_ns}-{size}")
