"""The landing pages keep a reader's size when the data grows: past the first few articles,
dated events, graphs and places, they say how many there are and where all of them are
listed, instead of drawing every one (at 1M generated statements the home page was
732 KB). The data here is 13 copies of the repository's, each with its own IRIs."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph

from server.domain import void
from server.domain.loading import load_snapshot
from server.domain.schemaorg import PLACES
from server.memo import Memo
from server.settings import REPOSITORY, Settings
from server.web.pages import HOME_SOURCES
from server.web.pictures import TIMELINE_MARKS
from server.web.views import dataset as dataset_views
from server.web.views.dataset import GRAPHS_SHOWN
from tests.conftest import load_module, make_app

COPIES = 13  # 26 articles, 52 dated events, 52 places: each past what a page shows


@pytest.fixture(scope="module")
def scaled(repo_settings, tmp_path_factory):
    generate = load_module("bench_generate", REPOSITORY / "bench" / "generate.py")
    folder = tmp_path_factory.mktemp("scaled")
    per_copy = generate.generate(1, folder, repo_settings).template_statements
    assert generate.generate(COPIES * per_copy, folder, repo_settings).copies == COPIES
    config = {"data_dir": str(folder / "data"), "ontology_dir": str(folder / "ontology"),
              "shapes_dir": str(folder / "shapes"), "base_iri": repo_settings.base_iri}
    snapshot = load_snapshot(Settings.load(config, environ={}))
    return snapshot, make_app(config, snapshot).test_client()


def soup_of(client, path: str, lang: str = "en") -> BeautifulSoup:
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code == 200, path
    return BeautifulSoup(response.data, "html.parser")


def count(snapshot, query: str) -> int:
    return int(next(iter(snapshot.store.query(query)))["n"].value)


def listed(client, href: str) -> set[str]:
    """Every resource a browse list links to, through all its pages."""
    found, page = set(), 1
    while True:
        soup = soup_of(client, f"{href}&page={page}")
        found |= {a["href"] for a in soup.select("main ol.items li.item > a:first-of-type")}
        if not soup.select_one('nav.pager a[rel="next"]'):
            return found
        page += 1


def test_the_home_page_lists_the_first_sources_and_links_to_all(scaled):
    snapshot, client = scaled
    articles = count(snapshot, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a "
                               "<http://schema.org/NewsArticle> } }")
    assert articles == 2 * COPIES > HOME_SOURCES
    soup = soup_of(client, "/")
    shown = [a["href"] for a in soup.select("ul.source-list a")]
    assert len(shown) == HOME_SOURCES
    more = soup.select_one("#sources-heading ~ p.more")
    assert more.get_text(" ", strip=True).startswith(f"{HOME_SOURCES} of {articles} shown.")
    every = listed(client, more.a["href"])
    assert len(every) == articles and set(shown) <= every


def test_the_timeline_draws_the_first_events_and_links_to_all(scaled):
    snapshot, client = scaled
    dated = count(snapshot, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a "
                            "<http://schema.org/Event> } GRAPH ?h { ?e <http://schema.org/startDate> "
                            "?d } }")  # a date the rules derive is in the derived graph
    assert dated > TIMELINE_MARKS
    soup = soup_of(client, "/", "fr")
    figure = soup.select_one("figure.timeline")
    assert len(figure.select("svg a.mark")) == len(figure.select("figcaption li")) == TIMELINE_MARKS
    assert figure.select_one("desc").get_text().startswith(
        f"Les {TIMELINE_MARKS} premiers des {dated} événements datés")
    more = soup.select_one("#timeline-heading ~ p.more")
    assert more.get_text(" ", strip=True).startswith(f"{TIMELINE_MARKS} sur {dated} ici.")
    every = listed(client, more.a["href"])
    drawn = {a["href"] for a in figure.select("figcaption a")}
    assert len(every) >= dated and drawn <= every


def test_the_dataset_page_lists_the_largest_graphs_and_says_where_all_are(scaled):
    snapshot, client = scaled
    graphs = snapshot.stats.graphs
    assert len(graphs) > GRAPHS_SHOWN
    soup = soup_of(client, "/dataset")
    rows = soup.select("#graphs + table tbody tr")
    assert len(rows) == GRAPHS_SHOWN
    sizes = [int(row.select_one("td.n").get_text()) for row in rows]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= max(
        n for iri, n in graphs.items() if iri not in {r.select_one("code").get_text() for r in rows})
    more = soup.select_one("#graphs ~ p.more")
    assert f"{GRAPHS_SHOWN} largest of {len(graphs)} graphs" in more.get_text()
    turtle = client.get(more.select("a")[0]["href"])
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    described = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert set(graphs) <= {str(o) for o in described.objects()}


def test_the_landing_markup_names_at_most_fifty_places(scaled):
    snapshot, client = scaled
    places = count(snapshot, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a ?c } "
                             "VALUES ?c { <http://schema.org/City> <http://schema.org/Country> "
                             "<http://schema.org/AdministrativeArea> } }")
    assert places > PLACES
    body = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    markup = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body,
                                  re.DOTALL).group(1))
    assert len(markup["spatialCoverage"]) == PLACES
    assert len({p["@id"] for p in markup["spatialCoverage"]}) == PLACES


def test_the_description_names_the_first_articles_and_counts_them_all(scaled, repo_settings,
                                                                      monkeypatch):
    snapshot, client = scaled
    listed_here = soup_of(client, "/dataset").select_one("#sources + ul")
    assert len(listed_here.select("li")) == 2 * COPIES <= void.SOURCES
    assert listed_here.find_next_sibling().name == "h2", "no 'more' when every article is named"
    monkeypatch.setattr(void, "SOURCES", 10)
    facts = void.dataset_facts(snapshot, repo_settings.base_iri)
    assert len(facts.sources) == 10 and facts.sources_total == 2 * COPIES
    assert list(facts.sources) == sorted(facts.sources)
    monkeypatch.setattr(dataset_views, "_FACTS", Memo(4))  # read again, with 10
    listed_here = soup_of(client, "/dataset").select_one("#sources + ul")
    assert len(listed_here.select("li")) == 10
    more = listed_here.find_next_sibling()
    assert more.get_text(" ", strip=True).startswith(f"10 of {2 * COPIES} shown.")
    assert len(listed(client, more.a["href"])) == 2 * COPIES
