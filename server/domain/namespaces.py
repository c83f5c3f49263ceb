"""The one prefix map of the publisher.

rdflib binds ``schema:`` to ``https://schema.org/`` by default, while most published
schema.org data (and ours) uses ``http://schema.org/``; so every graph we build is made
with ``bind_namespaces="none"`` and gets its prefixes from here, never from rdflib.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

__all__ = [
    "STANDARD_PREFIXES",
    "SCHEMA",
    "ORG",
    "SD",
    "VANN",
    "SPDX",
    "FOAF",
    "DASH",
    "AS",
    "EARL",
    "OA",
    "IANA_MEDIA_TYPES",
    "SPARQL_PROTOCOL",
    "LINK_TARGETS",
    "prefixes_for",
    "curie",
    "bind_prefixes",
    "new_graph",
]

SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DASH = Namespace("http://datashapes.org/dash#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")
EARL = Namespace("http://www.w3.org/ns/earl#")
OA = Namespace("http://www.w3.org/ns/oa#")  # W3C Web Annotation: sentences and their selectors
# Media types as DCAT-AP names them: IANA's register, written with ``http`` as DCAT-AP does.
IANA_MEDIA_TYPES = Namespace("http://www.iana.org/assignments/media-types/")
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

# Datasets we link to with owl:sameAs, for VoID link sets: (name, label, the dataset,
# the IRI prefixes of its entities).
LINK_TARGETS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("wikidata", "Wikidata", "https://www.wikidata.org/",
     ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/",
      "https://www.wikidata.org/wiki/")),
    ("dbpedia", "DBpedia", "https://dbpedia.org/",
     ("http://dbpedia.org/resource/", "https://dbpedia.org/resource/",
      "http://fr.dbpedia.org/resource/")),
)

STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sh": str(SH),
    "sd": str(SD),
    "vann": str(VANN),
    "spdx": str(SPDX),
    "foaf": str(FOAF),
    "oa": str(OA),
}


def prefixes_for(declared: dict[str, str]) -> dict[str, str]:
    """The standard prefixes plus those the dataset's own files declare.

    A declared prefix never rebinds a standard one (``schema:`` stays ``http://``), and a
    namespace already bound keeps its standard name.
    """
    merged = dict(STANDARD_PREFIXES)
    known = set(merged.values())
    for name, iri in sorted(declared.items()):
        if name and name not in merged and iri not in known:
            merged[name] = iri
            known.add(iri)
    return merged


def bind_prefixes(graph: Graph, prefixes: dict[str, str]) -> Graph:
    for name, iri in prefixes.items():
        graph.bind(name, iri, override=True, replace=True)
    return graph


def new_graph(prefixes: dict[str, str] | None = None) -> Graph:
    """An rdflib graph bound to our prefix map only."""
    graph = Graph(bind_namespaces="none")
    return bind_prefixes(graph, prefixes or STANDARD_PREFIXES)


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """The shortest prefixed name of ``iri`` under ``prefixes``, else the IRI itself.

    >>> curie("http://schema.org/Person", {"schema": "http://schema.org/"})
    'schema:Person'
    """
    best = None
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            rest = iri[len(namespace):]
            if "/" not in rest and "#" not in rest and (best is None or len(namespace) > best[1]):
                best = (f"{name}:{rest}", len(namespace))
    return best[0] if best else iri
