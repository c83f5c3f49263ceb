"""SHACL validation, the gate every dataset passes before it is served.

Two engines, one report. pySHACL is the reference implementation; pyshacl-turbo is a
native engine that gives the same results on our shapes (a test holds the two to it)
about forty times faster, which is what lets millions of statements through the gate.
Beside it, the shapes made only of SPARQL queries run on the staged store itself
(``sparql_shapes``), where they cost a fraction of what the engine spends on them.
``auto`` takes the reference below ``AUTO_LIMIT`` statements and the native engine
above it. Each engine is wrapped once here and run under a lock (pySHACL patches rdflib
globals while it loads shapes); its report is read from the report graph (SHACL §3.6),
never scraped from the text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from itertools import islice

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from server.domain import sparql_shapes
from server.heap import give_back

__all__ = [
    "AUTO_LIMIT",
    "ENGINES",
    "VALIDATORS",
    "ShapesUnusable",
    "ValidationInput",
    "ValidationReport",
    "ValidationResult",
    "engine_for",
    "validate",
]

_LOCK = threading.Lock()
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

# pySHACL spends about 2 ms a statement on our shapes (20 s for 10k); below this it
# answers in seconds, above it the native engine takes over.
AUTO_LIMIT = 10_000
# Where the store takes no shapes: up to this size of the data as N-Quads (characters;
# 407M for 1M statements), the native engine validates it in two runs at once, each over
# half of the shapes, on two cores or more: 91 s become 56 s at 1M, but each run holds its
# own copy of the data (peak 2.9 GB becomes 4.3 GB). Past it, one run, so that 5M
# statements (14.6 GB in one run) still fit.
TWO_RUNS_UP_TO = 600_000_000
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_CLASSES = (RDFS.Class, OWL.Class)


class ShapesUnusable(Exception):
    """The shapes graph itself cannot be used (the engine cannot load or run it)."""


@dataclass(frozen=True)
class ValidationInput:
    """What is validated, where it sits: the union of ``data_graphs`` of ``store``,
    with the ontology's class hierarchy, against the shapes graph."""

    store: ox.Store
    data_graphs: tuple[str, ...]
    ontology_graph: str
    shapes_graph: str

    def has_at_least(self, count: int) -> bool:
        """Whether the data graphs hold ``count`` statements (counting no further)."""
        quads = (q for g in self.data_graphs for q in _quads(self.store, g))
        return sum(1 for _ in islice(quads, count)) >= count


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with the data files its focus node is stated in."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    sources: tuple[str, ...] = ()

    def line(self) -> str:
        parts = [f"{self.severity}: {self.focus}"]
        if self.path:
            parts.append(f"path {self.path}")
        if self.value is not None:
            parts.append(f"value {self.value}")
        parts.append(self.message)
        if self.sources:
            parts.append(f"in {', '.join(self.sources)}")
        return " | ".join(parts)


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph = field(repr=False, compare=False)
    engine: str = ""  # which engine, with its version: "pySHACL 0.40.1"

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")


@dataclass(frozen=True)
class Engine:
    name: str  # the value of the ``validator`` setting
    package: str  # the distribution, for its version
    label: str
    run: Callable[[ValidationInput], Graph]  # the report graph; raises ShapesUnusable

    def describe(self) -> str:
        try:
            return f"{self.label} {metadata.version(self.package)}"
        except metadata.PackageNotFoundError:
            return self.label


def validate(source: ValidationInput, validator: str = "auto") -> ValidationReport:
    """Validate ``source`` with the engine ``validator`` names (or ``auto``'s choice).

    A dataset conforms when it has no ``sh:Violation``; warnings and infos are reported
    but do not refuse it.

    Raises:
        ShapesUnusable: the shapes cannot be loaded or evaluated.
    """
    engine = engine_for(validator, source)
    with _LOCK:
        report_graph = engine.run(source)
    give_back()  # what the engines freed (at 1M, 640 MB), before the load's next stage
    results = tuple(sorted(_results(report_graph), key=_order))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=report_graph,
                            engine=engine.describe())


def engine_for(validator: str, source: ValidationInput) -> Engine:
    if validator == "auto":
        return ENGINES["turbo" if source.has_at_least(AUTO_LIMIT) else "pyshacl"]
    return ENGINES[validator]


# --- the engines


def _pyshacl(source: ValidationInput) -> Graph:
    from pyparsing import ParseBaseException
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    dataset = Dataset()
    quads = [q for g in source.data_graphs for q in _quads(source.store, g)]
    if quads:  # N-Quads keeps plain literals plain
        dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    try:
        _, report_graph, _ = shacl_validate(
            dataset,
            shacl_graph=_rdflib_graph(source.store, source.shapes_graph),
            ont_graph=_rdflib_graph(source.store, source.ontology_graph),
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    except ReportableRuntimeError as error:
        raise ShapesUnusable(str(error)) from error
    except ParseBaseException as error:  # rdflib's SPARQL parser, on a query in the shapes
        raise ShapesUnusable(f"SPARQL parse error in the shapes: {error}") from error
    return _report_graph(report_graph)


def _turbo(source: ValidationInput) -> Graph:
    """The native engine's report, with the SHACL-SPARQL shapes it would spend most of
    its time on run on the store meanwhile (``sparql_shapes``; the engine's Rust code
    runs without the GIL). Without such shapes, below ``TWO_RUNS_UP_TO``, two runs of
    the engine at once, each over half of the shapes."""
    import pyshacl_turbo
    from pyshacl_turbo.rdf import Input

    # The data goes in as what the engine makes of an Oxigraph store it is given: the
    # store's N-Quads, marked as Oxigraph's (its ``Input``; the version is pinned),
    # written here from our graphs instead of copied into a store of its own first (at
    # 1M statements, 460 MB less at the peak). The shapes go in as a store: given one
    # store and one rdflib graph, 0.6 compares "fr" with "fr"^^xsd:string and finds
    # them different.
    text = ox.serialize((q for g in (*source.data_graphs, source.ontology_graph)
                         for q in _quads(source.store, g)),
                        format=ox.RdfFormat.N_QUADS).decode("utf-8")
    shapes = ox.Store()
    shapes.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                  for q in _quads(source.store, source.shapes_graph))
    targeted = _targeted(source)
    on_store = _store_shapes(source) if targeted is not None else ()
    taken = {shape.iri for shape in on_store}
    runs = _runs(targeted, taken, two=len(text) <= TWO_RUNS_UP_TO and (os.cpu_count() or 1) > 1)

    def run(use_shapes: list[str] | None) -> Graph:
        data = Input(text, "oxigraph-nquads", None, {}, preserve_ids=True)
        _, report_graph, _ = pyshacl_turbo.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
            use_shapes=use_shapes)
        return _report_graph(report_graph)

    try:
        with ThreadPoolExecutor(max(1, len(runs))) as pool:
            engine_runs = [pool.submit(run, shapes_of_run) for shapes_of_run in runs]
            reports = [_on_store(source, on_store)] if on_store else []
            return _merged([*(f.result() for f in engine_runs), *reports])
    except (pyshacl_turbo.ReportableRuntimeError, pyshacl_turbo.ValidationFailure,
            ValueError, SyntaxError) as error:  # SyntaxError: a query Oxigraph cannot read
        raise ShapesUnusable(str(error)) from error


def _targeted(source: ValidationInput) -> list[str] | None:
    """The shapes with targets, those with SPARQL targets (the costly ones) first; None if
    one is not a node shape named by an IRI (a run is given its shapes' IRIs)."""
    store, graph = source.store, ox.NamedNode(source.shapes_graph)

    def has(subject, predicate: str, obj: str | None = None) -> bool:
        return any(True for _ in store.quads_for_pattern(
            subject, ox.NamedNode(predicate), obj and ox.NamedNode(obj), graph))

    targeted = {q.subject for p in _TARGETS
                for q in store.quads_for_pattern(None, ox.NamedNode(p), None, graph)}
    targeted |= {q.subject for c in _CLASSES
                 for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(c),
                                                  graph)
                 if has(q.subject, RDF.type, SH.NodeShape)}  # implicit class targets
    if not all(isinstance(s, ox.NamedNode) and has(s, RDF.type, SH.NodeShape) for s in targeted):
        return None
    costly = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(SH.target), None, graph)
              if not isinstance(q.object, ox.Literal) and has(q.object, RDF.type, SH.SPARQLTarget)}
    return [s.value for s in (*sorted(targeted & costly, key=str),
                              *sorted(targeted - costly, key=str))]


def _runs(targeted: list[str] | None, taken: set[str], two: bool) -> tuple[list[str] | None, ...]:
    """The engine's runs. When the store took shapes, one run of the others (none if it
    took them all): at 1M, 43.6 s and 3.1 GB, where two runs beside the store took
    49.4 s and 4.3 GB. Else the shapes dealt alternately into two runs, when ``two``;
    else one run of every shape (``None``, also when the shapes cannot be named)."""
    if targeted is None:
        return (None,)
    if taken:
        rest = [shape for shape in targeted if shape not in taken]
        return (rest,) if rest else ()
    return (targeted[0::2], targeted[1::2]) if two and len(targeted) > 1 else (None,)


def _store_shapes(source: ValidationInput) -> tuple[sparql_shapes.SparqlShape, ...]:
    """The SHACL-SPARQL shapes the store runs, if it holds nothing but what is validated
    and the shapes, in named graphs (the union of the others is then the default graph
    the engines query)."""
    store = source.store
    expected = {*source.data_graphs, source.ontology_graph, source.shapes_graph}
    if (any(g.value not in expected for g in store.named_graphs())
            or next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None)):
        return ()
    return sparql_shapes.sparql_shapes(store, source.shapes_graph)


def _on_store(source: ValidationInput, shapes: Sequence[sparql_shapes.SparqlShape]) -> Graph:
    """``shapes`` run on the store, its shapes graph set aside meanwhile: the engines do
    not see the shapes among the data."""
    store, graph = source.store, ox.NamedNode(source.shapes_graph)
    kept = list(store.quads_for_pattern(None, None, None, graph))
    store.remove_graph(graph)
    try:
        return sparql_shapes.report(shapes, store)
    finally:
        store.add_graph(graph)
        store.extend(kept)


def _merged(reports: list[Graph]) -> Graph:
    """One report of runs over parts of the shapes: every run's results under the first
    run's report node, which conforms if every run's did."""
    merged = reports[0]
    head = merged.value(predicate=RDF.type, object=SH.ValidationReport)
    conforms = all(
        r.value(r.value(predicate=RDF.type, object=SH.ValidationReport), SH.conforms,
                default=Literal(False)).toPython() is True for r in reports)
    for other in reports[1:]:
        node = other.value(predicate=RDF.type, object=SH.ValidationReport)
        # each run labels its blank nodes from the start: the second's get labels of their own
        fresh = {n: BNode() for n in other.all_nodes() if isinstance(n, BNode)}
        for s, p, o in other:
            if s != node:
                merged.add((fresh.get(s, s), p, fresh.get(o, o)))
            elif p == SH.result:
                merged.add((head, p, fresh.get(o, o)))
    merged.set((head, SH.conforms, Literal(conforms)))
    return merged


def _report_graph(outcome: Graph | BaseException) -> Graph:
    """Both engines hand back their ``ValidationFailure`` in place of the report graph
    when a SPARQL constraint breaks SHACL's rules (a ``MINUS``, a ``VALUES``): the
    shapes, not the data, are at fault."""
    if isinstance(outcome, BaseException):
        raise ShapesUnusable(str(outcome))
    return outcome


ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("pyshacl", "pyshacl", "pySHACL", _pyshacl),
    Engine("turbo", "pyshacl-turbo", "pyshacl-turbo", _turbo),
)}
VALIDATORS = ("auto", *ENGINES)


# --- the engines' input, and their report


def _quads(store: ox.Store, graph: str):
    return store.quads_for_pattern(None, None, None, ox.NamedNode(graph))


def _rdflib_graph(store: ox.Store, graph: str) -> Graph:
    result = Graph(bind_namespaces="none")
    triples = [q.triple for q in _quads(store, graph)]
    if triples:
        result.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return result


def _order(result: ValidationResult) -> tuple:
    return (_SEVERITY_ORDER.get(result.severity, 9), result.focus, result.path or "", result.message)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _results(report: Graph):
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        yield ValidationResult(
            focus=str(report.value(node, SH.focusNode)),
            path=_path_text(report, report.value(node, SH.resultPath)),
            value=_text(report.value(node, SH.value)),
            message=" / ".join(sorted(str(m) for m in report.objects(node, SH.resultMessage)))
            or "(no message)",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=_text(report.value(node, SH.sourceShape)),
        )


def _path_text(report: Graph, path: Node | None) -> str | None:
    """A readable form of a result path: an IRI, or the SHACL path expression's Turtle."""
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        return f"^{inverse}" if inverse is not None else "(complex path)"
    return str(path)
