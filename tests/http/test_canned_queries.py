"""Canned queries over HTTP: /queries/{name} as a page with its form and a labelled
table, /queries/{name}.{ext} in every results format, wrong values refused naming the
parameter, and the queries listed where clients look (home, service description, VoID)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from server.domain.formats import RDF_FORMATS, RESULT_FORMATS
from server.settings import REPOSITORY

B = "https://w3id.org/grand-paris-russia/"
QUERIES = REPOSITORY / "queries"
TCHIBIS = B + "id/person/andrei-tchibis"
EXPECTED = {  # c01 for Andreï Tchibis: his two posts (see tests/data/test_example_answers.py)
    (B + "id/organization/ministry-of-construction-and-urban-services", "vice-ministre",
     "Deputy Minister"),
    (B + "id/organization/russian-delegation", "chef de délégation", "head of delegation"),
}


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_every_results_format_gives_the_same_answer(repo_client, fmt):
    response = repo_client.get(f"/queries/c01-posts-of-a-person.{fmt.name}",
                               query_string={"person": TCHIBIS})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == fmt.media_type
    assert "ETag" in response.headers
    if fmt.name == "csv":  # lossy (RFC 4180 text): read as text
        lines = response.get_data(as_text=True).splitlines()
        assert lines[0] == "organization,roleFr,roleEn"
        assert {tuple(line.split(",")) for line in lines[1:]} == EXPECTED
        return
    results = ox.parse_query_results(response.data, format=fmt.ox)
    names = [v.value for v in results.variables]
    assert names == ["organization", "roleFr", "roleEn"]
    assert {tuple(row[n].value for n in names) for row in results} == EXPECTED


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_accept_chooses_the_format_without_an_extension(repo_client, fmt):
    response = repo_client.get("/queries/c01-posts-of-a-person",
                               query_string={"person": TCHIBIS},
                               headers={"Accept": fmt.media_type})
    assert response.status_code == 200 and response.mimetype == fmt.media_type


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_an_rdf_format_for_a_select_query_is_406_listing_the_results_formats(repo_client, fmt):
    response = repo_client.get(f"/queries/c01-posts-of-a-person.{fmt.name}",
                               headers={"Accept": "text/plain"})
    assert response.status_code == 406
    assert all(f.media_type in response.get_data(as_text=True) for f in RESULT_FORMATS)


@pytest.mark.parametrize(("lang", "organization"), [
    ("fr", "ministère fédéral de Russie de la Ville, de la Construction et des Services urbains"),
    ("en", "Russian Federal Ministry of Construction and Urban Services"),
])
def test_the_page_has_a_form_and_a_table_of_labels_in_the_readers_language(
        repo_client, lang, organization):
    page = repo_client.get("/queries/c01-posts-of-a-person",
                           query_string={"person": TCHIBIS, "lang": lang},
                           headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert f'<option value="{TCHIBIS}" selected>Andreï Tchibis</option>' in html
    assert "Christian Nibourel</option>" in html  # every person is a choice
    iri = B + "id/organization/ministry-of-construction-and-urban-services"
    assert f'title="{iri}"' in html and f">{organization}</a>" in html
    title = {"fr": "Quels postes une personne occupe-t-elle", "en": "Which posts does a person"}
    assert f"<h1>{title[lang]}" in html
    assert 'href="/queries/c01-posts-of-a-person.csv?person=' in html


@pytest.mark.parametrize(("name", "parameter", "value"), [
    ("c01-posts-of-a-person", "person", B + "id/place/russia"),  # not a person
    ("c01-posts-of-a-person", "person", "not an IRI > } DROP ALL"),
    ("c02-events-from-a-date", "since", "29/11/2018"),
    ("c02-events-from-a-date", "since", "2018-11-29T00:00:00"),
    ("c03-people-named-in-a-language", "language", "fr\" } ?x ?y ?z {"),
    ("c04-resources-by-name", "text", "x" * 501),
])
@pytest.mark.parametrize("ext", ["json", "html"])
def test_a_value_of_the_wrong_type_is_400_naming_the_parameter(repo_client, name, parameter,
                                                               value, ext):
    response = repo_client.get(f"/queries/{name}.{ext}", query_string={parameter: value})
    assert response.status_code == 400
    assert f"parameter {parameter}" in response.get_data(as_text=True)


def test_a_text_is_bound_as_one_literal_whatever_it_holds(repo_client):
    response = repo_client.get("/queries/c04-resources-by-name.json",
                               query_string={"text": 'x" } ?s ?p ?o . FILTER("1'})
    assert response.status_code == 200
    assert response.json["results"]["bindings"] == []


def test_unknown_query_is_404_and_unknown_format_406(repo_client):
    assert repo_client.get("/queries/no-such-query").status_code == 404
    assert repo_client.get("/queries/c01-posts-of-a-person.png").status_code == 406


def test_a_query_without_parameters_has_a_page_too(repo_client):
    response = repo_client.get("/queries/q01-convention-signatories.csv")
    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines()[1:] == [
        B + "id/person/alexandre-missoffe,Alexandre Missoffe",
        B + "id/person/alexei-makrouchine,Alexei Makrouchine",
    ]


@pytest.mark.parametrize(("lang", "title"), [
    ("fr", "Quels postes une personne occupe-t-elle, et dans quelle organisation ?"),
    ("en", "Which posts does a person hold, and in which organisation?"),
])
def test_the_home_page_lists_the_queries_with_titles_in_the_readers_language(
        repo_client, lang, title):
    html = repo_client.get("/", query_string={"lang": lang},
                           headers={"Accept": "text/html"}).get_data(as_text=True)
    assert title in html and 'href="/queries/c01-posts-of-a-person"' in html


@pytest.mark.parametrize("path", ["/sparql?format=ttl", "/dataset.ttl"])
def test_service_description_and_void_list_every_query(repo_client, path):
    graph = ox.Store()
    graph.load(repo_client.get(path).data, format=ox.RdfFormat.TURTLE, base_iri="http://localhost/")
    rows = list(graph.query("""
        PREFIX schema: <http://schema.org/>
        SELECT ?action ?template WHERE { ?s schema:potentialAction ?action .
          ?action a schema:SearchAction ; schema:query ?q ;
            schema:target/schema:urlTemplate ?template }"""))
    templates = {row["action"].value: row["template"].value for row in rows}
    assert len(templates) == len(list(QUERIES.glob("*.rq")))
    page = "http://localhost/queries/c01-posts-of-a-person"
    assert templates[page] == page + "{?person}"


@pytest.mark.parametrize(("lang", "title", "href"), [
    ("fr", "Qui a signé la convention du 29 novembre 2018 ?", "/sparql?query="),
    ("en", "Who signed the convention of 29 November 2018?", "/sparql?query="),
    ("fr", "Quels postes une personne occupe-t-elle, et dans quelle organisation ?",
     "/queries/c01-posts-of-a-person"),
])
def test_the_query_page_lists_the_examples_with_titles_in_the_readers_language(
        repo_client, lang, title, href):
    html = repo_client.get("/sparql", query_string={"lang": lang},
                           headers={"Accept": "text/html"}).get_data(as_text=True)
    link = next(line for line in html.splitlines() if f">{title}</a>" in line)
    assert f'href="{href}' in link  # a query with parameters opens on its own page
