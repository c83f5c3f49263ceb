"""Releases: a data version recorded with its dumps and checksums, described in DCAT,
listed at /releases, its dumps downloadable byte for byte as the description states;
a new release after one changed fact marks exactly the resources whose description
changed, and keeps the others' release."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from server.domain.loading import load_snapshot
from server.domain.releases import ReleaseExists, make_release, read_releases
from server.runtime.cli import cli
from server.settings import Settings
from tests.conftest import TINY_BASE, dataset_config, make_app
from tests.stores.test_harvester_profiles import SHAPES_FILE, dcat_ap_results

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADA = f"{TINY_BASE}id/person/ada-lovelace"
FIRST, SECOND = datetime(2026, 1, 5, 9, tzinfo=UTC), datetime(2026, 2, 7, 9, tzinfo=UTC)


def _settings(root: Path, releases: Path) -> Settings:
    return Settings.load({**dataset_config(root, TINY_BASE), "release_dir": str(releases)},
                         environ={})


@pytest.fixture
def two_releases(tiny_copy, tmp_path):
    """Release the tiny dataset, change one fact (Ada's alternate name), release again."""
    releases = tmp_path / "releases"
    settings = _settings(tiny_copy, releases)
    before = load_snapshot(settings)
    make_release(before, releases, TINY_BASE, now=FIRST)
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('"Augusta Ada King"', '"Ada King"'))
    after = load_snapshot(settings)
    make_release(after, releases, TINY_BASE, now=SECOND)
    return settings, before, after


def _describes_ada_name(snapshot, iri: str, name: str) -> bool:
    return any(q.subject.value == ADA and q.object.value == name
               for q in snapshot.store.describe(iri))


def test_a_changed_fact_marks_exactly_the_descriptions_that_hold_it(two_releases):
    settings, before, after = two_releases
    first, second = read_releases(settings.release_dir)
    assert (first.name, second.name) == ("2026-01-05", "2026-02-07")
    assert second.previous == first.name and first.previous is None
    assert set(first.resources) == set(second.resources)
    changed = {iri for iri, (_, last) in second.resources.items() if last == second.name}
    expected = {iri for iri in second.resources
                if _describes_ada_name(before, iri, "Augusta Ada King")
                or _describes_ada_name(after, iri, "Ada King")}
    assert ADA in expected and changed == expected
    assert len(changed) < len(second.resources)
    for iri in set(second.resources) - changed:
        assert second.resources[iri] == (first.resources[iri][0], first.name)


def test_the_same_data_version_is_not_released_twice(two_releases):
    settings, _, after = two_releases
    with pytest.raises(ReleaseExists, match="2026-02-07"):
        make_release(after, settings.release_dir, TINY_BASE)
    args = [*_args(settings), "release"]
    result = CliRunner().invoke(cli, args[-1:] + args[:-1])
    assert result.exit_code == 1 and "already holds data version" in result.output


def _args(settings: Settings) -> list[str]:
    return ["--data-dir", str(settings.data_dir), "--ontology-dir", str(settings.ontology_dir),
            "--shapes-dir", str(settings.shapes_dir), "--base-iri", settings.base_iri,
            "--release-dir", str(settings.release_dir)]


def test_every_release_is_described_in_dcat_and_its_dumps_match_their_checksums(two_releases):
    settings, _, after = two_releases
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    graph = Graph().parse(data=client.get("/releases.ttl").data, format="turtle")
    dataset = URIRef(f"{TINY_BASE}dataset")
    versions = set(graph.objects(dataset, DCAT.hasVersion))
    assert {str(graph.value(v, DCAT.version)) for v in versions} == {"2026-01-05", "2026-02-07"}
    newer = graph.value(dataset, DCAT.hasCurrentVersion)
    older = graph.value(newer, PROV.wasRevisionOf)
    assert str(graph.value(older, DCAT.version)) == "2026-01-05"
    assert (newer, DCAT.inSeries, URIRef(f"{TINY_BASE}releases")) in graph
    assert (URIRef(f"{TINY_BASE}releases"), RDF.type, DCAT.DatasetSeries) in graph
    downloads = 0
    for version in versions:
        for dist in graph.objects(version, DCAT.distribution):
            url = str(graph.value(dist, DCAT.downloadURL))
            response = client.get(url.removeprefix("http://localhost"))
            body = response.data
            response.close()  # the file it was sent from
            assert response.status_code == 200, url
            checksum = graph.value(dist, SPDX.checksum)
            assert hashlib.sha256(body).hexdigest() == \
                str(graph.value(checksum, SPDX.checksumValue))
            assert len(body) == int(graph.value(dist, DCAT.byteSize))
            assert "immutable" in response.headers["Cache-Control"]
            downloads += 1
    assert downloads == 6  # TriG, N-Quads and Turtle of each release
    description = Graph().parse(data=client.get("/dataset.ttl").data, format="turtle")
    assert set(description.objects(dataset, DCAT.hasVersion)) == versions
    assert (newer, DCTERMS.title, Literal("Release 2026-02-07 of the dataset", lang="en")) \
        in description


def _config(settings: Settings) -> dict:
    return {**dataset_config(Path(settings.data_dir).parent, TINY_BASE),
            "release_dir": settings.release_dir}


@pytest.mark.parametrize("lang, heading, size", [
    ("en", "Releases", r"\(\d+(\.\d)? (bytes|kB|MB), SHA-256"),
    ("fr", "Versions publiées", r"\(\d+(,\d)? (octets|ko|Mo), SHA-256")])
def test_the_releases_page_lists_them_newest_first_in_each_language(two_releases, lang,
                                                                     heading, size):
    settings, _, after = two_releases
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    page = client.get(f"/releases?lang={lang}", headers={"Accept": "text/html"}).data.decode()
    assert f"<h1>{heading}</h1>" in page
    assert re.search(size, page), "dump sizes in the reader's units and decimal mark"
    assert page.index('id="2026-02-07"') < page.index('id="2026-01-05"')
    assert client.get("/releases/2026-03-01/dataset.ttl.gz").status_code == 404
    assert client.get("/releases/2026-01-05/dataset.xml.gz").status_code == 404


def test_load_release_keeps_releases_beside_the_on_disk_store_across_restarts(tiny_copy,
                                                                             tmp_path):
    store = tmp_path / "store"
    args = [*_args(_settings(tiny_copy, tmp_path / "unused"))[:-2], "--store", f"oxigraph:{store}"]
    result = CliRunner().invoke(cli, ["load", "--release", *args])
    assert result.exit_code == 0, result.output
    (made,) = read_releases(store / "releases")
    assert f"released {made.name}" in result.output
    listed = CliRunner().invoke(cli, ["get", "/releases.nt", *args])
    assert listed.exit_code == 0 and f'"{made.name}"' in listed.output


def test_the_description_with_releases_still_conforms_to_dcat_ap(two_releases):
    settings, _, after = two_releases
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    for path in ("/dataset", "/releases"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert dcat_ap_results(response.data, shapes) == [], path


def _feed_items(client, first_url: str) -> list[dict]:
    items, url = [], first_url
    while url:
        page = client.get(url.removeprefix("http://localhost")).get_json()
        assert page["type"] == "OrderedCollectionPage" and page["partOf"].endswith("/changes")
        items += page["orderedItems"]
        url = page.get("next")
    return items


def test_the_change_feed_has_exactly_the_changed_resources_as_updates_newest_first(
        two_releases, monkeypatch):
    from server.web.views import changes as feed_view

    monkeypatch.setattr(feed_view, "PER_PAGE", 3)  # several pages of a small dataset
    settings, before, after = two_releases
    first, second = read_releases(settings.release_dir)
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    response = client.get("/changes", headers={"Accept": "application/ld+json"})
    assert response.headers["Content-Type"].startswith("application/ld+json")
    collection = response.get_json()
    assert collection["type"] == "OrderedCollection"
    items = _feed_items(client, collection["first"])
    assert len(items) == collection["totalItems"]
    newest = [i for i in items if i["published"] == SECOND.isoformat()]
    assert items[:len(newest)] == newest  # newest release first
    expected = {iri for iri in second.resources
                if _describes_ada_name(before, iri, "Augusta Ada King")
                or _describes_ada_name(after, iri, "Ada King")}
    assert {i["object"] for i in newest} == expected
    assert {i["type"] for i in newest} == {"Update"}
    created = [i for i in items if i["published"] == FIRST.isoformat()]
    assert {i["type"] for i in created} == {"Create"}
    assert {i["object"] for i in created} == set(first.resources)
    turtle = Graph().parse(data=client.get("/changes.ttl").data, format="turtle")
    total = turtle.value(URIRef("http://localhost/changes"),
                         URIRef("https://www.w3.org/ns/activitystreams#totalItems"))
    assert int(total) == len(items)
    assert client.get("/changes?page=999").status_code == 404
    assert client.get("/changes?page=first").status_code == 400


def test_the_sitemap_dates_a_page_by_the_release_in_which_its_resource_last_changed(
        two_releases):
    settings, _, after = two_releases
    _, second = read_releases(settings.release_dir)
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    sitemap = client.get("/sitemap.xml").data.decode()
    dates = dict(re.findall(r"<loc>http://localhost/page/([^<]+)</loc><lastmod>([^<]+)<", sitemap))
    for iri, (_, last) in second.resources.items():
        page = iri.removeprefix(f"{TINY_BASE}id/")
        assert dates[page] == (SECOND if last == second.name else FIRST).isoformat(), page
    assert dates["person/ada-lovelace"] == SECOND.isoformat()
    assert FIRST.isoformat() in dates.values()


def test_the_feed_is_linked_from_the_description_robots_and_home_page(two_releases):
    settings, _, after = two_releases
    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    description = Graph().parse(data=client.get("/dataset.ttl").data, format="turtle")
    assert URIRef("http://localhost/changes") in set(
        description.objects(URIRef(f"{TINY_BASE}dataset"), RDFS.seeAlso))
    assert "http://localhost/changes" in client.get("/robots.txt").data.decode()
    home = client.get("/", headers={"Accept": "text/html"}).data.decode()
    assert 'href="/changes"' in home and 'href="/releases"' in home


def test_a_release_folder_holds_only_its_record_fingerprints_and_dumps(two_releases):
    settings, _, _ = two_releases
    for release in read_releases(settings.release_dir):
        names = sorted(p.name for p in (settings.release_dir / release.name).iterdir())
        assert names == sorted(["release.json", "resources.json",
                                *(f"dataset.{ext}.gz{side}" for ext in ("trig", "nq", "ttl")
                                  for side in ("", ".json"))])
    assert not list(settings.release_dir.glob(".*"))  # no partial release left behind


def test_a_resource_gone_from_the_data_is_a_delete_in_the_feed(tiny_copy, tmp_path):
    """Charles Babbage's only file is removed between two releases: the feed's newest
    release holds a ``Delete`` of him, ``Update``s only for descriptions that named him,
    and his page leaves the sitemap."""
    releases = tmp_path / "releases"
    settings = _settings(tiny_copy, releases)
    make_release(load_snapshot(settings), releases, TINY_BASE, now=FIRST)
    (tiny_copy / "data" / "beta.ttl").unlink()
    after = load_snapshot(settings)
    make_release(after, releases, TINY_BASE, now=SECOND)
    first, second = read_releases(releases)
    charles = f"{TINY_BASE}id/person/charles-babbage"
    assert set(first.resources) - set(second.resources) == {charles}

    client = make_app({k: str(v) for k, v in _config(settings).items()}, after).test_client()
    collection = client.get("/changes", headers={"Accept": "application/ld+json"}).get_json()
    newest = [i for i in _feed_items(client, collection["first"])
              if i["published"] == SECOND.isoformat()]
    assert [i["object"] for i in newest if i["type"] == "Delete"] == [charles]
    updated = {i["object"] for i in newest if i["type"] == "Update"}
    assert updated == {iri for iri, (_, last) in second.resources.items() if last == second.name}
    assert ADA in updated  # her description listed him among those who know her
    assert {i["type"] for i in newest} == {"Delete", "Update"}

    turtle = Graph().parse(data=client.get("/changes.ttl?page=1").data, format="turtle")
    activity = Namespace("https://www.w3.org/ns/activitystreams#")
    deleted = set(turtle.subjects(RDF.type, activity.Delete))
    assert {turtle.value(d, activity.object) for d in deleted} == {URIRef(charles)}
    assert "person/charles-babbage" not in client.get("/sitemap.xml").data.decode()
