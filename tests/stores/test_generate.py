"""The benchmark generator makes data shaped like the template that passes its shapes."""

from __future__ import annotations

import importlib.util
import sys

import pyoxigraph as ox
import pytest

from server.domain.loading import check
from server.settings import REPOSITORY, Settings

spec = importlib.util.spec_from_file_location("bench_generate", REPOSITORY / "bench" / "generate.py")
generate_module = sys.modules.setdefault("bench_generate", importlib.util.module_from_spec(spec))
spec.loader.exec_module(generate_module)


def settings_for(folder, base: str) -> Settings:
    return Settings.load({"data_dir": str(folder / "data"), "ontology_dir": str(folder / "ontology"),
                          "shapes_dir": str(folder / "shapes"), "base_iri": base}, environ={})


def test_tiny_copies_conform_and_keep_their_own_iris_and_blank_nodes(tiny_config, tmp_path):
    template = Settings.load(tiny_config, environ={})
    result = generate_module.generate(2000, tmp_path / "out", template)  # 155 a copy
    assert result.copies == 13 and result.statements >= 2000
    staged, report = check(settings_for(tmp_path / "out", template.base_iri))
    assert report.conforms, [r.line() for r in report.violations]
    people = {q.subject.value for q in staged.store.quads_for_pattern(
        None, ox.NamedNode("http://schema.org/name"), None, None)}
    assert "https://example.org/tiny/id/person/ada-lovelace-c12" in people
    assert len(staged.data_graphs) == 2 * result.copies
    blanks = {q.subject for g in staged.data_graphs
              for q in staged.store.quads_for_pattern(None, None, None, ox.NamedNode(g))
              if isinstance(q.subject, ox.BlankNode)}
    assert len(blanks) == result.copies


def test_copies_of_the_repository_data_pass_its_shapes(repo_settings, tmp_path):
    result = generate_module.generate(1, tmp_path / "out", repo_settings)
    per_copy = result.template_statements
    result = generate_module.generate(3 * per_copy, tmp_path / "out", repo_settings)
    assert result.copies == 3
    _, report = check(settings_for(tmp_path / "out", repo_settings.base_iri))
    assert report.conforms, [r.line() for r in report.violations][:10]


@pytest.mark.slow
def test_a_hundred_thousand_statements_of_copies_pass_the_shapes(repo_settings, tmp_path):
    """The size the generator is for: the auto validator takes the native engine there,
    and every copy still conforms, derived graph included."""
    result = generate_module.generate(100_000, tmp_path / "out", repo_settings)
    assert result.statements >= 100_000
    staged, report = check(settings_for(tmp_path / "out", repo_settings.base_iri))
    assert report.engine.startswith("pyshacl-turbo ")
    assert report.conforms, [r.line() for r in report.violations][:10]
    assert len(staged.data_graphs) > result.copies  # each copy has its own article graphs
