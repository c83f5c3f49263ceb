"""SHACL validation, the gate every dataset passes before it is served.

The only module that imports pySHACL. pySHACL returns ``(conforms, graph, text)`` and,
on a ``ValidationFailure``, puts the exception in the graph slot; it also patches rdflib
globals while it loads shapes. So it is wrapped once here, run under a lock, and its
report read from the report graph (SHACL §3.6), never scraped from the text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Dataset, Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

__all__ = ["ValidationResult", "ValidationReport", "ShapesUnusable", "validate"]

_LOCK = threading.Lock()
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


class ShapesUnusable(Exception):
    """The shapes graph itself cannot be used (pySHACL's load errors)."""


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

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")


def validate(data: Dataset, shapes: Graph, ontology: Graph) -> ValidationReport:
    """Validate ``data`` (as the union of its graphs) against ``shapes``.

    A dataset conforms when it has no ``sh:Violation``; warnings and infos are reported
    but do not refuse it.

    Raises:
        ShapesUnusable: the shapes cannot be loaded or evaluated.
    """
    with _LOCK:
        try:
            _, report_graph, _ = shacl_validate(
                data,
                shacl_graph=shapes,
                ont_graph=ontology,
                inference="none",
                advanced=True,
                allow_warnings=True,
            )
        except ReportableRuntimeError as error:
            raise ShapesUnusable(str(error)) from error
    if isinstance(report_graph, BaseException):
        raise ShapesUnusable(str(report_graph))
    results = tuple(sorted(_results(report_graph), key=_order))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


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
