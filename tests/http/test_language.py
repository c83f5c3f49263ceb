"""The reader's language sticks: chosen once by the switch (or ``Accept-Language``), it
holds on every page reached from there, and each page says which it is in."""

from __future__ import annotations

from bs4 import BeautifulSoup

PERSON = "/page/person/andrei-tchibis"


def test_the_switch_keeps_french_on_the_pages_that_follow(repo_app):
    client = repo_app.test_client()
    chosen = client.get("/?lang=fr", headers={"Accept-Language": "en"})
    assert chosen.headers["Content-Language"] == "fr"
    assert "lang=fr" in chosen.headers["Set-Cookie"] and "SameSite=Lax" in chosen.headers["Set-Cookie"]
    for path in (PERSON, "/browse", "/search?q=paris", "/dataset"):
        page = client.get(path, headers={"Accept-Language": "en", "Accept": "text/html"})
        assert page.headers["Content-Language"] == "fr", path
        assert BeautifulSoup(page.data, "html.parser").html["lang"] == "fr", path
        assert {"Accept-Language", "Cookie"} <= set(page.headers["Vary"].replace(" ", "").split(","))


def test_switching_back_to_english_sticks_too(repo_app):
    client = repo_app.test_client()
    client.get("/?lang=fr")
    client.get(PERSON + "?lang=en", headers={"Accept-Language": "fr"})
    assert client.get("/browse", headers={"Accept-Language": "fr"}).headers["Content-Language"] == "en"


def test_without_a_choice_the_accept_language_header_decides_and_no_cookie_is_set(repo_client):
    page = repo_client.get(PERSON, headers={"Accept-Language": "fr-CA, en;q=0.5"})
    assert page.headers["Content-Language"] == "fr"
    assert "Set-Cookie" not in page.headers


def test_a_language_the_site_does_not_have_is_not_kept(repo_app):
    client = repo_app.test_client()
    page = client.get("/?lang=de", headers={"Accept-Language": "fr"})
    assert page.headers["Content-Language"] == "fr"
    assert "Set-Cookie" not in page.headers


def test_the_two_languages_of_a_page_are_two_representations(repo_app):
    client = repo_app.test_client()
    english = client.get(PERSON, headers={"Accept-Language": "en"})
    client.set_cookie("lang", "fr")
    french = client.get(PERSON, headers={"Accept-Language": "en"})
    assert french.headers["Content-Language"] == "fr"
    assert english.headers["ETag"] != french.headers["ETag"]


def test_the_switch_of_a_page_links_to_the_address_it_was_asked_at(repo_app):
    # one graph page at two addresses: each one's switch stays on its own address,
    # whichever was asked first
    client = repo_app.test_client()
    pages = {}
    for path in ("/graph/pce-makers-grand-paris-russie", "/graph/pce-makers-grand-paris-russie.html"):
        page = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
        assert page.status_code == 200, path
        switch = BeautifulSoup(page.data, "html.parser").find("a", hreflang="fr")
        pages[path] = switch["href"]
    assert pages == {path: f"{path}?lang=fr" for path in pages}
