"""What DCAT-AP 3.0.0 asks of the description beyond DCAT: the class of every value.

SEMIC's shapes for DCAT-AP 3.0.0 (``releases/3.0.0/shacl/dcat-ap-SHACL.ttl``) check the
class of the values of most properties (``sh:class``) and run without inference: a
licence must be stated to be a ``dct:LicenseDocument``, a media type a ``dct:MediaType``,
an agent a ``foaf:Agent`` with a ``foaf:name``. One table, the range DCAT-AP gives each
property, types every IRI value the description carries, whether the data states it or
the description adds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from server.domain.namespaces import FOAF, SPDX

__all__ = ["RANGES", "AGENT_LINKS", "typed_values", "agent_names", "readable_name"]

# property -> the class DCAT-AP 3.0.0 gives its values
RANGES: dict[str, str] = {
    str(DCTERMS.license): str(DCTERMS.LicenseDocument),
    str(DCTERMS.language): str(DCTERMS.LinguisticSystem),
    str(DCTERMS.conformsTo): str(DCTERMS.Standard),
    str(DCTERMS.creator): str(FOAF.Agent),
    str(DCTERMS.publisher): str(FOAF.Agent),
    str(DCTERMS["format"]): str(DCTERMS.MediaTypeOrExtent),
    str(DCAT.mediaType): str(DCTERMS.MediaType),
    str(DCAT.compressFormat): str(DCTERMS.MediaType),
    str(DCAT.landingPage): str(FOAF.Document),
    str(DCAT.accessURL): str(RDFS.Resource),
    str(DCAT.downloadURL): str(RDFS.Resource),
    str(DCAT.endpointURL): str(RDFS.Resource),
    str(SPDX.algorithm): str(SPDX.ChecksumAlgorithm),
}
AGENT_LINKS = (str(DCTERMS.creator), str(DCTERMS.publisher))


def typed_values(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``value a Class`` for every IRI value of a property of ``RANGES``, once each.

    >>> licence = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
    >>> me = ox.NamedNode("https://example.org/dataset")
    >>> [q.object.value for q in typed_values([ox.Quad(me, ox.NamedNode(str(DCTERMS.license)),
    ...                                                  licence)])]
    ['http://purl.org/dc/terms/LicenseDocument']
    """
    found = {(q.object, RANGES[q.predicate.value]) for q in quads
             if q.predicate.value in RANGES and isinstance(q.object, ox.NamedNode)}
    rdf_type = ox.NamedNode(str(RDF.type))
    return [ox.Quad(value, rdf_type, ox.NamedNode(cls))
            for value, cls in sorted(found, key=lambda item: (item[0].value, item[1]))]


def agent_names(quads: Iterable[ox.Quad],
                names: Mapping[str, tuple[ox.Literal, ...]]) -> list[ox.Quad]:
    """The ``foaf:name`` of every agent named by IRI (DCAT-AP requires one): its names in
    the data, else the readable form of its IRI."""
    agents = sorted({q.object.value for q in quads
                     if q.predicate.value in AGENT_LINKS and isinstance(q.object, ox.NamedNode)})
    name = ox.NamedNode(str(FOAF.name))
    return [ox.Quad(ox.NamedNode(agent), name, literal) for agent in agents
            for literal in names.get(agent) or (ox.Literal(readable_name(agent)),)]


def readable_name(iri: str) -> str:
    """An IRI as a name when the data gives none: its host and path.

    >>> readable_name("https://w3id.org/grand-paris-russia/")
    'w3id.org/grand-paris-russia'
    """
    parts = urlsplit(iri)
    return f"{parts.netloc}{parts.path}".rstrip("/")
