"""The dataset's description for harvesters: VoID and DCAT in one graph.

Built from the snapshot's counts, the format registry and the dumps (VoID §4-6, DCAT 3
§6.4-6.8): title, description and licence in French and English, the source
articles (``prov:wasDerivedFrom``), the publisher, ``void:triples``, class and property
partitions, the SPARQL endpoint (also a ``dcat:DataService``), ``void:uriSpace``, one
``void:dataDump`` and one ``dcat:Distribution`` (with its SHA-256) per dump, example
resources, the vocabularies used, link sets to Wikidata and DBpedia, and
``dcterms:modified``. It conforms to DCAT-AP 3.0.0 (``dcat_ap``): media types from
IANA's register, file types from the EU authority table, every value of its class.

What the data itself states about the dataset IRI (``BASE dataset``, e.g. in
``data/dataset.ttl``) is kept and wins over the defaults here. The licence is the
``licence`` setting (CC BY 4.0 unless configured): one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from server.domain import dcat_ap, formats
from server.domain.dumps import Dump
from server.domain.loading import Snapshot
from server.domain.namespaces import (
    FOAF,
    IANA_MEDIA_TYPES,
    LINK_TARGETS,
    SCHEMA,
    SD,
    SPARQL_PROTOCOL,
    SPDX,
    STANDARD_PREFIXES,
    curie,
)
from server.store import queries

__all__ = [
    "Addresses",
    "DatasetFacts",
    "DatasetDescription",
    "dataset_iri",
    "dataset_facts",
    "dataset_description",
    "distribution_quads",
    "publisher_name",
    "void_quads",
]

DEFAULT_TITLE = {"fr": "Jeu de données liées", "en": "Linked dataset"}
DEFAULT_DESCRIPTION = {
    "fr": "Un graphe de connaissances validé par SHACL, publié en données liées : une page "
          "par ressource, un point d'accès SPARQL 1.1 et des exports complets.",
    "en": "A SHACL-validated knowledge graph published as linked data: a page per "
          "resource, a SPARQL 1.1 endpoint and full dumps.",
}
RIGHTS = {"fr": "Données réutilisables selon la licence {}.",
          "en": "Data reusable under the licence {}."}
# The source articles the description names (dct:source, the page, the markup's isBasedOn);
# how many there are in all is said beside them.
SOURCES = 50
EXAMPLES = 3
EXAMPLE_CLASSES = 12  # look for examples among the most populous classes only
# What names an agent the data describes (DCAT-AP wants a foaf:name for each).
NAME_PREDICATES = (str(FOAF.name), str(SCHEMA.name), str(RDFS.label))


@dataclass(frozen=True)
class Addresses:
    """This server's absolute URLs, computed by the web layer (public URL aware)."""

    home: str
    description: str
    sparql: str | None  # the SPARQL endpoint named, if any
    sitemap: str
    validation: str
    dumps: dict[str, str]  # dump format name -> URL


@dataclass(frozen=True)
class LinkSet:
    """The links of one predicate from this dataset to another (VoID §5, ``void:Linkset``)."""

    name: str
    label: str
    target: str
    links: int
    predicate: str = str(OWL.sameAs)


@dataclass(frozen=True)
class Partition:
    iri: str
    count: int


@dataclass(frozen=True)
class SourceText:
    """An article's text as the data describes it (DESIGN §8): its checksum and rights."""

    iri: str
    sha256: str
    article: str | None
    rights: tuple[ox.Literal, ...]


@dataclass(frozen=True)
class DatasetFacts:
    """What the description needs from the store: read once per data version."""

    own: tuple[ox.Quad, ...]
    sources: tuple[str, ...]  # the first SOURCES articles
    sources_total: int
    examples: tuple[str, ...]
    link_sets: tuple[LinkSet, ...]
    agents: dict[str, tuple[ox.Literal, ...]]  # creator/publisher IRI -> its names
    texts: tuple[SourceText, ...] = ()


@dataclass(frozen=True)
class DumpEntry:
    format: str
    label: str
    media_type: str
    file_type: str | None  # the EU file type, where the authority table has one
    url: str
    size: int
    sha256: str
    statements: int


@dataclass(frozen=True)
class DatasetDescription:
    """Everything the description says, as plain values: the graph and the page."""

    iri: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    licence: str
    version: str
    modified: datetime
    triples: int
    quads: int
    subjects: int
    conforms: bool | None
    shapes: str
    uri_space: str
    addresses: Addresses
    sources: tuple[str, ...]
    sources_total: int
    examples: tuple[str, ...]
    vocabularies: tuple[str, ...]
    classes: tuple[Partition, ...]
    properties: tuple[Partition, ...]
    graphs: tuple[Partition, ...]
    link_sets: tuple[LinkSet, ...]
    dumps: tuple[DumpEntry, ...]
    own: tuple[ox.Quad, ...]
    agents: dict[str, tuple[ox.Literal, ...]]
    texts: tuple[SourceText, ...] = ()


def dataset_iri(base_iri: str) -> str:
    return f"{base_iri}dataset"


def dataset_facts(snapshot: Snapshot, base_iri: str) -> DatasetFacts:
    """Read the dataset's own statements, its sources, examples and outgoing links."""
    store = snapshot.store
    me = ox.NamedNode(dataset_iri(base_iri))
    own = tuple(q for q in store.describe(me.value)
                if q.subject == me or isinstance(q.subject, ox.BlankNode))
    articles = _instances(store, str(SCHEMA.NewsArticle))
    ranked = sorted(snapshot.stats.classes.items(), key=lambda item: -item[1])
    examples: list[str] = []
    for cls, _ in ranked[:EXAMPLE_CLASSES]:
        found = [iri for iri in _instances(store, cls) if iri.startswith(f"{base_iri}id/")]
        if found:
            examples.append(found[0])
        if len(examples) == EXAMPLES:
            break
    return DatasetFacts(own=own, sources=articles[:SOURCES], sources_total=len(articles),
                        examples=tuple(examples),
                        link_sets=_link_sets(store), agents=_agent_names(store, own),
                        texts=_source_texts(store, base_iri))


def dataset_description(snapshot: Snapshot, base_iri: str, licence: str, facts: DatasetFacts,
                        addresses: Addresses, dumps: Iterable[Dump]) -> DatasetDescription:
    stats = snapshot.stats
    stated = {q.predicate.value: q for q in facts.own}
    return DatasetDescription(
        iri=dataset_iri(base_iri),
        titles=_texts(facts.own, str(DCTERMS.title)) or dict(DEFAULT_TITLE),
        descriptions=_texts(facts.own, str(DCTERMS.description)) or dict(DEFAULT_DESCRIPTION),
        licence=stated[str(DCTERMS.license)].object.value if str(DCTERMS.license) in stated
        else licence,
        version=snapshot.version,
        modified=snapshot.loaded_at,
        triples=stats.triples,
        quads=stats.quads,
        subjects=stats.subjects,
        conforms=None if snapshot.report is None else snapshot.report.conforms,
        shapes=snapshot.staged.shapes_graph,
        uri_space=f"{base_iri}id/",
        addresses=addresses,
        sources=facts.sources,
        sources_total=facts.sources_total,
        examples=facts.examples,
        vocabularies=_vocabularies(stats, snapshot.prefixes),
        classes=_partitions(stats.classes),
        properties=_partitions(stats.properties),
        graphs=_partitions(stats.graphs),
        link_sets=facts.link_sets,
        dumps=tuple(_dump_entry(d, addresses) for d in dumps),
        own=facts.own,
        agents=facts.agents,
        texts=facts.texts,
    )


def publisher_name(addresses: Addresses) -> str:
    """The publisher when the data names none: this server, by its host."""
    return urlsplit(addresses.home).netloc


def void_quads(desc: DatasetDescription) -> list[ox.Quad]:
    """The description as quads in the default graph."""
    out = _Builder()
    me = ox.NamedNode(desc.iri)
    out.add(me, RDF.type, VOID.Dataset, DCAT.Dataset)
    out.quads.extend(ox.Quad(q.subject, q.predicate, q.object) for q in desc.own)
    stated = {q.predicate.value for q in desc.own}
    if str(DCTERMS.title) not in stated:
        out.add(me, DCTERMS.title, *_lang(desc.titles))
    if str(DCTERMS.description) not in stated:
        out.add(me, DCTERMS.description, *_lang(desc.descriptions))
    licence = ox.NamedNode(desc.licence)
    if str(DCTERMS.license) not in stated:
        out.add(me, DCTERMS.license, licence)
    out.add(me, DCTERMS.rights, *_lang({lang: rights.format(desc.licence)
                                        for lang, rights in RIGHTS.items()}))
    if str(DCTERMS.publisher) not in stated:
        publisher = ox.BlankNode()
        out.add(me, DCTERMS.publisher, publisher)
        out.add(publisher, RDF.type, FOAF.Agent)
        out.add(publisher, FOAF.name, ox.Literal(publisher_name(desc.addresses)))
        out.add(publisher, FOAF.homepage, ox.NamedNode(desc.addresses.home))
    out.add(me, PROV.wasDerivedFrom, *map(ox.NamedNode, desc.sources))
    for text in desc.texts:
        _source_text(out, me, text)
    out.add(me, DCTERMS.modified, ox.Literal(desc.modified.isoformat(), datatype=_xsd("dateTime")))
    out.add(me, OWL.versionInfo, ox.Literal(desc.version))
    if desc.conforms:
        out.add(me, DCTERMS.conformsTo, ox.NamedNode(desc.shapes))
    out.add(me, DCAT.landingPage, ox.NamedNode(desc.addresses.home))
    out.add(me, VOID.rootResource, ox.NamedNode(desc.addresses.home))
    out.add(me, VOID.triples, _integer(desc.triples))
    out.add(me, VOID.distinctSubjects, _integer(desc.subjects))
    out.add(me, VOID.classes, _integer(len(desc.classes)))
    out.add(me, VOID.properties, _integer(len(desc.properties)))
    out.add(me, VOID.uriSpace, ox.Literal(desc.uri_space))
    out.add(me, VOID.exampleResource, *map(ox.NamedNode, desc.examples))
    out.add(me, VOID.vocabulary, *map(ox.NamedNode, desc.vocabularies))
    out.add(me, VOID.feature, *(ox.NamedNode(iri) for iri in map(formats.format_iri,
                                                                 formats.RDF_FORMATS) if iri))
    if desc.addresses.sparql:
        _endpoint(out, me, ox.NamedNode(desc.addresses.sparql))
    for dump in desc.dumps:
        _distribution(out, me, dump, licence)
    for cls in desc.classes:
        node = out.partition(me, VOID.classPartition, VOID["class"], cls.iri)
        out.add(node, VOID.entities, _integer(cls.count))
    for prop in desc.properties:
        node = out.partition(me, VOID.propertyPartition, VOID.property, prop.iri)
        out.add(node, VOID.triples, _integer(prop.count))
    for graph in desc.graphs:
        node = ox.NamedNode(graph.iri)
        out.add(me, VOID.subset, node)
        out.add(node, RDF.type, VOID.Dataset)
        out.add(node, VOID.triples, _integer(graph.count))
    for link_set in desc.link_sets:
        node = ox.NamedNode(f"{desc.iri}#links-{link_set.name}")
        out.add(me, VOID.subset, node)
        out.add(node, RDF.type, VOID.Linkset)
        label = f"{curie(link_set.predicate, STANDARD_PREFIXES)} → {link_set.label}"
        out.add(node, RDFS.label, ox.Literal(label))
        out.add(node, VOID.target, me, ox.NamedNode(link_set.target))
        out.add(node, VOID.subjectsTarget, me)
        out.add(node, VOID.objectsTarget, ox.NamedNode(link_set.target))
        out.add(node, VOID.linkPredicate, ox.NamedNode(link_set.predicate))
        out.add(node, VOID.triples, _integer(link_set.links))
    out.quads.extend(dcat_ap.agent_names(out.quads, desc.agents))
    out.quads.extend(dcat_ap.typed_values(out.quads))
    return out.quads


def _distribution(out: _Builder, me: ox.NamedNode, dump: DumpEntry, licence: ox.NamedNode) -> None:
    url = ox.NamedNode(dump.url)
    out.add(me, VOID.dataDump, url)
    out.add(me, DCAT.distribution, url)
    out.add(url, RDF.type, DCAT.Distribution)
    out.add(url, DCTERMS.title, ox.Literal(f"{dump.label}, gzip"))
    out.add(url, DCAT.downloadURL, url)
    out.add(url, DCAT.accessURL, url)
    out.add(url, DCAT.mediaType, ox.NamedNode(IANA_MEDIA_TYPES[dump.media_type]))
    out.add(url, DCAT.compressFormat, ox.NamedNode(IANA_MEDIA_TYPES["application/gzip"]))
    if dump.file_type:
        out.add(url, DCTERMS["format"], ox.NamedNode(dump.file_type))
    out.add(url, DCAT.byteSize, ox.Literal(str(dump.size), datatype=_xsd("nonNegativeInteger")))
    out.add(url, DCTERMS.license, licence)
    out.add(url, VOID.triples, _integer(dump.statements))
    checksum = ox.BlankNode()
    out.add(url, SPDX.checksum, checksum)
    out.add(checksum, RDF.type, SPDX.Checksum)
    out.add(checksum, SPDX.algorithm, ox.NamedNode(SPDX.checksumAlgorithm_sha256))
    out.add(checksum, SPDX.checksumValue, ox.Literal(dump.sha256, datatype=_xsd("hexBinary")))


def _source_text(out: _Builder, me: ox.NamedNode, text: SourceText) -> None:
    """A text the dataset was read from: a document with its media type, its SHA-256 (as
    SPDX writes checksums, like the dumps') and the rights of its original publisher."""
    node = ox.NamedNode(text.iri)
    out.add(me, PROV.wasDerivedFrom, node)
    out.add(node, RDF.type, FOAF.Document, SCHEMA.MediaObject)
    out.add(node, DCTERMS["format"], ox.NamedNode(IANA_MEDIA_TYPES["text/plain"]))
    out.add(node, SCHEMA.sha256, ox.Literal(text.sha256))
    checksum = ox.BlankNode()
    out.add(node, SPDX.checksum, checksum)
    out.add(checksum, RDF.type, SPDX.Checksum)
    out.add(checksum, SPDX.algorithm, ox.NamedNode(SPDX.checksumAlgorithm_sha256))
    out.add(checksum, SPDX.checksumValue, ox.Literal(text.sha256, datatype=_xsd("hexBinary")))
    out.add(node, DCTERMS.rights, *text.rights)
    if text.article:
        out.add(node, SCHEMA.encodesCreativeWork, ox.NamedNode(text.article))


class _Builder:
    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []

    def add(self, subject, predicate, *objects) -> None:
        subject = subject if isinstance(subject, (ox.NamedNode, ox.BlankNode)) else ox.NamedNode(subject)
        for obj in objects:
            obj = obj if isinstance(obj, (ox.NamedNode, ox.BlankNode, ox.Literal)) else ox.NamedNode(obj)
            self.quads.append(ox.Quad(subject, ox.NamedNode(str(predicate)), obj))

    def partition(self, me, link, key, iri: str) -> ox.BlankNode:
        node = ox.BlankNode()
        self.add(me, link, node)
        self.add(node, key, ox.NamedNode(iri))
        return node


def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(XSD[name]))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_xsd("integer"))


def _lang(texts: dict[str, str]) -> list[ox.Literal]:
    return [ox.Literal(text, language=lang) for lang, text in texts.items()]


def _texts(own: Iterable[ox.Quad], predicate: str) -> dict[str, str]:
    return {q.object.language or "": q.object.value for q in own
            if q.predicate.value == predicate and isinstance(q.object, ox.Literal)}


def _partitions(counts: dict[str, int]) -> tuple[Partition, ...]:
    return tuple(Partition(iri, n) for iri, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def _vocabularies(stats, prefixes: dict[str, str]) -> tuple[str, ...]:
    used = set(stats.classes) | set(stats.properties)
    return tuple(sorted({ns for ns in prefixes.values()
                         if any(iri.startswith(ns) for iri in used)}))


def _instances(store, cls: str) -> tuple[str, ...]:
    text = queries.bind(queries.INSTANCES, **{"class": [ox.NamedNode(cls)]})
    return tuple(sorted(s["s"].value for s in store.query(text) if isinstance(s["s"], ox.NamedNode)))


def _source_texts(store, base_iri: str) -> tuple[SourceText, ...]:
    """The texts under ``BASE source/`` the data describes, with their checksum."""
    found: dict[str, tuple[str, str | None, list[ox.Literal]]] = {}
    for row in store.query(queries.SOURCE_TEXTS):
        text, sha, article, rights = row["text"], row["sha"], row["article"], row["rights"]
        if not (isinstance(text, ox.NamedNode) and text.value.startswith(f"{base_iri}source/")
                and isinstance(sha, ox.Literal)):
            continue
        entry = found.setdefault(text.value, (sha.value, None, []))
        if isinstance(article, ox.NamedNode):
            entry = found[text.value] = (entry[0], article.value, entry[2])
        if isinstance(rights, ox.Literal) and rights not in entry[2]:
            entry[2].append(rights)
    return tuple(SourceText(iri, sha, article, tuple(sorted(rights, key=lambda r: r.language or "")))
                 for iri, (sha, article, rights) in sorted(found.items()))


def _link_sets(store) -> tuple[LinkSet, ...]:
    """How many distinct ``owl:sameAs`` links go to each dataset of ``LINK_TARGETS``."""
    targets = [s["o"].value for s in store.query(
        queries.bind(queries.SAME_AS, link=[ox.NamedNode(str(OWL.sameAs))]))]
    found = []
    for name, label, dataset, prefixes in LINK_TARGETS:
        links = sum(1 for target in targets if target.startswith(prefixes))
        if links:
            found.append(LinkSet(name, label, dataset, links))
    return tuple(found)


def _agent_names(store, own: Iterable[ox.Quad]) -> dict[str, tuple[ox.Literal, ...]]:
    """The names the data gives each agent the dataset names by IRI (creator, publisher)."""
    agents = {q.object.value for q in own
              if q.predicate.value in dcat_ap.AGENT_LINKS and isinstance(q.object, ox.NamedNode)}
    return {agent: tuple(sorted({q.object for q in store.describe(agent)
                                 if q.subject.value == agent and isinstance(q.object, ox.Literal)
                                 and q.predicate.value in NAME_PREDICATES},
                                key=lambda name: (name.language or "", name.value)))
            for agent in sorted(agents) if store.exists(agent)}


def _endpoint(out: _Builder, me: ox.NamedNode, endpoint: ox.NamedNode) -> None:
    """The SPARQL endpoint, as VoID and DCAT (a ``dcat:DataService``) name it."""
    out.add(me, VOID.sparqlEndpoint, endpoint)
    out.add(endpoint, RDF.type, DCAT.DataService, SD.Service)
    out.add(endpoint, DCAT.endpointURL, endpoint)
    out.add(endpoint, SD.endpoint, endpoint)
    out.add(endpoint, DCAT.servesDataset, me)
    out.add(endpoint, DCTERMS.conformsTo, ox.NamedNode(SPARQL_PROTOCOL))
    out.add(endpoint, DCTERMS.title, *_lang({"fr": "Point d'accès SPARQL 1.1",
                                             "en": "SPARQL 1.1 endpoint"}))
    out.add(me, DCAT.service, endpoint)


def _dump_entry(dump: Dump, addresses: Addresses) -> DumpEntry:
    return _entry(dump, addresses.dumps[dump.format])


def _entry(dump: Dump, url: str) -> DumpEntry:
    fmt = formats.by_name(dump.format)
    return DumpEntry(format=dump.format, label=fmt.label, media_type=fmt.media_type,
                     file_type=formats.file_type_iri(fmt), url=url,
                     size=dump.size, sha256=dump.sha256, statements=dump.statements)


def distribution_quads(dataset: str, dump: Dump, url: str, licence: str) -> list[ox.Quad]:
    """A dump at ``url`` as a distribution of ``dataset``, with its size and checksum: the
    same statements for the current dumps and for those of a release."""
    out = _Builder()
    _distribution(out, ox.NamedNode(dataset), _entry(dump, url), ox.NamedNode(licence))
    return out.quads
