"""``ldpub export``: the site as files, the same bytes for the same release."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import VOID

from server.runtime.cli import cli
from tests.conftest import TINY, TINY_BASE, dataset_config

PUBLIC = "https://data.example.org/"


def _options(releases: Path) -> list[str]:
    config = {**dataset_config(TINY, TINY_BASE), "release_dir": str(releases)}
    return [f"--{name.replace('_', '-')}={value}" for name, value in config.items()]


def _tree(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_exports_of_one_release_are_the_same_bytes(tmp_path):
    runner = CliRunner()
    options = _options(tmp_path / "releases")
    assert runner.invoke(cli, ["release", *options]).exit_code == 0
    first = runner.invoke(cli, ["export", str(tmp_path / "a"), f"--public-url={PUBLIC}",
                                *options])
    assert first.exit_code == 0, first.output
    assert "by release" in first.output
    second = runner.invoke(cli, ["export", str(tmp_path / "b"), f"--public-url={PUBLIC}",
                                *options])
    assert second.exit_code == 0, second.output
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    # the site's parts, each in its files: pages in both languages, every format,
    # the dumps, the feed, the releases, the rules of each server
    names = set(a)
    for expected in ("site/index.en.html", "site/index.fr.html", "site/dataset.ttl",
                     "site/sitemap.xml", "site/robots.txt", "site/changes.jsonld",
                     "site/releases.ttl", "site/ontology.rdf", "site/shapes.nq",
                     "site/static/style.css", "nginx/ldpub-http.conf",
                     "nginx/ldpub-server.conf"):
        assert expected in names, expected
    assert any(name.startswith("site/releases/") and name.endswith(".trig.gz")
               for name in names)
    assert any(name.startswith("site/dumps/") for name in names)
    assert any(name.startswith("site/page/") and name.endswith(".fr.html") for name in names)
    assert any(name.startswith("site/data/") and name.endswith(".jsonld") for name in names)
    # written with the public URL, never the test client's address
    home = (tmp_path / "a" / "site" / "index.en.html").read_text()
    assert PUBLIC in home and "localhost" not in home


def test_export_needs_a_public_url_and_an_empty_folder(tmp_path):
    runner = CliRunner()
    options = _options(tmp_path / "releases")
    no_url = runner.invoke(cli, ["export", str(tmp_path / "out"), *options],
                           env={"LDPUB_PUBLIC_URL": ""})
    assert no_url.exit_code == 2 and "public URL" in no_url.output
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    refused = runner.invoke(cli, ["export", str(occupied), f"--public-url={PUBLIC}", *options])
    assert refused.exit_code == 2 and "not empty" in refused.output
    assert (occupied / "notes.txt").read_text() == "mine"


def test_an_export_by_several_workers_is_the_export_by_one(tmp_path):
    runner = CliRunner()
    options = _options(tmp_path / "releases")
    assert runner.invoke(cli, ["release", *options]).exit_code == 0
    trees = {}
    for workers in (1, 3):
        out = tmp_path / f"w{workers}"
        done = runner.invoke(cli, ["export", str(out), f"--public-url={PUBLIC}",
                                   f"--workers={workers}", *options])
        assert done.exit_code == 0, done.output
        trees[workers] = _tree(out)
    assert trees[1] == trees[3]
    assert any(name.startswith("site/data/") for name in trees[3])
    assert not any(name.endswith(".partial") for name in trees[3])


def _texts(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): path.read_text("utf-8") for path in site.rglob("*")
            if path.is_file() and path.suffix in (".html", ".ttl", ".txt", ".jsonld", ".xml")}


def _endpoints(site: Path) -> set[str]:
    void = Graph().parse(site / "dataset.ttl", format="turtle")
    return {str(o) for o in void.objects(None, VOID.sparqlEndpoint)}


def test_an_export_names_no_sparql_endpoint_nor_search_unless_given_live_ones(tmp_path):
    """A static host has no /sparql and no /search: a harvester reading the export's
    description or a reader following its links or using its search box must not be sent
    to a 404."""
    runner = CliRunner()
    options = _options(tmp_path / "releases")
    plain = runner.invoke(cli, ["export", str(tmp_path / "plain"), f"--public-url={PUBLIC}",
                                *options])
    assert plain.exit_code == 0, plain.output
    site = tmp_path / "plain" / "site"
    texts = _texts(site)
    assert texts and not [name for name, text in texts.items()
                          if f"{PUBLIC}sparql" in text or 'href="/sparql' in text]
    assert _endpoints(site) == set()
    assert "Disallow" not in texts["robots.txt"]
    assert not [name for name, text in texts.items() if 'role="search"' in text]

    live, search = "https://live.example.org/sparql", "https://live.example.org/search"
    given = runner.invoke(cli, ["export", str(tmp_path / "given"), f"--public-url={PUBLIC}",
                                f"--sparql-url={live}", f"--search-url={search}", *options])
    assert given.exit_code == 0, given.output
    site = tmp_path / "given" / "site"
    assert _endpoints(site) == {live}
    home = (site / "index.en.html").read_text("utf-8")
    assert f'href="{live}"' in home
    # the navigation's box and the home page's own
    assert home.count(f'role="search" action="{search}"') == 2

    wrong = runner.invoke(cli, ["export", str(tmp_path / "wrong"), f"--public-url={PUBLIC}",
                                "--sparql-url=live.example.org/sparql", *options])
    assert wrong.exit_code == 2 and "absolute http(s) URL" in wrong.output
