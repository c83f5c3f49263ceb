"""DESIGN §5 and §9: what harvesters read — the dataset description, the dumps and their
checksums, the sitemap, robots.txt, the validation report and the change feed."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, SH, VOID

from server.conformance.registry import Check, Failed, expect
from server.conformance.site import Site, media_type
from server.domain.namespaces import AS, SPDX

__all__ = ["CHECKS"]

CHUNK = 1 << 16
MOST_FEED_PAGES = 20  # a long feed is read this far; its total is then not compared
ACTIVITIES = {AS.Create, AS.Update, AS.Delete}


def description_names_the_dumps(site: Site) -> str:
    graph, dataset = site.description, site.dataset
    dumps = sorted(str(d) for d in graph.objects(dataset, VOID.dataDump))
    expect(dumps, f"{site.url('dataset')}: {dataset} names no void:dataDump")
    distributions = set(graph.objects(dataset, DCAT.distribution))
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in distributions}
    missing = [d for d in dumps if d not in downloads]
    expect(not missing, f"{site.url('dataset')}: the dump {missing[0] if missing else ''} is "
                        "no dcat:Distribution's dcat:downloadURL")
    for path in (".well-known/void",):
        url = site.url(path)
        response = site.get(url, "text/turtle")
        if response.status_code in (301, 302, 303, 307, 308):
            url = site.location(response) or url
            response = site.get(url, "text/turtle")
        expect(response.status_code == 200, f"GET {url} answered {response.status_code}")
        other = site.parse(response.content, media_type(response) or "text/turtle", url)
        expect((dataset, None, None) in other, f"{url} does not describe {dataset}")
    return f"{dataset}: {len(graph)} statements, {len(dumps)} dumps as DCAT distributions"


def _download(site: Site, url: str) -> tuple[str, int]:
    """SHA-256 and size of a gzip'd dump, read in pieces; it must decompress whole."""
    expect(site.within(url), f"the dump {url} is outside the deployment {site.base}")
    response = site.get(url, stream=True)
    try:
        expect(response.status_code == 200, f"GET {url} answered {response.status_code}")
        digest, size, inflate = hashlib.sha256(), 0, zlib.decompressobj(16 + zlib.MAX_WBITS)
        for piece in response.iter_content(CHUNK):
            digest.update(piece)
            size += len(piece)
            inflate.decompress(piece, CHUNK)
            while inflate.unconsumed_tail:
                inflate.decompress(inflate.unconsumed_tail, CHUNK)
    except zlib.error as error:
        raise Failed(f"{url} is not gzip: {error}") from None
    except OSError as error:  # the connection broke while reading
        raise Failed(f"GET {url}: {error}") from None
    finally:
        response.close()
    expect(inflate.eof, f"{url}: the gzip stream is cut short")
    return digest.hexdigest(), size


def dumps_match_their_checksums(site: Site) -> str:
    graph = site.description
    distributions = sorted({d for d in graph.subjects(DCAT.downloadURL, None)
                            if str(graph.value(d, DCAT.downloadURL)).endswith(".gz")})
    expect(distributions, f"{site.url('dataset')} names no gzip'd download")
    for dist in distributions:
        url = str(graph.value(dist, DCAT.downloadURL))
        stated = graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)
        expect(stated is not None, f"{site.url('dataset')}: {url} has no spdx:checksum")
        digest, size = _download(site, url)
        expect(digest == str(stated).lower(), f"{url}: SHA-256 {digest}, the description "
                                              f"states {stated}")
        stated_size = graph.value(dist, DCAT.byteSize)
        expect(stated_size is None or int(stated_size) == size,
               f"{url}: {size} bytes, the description states {stated_size}")
    return f"{len(distributions)} dumps download whole, as gzip, with the stated SHA-256"


def robots_names_the_sitemap(site: Site) -> str:
    url = site.url("robots.txt")
    response = site.get_ok(url)
    expect(media_type(response) == "text/plain",
           f"GET {url} is {media_type(response)!r}, not text/plain")
    named = site.sitemap_url()
    expect(named != site.url("sitemap.xml") or "sitemap:" in response.text.lower(),
           f"{url} has no Sitemap: line")
    expect(site.within(named), f"{url} names the sitemap {named}, outside {site.base}")
    return f"{url} names {named}"


def sitemap_lists_dated_pages(site: Site) -> str:
    entries = site.sitemap
    expect(entries, "the sitemap lists no page")
    for url, lastmod in entries:
        expect(site.within(url), f"the sitemap lists {url}, outside {site.base}")
        if lastmod is not None:
            try:
                datetime.fromisoformat(lastmod.strip())
            except ValueError:
                raise Failed(f"the sitemap dates {url} {lastmod!r}: not a W3C date") from None
    expect(site.resources, "the sitemap lists no /page/{kind}/{slug}")
    dated = sum(1 for _, lastmod in entries if lastmod)
    return f"{len(entries)} pages under {site.base}, {dated} with lastmod"


def validation_report_is_published(site: Site) -> str:
    url = site.url("validation")
    response = site.get_ok(url, "text/turtle")
    graph = site.parse(response.content, media_type(response), url)
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    expect(len(reports) == 1, f"{url} holds {len(reports)} sh:ValidationReport, not one")
    conforms = graph.value(reports[0], SH.conforms)
    expect(conforms is not None, f"{url}: the report has no sh:conforms")
    return f"{url}: a SHACL report, sh:conforms {conforms}"


def _feed_url(site: Site) -> str:
    """The feed the description links (``rdfs:seeAlso`` an ``as:OrderedCollection``),
    else ``/changes``."""
    graph = site.description
    for seen in graph.objects(site.dataset, RDFS.seeAlso):
        if (seen, RDF.type, AS.OrderedCollection) in graph:
            return str(seen)
    return site.url("changes")


def _feed_document(site: Site, url: str) -> Graph:
    expect(site.within(url), f"the change feed {url} is outside {site.base}")
    response = site.get_ok(url, "application/ld+json")
    expect(media_type(response) == "application/ld+json",
           f"GET {url} (Accept: application/ld+json) is {media_type(response)!r}")
    return site.parse(response.content, "application/ld+json", url)


def change_feed_parses(site: Site) -> str:
    url = _feed_url(site)
    graph = _feed_document(site, url)
    collection = URIRef(url)
    expect((collection, RDF.type, AS.OrderedCollection) in graph,
           f"{url} is not an as:OrderedCollection named {url}")
    total = graph.value(collection, AS.totalItems)
    expect(total is not None, f"{url}: no as:totalItems")
    page, pages, items = graph.value(collection, AS.first), 0, 0
    while page is not None and pages < MOST_FEED_PAGES:
        document = _feed_document(site, str(page))
        expect((None, AS.partOf, collection) in document, f"{page} is not as:partOf {url}")
        head = document.value(page, AS.items)
        for activity in Collection(document, head) if head is not None else ():
            kinds = set(document.objects(activity, RDF.type)) & ACTIVITIES
            expect(kinds, f"{page}: {activity} is no Create, Update or Delete")
            expect(document.value(activity, AS.object) is not None,
                   f"{page}: {activity} has no as:object")
            items += 1
        page, pages = document.value(page, AS.next), pages + 1
    expect(page is not None or items == int(total),
           f"{url} states {total} items, its pages hold {items}")
    turtle = site.get_ok(url, "text/turtle")
    expect(media_type(turtle) == "text/turtle",
           f"GET {url} (Accept: text/turtle) is {media_type(turtle)!r}")
    site.parse(turtle.content, "text/turtle", url)
    return f"{url}: {total} activities, {items} read in {pages} page(s); also Turtle"


CHECKS = (
    Check("dataset-description", "The dataset description (VoID and DCAT) parses and names "
                                 "the dumps, also at /.well-known/void", "§5",
          description_names_the_dumps,
          fr=("La description du jeu de données (VoID et DCAT) se lit et nomme les dumps, aussi à "
              "/.well-known/void")),
    Check("dumps", "The dumps download whole and match their stated SHA-256 and size", "§5",
          dumps_match_their_checksums,
          fr="Les dumps se téléchargent en entier, avec le SHA-256 et la taille annoncés"),
    Check("robots", "robots.txt names the sitemap", "§5", robots_names_the_sitemap,
          fr="robots.txt nomme le plan du site"),
    Check("sitemap", "The sitemap lists the deployment's pages with valid dates", "§5",
          sitemap_lists_dated_pages,
          fr="Le plan du site liste les pages du déploiement avec des dates valides"),
    Check("validation", "The SHACL validation report of the data is published", "§5",
          validation_report_is_published,
          fr="Le rapport de validation SHACL des données est publié"),
    Check("change-feed", "The change feed is an Activity Streams 2.0 OrderedCollection "
                         "whose pages parse", "§9", change_feed_parses,
          fr=("Le flux des changements est une OrderedCollection Activity Streams 2.0 dont les "
              "pages se lisent")),
)
