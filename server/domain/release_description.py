"""The releases in DCAT 3 (§11, versioning): each a dataset of its own, in one series.

The dataset (``BASE dataset``) ``dcat:hasVersion`` each release and
``dcat:hasCurrentVersion`` the newest; a release (``BASE releases#{name}``, described
by the ``/releases`` document) has ``dcat:version``, ``dct:issued``,
``prov:wasRevisionOf`` and ``dcat:previousVersion`` the release before it, and its dumps
as distributions with their size and SHA-256, like the current dumps
(``void.distribution_quads``). The releases form a ``dcat:DatasetSeries``
(``BASE releases``). Titles and descriptions are given in French and English, as
DCAT-AP asks of every dataset and series.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from server.domain import dcat_ap, void
from server.domain.releases import Release

__all__ = ["series_iri", "release_iri", "release_quads"]

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 terms (rdflib's DCAT is closed)
SERIES_TITLE = {"fr": "Versions publiées du jeu de données",
                "en": "Published releases of the dataset"}
SERIES_DESCRIPTION = {
    "fr": "Chaque version publiée des données, avec ses exports et leurs sommes de contrôle.",
    "en": "Every published release of the data, with its dumps and their checksums.",
}
RELEASE_TITLE = {"fr": "Version {} du jeu de données", "en": "Release {} of the dataset"}
RELEASE_DESCRIPTION = {
    "fr": "Les données telles que publiées le {}, citables et reproductibles.",
    "en": "The data as released on {}, citable and reproducible.",
}

# (release name, dump format name) -> the dump's URL
DumpUrl = Callable[[str, str], str]


def series_iri(base_iri: str) -> str:
    return f"{base_iri}releases"


def release_iri(base_iri: str, name: str) -> str:
    """
    >>> release_iri("https://example.org/", "2026-12-05")
    'https://example.org/releases#2026-12-05'
    """
    return f"{series_iri(base_iri)}#{name}"


def release_quads(releases: Sequence[Release], base_iri: str, licence: str,
                  dump_url: DumpUrl) -> list[ox.Quad]:
    """The series, every release with its dumps, and the dataset's links to them."""
    if not releases:
        return []
    dataset = ox.NamedNode(void.dataset_iri(base_iri))
    series = ox.NamedNode(series_iri(base_iri))
    quads = [
        _quad(series, RDF.type, ox.NamedNode(DCAT.DatasetSeries)),
        *(_quad(series, DCTERMS.title, ox.Literal(text, language=lang))
          for lang, text in SERIES_TITLE.items()),
        *(_quad(series, DCTERMS.description, ox.Literal(text, language=lang))
          for lang, text in SERIES_DESCRIPTION.items()),
        _quad(series, DCAT.first, ox.NamedNode(release_iri(base_iri, releases[0].name))),
        _quad(series, DCAT.last, ox.NamedNode(release_iri(base_iri, releases[-1].name))),
        _quad(dataset, DCAT.hasCurrentVersion,
              ox.NamedNode(release_iri(base_iri, releases[-1].name))),
    ]
    for release in releases:
        quads.extend(_release(release, base_iri, licence, dump_url))
    return [*quads, *dcat_ap.typed_values(quads)]


def _release(release: Release, base_iri: str, licence: str, dump_url: DumpUrl) -> list[ox.Quad]:
    me = ox.NamedNode(release_iri(base_iri, release.name))
    dataset = ox.NamedNode(void.dataset_iri(base_iri))
    day = release.issued.date().isoformat()
    quads = [
        _quad(dataset, DCAT.hasVersion, me),
        _quad(me, RDF.type, ox.NamedNode(DCAT.Dataset)),
        *(_quad(me, DCTERMS.title, ox.Literal(text.format(release.name), language=lang))
          for lang, text in RELEASE_TITLE.items()),
        *(_quad(me, DCTERMS.description, ox.Literal(text.format(day), language=lang))
          for lang, text in RELEASE_DESCRIPTION.items()),
        _quad(me, DCAT.version, ox.Literal(release.name)),
        _quad(me, OWL.versionInfo, ox.Literal(release.version)),
        _quad(me, DCTERMS.issued, ox.Literal(release.issued.isoformat(),
                                             datatype=ox.NamedNode(str(XSD.dateTime)))),
        _quad(me, DCAT.isVersionOf, dataset),
        _quad(me, DCAT.inSeries, ox.NamedNode(series_iri(base_iri))),
    ]
    if release.previous:
        previous = ox.NamedNode(release_iri(base_iri, release.previous))
        quads += [_quad(me, PROV.wasRevisionOf, previous),
                  _quad(me, DCAT.previousVersion, previous)]
    for dump in release.dumps:
        quads.extend(void.distribution_quads(me.value, dump, dump_url(release.name, dump.format),
                                             licence))
    return quads


def _quad(subject, predicate, obj) -> ox.Quad:
    return ox.Quad(subject, ox.NamedNode(str(predicate)), obj)
