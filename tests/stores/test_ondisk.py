"""The on-disk store: `ldpub load` validates, writes a fresh generation, swaps atomically."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

from server import create_app
from server.domain.loading import DatasetInvalid
from server.runtime.cli import cli
from server.settings import Settings
from server.store import StoreUnusable, ondisk
from server.store.registry import open_snapshot

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"


def config_for(root: Path, store: Path, **extra) -> dict:
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": TINY,
            "store": f"oxigraph:{store}", **extra}


def settings_for(root: Path, store: Path, **extra) -> Settings:
    return Settings.load(config_for(root, store, **extra), environ={})


def load_args(root: Path, store: Path) -> list[str]:
    return ["--data-dir", str(root / "data"), "--ontology-dir", str(root / "ontology"),
            "--shapes-dir", str(root / "shapes"), "--base-iri", TINY,
            "--store", f"oxigraph:{store}"]


def test_a_loaded_store_serves_the_validated_snapshot(tiny_copy, tmp_path, tiny_snapshot):
    store = tmp_path / "store"
    outcome = ondisk.load(settings_for(tiny_copy, store))
    snapshot = open_snapshot(settings_for(tiny_copy, store))
    assert snapshot.version == outcome.version == tiny_snapshot.version
    assert snapshot.stats == tiny_snapshot.stats
    assert snapshot.report.conforms and snapshot.report.graph is not None
    assert snapshot.report.engine == tiny_snapshot.report.engine  # the manifest keeps it
    assert snapshot.staged.data_graphs == tiny_snapshot.staged.data_graphs
    assert snapshot.prefixes == tiny_snapshot.prefixes
    assert snapshot.store.exists(ADA)


def test_the_cli_loads_and_exits_0(tiny_copy, tmp_path):
    result = CliRunner().invoke(cli, ["load", *load_args(tiny_copy, tmp_path / "store")])
    assert result.exit_code == 0, result.output
    # 38 statements of data, ontology and shapes, and the provenance that explains them:
    # alpha's text, sentences and reifiers (143), the derived reifiers and rules (49),
    # the reifier of beta's premise (4)
    assert "loaded 234 quads" in result.output
    assert (tmp_path / "store" / "current").is_symlink()


def test_a_failed_load_leaves_the_served_store_intact(tiny_copy, tmp_path):
    store = tmp_path / "store"
    ondisk.load(settings_for(tiny_copy, store))
    served = (store / "current").resolve()
    before = open_snapshot(settings_for(tiny_copy, store)).version
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    result = CliRunner().invoke(cli, ["load", *load_args(tiny_copy, store)])
    assert result.exit_code == 1
    assert "A person has a name." in result.output and "unchanged" in result.output
    with pytest.raises(DatasetInvalid):
        ondisk.load(settings_for(tiny_copy, store))
    assert (store / "current").resolve() == served
    assert [p for p in (store / "generations").iterdir()] == [served]
    after = open_snapshot(settings_for(tiny_copy, store))
    assert after.version == before and after.store.exists(ADA)


def test_a_reload_sees_the_new_generation_and_old_ones_are_pruned_once_released(
        tiny_copy, tmp_path):
    store = tmp_path / "store"
    ondisk.load(settings_for(tiny_copy, store))
    served = (store / "current").resolve()
    app = create_app({**config_for(tiny_copy, store), "TESTING": True,
                      "dump_dir": str(tmp_path / "dumps")})
    first = app.test_client().get("/healthz").get_json()["version"]
    beta = tiny_copy / "data" / "beta.ttl"
    beta.write_text(beta.read_text() + '\nperson:charles-babbage schema:alternateName "CB" .\n')
    ondisk.load(settings_for(tiny_copy, store))
    ondisk.load(settings_for(tiny_copy, store))
    assert served.is_dir(), "the generation the app holds is kept beyond KEEP_GENERATIONS"
    assert app.test_client().get("/healthz").get_json()["version"] == first  # pinned
    assert app.test_client().get("/data/person/ada-lovelace.nt").status_code == 200
    outcome = app.extensions["publisher"].reload()
    assert outcome.reloaded and outcome.version != first
    assert app.test_client().get("/healthz").get_json()["version"] == outcome.version
    gc.collect()  # the old snapshot, released by the reload
    ondisk.load(settings_for(tiny_copy, store))
    assert not served.exists()
    assert len(list((store / "generations").iterdir())) == ondisk.KEEP_GENERATIONS


def test_an_empty_store_is_refused_with_the_command_to_fill_it(tiny_copy, tmp_path):
    with pytest.raises(StoreUnusable, match="ldpub load"):
        open_snapshot(settings_for(tiny_copy, tmp_path / "empty"))
    result = CliRunner().invoke(cli, ["get", "/healthz", *load_args(tiny_copy, tmp_path / "empty")])
    assert result.exit_code == 2 and "no data loaded yet" in result.output


def test_a_store_of_another_base_iri_is_refused(tiny_copy, tmp_path):
    store = tmp_path / "store"
    ondisk.load(settings_for(tiny_copy, store))
    with pytest.raises(StoreUnusable, match="base IRI"):
        open_snapshot(settings_for(tiny_copy, store, base_iri="https://example.org/other/"))


def test_load_refuses_a_store_it_cannot_fill(tiny_copy):
    args = load_args(tiny_copy, Path("unused"))
    args[args.index("--store") + 1] = "memory"
    result = CliRunner().invoke(cli, ["load", *args])
    assert result.exit_code == 2 and "oxigraph:DIR" in result.output


def test_a_generation_loaded_before_readers_were_locked_still_opens_and_is_then_held(
        tiny_copy, tmp_path):
    store = tmp_path / "store"
    ondisk.load(settings_for(tiny_copy, store))
    readers = (store / "current").resolve() / ondisk.READERS_FILE
    readers.unlink()  # as an older `ldpub load` left it
    snapshot = open_snapshot(settings_for(tiny_copy, store))
    assert snapshot.store.exists(ADA)
    assert readers.is_file()
    beta = tiny_copy / "data" / "beta.ttl"
    for n in range(2):
        extra = f'\nperson:charles-babbage schema:alternateName "C{n}" .\n'
        beta.write_text(beta.read_text() + extra)
        ondisk.load(settings_for(tiny_copy, store))
    assert readers.is_file(), "held by the open snapshot, so kept"
