"""/sitemap.xml and /robots.txt: every resource and graph page, found without crawling blindly."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from server.domain import harvest

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PAGES = {f"http://localhost/page/{path}" for path in (
    "person/ada-lovelace", "person/charles-babbage", "organization/analytical-society",
    "role/ada-lovelace-member", "article/alpha")} | {f"http://localhost/graph/{slug}" for slug in (
    "alpha", "beta", "derived")}


def locations(response) -> list[str]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xml")
    return [e.text for e in ET.fromstring(response.data).iter(f"{NS}loc")]


def test_the_sitemap_lists_every_resource_and_graph_page_with_lastmod(client, tiny_snapshot):
    response = client.get("/sitemap.xml")
    assert set(locations(response)) == PAGES
    lastmods = {e.text for e in ET.fromstring(response.data).iter(f"{NS}lastmod")}
    assert lastmods == {tiny_snapshot.loaded_at.isoformat()}
    assert client.get("/sitemap.xml", headers={"If-None-Match": response.headers["ETag"]}
                      ).status_code == 304


def test_past_the_limit_the_sitemap_is_an_index_of_parts(client, monkeypatch):
    monkeypatch.setattr(harvest, "SITEMAP_LIMIT", 3)
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{NS}sitemapindex"
    parts = [e.text for e in index.iter(f"{NS}loc")]
    assert parts == [f"http://localhost/sitemaps/{n}.xml" for n in (1, 2, 3)]
    found = [loc for part in parts for loc in locations(client.get(part))]
    assert sorted(found) == sorted(PAGES)
    assert client.get("/sitemaps/4.xml").status_code == 404


def test_robots_names_the_sitemap_at_the_public_url(client_for):
    client = client_for(public_url="https://data.example.net/")
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Sitemap: https://data.example.net/sitemap.xml" in response.get_data(as_text=True).splitlines()
    assert all(loc.startswith(("https://data.example.net/page/", "https://data.example.net/graph/"))
               for loc in locations(client.get("/sitemap.xml")))
