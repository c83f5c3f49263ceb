"""The SPARQL 1.1 Protocol, every way a query can arrive, every format it can leave in.

Each response is read back with an independent parser (rdflib's SPARQL result parsers
and RDF parsers), never with the engine that wrote it.
"""

from __future__ import annotations

import io

import pytest
from rdflib import Graph, Literal
from rdflib.query import Result

from .conftest import ADA, SCHEMA, TINY, uri

BABBAGE = f"{TINY}id/person/charles-babbage"
PEOPLE = f"SELECT ?person ?name WHERE {{ ?person a <{SCHEMA}Person> ; <{SCHEMA}name> ?name }}"
NAMES = {(uri(ADA), Literal("Ada Lovelace")), (uri(BABBAGE), Literal("Charles Babbage"))}
GRAPH_OF_NAMES = (f"CONSTRUCT {{ ?p <{SCHEMA}name> ?n }} "
                  f"WHERE {{ ?p a <{SCHEMA}Person> ; <{SCHEMA}name> ?n }}")

# How a query is sent: SPARQL 1.1 Protocol §2.1.1-2.1.3, at /sparql and /sparql/.
SENDERS = {
    "get": lambda c, q, **kw: c.get("/sparql", query_string={"query": q}, **kw),
    "get-slash": lambda c, q, **kw: c.get("/sparql/", query_string={"query": q}, **kw),
    "post-form": lambda c, q, **kw: c.post("/sparql", data={"query": q}, **kw),
    "post-direct": lambda c, q, **kw: c.post("/sparql", data=q.encode(),
                                             content_type="application/sparql-query", **kw),
    "post-direct-utf8": lambda c, q, **kw: c.post(
        "/sparql/", data=q.encode(), content_type="application/sparql-query; charset=UTF-8", **kw),
}

RESULT_FORMATS = [  # (Accept, media type answered, rdflib result format)
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
]

RDF_FORMATS = [  # (Accept, media type answered, rdflib parser)
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/trig", "application/trig", "trig"),
    ("application/n-quads", "application/n-quads", "nquads"),
]


def rows(response, fmt: str) -> set[tuple]:
    result = Result.parse(io.BytesIO(response.data), format=fmt)
    return {(row[0], row[1]) for row in result}


def name_triples(response, fmt: str) -> set[tuple]:
    graph = Graph().parse(data=response.data, format=fmt)
    return set(graph)


@pytest.mark.parametrize("sender", SENDERS, ids=str)
@pytest.mark.parametrize(("accept", "media_type", "parser"), RESULT_FORMATS, ids=lambda v: v)
def test_select_in_every_result_format_by_accept(client, sender, accept, media_type, parser):
    response = SENDERS[sender](client, PEOPLE, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    assert response.mimetype == media_type
    assert response.headers["Content-Type"].endswith("charset=utf-8")
    assert "Accept" in response.vary
    found = rows(response, parser)
    if parser in ("csv",):  # CSV carries no term types: compare the texts
        assert {tuple(map(str, r)) for r in found} == {tuple(map(str, r)) for r in NAMES}
    else:
        assert found == NAMES


@pytest.mark.parametrize("sender", SENDERS, ids=str)
@pytest.mark.parametrize(("accept", "media_type", "parser"), RDF_FORMATS, ids=lambda v: v)
def test_construct_in_every_rdf_format_by_accept(client, sender, accept, media_type, parser):
    response = SENDERS[sender](client, GRAPH_OF_NAMES, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    assert response.mimetype == media_type
    name = uri(f"{SCHEMA}name")
    assert name_triples(response, parser) == {(s, name, o) for s, o in NAMES}


@pytest.mark.parametrize(("accept", "media_type", "parser"), RDF_FORMATS, ids=lambda v: v)
def test_describe_in_every_rdf_format(client, accept, media_type, parser):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{ADA}>"},
                          headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = Graph().parse(data=response.data, format=parser)
    assert (uri(ADA), uri(f"{SCHEMA}name"), Literal("Ada Lovelace")) in graph


@pytest.mark.parametrize(("accept", "parser"), [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml")])
@pytest.mark.parametrize(("query", "expected"), [
    (f"ASK {{ <{ADA}> a <{SCHEMA}Person> }}", True),
    (f"ASK {{ <{ADA}> a <{SCHEMA}Place> }}", False),
])
def test_ask(client, accept, parser, query, expected):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert Result.parse(io.BytesIO(response.data), format=parser).askAnswer is expected


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_ask_as_csv_and_tsv(client, accept):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert response.data.strip() == b"true"


# Accept (q-values) and format=/output=/results= as clients send them.
NEGOTIATION = [
    # (query, Accept, extra parameters, expected status, expected media type)
    (PEOPLE, None, {}, 200, "application/sparql-results+json"),
    (PEOPLE, "*/*", {}, 200, "application/sparql-results+json"),
    (PEOPLE, "text/csv;q=0.5, application/sparql-results+xml", {}, 200,
     "application/sparql-results+xml"),
    (PEOPLE, "application/sparql-results+json;q=0, */*;q=0.1", {}, 200,
     "application/sparql-results+xml"),
    (PEOPLE, "application/json", {}, 200, "application/sparql-results+json"),
    (PEOPLE, "text/turtle", {}, 406, None),
    (PEOPLE, "image/png", {}, 406, None),
    (PEOPLE, "text/turtle", {"format": "csv"}, 200, "text/csv"),
    (PEOPLE, None, {"format": "application/sparql-results+xml"}, 200,
     "application/sparql-results+xml"),
    (PEOPLE, None, {"output": "json"}, 200, "application/sparql-results+json"),
    (PEOPLE, None, {"results": "xml"}, 200, "application/sparql-results+xml"),
    (PEOPLE, None, {"format": ["tsv", "text/tab-separated-values"]}, 200,
     "text/tab-separated-values"),
    (PEOPLE, None, {"format": "docx"}, 406, None),
    (GRAPH_OF_NAMES, None, {}, 200, "text/turtle"),
    (GRAPH_OF_NAMES, "*/*", {}, 200, "text/turtle"),
    (GRAPH_OF_NAMES, "text/csv", {}, 406, None),
    (GRAPH_OF_NAMES, None, {"format": "csv"}, 406, None),
    (GRAPH_OF_NAMES, "application/sparql-results+json", {}, 406, None),
    (GRAPH_OF_NAMES, "application/json", {}, 200, "application/ld+json"),
    (GRAPH_OF_NAMES, None, {"format": "json"}, 200, "application/ld+json"),
    (GRAPH_OF_NAMES, None, {"format": "xml"}, 200, "application/rdf+xml"),
    (GRAPH_OF_NAMES, None, {"format": ["rdf+xml", "application/rdf+xml"]}, 200,
     "application/rdf+xml"),
    (GRAPH_OF_NAMES, None, {"format": "turtle"}, 200, "text/turtle"),
    (GRAPH_OF_NAMES, None, {"format": "n3"}, 200, "text/turtle"),
    (GRAPH_OF_NAMES, None, {"format": ["json-ld", "application/ld+json"]}, 200,
     "application/ld+json"),
    (GRAPH_OF_NAMES, "text/turtle;q=0.2, application/n-triples", {}, 200,
     "application/n-triples"),
    ("ASK {}", "text/turtle", {}, 406, None),
]


@pytest.mark.parametrize(("query", "accept", "params", "status", "media_type"), NEGOTIATION)
def test_negotiation(client, query, accept, params, status, media_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": query, **params}, headers=headers)
    assert response.status_code == status, response.data
    assert "Accept" in response.vary
    if status == 200:
        assert response.mimetype == media_type
    else:
        assert response.mimetype != "text/csv"  # never Turtle labelled as CSV
        assert b"available formats" in response.data


def test_a_construct_asked_as_csv_is_never_turtle_labelled_csv(client):
    response = client.post("/sparql", data={"query": GRAPH_OF_NAMES}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)  # listed as what we can send


# The dataset: union of the named graphs by default; default-graph-uri / named-graph-uri
# replace it (and the query's FROM); an unknown graph is empty, not an error.
PERSONS = f"SELECT ?s WHERE {{ ?s a <{SCHEMA}Person> }}"
GRAPHS_OF_PERSONS = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a <{SCHEMA}Person> }} }}"
ALPHA, BETA, DERIVED = (f"{TINY}graph/alpha", f"{TINY}graph/beta", f"{TINY}graph/derived")
DATASETS = [
    # (query, parameters, expected values of the last variable)
    (PERSONS, {}, {ADA, BABBAGE}),
    (PERSONS, {"default-graph-uri": BETA}, {BABBAGE}),
    (PERSONS, {"default-graph-uri": [ALPHA, BETA]}, {ADA, BABBAGE}),
    (PERSONS, {"default-graph-uri": f"{TINY}graph/nowhere"}, set()),
    (PERSONS, {"named-graph-uri": ALPHA}, set()),  # named only: the default graph is empty
    (GRAPHS_OF_PERSONS, {"named-graph-uri": ALPHA}, {ADA}),
    (GRAPHS_OF_PERSONS, {"default-graph-uri": ALPHA}, set()),  # default only: no named graphs
    (GRAPHS_OF_PERSONS, {}, {ADA, BABBAGE}),
    (f"SELECT ?s FROM <{BETA}> WHERE {{ ?s a <{SCHEMA}Person> }}", {}, {BABBAGE}),
    (f"SELECT ?s FROM <{BETA}> WHERE {{ ?s a <{SCHEMA}Person> }}", {"default-graph-uri": ALPHA},
     {ADA}),
    (f"SELECT ?s FROM NAMED <{BETA}> WHERE {{ ?s a <{SCHEMA}Person> }}", {}, set()),
]


@pytest.mark.parametrize("via", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize(("query", "params", "expected"), DATASETS)
def test_dataset(client, via, query, params, expected):
    if via == "get":
        response = client.get("/sparql", query_string={"query": query, **params})
    elif via == "post-form":
        response = client.post("/sparql", data={"query": query, **params})
    else:
        response = client.post("/sparql", query_string=params, data=query.encode(),
                               content_type="application/sparql-query")
    assert response.status_code == 200, response.data
    result = Result.parse(io.BytesIO(response.data), format="json")
    assert {str(row[-1]) for row in result} == expected


def test_dataset_parameters_in_the_url_of_a_form_post(client):
    response = client.post("/sparql?default-graph-uri=" + BETA, data={"query": PERSONS})
    result = Result.parse(io.BytesIO(response.data), format="json")
    assert {str(row[0]) for row in result} == {BABBAGE}


def test_relative_iris_resolve_against_the_endpoint(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x { BIND(<thing> AS ?x) }"})
    result = Result.parse(io.BytesIO(response.data), format="json")
    assert [str(row[0]) for row in result] == ["http://localhost/thing"]


def test_a_query_is_decoded_once(client):
    text = 'SELECT ?x { BIND("%41 100%" AS ?x) }'
    for response in (client.get("/sparql", query_string={"query": text}),
                     client.post("/sparql", data={"query": text})):
        result = Result.parse(io.BytesIO(response.data), format="json")
        assert [str(row[0]) for row in result] == ["%41 100%"]


BAD_REQUESTS = [
    # (description, request, expected status, words of the message)
    ("two queries", lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400,
     "one query per request"),
    ("syntax error", lambda c: c.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"}),
     400, "line 1, column 19"),
    ("syntax error on line 3", lambda c: c.post(
        "/sparql", data=b"SELECT ?s\nWHERE {\n  ?s ?p }", content_type="application/sparql-query"),
     400, "line 3, column"),
    ("empty query", lambda c: c.get("/sparql", query_string={"query": "  "}), 400, "empty"),
    ("form without query", lambda c: c.post("/sparql", data={"format": "json"}), 400, "no 'query'"),
    ("PUT", lambda c: c.put("/sparql", query_string={"query": "ASK {}"}), 405, ""),
    ("DELETE", lambda c: c.delete("/sparql"), 405, ""),
    ("text/plain body", lambda c: c.post("/sparql", data=b"ASK {}", content_type="text/plain"),
     415, "application/sparql-query"),
    ("no content type", lambda c: c.post("/sparql", data=b"query=ASK%20%7B%7D"), 415, ""),
    ("UTF-16 body", lambda c: c.post("/sparql", data="ASK {}".encode("utf-16"),
                                     content_type="application/sparql-query; charset=UTF-16"),
     415, "UTF-8"),
    ("bytes not UTF-8", lambda c: c.post("/sparql", data=b"ASK { \xff }",
                                         content_type="application/sparql-query"), 400, "UTF-8"),
    ("form not UTF-8", lambda c: c.post("/sparql", data=b"query=ASK%20%7B%FF%7D",
                                        content_type="application/x-www-form-urlencoded"),
     400, "UTF-8"),
    ("graph not an IRI", lambda c: c.get("/sparql", query_string={
        "query": "ASK {}", "default-graph-uri": "not an iri"}), 400, "default-graph-uri"),
    ("query in URL and body", lambda c: c.post(
        "/sparql?query=ASK%7B%7D", data=b"ASK {}", content_type="application/sparql-query"),
     400, "body only"),
]


@pytest.mark.parametrize(("request_of", "status", "words"), [b[1:] for b in BAD_REQUESTS],
                         ids=[b[0] for b in BAD_REQUESTS])
def test_bad_requests_get_a_clean_4xx(client, request_of, status, words):
    response = request_of(client)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert b"Traceback" not in response.data


def test_errors_are_negotiated_like_every_error(client):
    response = client.get("/sparql", query_string={"query": "ASK {"},
                          headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json["title"] == "Malformed Query"
    assert "line 1" in response.json["message"]


def test_head_has_the_headers_and_no_body(client):
    response = client.head("/sparql", query_string={"query": PEOPLE})
    assert response.status_code == 200 and response.data == b""
    assert response.mimetype == "application/sparql-results+json"


def test_get_results_revalidate_with_304(client):
    first = client.get("/sparql", query_string={"query": PEOPLE})
    again = client.get("/sparql", query_string={"query": PEOPLE},
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = client.get("/sparql", query_string={"query": PERSONS},
                       headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_post_results_are_not_stored_by_caches(client):
    response = client.post("/sparql", data={"query": PEOPLE})
    assert response.cache_control.no_store and "ETag" not in response.headers


@pytest.mark.parametrize("method", ["get", "post"])
def test_cross_origin_reads(client, method):
    response = getattr(client, method)("/sparql", data={"query": "ASK {}"} if method == "post"
                                       else None, query_string={"query": "ASK {}"}
                                       if method == "get" else None)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_preflight_allows_a_direct_post(client):
    response = client.options("/sparql", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


# The whole message a client reads for each request the protocol refuses (the plain-text
# error body, after its status line): it says what was wrong and what to send instead.
DIRECT = "application/sparql-query"
REFUSALS = [
    # (description, request, status, message)
    ("URL not UTF-8", lambda c: c.get("/sparql?query=ASK%20%7B%FF%7D"), 400,
     "the URL parameters are not URL-encoded UTF-8."),
    ("form not UTF-8", lambda c: c.post("/sparql", data=b"query=ASK%20%7B%FF%7D",
                                        content_type="application/x-www-form-urlencoded"),
     400, "the form parameters are not URL-encoded UTF-8."),
    ("body not UTF-8", lambda c: c.post("/sparql", data=b"ASK { \xff }", content_type=DIRECT),
     400, "the query is not UTF-8 (byte 6)."),
    ("form without query", lambda c: c.post("/sparql", data={"format": "json"}), 400,
     "the form has no 'query' field."),
    ("form with a blank query", lambda c: c.post("/sparql", data={"query": ""}), 400,
     "the query is empty."),
    ("URL with a blank query", lambda c: c.get("/sparql?query="), 400, "the query is empty."),
    ("two queries", lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400,
     "one query per request, this one has 2."),
    ("query in URL and body", lambda c: c.post("/sparql?query=ASK%7B%7D", data=b"ASK {}",
                                               content_type=DIRECT), 400,
     "a query sent as application/sparql-query goes in the body only, not also in the URL."),
    ("UTF-16 body", lambda c: c.post("/sparql", data="ASK {}".encode("utf-16"),
                                     content_type=DIRECT + "; charset=UTF-16"), 415,
     "a query must be sent in UTF-8, not UTF-16."),
    ("text/plain body", lambda c: c.post("/sparql", data=b"ASK {}", content_type="text/plain"),
     415, "a query is sent as application/x-www-form-urlencoded or application/sparql-query, "
          "not as text/plain."),
    ("body of no type", lambda c: c.post("/sparql", data=b"ASK {}"), 415,
     "a query is sent as application/x-www-form-urlencoded or application/sparql-query, "
     "not as an unnamed type."),
    ("update body", lambda c: c.post("/sparql", data=b"CLEAR ALL",
                                     content_type="application/sparql-update"), 400,
     "SPARQL Update is refused: this SPARQL endpoint is read-only."),
    ("update in the URL", lambda c: c.get("/sparql?update=CLEAR%20ALL"), 400,
     "SPARQL Update is refused: this SPARQL endpoint is read-only."),
    ("update in a form", lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}), 400,
     "SPARQL Update is refused: this SPARQL endpoint is read-only."),
    ("update in the URL of a form", lambda c: c.post("/sparql?update=CLEAR%20ALL",
                                                     data={"query": "ASK {}"}), 400,
     "SPARQL Update is refused: this SPARQL endpoint is read-only."),
    ("update in the URL of a direct query", lambda c: c.post(
        "/sparql?update=CLEAR%20ALL", data=b"ASK {}", content_type=DIRECT), 400,
     "SPARQL Update is refused: this SPARQL endpoint is read-only."),
    ("default graph not an IRI", lambda c: c.get("/sparql", query_string={
        "query": "ASK {}", "default-graph-uri": "graph"}), 400,
     "default-graph-uri='graph' is not an absolute IRI: "),
    ("named graph not an IRI", lambda c: c.get("/sparql", query_string={
        "query": "ASK {}", "named-graph-uri": "graph"}), 400,
     "named-graph-uri='graph' is not an absolute IRI: "),
    ("graph not an IRI, without a query", lambda c: c.get("/sparql", query_string={
        "named-graph-uri": "graph"}), 400, "named-graph-uri='graph' is not an absolute IRI: "),
    ("too many URL parameters", lambda c: c.get("/sparql?" + "&".join(["a=1"] * 1001)), 413,
     "the URL has more than 1000 parameters; a query needs a handful."),
    ("too many form parameters", lambda c: c.post(
        "/sparql", data="&".join(["a=1"] * 1001), content_type="application/x-www-form-urlencoded"),
     413, "the form has more than 1000 parameters; a query needs a handful."),
]


@pytest.mark.parametrize(("request_of", "status", "message"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_each_refusal_says_what_was_wrong(client, request_of, status, message):
    response = request_of(client)
    assert response.status_code == status, (response.status_code, response.data[:200])
    said = response.get_data(as_text=True).split("\n\n", 1)[-1]  # after the status line
    assert said.startswith(message), f"the client reads {said!r}, not {message!r}"
