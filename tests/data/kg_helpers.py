"""Helpers shared by the data tests: where things are, and SPARQL rows as plain values."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from server.domain.loading import check
from server.domain.validation import ValidationReport
from server.settings import REPOSITORY, Settings

BASE = "https://w3id.org/grand-paris-russia/"
QUERIES = REPOSITORY / "queries"
SOURCES = REPOSITORY / "data" / "sources"  # each article's text, {slug}.txt
ARTICLES = ("pce-makers-grand-paris-russie", "grand-paris-expertise-exported-to-russia")


def value(term) -> str | None:
    """A result term as a plain string (IRI, literal lexical form), None when unbound."""
    return None if term is None else term.value


def select(snapshot, text: str) -> list[dict[str, str | None]]:
    """Run a SELECT over the union of all graphs; each row as {variable: value}."""
    result = snapshot.store.query(text)
    assert isinstance(result, ox.QuerySolutions), "expected a SELECT query"
    names = [v.value for v in result.variables]
    return [{name: value(row[name]) for name in names} for row in result]


def select_terms(snapshot, text: str) -> list[dict[str, object]]:
    """Like ``select`` but keeps the pyoxigraph terms (to check datatypes and languages)."""
    result = snapshot.store.query(text)
    names = [v.value for v in result.variables]
    return [{name: row[name] for name in names} for row in result]


def query_file(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def validate_dataset(root: Path, validator: str = "auto") -> ValidationReport:
    """Stage and validate a dataset folder (data/, ontology/, shapes/) as ``ldpub validate`` does."""
    settings = Settings.load(
        {
            "data_dir": str(root / "data"),
            "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"),
            "base_iri": BASE,
            "validator": validator,
        },
        environ={},
    )
    _, report = check(settings)
    return report
