"""Property-based fuzzing of every route (Hypothesis): random paths built from the URL
map's own rules, slugs, extensions, ``Accept``/``Accept-Language``/``Accept-Encoding``
headers, validators, query strings, methods and form bodies, against the repository's
data. Whatever is asked, no 500, no hang, no body that breaks its declared media type,
and every 4xx says in words what went wrong (``response_checks``)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from response_checks import check_answer

from server import create_app
from server.domain import formats
from server.domain.harvest import resource_keys
from server.domain.iris import KINDS

FUZZ = settings(max_examples=150, deadline=timedelta(seconds=10), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Printable ASCII: what a header or a form can carry at all through the test client.
PRINTABLE = st.characters(min_codepoint=32, max_codepoint=126)
ANY_TEXT = st.text(max_size=60)
MEDIA_TYPES = sorted({t for f in formats.FORMATS for t in f.media_types}
                     | {"*/*", "text/*", "application/*", "image/png", "application/json",
                        "text/plain", "application/xhtml+xml"})
PARAMETERS = ("q", "page", "lang", "format", "p", "inverse", "class", "query", "output",
              "results", "default-graph-uri", "named-graph-uri", "next", "url", "redirect")
ODD_VALUES = ("", "0", "-1", "1e9", "99999999999999999999", "fr", "en", "xx", "json", "ttl",
              "html", "rdf+xml", "schema:Person", "http://schema.org/Person",
              "https://w3id.org/grand-paris-russia/id/person/andrei-tchibis",
              "<script>alert(1)</script>", "'\"><svg onload=x>", "../../etc/passwd",
              "//evil.example/", "%00", "\u0000", "\ud7ff", "SELECT * { ?s ?p ?o }",
              "ASK {}", "é" * 300, "a" * 5000)


@pytest.fixture(scope="module")
def app(repo_snapshot):
    made = create_app({"TESTING": True, "query_timeout": "3"}, snapshot=repo_snapshot)
    yield made
    made.extensions["sparql"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def slugs(repo_snapshot, app) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in resource_keys(repo_snapshot.store, app.extensions["publisher"].settings.base_iri):
        found.setdefault(key.kind, []).append(key.slug)
    return found


def value_for(converter: str, argument: str, slugs: dict[str, list[str]]):
    """Values for one URL argument: mostly what the route expects, sometimes anything."""
    every_slug = sorted({s for values in slugs.values() for s in values})
    expected = {
        "kind": st.sampled_from(KINDS),
        "slug": st.sampled_from(every_slug)
        | st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z"),
        "ext": st.sampled_from(sorted({f.name for f in formats.FORMATS} | {"gz", "xyz", ""})),
        "name": st.sampled_from(["dataset", "codemirror.js", "sparql-mode.js", "other"]),
        "number": st.integers(min_value=-2, max_value=3).map(str),
        "filename": st.sampled_from(["style.css", "sparql.js", "sparql.css", "../README.md",
                                     "nope.css", "..%2f..%2fetc%2fpasswd"]),
    }
    strategy = expected.get(argument, expected.get(converter, st.just("x")))
    return st.one_of(strategy, strategy, strategy, st.text(alphabet=PRINTABLE, max_size=30))


@st.composite
def paths(draw, rules: list[str], slugs: dict[str, list[str]]) -> str:
    """A path from one rule of the URL map, its arguments filled; a real resource's kind
    and slug most of the time, and now and then a mangled prefix or suffix."""
    rule = draw(st.sampled_from(rules))
    kind = draw(st.sampled_from(sorted(slugs)))
    known = {"kind": kind, "slug": draw(st.sampled_from(slugs[kind]))}
    real = draw(st.integers(0, 3)) > 0
    path = rule
    for converter, argument in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        if real and argument in known:
            value = known[argument]
        else:
            value = draw(value_for(converter or "default", argument, slugs))
        encoded = quote(value, safe="/" if converter == "path" else "")
        path = re.sub(rf"<(?:\w+:)?{argument}>", lambda _, text=encoded: text, path, count=1)
    mangle = draw(st.integers(0, 9))
    if mangle == 0:
        path = draw(st.sampled_from(["/", "/../", "/%2e%2e/", "/./"])) + path.lstrip("/")
    elif mangle == 1:
        path += draw(st.sampled_from(["/", ".", "/x", ";x", "%00", ".json"]))
    return path


accept_headers = st.one_of(
    st.sampled_from(MEDIA_TYPES),
    st.lists(st.tuples(st.sampled_from(MEDIA_TYPES), st.sampled_from(["", ";q=0", ";q=0.5",
                                                                        ";q=1", ";q=x",
                                                                        ";charset=latin1"])),
             min_size=1, max_size=4).map(lambda items: ", ".join(t + q for t, q in items)),
    st.text(alphabet=PRINTABLE, max_size=40),
)
language_headers = st.one_of(
    st.sampled_from(["fr", "en", "fr-CA, en;q=0.5", "de", "*", "en;q=0", "zz-ZZ;q=0.9, *;q=0.1"]),
    st.text(alphabet=PRINTABLE, max_size=30),
)
query_strings = st.dictionaries(
    st.sampled_from(PARAMETERS) | st.text(alphabet=PRINTABLE, min_size=1, max_size=10),
    st.sampled_from(ODD_VALUES) | ANY_TEXT,
    max_size=4,
)


@st.composite
def requests_(draw, rules, slugs) -> dict:
    headers = {}
    for name, strategy in (("Accept", accept_headers), ("Accept-Language", language_headers),
                           ("Accept-Encoding", st.sampled_from(["gzip", "deflate", "identity",
                                                                "gzip;q=0, *;q=0", "x"])),
                           ("If-None-Match", st.sampled_from(['"x"', "*", "W/\"y\"", "junk"])),
                           ("If-Modified-Since", st.sampled_from(
                               ["Sun, 06 Nov 1994 08:49:37 GMT", "yesterday", "0"])),
                           ("Range", st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=9-1",
                                                      "lines=1-2"])),
                           ("Origin", st.sampled_from(["https://a.example", "null"]))):
        if draw(st.integers(0, 3)) == 0 if name not in ("Accept", "Accept-Language") \
                else draw(st.booleans()):
            headers[name] = draw(strategy)
    return {
        "method": draw(st.sampled_from(["GET"] * 6 + ["HEAD", "POST", "OPTIONS", "PUT",
                                                       "DELETE"])),
        "path": draw(paths(rules, slugs)),
        "query": draw(query_strings),
        "headers": headers,
        "form": draw(st.none() | query_strings),
    }


@pytest.fixture(scope="module")
def rules(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules()})


def send(client, request: dict):
    query = urlencode(request["query"], doseq=True) if request["query"] else ""
    path = request["path"] + ("?" + query if query else "")
    data = urlencode(request["form"]) if request["form"] is not None else None
    headers = dict(request["headers"])
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return path, client.open(path, method=request["method"], headers=headers, data=data)


def test_every_route_answers_any_request_cleanly(client, rules, slugs):
    @FUZZ
    @given(request=requests_(rules, slugs))
    def fuzz(request):
        path, response = send(client, request)
        with response:
            check_answer(response, request["method"], f"{request['method']} {path} "
                                                      f"{request['headers']}")

    fuzz()


def test_random_paths_are_404_or_answered(client):
    @FUZZ
    # the first segment is never empty: "//x" would be read as a host by the test client
    @given(segments=st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=5),
           accept=accept_headers)
    def fuzz(segments, accept):
        path = "/" + "/".join(quote(s, safe="") for s in segments)
        with client.get(path, headers={"Accept": accept}) as response:
            check_answer(response, "GET", f"GET {path} Accept: {accept}")

    fuzz()


def test_every_rule_is_reachable_by_the_fuzzer(rules):
    """The generator covers the URL map: a new route is fuzzed without a new test."""
    assert {"/id/<kind:kind>/<slug:slug>", "/sparql", "/dumps/<name>.<ext>.gz",
            "/static/<path:filename>"} <= set(rules)
