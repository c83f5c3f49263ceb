"""What a loaded store records about itself, so a server can open it without the sources.

``ldpub load`` validates the data, then writes beside the store a manifest: the data
version, when it was loaded, the layout of its graphs (which are sources, which is
derived, where the ontology and shapes sit), the prefixes, the counts, and the SHACL
report (its results as JSON, its graph as N-Triples). A server opening the store reads
the manifest instead of staging and validating again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from rdflib import Graph

from server.domain.validation import ValidationReport, ValidationResult
from server.store import Stats, StoreUnusable

__all__ = ["Manifest", "write_manifest", "read_manifest", "MANIFEST_FILE", "REPORT_FILE"]

MANIFEST_FILE = "snapshot.json"
REPORT_FILE = "report.nt"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    """A loaded dataset's metadata, as recorded at load."""

    version: str
    loaded_at: datetime
    base_iri: str
    data_graphs: tuple[str, ...]
    derived_graph: str
    ontology_graph: str
    shapes_graph: str
    prefixes: dict[str, str]
    files: tuple[dict[str, str | None], ...]
    graph_files: dict[str, tuple[str, ...]]
    stats: Stats
    report: ValidationReport


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest and its report graph into ``folder``."""
    report = manifest.report
    document = {
        "format": MANIFEST_FORMAT,
        "version": manifest.version,
        "loaded_at": manifest.loaded_at.isoformat(),
        "base_iri": manifest.base_iri,
        "data_graphs": list(manifest.data_graphs),
        "derived_graph": manifest.derived_graph,
        "ontology_graph": manifest.ontology_graph,
        "shapes_graph": manifest.shapes_graph,
        "prefixes": manifest.prefixes,
        "files": list(manifest.files),
        "graph_files": {g: list(paths) for g, paths in manifest.graph_files.items()},
        "stats": asdict(manifest.stats),
        "report": {"conforms": report.conforms, "engine": report.engine,
                   "results": [asdict(r) for r in report.results]},
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    (folder / REPORT_FILE).write_bytes(report.graph.serialize(format="nt", encoding="utf-8"))


def read_manifest(folder: Path) -> Manifest:
    """The manifest in ``folder``.

    Raises:
        StoreUnusable: no manifest, or one this version cannot read.
    """
    try:
        document = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        report_graph = Graph(bind_namespaces="none")
        report_graph.parse(folder / REPORT_FILE, format="nt")
    except (OSError, ValueError) as error:
        raise StoreUnusable(f"{folder}: no readable manifest ({error})") from None
    if document.get("format") != MANIFEST_FORMAT:
        raise StoreUnusable(f"{folder}: manifest format {document.get('format')!r} is unknown; "
                            "load the store again with this version")
    stats = document["stats"]
    results = tuple(
        ValidationResult(**{**r, "sources": tuple(r.get("sources", ()))})
        for r in document["report"]["results"]
    )
    return Manifest(
        version=document["version"],
        loaded_at=datetime.fromisoformat(document["loaded_at"]),
        base_iri=document["base_iri"],
        data_graphs=tuple(document["data_graphs"]),
        derived_graph=document["derived_graph"],
        ontology_graph=document["ontology_graph"],
        shapes_graph=document["shapes_graph"],
        prefixes=dict(document["prefixes"]),
        files=tuple(document["files"]),
        graph_files={g: tuple(paths) for g, paths in document["graph_files"].items()},
        stats=Stats(**stats),
        report=ValidationReport(conforms=document["report"]["conforms"], results=results,
                                graph=report_graph, engine=document["report"].get("engine", "")),
    )
