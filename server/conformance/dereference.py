"""DESIGN §3: dereferencing (Cool URIs' 303 pattern), negotiation and the headers every
answer carries, checked on the resources the site discovered."""

from __future__ import annotations

from rdflib import Dataset, URIRef
from werkzeug.http import parse_options_header, parse_set_header

from server.conformance.registry import Check, expect
from server.conformance.site import Resource, Site, links, media_type
from server.domain.formats import HTML, RDF_FORMATS

__all__ = ["CHECKS"]

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
UNSATISFIABLE = "application/x-ldpub-check-unknown"
ABSENT_SLUG = "ldpub-check-absent-resource"
# text in any charset: the media types whose answers must say which (DESIGN §3)
TEXT_TYPES = {fmt.media_type for fmt in RDF_FORMATS} | {"application/json"}


def _see_other(site: Site, url: str, accept: str, target: str) -> str:
    """GET ``url`` must be a 303 whose ``Location`` starts with ``target``; returns it."""
    response = site.get(url, accept)
    expect(response.status_code == 303,
           f"GET {url} (Accept: {accept}) answered {response.status_code}, not 303 See Other")
    location = site.location(response) or ""
    expect(location.startswith(target),
           f"GET {url} (Accept: {accept}) sends to {location or 'nowhere'}, not {target}")
    return location


def html_clients_see_the_page(site: Site) -> str:
    resource = site.resource
    page = resource.url("page")
    for accept in (BROWSER, "text/turtle;q=0.5, text/html"):
        location = _see_other(site, resource.url("id"), accept, page)
        expect(location == page, f"GET {resource.url('id')} (Accept: {accept}) sends to "
                                 f"{location}, not {page}")
    return f"{resource.url('id')} → 303 {page}"


def rdf_clients_see_the_data(site: Site) -> str:
    resource = site.resource
    for fmt in RDF_FORMATS:
        accept = f"text/html;q=0.3, {fmt.media_type};q=0.9, */*;q=0.1"
        location = _see_other(site, resource.url("id"), accept, resource.url("data"))
        got = site.get_ok(location, accept)
        expect(media_type(got) == fmt.media_type,
               f"GET {resource.url('id')} (Accept: {accept}) leads to {location}, which is "
               f"{media_type(got)!r}, not {fmt.media_type}")
    return (f"{resource.url('id')} → 303 /data/… in each of "
            f"{', '.join(f.media_type for f in RDF_FORMATS)}, q-values honoured")


def _described(site: Site, resource: Resource, body: bytes, kind: str, url: str) -> int:
    """Parse a description; it must state something about the resource."""
    graph = site.parse(body, kind, url)
    iri = URIRef(site.canonical_iri(resource))
    statements = [q[:3] for q in graph.quads((None, None, None, None))] \
        if isinstance(graph, Dataset) else list(graph)
    expect(any(s == iri for s, _, _ in statements), f"{url} ({kind}) says nothing about {iri}")
    return len(statements)


def data_honours_accept(site: Site) -> str:
    resource = site.resource
    url = resource.url("data")
    accept = "application/rdf+xml;q=0.5, application/n-triples;q=0.9, text/turtle;q=0.1"
    response = site.get_ok(url, accept)
    expect(media_type(response) == "application/n-triples",
           f"GET {url} (Accept: {accept}) is {media_type(response)!r}, not "
           "application/n-triples")
    count = _described(site, resource, response.content, "application/n-triples", url)
    return f"{url} gives the preferred N-Triples ({count} triples)"


def extensions_name_the_format(site: Site) -> str:
    counts = []
    for resource in site.resources:
        for fmt in RDF_FORMATS:
            url = resource.url("data", fmt.name)
            response = site.get_ok(url, "text/html")
            expect(media_type(response) == fmt.media_type,
                   f"GET {url} (Accept: text/html) is {media_type(response)!r}, not "
                   f"{fmt.media_type}")
            counts.append(_described(site, resource, response.content, fmt.media_type, url))
    return (f"{len(counts)} documents ({len(site.resources)} resources × "
            f"{len(RDF_FORMATS)} formats) parse and describe their resource")


def _negotiated(site: Site) -> list[tuple[str, str]]:
    """(URL, Accept) of answers that depend on ``Accept``: 303s, documents and errors."""
    resource = site.resource
    absent = Resource(resource.kind, ABSENT_SLUG, site)
    return [(resource.url("id"), BROWSER), (resource.url("id"), "text/turtle"),
            (resource.url("page"), BROWSER), (resource.url("data"), "text/turtle"),
            (resource.url("data"), "application/ld+json"), (absent.url("id"), BROWSER),
            (absent.url("id"), "text/turtle"), (resource.url("data"), UNSATISFIABLE),
            (site.url("ontology"), "text/turtle"), (site.url("dataset"), BROWSER)]


def negotiated_answers_vary_on_accept(site: Site) -> str:
    negotiated = _negotiated(site)
    for url, accept in negotiated:
        response = site.get(url, accept)
        tokens = {name.lower() for name in parse_set_header(response.headers.get("Vary"))}
        expect("accept" in tokens or "*" in tokens,
               f"GET {url} (Accept: {accept}) answered {response.status_code} with Vary "
               f"{response.headers.get('Vary')!r}, without the Accept token: a shared cache "
               "would hand it to a client that asked for another format")
    return f"{len(negotiated)} negotiated answers (303s, documents, 404, 406) vary on Accept"


def text_answers_state_their_charset(site: Site) -> str:
    resource = site.resource
    absent = Resource(resource.kind, ABSENT_SLUG, site)
    urls = [(resource.url("page"), BROWSER), (absent.url("page"), BROWSER),
            (site.url("dataset"), "text/turtle")]
    urls += [(resource.url("data", fmt.name), fmt.media_type) for fmt in RDF_FORMATS]
    for url, accept in urls:
        response = site.get(url, accept)
        kind, params = parse_options_header(response.headers.get("Content-Type"))
        expect(kind, f"GET {url} answered {response.status_code} without a Content-Type")
        if kind.startswith("text/") or kind in TEXT_TYPES:
            expect(params.get("charset"), f"GET {url}: Content-Type "
                                          f"{response.headers['Content-Type']!r} has no charset")
    return f"{len(urls)} text answers (pages, a 404, every RDF format) name their charset"


def revalidation_gives_304(site: Site) -> str:
    resource = site.resource
    targets = [(resource.url("page"), BROWSER), (resource.url("data", "ttl"), "text/turtle"),
               (resource.url("data"), "application/ld+json")]
    for url, accept in targets:
        first = site.get_ok(url, accept)
        etag = first.headers.get("ETag")
        expect(etag, f"GET {url} (Accept: {accept}) has no ETag")
        again = site.get(url, accept, headers={"If-None-Match": etag})
        expect(again.status_code == 304, f"GET {url} with If-None-Match: {etag} answered "
                                         f"{again.status_code}, not 304 Not Modified")
        expect(not again.content, f"GET {url}: the 304 has a body")
    return f"{len(targets)} documents carry an ETag and answer 304 to If-None-Match"


def descriptions_link_their_alternates(site: Site) -> str:
    resource = site.resource
    wanted = {HTML.media_type, *(fmt.media_type for fmt in RDF_FORMATS)}
    for url, accept in ((resource.url("data", "ttl"), "text/turtle"),
                        (resource.url("page"), BROWSER)):
        response = site.get_ok(url, accept)
        alternates = {link.get("type"): link["url"] for link in links(response)
                      if link.get("rel") == "alternate" and link.get("type")}
        missing = sorted(wanted - set(alternates))
        expect(not missing, f"GET {url}: the Link header names no alternate of type "
                            f"{', '.join(missing)}")
        outside = [u for u in alternates.values() if not site.within(u)]
        expect(not outside, f"GET {url}: Link alternates outside the deployment: "
                            f"{', '.join(outside)}")
    return f"the page and the description link all {len(wanted)} representations"


def data_is_open_to_other_origins(site: Site) -> str:
    origin = "https://example.org"
    resource = site.resource
    urls = [resource.url("data", "ttl"), resource.url("data", "jsonld"), site.url("dataset")]
    for url in urls:
        response = site.get_ok(url, "text/turtle", headers={"Origin": origin})
        allowed = response.headers.get("Access-Control-Allow-Origin")
        expect(allowed in ("*", origin), f"GET {url} from origin {origin}: "
                                         f"Access-Control-Allow-Origin is {allowed!r}")
    return f"{len(urls)} data documents allow reads from any origin"


def head_answers_like_get(site: Site) -> str:
    resource = site.resource
    urls = [(resource.url("page"), BROWSER), (resource.url("data", "ttl"), "text/turtle"),
            (resource.url("id"), BROWSER)]
    for url, accept in urls:
        got = site.get(url, accept)
        head = site.request("HEAD", url, accept=accept)
        expect(head.status_code == got.status_code,
               f"HEAD {url} answered {head.status_code}, GET {got.status_code}")
        expect(media_type(head) == media_type(got),
               f"HEAD {url} is {media_type(head)!r}, GET {media_type(got)!r}")
        expect(not head.content, f"HEAD {url} has a body")
    return f"HEAD answers {len(urls)} URLs as GET does, without a body"


def unknown_resources_are_404_as_negotiated(site: Site) -> str:
    absent = Resource(site.resource.kind, ABSENT_SLUG, site)
    for url, accept, html in ((absent.url("id"), BROWSER, True),
                              (absent.url("page"), BROWSER, True),
                              (absent.url("id"), "text/turtle", False),
                              (absent.url("data", "ttl"), "text/turtle", False)):
        response = site.get(url, accept)
        expect(response.status_code == 404,
               f"GET {url} (Accept: {accept}) answered {response.status_code}, not 404")
        is_html = media_type(response) == HTML.media_type
        expect(is_html == html, f"GET {url} (Accept: {accept}): the 404 is "
                                f"{media_type(response)!r}, "
                                + ("not HTML" if html else "HTML to a client that asked for RDF"))
    return f"{absent.url('id')}: 404 in HTML for browsers, not HTML for RDF clients"


def unsatisfiable_accept_is_406(site: Site) -> str:
    url = site.resource.url("data")
    response = site.get(url, UNSATISFIABLE)
    expect(response.status_code == 406, f"GET {url} (Accept: {UNSATISFIABLE}) answered "
                                        f"{response.status_code}, not 406 Not Acceptable")
    named = [fmt.media_type for fmt in RDF_FORMATS if fmt.media_type in response.text]
    expect(named, f"GET {url}: the 406 names none of the formats it could give")
    return f"{url}: 406 naming {len(named)} formats it can give"


def vocabularies_negotiate(site: Site) -> str:
    for path in ("ontology", "shapes"):
        url = site.url(path)
        page = site.get_ok(url, BROWSER)
        expect(media_type(page) == HTML.media_type,
               f"GET {url} (a browser) is {media_type(page)!r}, not HTML")
        data = site.get_ok(url, "text/turtle")
        expect(media_type(data) == "text/turtle",
               f"GET {url} (Accept: text/turtle) is {media_type(data)!r}")
        expect(len(site.parse(data.content, "text/turtle", url)), f"{url}: no statement")
    return "/ontology and /shapes: HTML for browsers, Turtle for RDF clients"


CHECKS = (
    Check("deref-html", "An HTML client is sent 303 See Other to the resource's page", "§3",
          html_clients_see_the_page,
          fr="Un client HTML est renvoyé (303 See Other) vers la page de la ressource"),
    Check("deref-rdf", "An RDF client is sent 303 See Other to the data in the type it "
                       "prefers, q-values honoured", "§3", rdf_clients_see_the_data,
          fr=("Un client RDF est renvoyé (303 See Other) vers les données dans le type qu'il "
              "préfère, valeurs q comprises")),
    Check("data-accept", "/data/… gives the format Accept prefers", "§3", data_honours_accept,
          fr="/data/… donne le format que l'en-tête Accept préfère"),
    Check("data-extension", "/data/….{ext} is that format whatever Accept says, and parses",
          "§3", extensions_name_the_format,
          fr="/data/….{ext} est dans ce format quel que soit Accept, et se lit"),
    Check("vary-accept", "Negotiated answers carry Vary with the Accept token", "§3",
          negotiated_answers_vary_on_accept,
          fr="Les réponses négociées portent Vary avec le jeton Accept"),
    Check("charset", "Text answers state their charset in Content-Type", "§3",
          text_answers_state_their_charset,
          fr="Les réponses textuelles indiquent leur jeu de caractères dans Content-Type"),
    Check("etag-304", "Documents carry an ETag and answer 304 to If-None-Match", "§3",
          revalidation_gives_304,
          fr="Les documents portent un ETag et répondent 304 à If-None-Match"),
    Check("link-alternates", "Pages and descriptions link every alternate format", "§3",
          descriptions_link_their_alternates,
          fr="Pages et descriptions donnent le lien de chacun de leurs formats"),
    Check("cors", "Data is readable from other origins (CORS)", "§3",
          data_is_open_to_other_origins,
          fr="Les données se lisent depuis d'autres origines (CORS)"),
    Check("head", "HEAD answers as GET does, without a body", "§3", head_answers_like_get,
          fr="HEAD répond comme GET, sans corps"),
    Check("not-found", "An unknown resource is 404, HTML or not as negotiated", "§3",
          unknown_resources_are_404_as_negotiated,
          fr="Une ressource inconnue est une 404, en HTML ou non selon la négociation"),
    Check("not-acceptable", "An Accept no format satisfies is 406 listing the formats", "§3",
          unsatisfiable_accept_is_406,
          fr="Un Accept qu'aucun format ne satisfait donne 406 avec la liste des formats"),
    Check("vocabularies", "/ontology and /shapes negotiate HTML and RDF", "§3",
          vocabularies_negotiate,
          fr="/ontology et /shapes négocient HTML et RDF"),
)
