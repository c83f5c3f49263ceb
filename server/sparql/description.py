"""The SPARQL 1.1 Service Description of the endpoint (W3C SPARQL 1.1 Service
Description, §3), returned by ``GET /sparql`` without a query to RDF clients.

Everything it lists comes from where the endpoint takes it: the result formats from the
format registry (the same table negotiation uses, so the two cannot drift), the named
graphs from the store, the counts from the snapshot. The default dataset is the
dataset's own IRI, described in VoID at ``/dataset``; its default graph is the merge
of the named graphs (``sd:UnionDefaultGraph``). The prefixes a query may use without
declaring them are listed as SHACL prefix declarations (``sh:declare``, SHACL §5.2.1),
the vocabulary RDF has for a prefix map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, VOID, XSD

from server.domain import formats
from server.domain.namespaces import SD
from server.store import Stats

__all__ = ["ServiceFacts", "service_description"]

@dataclass(frozen=True)
class ServiceFacts:
    """What the description says, gathered by the web layer (absolute URLs included)."""

    endpoint: str
    dataset: str
    dataset_description: str
    stats: Stats
    graphs: Sequence[str]
    result_formats: Sequence[formats.Format]
    federated: bool
    prefixes: Mapping[str, str] = field(default_factory=dict)  # known without PREFIX


def service_description(facts: ServiceFacts) -> list[ox.Quad]:
    """The description as quads in the default graph, ready for ``serialize_quads``."""
    out: list[ox.Quad] = []
    service = ox.NamedNode(facts.endpoint)
    dataset = ox.NamedNode(facts.dataset)
    default_graph = ox.BlankNode()

    def add(subject, predicate, obj) -> None:
        out.append(ox.Quad(subject, ox.NamedNode(str(predicate)), obj))

    add(service, RDF.type, _iri(SD.Service))
    add(service, SD.endpoint, service)
    add(service, SD.supportedLanguage, _iri(SD.SPARQL11Query))
    for feature in (SD.UnionDefaultGraph, SD.BasicFederatedQuery if facts.federated else None):
        if feature is not None:
            add(service, SD.feature, _iri(feature))
    for fmt in facts.result_formats:
        iri = formats.format_iri(fmt)
        if iri:
            add(service, SD.resultFormat, ox.NamedNode(iri))
    add(service, SD.defaultDataset, dataset)
    add(dataset, RDF.type, _iri(SD.Dataset))
    add(dataset, RDF.type, _iri(VOID.Dataset))
    add(dataset, RDFS.seeAlso, ox.NamedNode(facts.dataset_description))
    add(dataset, VOID.sparqlEndpoint, service)
    add(dataset, SD.defaultGraph, default_graph)
    add(default_graph, RDF.type, _iri(SD.Graph))
    add(default_graph, VOID.triples, _integer(facts.stats.triples))
    add(default_graph, DCTERMS.description,
        ox.Literal("The RDF merge of the named graphs: each triple once.", language="en"))
    for name in facts.graphs:
        out.extend(_named_graph(dataset, name, facts.stats.graphs.get(name)))
    for prefix, namespace in sorted(facts.prefixes.items()):
        out.extend(_prefix(service, prefix, namespace))
    return out


def _prefix(service: ox.NamedNode, prefix: str, namespace: str) -> Iterable[ox.Quad]:
    node = ox.BlankNode()
    yield ox.Quad(service, _iri(SH.declare), node)
    yield ox.Quad(node, _iri(RDF.type), _iri(SH.PrefixDeclaration))
    yield ox.Quad(node, _iri(SH.prefix), ox.Literal(prefix))
    yield ox.Quad(node, _iri(SH.namespace), ox.Literal(namespace, datatype=_iri(XSD.anyURI)))


def _named_graph(dataset: ox.NamedNode, name: str, triples: int | None) -> Iterable[ox.Quad]:
    node, graph = ox.BlankNode(), ox.BlankNode()
    yield ox.Quad(dataset, _iri(SD.namedGraph), node)
    yield ox.Quad(node, _iri(RDF.type), _iri(SD.NamedGraph))
    yield ox.Quad(node, _iri(SD.name), ox.NamedNode(name))
    yield ox.Quad(node, _iri(SD.graph), graph)
    yield ox.Quad(graph, _iri(RDF.type), _iri(SD.Graph))
    if triples is not None:
        yield ox.Quad(graph, _iri(VOID.triples), _integer(triples))


def _iri(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(XSD.integer))
