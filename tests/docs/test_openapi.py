"""``docs/openapi.yaml`` stays in step with the application: every rule of the URL map is
a documented path and every documented path a rule, with the same methods and path
parameters; the enumerations follow the registries (kinds, formats, dumps); and what
the routes answer to ordinary and wrong requests is among the documented statuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from server.domain import formats
from server.domain.dumps import DUMP_FORMATS
from server.domain.iris import KINDS, SLUG_PATTERN
from server.web.views.sparql import EDITOR_ASSETS

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# HEAD is answered wherever GET is (RFC 9110 §9.3.2) and OPTIONS everywhere: the
# document says so once instead of on every path.
IMPLIED = {"head", "options"}
SAMPLES = {"kind": "person", "slug": "ada-lovelace", "ext": "ttl", "number": "1",
           "filename": "style.css"}
SAMPLES_BY_PATH = {"/dumps/{name}.{ext}.gz": {"name": "dataset", "ext": "nq"},
                   "/sparql/editor/{name}": {"name": "codemirror.js"},
                   "/page/{kind}/{slug}/values": {},
                   "/graph/{slug}": {"slug": "alpha"}, "/graph/{slug}.{ext}": {"slug": "alpha"}}
QUERIES_BY_PATH = {"/page/{kind}/{slug}/values": "?p=schema:knows"}


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))


@pytest.fixture
def rules(tiny_app) -> dict[str, set[str]]:
    """Documented path template -> the rule's methods."""
    found: dict[str, set[str]] = {}
    for rule in tiny_app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found.setdefault(path, set()).update(m.lower() for m in rule.methods)
    return found


def dereference(document: dict, node: dict) -> dict:
    """Follow ``$ref`` (local JSON pointers only) until a plain object."""
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_is_valid_openapi(document):
    validate(document)


def test_every_rule_is_documented_and_every_documented_path_is_a_rule(document, rules):
    assert set(rules) - set(document["paths"]) == set(), "rules missing from docs/openapi.yaml"
    assert set(document["paths"]) - set(rules) == set(), "documented paths the app lacks"


def test_methods_match(document, rules):
    for path, methods in rules.items():
        documented = set(document["paths"][path]) & HTTP_METHODS
        assert documented - IMPLIED == methods - IMPLIED, path
        assert IMPLIED <= methods, f"{path}: HEAD and OPTIONS are answered everywhere"


def test_path_parameters_match_the_templates(document):
    for path, item in document["paths"].items():
        wanted = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [dereference(document, p) for p in operation.get("parameters", [])]
            declared = {p["name"] for p in parameters if p["in"] == "path"}
            assert declared == wanted, f"{method.upper()} {path}"


def test_the_enumerations_follow_the_registries(document):
    parameters = document["components"]["parameters"]
    assert parameters["Kind"]["schema"]["enum"] == list(KINDS)
    assert parameters["Slug"]["schema"]["pattern"] == f"^{SLUG_PATTERN}$"
    rdf = {f.name for f in formats.RDF_FORMATS}
    assert set(parameters["RdfExtension"]["schema"]["enum"]) == rdf
    assert set(parameters["DocumentExtension"]["schema"]["enum"]) == rdf | {"html"}
    dump_ext = next(p for p in document["paths"]["/dumps/{name}.{ext}.gz"]["get"]["parameters"]
                    if p.get("name") == "ext")
    assert set(dump_ext["schema"]["enum"]) == {f.name for f in DUMP_FORMATS}
    editor = document["paths"]["/sparql/editor/{name}"]["get"]["parameters"][0]
    assert set(editor["schema"]["enum"]) == set(EDITOR_ASSETS)
    responses = document["components"]["responses"]
    assert set(responses["Rdf"]["content"]) == {f.media_type for f in formats.RDF_FORMATS}
    negotiated = {f.media_range for f in (*formats.RDF_FORMATS, *formats.RDF12_FORMATS)}
    assert set(responses["NegotiatedRdf"]["content"]) == negotiated
    assert set(responses["NegotiatedRdfOrPage"]["content"]) == negotiated | {"text/html"}
    assert set(responses["SparqlResults"]["content"]) == (
        {f.media_type for f in (*formats.RESULT_FORMATS, *formats.RDF_FORMATS)} | {"text/html"})


def concrete(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m[1], SAMPLES.get(m[1], "x")), path)


@pytest.mark.parametrize("variant", ["ordinary", "unknown resource", "unwanted format"])
def test_what_the_routes_answer_is_documented(document, tiny_client, variant):
    for path, item in document["paths"].items():
        values = {**SAMPLES, **SAMPLES_BY_PATH.get(path, {})}
        headers = {"Accept": "text/html"}
        if variant == "unknown resource":
            values = {**values, "slug": "nobody", "number": "99", "name": "nothing"}
        elif variant == "unwanted format":
            headers = {"Accept": "image/png"}
        url = concrete(path, values) + QUERIES_BY_PATH.get(path, "")
        for method in set(item) & HTTP_METHODS:
            data = {"query": "ASK {}"} if method == "post" else None
            with tiny_client.open(url, method=method.upper(), headers=headers,
                                  data=data) as response:
                documented = set(item[method]["responses"])
                assert str(response.status_code) in documented, \
                    f"{method.upper()} {url} ({variant}): {response.status_code} not documented"
