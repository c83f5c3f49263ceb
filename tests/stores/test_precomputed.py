"""What every page needs is made when the data is loaded, not on a worker's first request.

``ldpub load`` writes the catalogue, the sources, the coverage and the dated events
beside the generation; a server opening it reads them, and its pages read no store for
them. The memory store makes them as it loads. A file that is missing, damaged or of
another version only costs the work it spared.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from server.domain import catalogue, describe, pictures, precomputed, schemaorg
from server.settings import Settings
from server.store import ondisk
from server.store.registry import open_snapshot
from tests.conftest import TINY_BASE, make_app
from tests.stores.test_ondisk import config_for, settings_for

NAMES = {value.name for value in precomputed.VALUES}
# what makes each value from the store, on a request when it was not made at load
MAKERS = ((catalogue, "_catalogue"), (describe, "_sources"), (schemaorg, "coverage"),
          (pictures, "_dated_events"))
# the pages that read them: home (all four), a resource (sources), search and a list
# (the catalogue)
PAGES = ("/", "/page/person/ada-lovelace", "/search?q=ada", "/browse/person")


@pytest.fixture
def loaded(tiny_copy, tmp_path) -> tuple[Path, Path]:
    """The tiny dataset loaded on disk: (its sources, the store's root)."""
    store = tmp_path / "store"
    ondisk.load(settings_for(tiny_copy, store))
    return tiny_copy, store


def _forbid_making(monkeypatch) -> None:
    for module, name in MAKERS:
        def refuse(*args, _name=name, **kwargs):
            raise AssertionError(f"{_name} ran on a request")
        monkeypatch.setattr(module, name, refuse)


def test_each_value_survives_its_json_whole(repo_snapshot, repo_settings):
    for value in precomputed.VALUES:
        made = value.make(repo_snapshot, repo_settings.base_iri)
        kept = value.decode(json.loads(json.dumps(value.encode(made))))
        assert kept == made, value.name
    # and none of them is empty on the repository's data, so the comparison says something
    found = catalogue.catalogue(repo_snapshot, repo_settings.base_iri)
    assert len(found.entries) > 50 and found.superclasses
    assert [s.role for s in describe.sources(repo_snapshot).ordered()][:2] == ["article"] * 2
    covered = schemaorg.dataset_coverage(repo_snapshot)
    assert covered.dates and covered.places
    assert pictures.dated_events(repo_snapshot).events


def test_a_loaded_generation_opens_with_every_value_made_at_load(loaded, tiny_snapshot):
    sources, store = loaded
    assert (store / "current" / precomputed.FILE).is_file()
    snapshot = open_snapshot(settings_for(sources, store))
    assert set(snapshot.precomputed) == NAMES
    assert catalogue.catalogue(snapshot, TINY_BASE) is snapshot.precomputed[catalogue.PRECOMPUTED]
    for value in precomputed.VALUES:  # what the memory store reads from its own sources
        assert snapshot.precomputed[value.name] == value.make(tiny_snapshot, TINY_BASE), value.name


def test_its_pages_make_none_of_them_on_a_request(loaded, monkeypatch):
    sources, store = loaded
    app = make_app(config_for(sources, store))
    _forbid_making(monkeypatch)
    client = app.test_client()
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_without_the_file_the_same_pages_are_made_on_first_use(loaded, monkeypatch):
    sources, store = loaded
    with_values = make_app(config_for(sources, store)).test_client()
    expected = {path: with_values.get(path).data for path in PAGES}
    (store / "current" / precomputed.FILE).unlink()
    snapshot = open_snapshot(settings_for(sources, store))
    assert snapshot.precomputed == {}
    client = make_app(config_for(sources, store), snapshot).test_client()
    assert {path: client.get(path).data for path in PAGES} == expected
    # made on the first request this time: refusing to make them now fails the page
    refused = make_app(config_for(sources, store), open_snapshot(settings_for(sources, store)))
    _forbid_making(monkeypatch)
    assert refused.test_client().get("/").status_code == 500


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: text.replace('"format":1', '"format":99'),
    lambda text: text.replace('"version":"', '"version":"other-'),
    lambda text: text.replace('"entries":', '"entrees":'),
    lambda text: text.replace('"by_kind":{', '"by_kind":{"x":[99999],'),  # no such entry
    lambda text: "\udcff",  # not UTF-8 once written with surrogateescape
    lambda text: "[" * 100_000,  # nested past what the parser follows
], ids=["truncated", "format", "version", "shape", "index", "bytes", "nesting"])
def test_a_damaged_file_is_logged_and_only_costs_the_work_it_spared(loaded, damage, caplog):
    sources, store = loaded
    path = (store / "current" / precomputed.FILE).resolve()
    path.write_bytes(damage(path.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING, logger=precomputed.__name__):
        snapshot = open_snapshot(settings_for(sources, store))
    assert snapshot.precomputed == {}
    assert [r for r in caplog.records if str(path) in r.getMessage()]
    client = make_app(config_for(sources, store), snapshot).test_client()
    assert all(client.get(page).status_code == 200 for page in PAGES)


def test_the_memory_store_makes_them_as_it_loads(tiny_config):
    snapshot = open_snapshot(Settings.load(tiny_config, environ={}))
    assert set(snapshot.precomputed) == NAMES
    assert describe.sources(snapshot) is snapshot.precomputed[describe.SOURCES]
