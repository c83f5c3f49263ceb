"""The SHACL-SPARQL shapes the staged store runs beside the native engine: the same
report as pySHACL's, the shapes it cannot read whole left to the engine, and the store
left as it was found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from server.domain.loading import check, stage
from server.domain.validation import ENGINES, ShapesUnusable
from tests.unit.test_loading import ADA, TINY, settings_for

SHAPES = f"{TINY}shapes#"
PREFIXES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{TINY}shapes> sh:declare [ sh:prefix "schema" ; sh:namespace "http://schema.org/"^^xsd:anyURI ] .
"""
# Whoever goes by another name: a target and a constraint, each a query.
TARGET = (f'sh:target [ a sh:SPARQLTarget ; sh:prefixes <{TINY}shapes> ; sh:select """'
          'SELECT ?this WHERE { GRAPH ?g { ?this schema:alternateName ?name } }""" ]')
CONSTRAINT = (f'sh:sparql [ sh:prefixes <{TINY}shapes> ; sh:message "Goes by {{?value}}."@en, '
              '"Se fait appeler {$value}."@fr ; sh:select """SELECT $this ?value WHERE {'
              ' GRAPH ?g { $this schema:alternateName ?value } }""" ]')


def _shapes(root: Path, text: str) -> None:
    (root / "shapes" / "extra.ttl").write_text(PREFIXES + text)


def test_the_store_runs_a_sparql_shape_and_reports_as_the_reference(tiny_copy, engine_runs):
    _shapes(tiny_copy, f"<{SHAPES}Named> a sh:NodeShape ; {TARGET} ; {CONSTRAINT} .\n"
                       f"<{SHAPES}Warned> a sh:NodeShape ; sh:severity sh:Warning ; {TARGET} ; "
                       f"{CONSTRAINT} .\n")
    alias = next(q.object.value for q in stage(settings_for(tiny_copy)).store.quads_for_pattern(
        ox.NamedNode(ADA), ox.NamedNode("http://schema.org/alternateName"), None, None))
    reports = {name: check(settings_for(tiny_copy, name))[1] for name in ENGINES}

    taken = [f"{SHAPES}Named" not in (run or ()) for run in engine_runs]
    assert engine_runs and all(run is not None for run in engine_runs) and all(taken), (
        "the store runs the shape it reads whole; the engine gets the others by name")
    assert any(f"{SHAPES}Warned" in run for run in engine_runs), \
        "a severity is not read by the store: that shape stays with the engine"

    def lines(report) -> list[tuple]:
        return sorted((r.focus, r.path, r.value, r.message, r.severity, r.shape)
                      for r in report.results if r.shape and r.shape.startswith(SHAPES))

    assert lines(reports["turbo"]) == lines(reports["pyshacl"]) == [
        (ADA, None, alias, f"Goes by {alias}. / Se fait appeler {alias}.", "Violation",
         f"{SHAPES}Named"),
        (ADA, None, alias, f"Goes by {alias}. / Se fait appeler {alias}.", "Warning",
         f"{SHAPES}Warned"),
    ]


@pytest.mark.parametrize("validator", ENGINES)
def test_a_constraint_the_pre_binding_rules_forbid_is_refused_by_either_engine(tiny_copy,
                                                                               validator):
    """SHACL §5.3.1.1: no MINUS where ``$this`` is pre-bound. The store does not take such
    a shape, so the engine's refusal stands, with its reason."""
    minus = CONSTRAINT.replace("GRAPH ?g { $this schema:alternateName ?value } }",
                               "GRAPH ?g { $this schema:alternateName ?value } "
                               "MINUS { $this a schema:Place } }")
    _shapes(tiny_copy, f"<{SHAPES}Minus> a sh:NodeShape ; {TARGET} ; {minus} .\n")
    with pytest.raises(ShapesUnusable, match="MINUS"):
        check(settings_for(tiny_copy, validator))


def test_the_store_keeps_its_shapes_graph(repo_settings, engine_runs):
    """The store sets its shapes graph aside while it runs the shapes (the engines do not
    see the shapes among the data), and puts it back: the served store has it whole."""
    staged, report = check(replace(repo_settings, validator="turbo"))
    fresh = stage(repo_settings)
    assert report.conforms and report.engine.startswith("pyshacl-turbo ")
    cited = f"{repo_settings.base_iri}shapes#CitedFactShape"
    assert engine_runs and all(run is not None and cited not in run for run in engine_runs), \
        "the store ran the repository's SPARQL-only shapes"

    def named(store) -> set:
        return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(
            None, None, None, ox.NamedNode(staged.shapes_graph))
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}

    def count(store) -> int:
        return sum(1 for _ in store.quads_for_pattern(None, None, None,
                                                      ox.NamedNode(staged.shapes_graph)))

    assert count(staged.store) == count(fresh.store) > 0
    assert named(staged.store) == named(fresh.store)
