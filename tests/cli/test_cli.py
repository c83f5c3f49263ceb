"""The ``ldpub`` verbs and their exit codes, run as a user runs them."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from server.runtime.cli import cli


def dataset_args(root: Path) -> list[str]:
    return ["--data-dir", str(root / "data"), "--ontology-dir", str(root / "ontology"),
            "--shapes-dir", str(root / "shapes"), "--base-iri", "https://example.org/tiny/"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def tiny_args(tiny_config) -> list[str]:
    return dataset_args(Path(tiny_config["data_dir"]).parent)


def test_every_verb_has_help(runner):
    verbs = list(cli.commands)
    assert {"serve", "run", "validate", "get", "dump", "query", "reload"} <= set(verbs)
    for verb in verbs:
        result = runner.invoke(cli, [verb, "--help"])
        assert result.exit_code == 0, verb
        assert "Usage: " in result.output


def test_validate_conforming_data_exits_0(runner, tiny_args):
    result = runner.invoke(cli, ["validate", *tiny_args])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_a_violation_exits_1_with_focus_path_message_file(runner, tiny_copy):
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    result = runner.invoke(cli, ["validate", *dataset_args(tiny_copy)])
    assert result.exit_code == 1
    assert ("Violation: https://example.org/tiny/id/person/ada-lovelace | path "
            "http://schema.org/name | A person has a name. | in " + str(alpha)) in result.output
    assert "does not conform: 1 violation(s)" in result.output


def test_validate_unparsable_data_exits_2_with_file_and_line(runner, tiny_copy):
    beta = tiny_copy / "data" / "beta.ttl"
    beta.write_text(beta.read_text() + "\nthis is not turtle\n")
    result = runner.invoke(cli, ["validate", *dataset_args(tiny_copy)])
    assert result.exit_code == 2
    assert f"{beta}:11:" in result.output


def test_a_bad_setting_exits_2_with_its_name(runner, tiny_args):
    result = runner.invoke(cli, ["validate", *tiny_args, "--query-timeout", "never"])
    assert result.exit_code == 2
    assert "query_timeout" in result.output and "never" in result.output


def test_a_bad_environment_variable_exits_2(runner, tiny_args):
    result = runner.invoke(cli, ["validate", *tiny_args], env={"LDPUB_LOG_LEVEL": "LOUD"})
    assert result.exit_code == 2
    assert "LDPUB_LOG_LEVEL" in result.output


def test_get_prints_the_body_and_exits_0(runner, tiny_args):
    result = runner.invoke(cli, ["get", "/healthz", *tiny_args])
    assert result.exit_code == 0
    assert json.loads(result.output)["status"] == "ok"


def test_get_with_headers_and_a_missing_page_exits_1(runner, tiny_args):
    result = runner.invoke(cli, ["get", "/no/such/page", "--headers", "--accept", "text/plain",
                                 *tiny_args])
    assert result.exit_code == 1
    assert result.output.startswith("HTTP/1.1 404")
    assert "Content-Type: text/plain" in result.output


@pytest.mark.parametrize(("name", "rdflib_format"), [("trig", "trig"), ("nq", "nquads")])
def test_dump_writes_the_whole_dataset(runner, tiny_args, tiny_snapshot, tmp_path, name,
                                       rdflib_format):
    target = tmp_path / f"dump.{name}"
    result = runner.invoke(cli, ["dump", "--format", name, "-o", str(target), *tiny_args])
    assert result.exit_code == 0, result.output
    dataset = Dataset()
    dataset.parse(target, format=rdflib_format)
    assert len(dataset) == tiny_snapshot.stats.quads
    assert {str(g.identifier) for g in dataset.graphs()} >= set(tiny_snapshot.store.graphs())


def test_dump_with_default_graph_adds_the_merge_for_a_remote_store(runner, tiny_args,
                                                                   tiny_snapshot, tmp_path):
    target = tmp_path / "for-the-store.nq"
    result = runner.invoke(cli, ["dump", "--format", "nq", "--with-default-graph",
                                 "-o", str(target), *tiny_args])
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS))
    default = {q.triple for q in quads if q.graph_name == ox.DefaultGraph()}
    named = [q for q in quads if q.graph_name != ox.DefaultGraph()]
    assert len(named) == tiny_snapshot.stats.quads
    assert default == {q.triple for q in named} and len(default) == tiny_snapshot.stats.triples
    refused = runner.invoke(cli, ["dump", "--format", "ttl", "--with-default-graph", *tiny_args])
    assert refused.exit_code == 2 and "trig or nq" in refused.output


def test_query_prints_results_in_the_chosen_format(runner, tiny_args):
    text = "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?name } ORDER BY ?name"
    result = runner.invoke(cli, ["query", text, "--format", "csv", *tiny_args])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["name", "Ada Lovelace", "Charles Babbage"]


def test_query_construct_defaults_to_turtle(runner, tiny_args):
    text = "CONSTRUCT { ?p a <http://schema.org/Person> } WHERE { ?p a <http://schema.org/Person> }"
    result = runner.invoke(cli, ["query", text, *tiny_args])
    assert result.exit_code == 0
    assert "<https://example.org/tiny/id/person/ada-lovelace>" in result.output or "person:ada-lovelace" in result.output


def test_query_syntax_error_exits_1_with_the_parser_message(runner, tiny_args):
    result = runner.invoke(cli, ["query", "SELECT WHERE {", *tiny_args])
    assert result.exit_code == 1
    assert "Malformed Query: syntax error at line 1, column 8" in result.output
    assert "SELECT WHERE {\n       ^" in result.output


def test_python_dash_m_server_is_the_same_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "server", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    assert "validate" in result.stdout
