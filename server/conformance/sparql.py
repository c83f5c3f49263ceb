"""DESIGN §4: the SPARQL 1.1 Protocol endpoint, where the deployment has one. A static copy
has none: its checks are then inapplicable, not failed."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

from rdflib import RDF
from rdflib.namespace import VOID

from server.conformance.registry import Check, Failed, Inapplicable, expect
from server.conformance.site import Site, media_type
from server.domain.namespaces import SD

__all__ = ["CHECKS"]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SOME = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


def endpoint(site: Site) -> str:
    """The endpoint the description names (else ``/sparql``) if it is part of this
    deployment and answers with a service description. A static copy has none: its
    ``/sparql`` is a 404 (even where its description, copied from the live site, still
    names it), and the endpoint's checks do not apply to it.

    Raises:
        Inapplicable: no endpoint here, or one outside this deployment.
        Failed: the endpoint answers, but with no service description.
    """
    def find() -> str:
        try:
            named = [str(e) for e in site.description.objects(site.dataset, VOID.sparqlEndpoint)]
        except Failed:
            named = []
        url = named[0] if named else site.url("sparql")
        if not site.within(url):
            raise Inapplicable(f"the endpoint {url} is not part of this deployment")
        response = site.get(url, "text/turtle")
        if response.status_code in (404, 405, 410):
            raise Inapplicable(f"no endpoint: {url} answers {response.status_code}" + (
                ", though the description names it as void:sparqlEndpoint" if named
                else " and the description names none"))
        expect(response.status_code == 200, f"GET {url} (Accept: text/turtle) answered "
                                             f"{response.status_code}, not a service description")
        graph = site.parse(response.content, media_type(response), url)
        expect(list(graph.subjects(RDF.type, SD.Service)), f"{url}: no sd:Service")
        return url
    return site.once("endpoint", find)


def _select(site: Site, query: str, method: str = "GET") -> dict:
    url = endpoint(site)
    accept = "application/sparql-results+json"
    if method == "GET":
        response = site.get(url, accept, params={"query": query})
    else:
        response = site.request("POST", url, accept=accept, data={"query": query})
    expect(response.status_code == 200,
           f"{method} {url} {query!r} answered {response.status_code}")
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise Failed(f"{method} {url}: SPARQL JSON results that do not parse: {error}") from None


def service_is_described(site: Site) -> str:
    return f"{endpoint(site)} answers RDF clients with its sd:Service"


def count_equals_the_description(site: Site) -> str:
    results = _select(site, COUNT)
    try:
        count = int(results["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise Failed(f"{endpoint(site)}: {COUNT!r} gave no count") from None
    stated = site.description.value(site.dataset, VOID.triples)
    expect(stated is None or int(stated) == count,
           f"{endpoint(site)}: COUNT(*) over the default graph is {count}, the description "
           f"states void:triples {stated}")
    return f"COUNT(*) = {count}" + (" = void:triples" if stated is not None else "")


def protocol_operations_answer(site: Site) -> str:
    url = endpoint(site)
    posted = _select(site, SOME, "POST")
    expect(posted.get("results", {}).get("bindings"), f"POST {url}: no solutions")
    direct = site.request("POST", url, accept="text/csv", data=SOME.encode(),
                          headers={"Content-Type": "application/sparql-query"})
    expect(direct.status_code == 200 and media_type(direct) == "text/csv",
           f"POST {url} (application/sparql-query, Accept: text/csv) answered "
           f"{direct.status_code} {media_type(direct)!r}")
    rows = list(csv.reader(io.StringIO(direct.text)))
    expect(rows and rows[0] == ["s", "p", "o"], f"POST {url}: the CSV header is "
                                                f"{rows[0] if rows else None}")
    ask = site.get(url, "application/sparql-results+xml", params={"query": "ASK {}"})
    try:
        boolean = ElementTree.fromstring(ask.content).findtext(f"{RESULTS_XML}boolean")
    except ElementTree.ParseError:
        boolean = None
    expect(ask.status_code == 200 and boolean == "true",
           f"GET {url} ASK {{}} as SPARQL XML answered {ask.status_code}, boolean {boolean}")
    construct = site.get(url, "text/turtle",
                         params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5"})
    expect(construct.status_code == 200, f"GET {url} CONSTRUCT answered "
                                         f"{construct.status_code}")
    graph = site.parse(construct.content, media_type(construct), url)
    expect(len(graph) == 5, f"GET {url} CONSTRUCT … LIMIT 5 gave {len(graph)} triples")
    return "GET, POST form and POST query; JSON, CSV, XML and Turtle answers"


def errors_and_updates_are_refused(site: Site) -> str:
    url = endpoint(site)
    refused = [("GET", {"params": {"query": "SELECT WHERE {"}}),
               ("POST", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
               ("GET", {"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}})]
    for method, options in refused:
        response = site.request(method, url, accept="application/sparql-results+json",
                                **options)
        expect(response.status_code == 400,
               f"{method} {url} {options} answered {response.status_code}, not 400")
    return "a malformed query and two updates get 400"


CHECKS = (
    Check("sparql-service", "The SPARQL endpoint describes itself (Service Description)",
          "§4", service_is_described,
          fr="Le point d'accès SPARQL se décrit (Service Description)"),
    Check("sparql-count", "COUNT(*) over the default graph equals the described void:triples",
          "§4", count_equals_the_description,
          fr="COUNT(*) sur le graphe par défaut égale le void:triples annoncé"),
    Check("sparql-protocol", "The endpoint answers GET, POST form and POST query bodies in "
                             "the asked result format", "§4", protocol_operations_answer,
          fr=("Le point d'accès répond en GET, en POST de formulaire et en POST de requête, au "
              "format demandé")),
    Check("sparql-refusals", "A malformed query and updates are refused with 400", "§4",
          errors_and_updates_are_refused,
          fr="Une requête mal formée et les mises à jour sont refusées par 400"),
)
