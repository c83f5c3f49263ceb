"""The dataset as a schema.org ``Dataset`` in JSON-LD, the markup Google Dataset Search reads.

Google reads the JSON-LD a landing page embeds
(https://developers.google.com/search/docs/appearance/structured-data/dataset): ``name``
and ``description`` are required; ``creator``, ``license``, ``keywords``, ``isBasedOn``,
``distribution`` (a ``DataDownload`` with ``contentUrl`` and ``encodingFormat``),
``temporalCoverage``, ``spatialCoverage``, ``sameAs``, ``url``, ``identifier`` and
``version`` are among those it recommends. Every value comes from the dataset's
description (``void.DatasetDescription``) or from the data: the coverage is only what
the source graphs state, the span of their dates and the places they name.

The context is embedded (``@vocab``), as every JSON-LD document of this server's is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, OWL, RDFS, XSD

from server.domain import formats
from server.domain.describe import once_per_version, sources
from server.domain.loading import Snapshot
from server.domain.namespaces import SCHEMA
from server.domain.void import DatasetDescription, publisher_name
from server.memo import Memo
from server.store import queries

__all__ = ["COVERAGE", "Coverage", "Place", "coverage", "dataset_coverage", "dataset_markup",
           "decoded", "encoded"]

# The classes of place whose instances a dataset covers (not venues: a building is where
# something happened, not the area the data is about).
AREA_CLASSES = (SCHEMA.Country, SCHEMA.AdministrativeArea, SCHEMA.City)
NAMES = (str(SCHEMA.name), str(RDFS.label))
COVERAGE = "coverage"  # its name among the values made at load (``domain.precomputed``)
# The places the landing pages' markup names, as it names at most 50 source articles: a
# summary for search engines, which every landing page carries (960 places, 250 KB of
# markup, at 1M generated statements); the data and its SPARQL endpoint hold them all.
PLACES = 50

_COVERAGE: Memo[Coverage] = Memo(4)


@dataclass(frozen=True)
class Place:
    iri: str
    names: tuple[ox.Literal, ...]
    same_as: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """When and where the source graphs are about, as far as they state it."""

    dates: tuple[str, ...]  # every xsd:date they state, sorted
    places: tuple[Place, ...]


def dataset_coverage(snapshot: Snapshot) -> Coverage:
    """What the articles' graphs cover (made at load, else read once per data version)."""

    def read() -> Coverage:
        return coverage(snapshot.store, [s.graph for s in sources(snapshot).ordered()
                                         if s.role == "article"])

    return once_per_version(snapshot, COVERAGE, _COVERAGE, read)


def encoded(covered: Coverage) -> dict:
    """``covered`` as JSON values."""
    return {"dates": list(covered.dates),
            "places": [[p.iri, [[n.value, n.language, n.datatype.value] for n in p.names],
                        list(p.same_as)] for p in covered.places]}


def decoded(document: dict) -> Coverage:
    """The coverage ``encoded`` wrote."""
    return Coverage(tuple(document["dates"]), tuple(
        Place(iri, tuple(_literal_of(*name) for name in names), tuple(same_as))
        for iri, names, same_as in document["places"]))


def _literal_of(value: str, language: str | None, datatype: str) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def coverage(store, graphs: Sequence[str]) -> Coverage:
    """The dates and the areas (countries, regions, cities) that ``graphs`` state."""
    if not graphs:
        return Coverage((), ())
    named = [ox.NamedNode(g) for g in graphs]
    dates = sorted({row["value"].value for row in store.query(queries.bind(
        queries.LITERALS_OF_TYPE, g=named, type=[ox.NamedNode(str(XSD.date))]))})
    found = sorted({row["s"].value for row in store.query(queries.bind(
        queries.INSTANCES_IN, g=named,
        **{"class": [ox.NamedNode(str(c)) for c in AREA_CLASSES]}))
        if isinstance(row["s"], ox.NamedNode)})
    return Coverage(tuple(dates), tuple(_place(store, iri) for iri in found))


def dataset_markup(desc: DatasetDescription, covered: Coverage) -> dict:
    """The ``Dataset`` node, ready for ``json.dumps``."""
    own = desc.own
    markup = {
        "@context": {"@vocab": str(SCHEMA)},
        "@type": "Dataset",
        "@id": desc.iri,
        "url": desc.iri,
        "sameAs": desc.iri,
        "identifier": desc.iri,
        "name": _texts(desc.titles),
        "description": _texts(desc.descriptions),
        "inLanguage": sorted(lang for lang in desc.titles if lang),
        "license": desc.licence,
        "isAccessibleForFree": True,
        "creator": [_agent(iri, desc) for iri in _objects(own, DCTERMS.creator)],
        "publisher": [_agent(iri, desc) for iri in _objects(own, DCTERMS.publisher)] or [{
            "@type": "Organization", "name": publisher_name(desc.addresses),
            "url": desc.addresses.home}],
        "isBasedOn": [{"@type": "NewsArticle", "@id": iri, "url": iri} for iri in desc.sources],
        "keywords": sorted({q.object.value for q in own
                            if q.predicate.value == str(DCAT.keyword)}),
        "version": desc.version,
        "dateModified": desc.modified.isoformat(),
        "distribution": [{
            "@type": "DataDownload", "name": f"{dump.label}, gzip", "contentUrl": dump.url,
            "encodingFormat": dump.media_type, "contentSize": f"{dump.size} B",
            "sha256": dump.sha256,
        } for dump in desc.dumps],
    } | ({"potentialAction": {
            "@type": "SearchAction", "name": "SPARQL 1.1",
            "target": {"@type": "EntryPoint",
                       "urlTemplate": f"{desc.addresses.sparql}?query={{query}}",
                       "contentType": [f.media_type for f in formats.RESULT_FORMATS]},
        }} if desc.addresses.sparql else {})
    if covered.dates:
        first, last = covered.dates[0], covered.dates[-1]
        markup["temporalCoverage"] = first if first == last else f"{first}/{last}"
    if covered.places:
        markup["spatialCoverage"] = [_place_markup(place) for place in covered.places[:PLACES]]
    return {key: value for key, value in markup.items() if value != []}


def _texts(texts: dict[str, str]) -> list[dict[str, str]] | str:
    tagged = [{"@value": text, "@language": lang} for lang, text in sorted(texts.items()) if lang]
    return tagged or next(iter(texts.values()), "")


def _objects(quads: Iterable[ox.Quad], predicate) -> list[str]:
    return sorted({q.object.value for q in quads
                   if q.predicate.value == str(predicate) and isinstance(q.object, ox.NamedNode)})


def _agent(iri: str, desc: DatasetDescription) -> dict:
    names = desc.agents.get(iri) or ()
    return {"@type": "Organization", "@id": iri, "url": iri,
            "name": [_literal(n) for n in names] or iri}


def _place(store, iri: str) -> Place:
    about = [q for q in store.describe(iri) if q.subject.value == iri]
    names = {q.object for q in about
             if q.predicate.value in NAMES and isinstance(q.object, ox.Literal)}
    same = {q.object.value for q in about
            if q.predicate.value == str(OWL.sameAs) and isinstance(q.object, ox.NamedNode)}
    return Place(iri, tuple(sorted(names, key=lambda n: (n.language or "", n.value))),
                 tuple(sorted(same)))


def _place_markup(place: Place) -> dict:
    markup = {"@type": "Place", "@id": place.iri,
              "name": [_literal(n) for n in place.names] or place.iri}
    if place.same_as:
        markup["sameAs"] = list(place.same_as)
    return markup


def _literal(literal: ox.Literal) -> dict[str, str] | str:
    return {"@value": literal.value, "@language": literal.language} if literal.language \
        else literal.value
