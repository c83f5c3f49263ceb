"""The home page, search and browse: what the dataset is, its sources, counts by class,
search by any name in any language, and lists that page through the whole dataset."""

from __future__ import annotations

import json
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from server import create_app
from server.domain.examples import example_queries
from server.domain.iris import parse_resource_iri
from server.domain.labels import fold
from server.store import queries

BASE = "https://w3id.org/grand-paris-russia/"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


def resources_by_kind(snapshot, base: str) -> dict[str, set[str]]:
    import pyoxigraph as ox

    found: dict[str, set[str]] = {}
    text = queries.bind(queries.SUBJECTS_UNDER, space=[ox.Literal(base + "id/")])
    for solution in snapshot.store.query(text):
        key = parse_resource_iri(base, solution["s"].value)
        if key is not None:
            found.setdefault(key.kind, set()).add(solution["s"].value)
    return found


def members_of_class(snapshot, base: str, cls: str) -> set[str]:
    """What a reader expects under a class: the resources typed with it or with any of
    its subclasses as the ontology states them, whatever kind their IRI names."""
    text = f"""
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?s WHERE {{
      {{ GRAPH ?g {{ ?s a <{cls}> }} }}
      UNION
      {{ GRAPH <{snapshot.staged.ontology_graph}> {{ ?c rdfs:subClassOf+ <{cls}> }}
         GRAPH ?h {{ ?s a ?c }} }}
      FILTER(STRSTARTS(STR(?s), "{base}id/"))
    }}"""
    return {solution["s"].value for solution in snapshot.store.query(text)}


def test_home_says_what_the_dataset_is_and_counts_it_by_class(repo_client, repo_snapshot):
    soup = soup_of(repo_client.get("/", headers={"Accept-Language": "en"}))
    assert soup.h1.get_text(strip=True) == "Grand Paris – Russia knowledge graph"
    assert "two news articles" in soup.select_one("p.lead").get_text()
    links = {parse_qs(urlsplit(a["href"]).query)["class"][0]: a for a in soup.select("ul.tree a")}
    counts = {cls: int(a.find_next_sibling("span").get_text()) for cls, a in links.items()}
    assert counts == {cls: len(members_of_class(repo_snapshot, BASE, cls)) for cls in counts}
    gpr, schema = BASE + "ontology#", "http://schema.org/"
    assert counts[gpr + "Agreement"] == 2 and counts[gpr + "Commitment"] == 7
    assert links[gpr + "Commitment"] not in links[gpr + "Agreement"].parent.descendants, \
        "commitments are not agreements"
    assert links[schema + "City"] in links[schema + "Place"].parent.descendants, \
        "cities are listed under places, as the ontology says"


def test_home_lists_its_two_sources(repo_client):
    soup = soup_of(repo_client.get("/"))
    sources = {a["href"]: a.get("lang") for a in soup.select("ul.source-list a")}
    assert sources == {
        "http://localhost/id/article/pce-makers-grand-paris-russie": "fr",
        "http://localhost/id/article/grand-paris-expertise-exported-to-russia": "en",
    }


def test_home_has_a_search_box_and_the_example_queries(repo_client, repo_settings, repo_app):
    soup = soup_of(repo_client.get("/"))
    form = soup.select_one('main form[role="search"]')
    assert form["action"] == "/search" and form.select_one('input[name="q"]')
    examples = example_queries(repo_settings.queries_dir)
    assert examples
    titles = [s.get_text(strip=True) for s in soup.select("ul.examples summary")]
    assert titles == [q.title for q in examples]
    for example in examples:
        assert not example.title.startswith("#") and example.title in example.text
    runs = [a["href"] for a in soup.select("ul.examples a.run")]
    if "canned.query" in repo_app.view_functions:
        assert len(runs) == len(examples)
        for href, example in zip(runs, examples):  # each query's own page
            assert urlsplit(href).path == f"/queries/{example.name}"


def test_rdf_clients_of_the_home_page_are_sent_to_the_dataset_description(repo_client, repo_app):
    assert "dataset.void" in repo_app.view_functions
    response = repo_client.get("/", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/dataset.ttl"


@pytest.mark.parametrize("query", ["tchibis", "Tchibis", "TCHIBIS", "Andrei", "andreï",
                                   "Andrei Tchibis", "tchib", "ANDREÏ TCHIBIS"])
def test_search_finds_tchibis_whatever_the_case_and_accents(repo_client, query):
    soup = soup_of(repo_client.get("/search", query_string={"q": query}))
    first = soup.select_one("ol.results li.item a")
    assert first["href"] == "http://localhost/id/person/andrei-tchibis", query
    assert first.get_text() == "Andreï Tchibis"


@pytest.mark.parametrize(("query", "iri"), [
    ("Greater Paris Investment", "organization/paris-ile-de-france-capitale-economique"),
    ("capitale economique", "organization/paris-ile-de-france-capitale-economique"),
    ("PCE", "organization/paris-ile-de-france-capitale-economique"),
    ("ministere federal", "organization/ministry-of-construction-and-urban-services"),
    ("services communaux intelligents", "concept/smart-municipal-services"),
    ("smart municipal services", "concept/smart-municipal-services"),
])
def test_search_reads_names_in_both_languages(repo_client, query, iri):
    response = repo_client.get("/search", query_string={"q": query, "format": "json"})
    results = json.loads(response.data)["results"]
    assert f"http://localhost/id/{iri}" in [r["href"] for r in results[:3]], query


def test_search_answers_json_when_asked(repo_client):
    response = repo_client.get("/search?q=andrei", headers={"Accept": "application/json",
                                                            "Accept-Language": "fr"})
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.data)
    top = document["results"][0]
    assert top["iri"] == BASE + "id/person/andrei-tchibis"
    assert top["label"] == "Andreï Tchibis" and top["kind"] == "person"
    assert top["matched"] is None  # the label itself matches, folded: Andreï → andrei
    assert top["types"] == [{"iri": "http://schema.org/Person", "label": "Personne"}]
    assert document["total"] >= 1


def test_a_search_without_results_says_so(repo_client):
    soup = soup_of(repo_client.get("/search?q=zzzzqqq"))
    assert not soup.select("ol.results")
    assert soup.select_one("p.count").get_text(strip=True).startswith("0")


def test_browse_lists_every_resource_of_a_kind_and_of_a_class(repo_client, repo_snapshot):
    by_kind = resources_by_kind(repo_snapshot, BASE)
    soup = soup_of(repo_client.get("/browse/person"))
    listed = {a["href"] for a in soup.select("ol.items li.item > a:not(.badge)")}
    assert listed == {iri.replace(BASE, "http://localhost/") for iri in by_kind["person"]}
    labels = [a.get_text() for a in soup.select("ol.items li.item > a:not(.badge)")]
    assert labels == sorted(labels, key=fold)  # "Sébastien" before "Serguei"
    by_class = soup_of(repo_client.get("/browse", query_string={"class": "schema:Person"}))
    assert {a["href"] for a in by_class.select("ol.items li.item > a:not(.badge)")} == listed


@pytest.fixture
def crowded_client(tmp_path, tiny_config):
    """The tiny dataset and 120 more people who all know Ada Lovelace."""
    root = tmp_path / "crowd"
    shutil.copytree(tiny_config["data_dir"].rsplit("/data", 1)[0], root)
    lines = ["@prefix schema: <http://schema.org/> .",
             "@prefix person: <https://example.org/tiny/id/person/> ."]
    for n in range(120):
        lines.append(f'person:member-{n:03d} a schema:Person ; schema:name "Member {n:03d}" ; '
                     f"schema:knows person:ada-lovelace .")
    (root / "data" / "crowd.ttl").write_text("\n".join(lines) + "\n")
    app = create_app({"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
                      "shapes_dir": str(root / "shapes"), "base_iri": "https://example.org/tiny/",
                      "TESTING": True})
    return app.test_client()


def test_browse_pages_through_a_long_list(crowded_client):
    seen = []
    for number in (1, 2, 3):
        soup = soup_of(crowded_client.get(f"/browse/person?page={number}"))
        seen += [a.get_text() for a in soup.select("ol.items li.item > a:not(.badge)")]
        pager = soup.select_one("nav.pager")
        assert bool(pager.select_one('a[rel="next"]')) == (number < 3)
        assert bool(pager.select_one('a[rel="prev"]')) == (number > 1)
    assert len(seen) == 122 and len(set(seen)) == 122
    assert seen == sorted(seen, key=str.casefold)
    assert crowded_client.get("/browse/person?page=4").status_code == 404


def test_many_incoming_links_are_shown_in_part_and_listed_in_full(crowded_client):
    soup = soup_of(crowded_client.get("/page/person/ada-lovelace"))
    known_by = next(r for r in soup.select(".row") if r.dt.get_text(strip=True) == "Known by")
    assert len(known_by.select("dd:not(.more)")) == 12
    link = known_by.select_one("dd.more a")["href"]
    assert "inverse=1" in link and "121" in known_by.select_one("dd.more").get_text()
    listed = []
    for number in (1, 2, 3):
        page = soup_of(crowded_client.get(f"{link}&page={number}"))
        listed += [a["href"] for a in page.select("ol.values > li > a:not(.mark)")]
    assert len(listed) == len(set(listed)) == 121
    assert crowded_client.get(f"{link}&page=4").status_code == 404
