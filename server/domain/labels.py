"""What to call a term: the label a reader sees instead of an IRI.

DESIGN §3 fixes the order: a label in the reader's language, then in the other
language, then any ``skos:prefLabel``, ``rdfs:label``, ``schema:name``, then a readable
form of the IRI. Labels come from the data (the ontology restates labels for the
external terms it uses); a few core terms that no dataset labels are named here.
Also the one text folding used by search: case- and accent-insensitive (Unicode NFKD
without combining marks, then case folding).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SH, SKOS, VOID, XSD

from server.domain.languages import LANGUAGES
from server.domain.namespaces import DASH, SCHEMA, VANN

__all__ = ["VOCABULARY_LABELS", "LABEL_PREDICATES", "Label", "Labels", "fold", "other_language", "readable"]

# In the order DESIGN §3 gives, after the reader's and the other language.
LABEL_PREDICATES: tuple[str, ...] = (str(SKOS.prefLabel), str(RDFS.label), str(SCHEMA.name))
_RANK = {iri: rank for rank, iri in enumerate(LABEL_PREDICATES)}

# Core terms that datasets seldom label themselves (en, fr).
CORE_LABELS: dict[str, tuple[str, str]] = {
    str(RDF.type): ("type", "type"),
    str(RDFS.label): ("label", "libellé"),
    str(RDFS.comment): ("comment", "commentaire"),
    str(RDFS.seeAlso): ("see also", "voir aussi"),
    str(RDFS.subClassOf): ("subclass of", "sous-classe de"),
    str(RDFS.subPropertyOf): ("subproperty of", "sous-propriété de"),
    str(RDFS.domain): ("domain", "domaine"),
    str(RDFS.range): ("range", "portée"),
    str(RDFS.isDefinedBy): ("defined by", "défini par"),
    str(OWL.sameAs): ("same as", "identique à"),
    str(OWL.inverseOf): ("inverse of", "inverse de"),
    str(SKOS.prefLabel): ("preferred label", "libellé préféré"),
    str(SKOS.altLabel): ("alternative label", "autre libellé"),
    str(SKOS.definition): ("definition", "définition"),
    str(SKOS.note): ("note", "note"),
    str(DCTERMS.title): ("title", "titre"),
    str(DCTERMS.description): ("description", "description"),
    str(DCTERMS.source): ("source", "source"),
    str(XSD.date): ("date", "date"),
    str(XSD.dateTime): ("date and time", "date et heure"),
    str(XSD.gYear): ("year", "année"),
    str(XSD.gMonthDay): ("day of the year", "jour de l’année"),
    str(XSD.integer): ("integer", "entier"),
    str(XSD.decimal): ("decimal", "décimal"),
    str(XSD.double): ("number", "nombre"),
    str(XSD.boolean): ("boolean", "booléen"),
    str(XSD.anyURI): ("URI", "URI"),
    str(XSD.string): ("text", "texte"),
    str(RDF.langString): ("text with a language", "texte avec langue"),
    str(RDF.Property): ("property", "propriété"),
    str(RDFS.Class): ("class", "classe"),
    str(OWL.Class): ("class", "classe"),
    str(OWL.Ontology): ("ontology", "ontologie"),
    str(OWL.ObjectProperty): ("object property", "propriété d’objet"),
    str(OWL.DatatypeProperty): ("datatype property", "propriété de données"),
    str(OWL.AnnotationProperty): ("annotation property", "propriété d’annotation"),
    str(OWL.FunctionalProperty): ("functional", "fonctionnelle"),
    str(OWL.TransitiveProperty): ("transitive", "transitive"),
    str(OWL.SymmetricProperty): ("symmetric", "symétrique"),
    str(OWL.NamedIndividual): ("individual", "individu"),
    str(SH.NodeShape): ("node shape", "forme de nœud"),
    str(SH.PropertyShape): ("property shape", "forme de propriété"),
    str(SH.PropertyGroup): ("property group", "groupe de propriétés"),
    str(SH.SPARQLTarget): ("SPARQL target", "cible SPARQL"),
    # the terms the shapes, the ontology and the dataset description use, so that
    # /dataset names each in the reader's language
    **{str(SH[name]): words for name, words in {
        "message": ("message", "message"), "path": ("path", "chemin"),
        "order": ("order", "rang"), "property": ("property constraint", "contrainte de propriété"),
        "group": ("group", "groupe"), "class": ("value class", "classe des valeurs"),
        "targetClass": ("target class", "classe visée"), "maxCount": ("at most", "au plus"),
        "minCount": ("at least", "au moins"), "description": ("help text", "texte d’aide"),
        "datatype": ("value datatype", "type des valeurs"), "select": ("SPARQL query", "requête SPARQL"),
        "prefixes": ("prefixes", "préfixes"), "or": ("one of", "l’une de"),
        "declare": ("prefix declaration", "déclaration de préfixe"),
        "languageIn": ("languages allowed", "langues permises"), "namespace": ("namespace", "espace de noms"),
        "prefix": ("prefix", "préfixe"), "sparql": ("SPARQL constraint", "contrainte SPARQL"),
        "qualifiedMinCount": ("at least (qualified)", "au moins (qualifié)"),
        "qualifiedMaxCount": ("at most (qualified)", "au plus (qualifié)"),
        "qualifiedValueShape": ("qualifying shape", "forme qualifiante"), "target": ("target", "cible"),
        "inversePath": ("inverse path", "chemin inverse"), "in": ("one of the values", "l’une des valeurs"),
        "name": ("name on pages", "nom dans les pages"), "nodeKind": ("kind of node", "sorte de nœud"),
        "pattern": ("pattern", "motif"), "uniqueLang": ("one per language", "une par langue"),
        "xone": ("exactly one of", "exactement une de"), "disjoint": ("disjoint with", "disjoint de"),
        "hasValue": ("has value", "a pour valeur"), "severity": ("severity", "gravité"),
        "targetSubjectsOf": ("targets subjects of", "vise les sujets de"),
    }.items()},
    str(RDF.first): ("first item", "premier élément"),
    str(RDF.rest): ("rest of the list", "reste de la liste"),
    str(OWL.unionOf): ("union of", "union de"),
    str(OWL.propertyDisjointWith): ("disjoint with property", "propriété disjointe de"),
    str(OWL.versionInfo): ("version", "version"),
    str(VOID.Dataset): ("dataset (VoID)", "jeu de données (VoID)"),
    str(VOID.vocabulary): ("vocabulary used", "vocabulaire utilisé"),
    str(VOID.uriSpace): ("IRI space", "espace d’IRI"),
    str(DCAT.Dataset): ("dataset (DCAT)", "jeu de données (DCAT)"),
    str(DCAT.keyword): ("keyword", "mot-clé"),
    str(DCTERMS.creator): ("creator", "créateur"),
    str(DCTERMS.language): ("language", "langue"),
    str(DCTERMS.license): ("licence", "licence"),
    str(VANN.preferredNamespacePrefix): ("preferred prefix", "préfixe préféré"),
    str(VANN.preferredNamespaceUri): ("preferred namespace", "espace de noms préféré"),
    str(DASH.composite): ("owns its values", "possède ses valeurs"),
    str(SH.Violation): ("violation", "violation"),
    str(SH.Warning): ("warning", "avertissement"),
    str(SH.Info): ("information", "information"),
    str(SH.IRI): ("an IRI", "une IRI"),
    str(SH.Literal): ("a literal", "un littéral"),
    str(SH.BlankNode): ("a blank node", "un nœud anonyme"),
    str(SH.BlankNodeOrIRI): ("an IRI or a blank node", "une IRI ou un nœud anonyme"),
    str(SH.IRIOrLiteral): ("an IRI or a literal", "une IRI ou un littéral"),
    str(SH.BlankNodeOrLiteral): ("a blank node or a literal", "un nœud anonyme ou un littéral"),
}
# The vocabularies datasets reuse, by namespace: how a page names them.
VOCABULARY_LABELS: dict[str, tuple[str, str]] = {
    "http://schema.org/": ("schema.org", "schema.org"),
    "https://schema.org/": ("schema.org", "schema.org"),
    "http://www.w3.org/ns/org#": ("W3C Organization Ontology", "ontologie des organisations du W3C"),
    "http://www.w3.org/2004/02/skos/core#": ("SKOS", "SKOS"),
    "http://www.w3.org/ns/prov#": ("PROV-O", "PROV-O"),
    "http://purl.org/dc/terms/": ("DCMI Metadata Terms", "termes de métadonnées DCMI"),
    "http://www.w3.org/2000/01/rdf-schema#": ("RDF Schema", "RDF Schema"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": ("RDF", "RDF"),
    "http://www.w3.org/2002/07/owl#": ("OWL", "OWL"),
    "http://www.w3.org/ns/shacl#": ("SHACL", "SHACL"),
    "http://rdfs.org/ns/void#": ("VoID", "VoID"),
    "http://www.w3.org/ns/dcat#": ("DCAT", "DCAT"),
    "http://www.w3.org/ns/oa#": ("Web Annotation", "Web Annotation"),
    "http://www.w3.org/2001/XMLSchema#": ("XML Schema datatypes", "types de données XML Schema"),
    "http://datashapes.org/dash#": ("DASH data shapes", "DASH (formes de données)"),
    "http://purl.org/vocab/vann/": ("VANN vocabulary annotations", "VANN (annotations de vocabulaires)"),
}
CORE_LABELS.update(VOCABULARY_LABELS)
# Licences datasets commonly state, named as their publishers name them.
CORE_LABELS.update({
    "https://creativecommons.org/licenses/by/4.0/": (
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "https://creativecommons.org/licenses/by-sa/4.0/": (
        "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
        "Creative Commons Attribution - Partage dans les mêmes conditions 4.0 International (CC BY-SA 4.0)"),
    "https://creativecommons.org/publicdomain/zero/1.0/": (
        "CC0 1.0 Universal", "CC0 1.0 universel"),
})
_CORE_LANGUAGES = ("en", "fr")


def fold(text: str) -> str:
    """Text as search compares it: no case, no accents, one kind of apostrophe.

    >>> fold("Andreï Tchibis"), fold("ÉCONOMIQUE"), fold("d’avenir")
    ('andrei tchibis', 'economique', "d'avenir")
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def readable(iri: str) -> str:
    """A readable stand-in for an IRI nobody labelled: its last segment, in words.

    >>> readable("https://w3id.org/x/ontology#signingDate")
    'signing date'
    >>> readable("https://w3id.org/x/id/person/andrei-tchibis")
    'andrei tchibis'
    >>> readable("http://dbpedia.org/resource/Saint_Petersburg")
    'Saint Petersburg'
    """
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", tail)
    words = re.sub(r"[-_]+", " ", words).strip()
    if words[:1].islower():
        words = words.lower()
    return words or iri


def other_language(lang: str, languages: Sequence[str]) -> str | None:
    """The reader's other language among the site's: ``fr`` for ``en`` and back."""
    others = [code for code in languages if code != lang]
    return others[0] if others else None


@dataclass(frozen=True)
class Label:
    text: str
    lang: str | None  # the language of the text, for a ``lang`` attribute


class Labels:
    """The labels of many terms, chosen for a reader's language (DESIGN §3 order)."""

    def __init__(self, statements: Iterable[ox.Quad | ox.Triple],
                 languages: Sequence[str] = LANGUAGES):
        self._languages = tuple(languages)
        self._found: dict[str, list[tuple[int, str, str | None]]] = {}
        for statement in statements:
            rank = _RANK.get(statement.predicate.value)
            literal = statement.object
            if rank is None or not isinstance(literal, ox.Literal):
                continue
            if isinstance(statement.subject, ox.NamedNode):
                key = statement.subject.value
            elif isinstance(statement.subject, ox.BlankNode):
                key = "_:" + statement.subject.value
            else:
                continue
            entry = (rank, literal.value, literal.language)
            found = self._found.setdefault(key, [])
            if entry not in found:
                found.append(entry)
        for found in self._found.values():
            found.sort(key=lambda e: (e[0], e[2] or "", fold(e[1])))

    def encoded(self) -> dict:
        """These labels as JSON values, for ``decoded`` (``domain.precomputed``)."""
        return {"languages": list(self._languages),
                "found": {key: [list(entry) for entry in found]
                          for key, found in self._found.items()}}

    @classmethod
    def decoded(cls, document: dict) -> Labels:
        """The labels ``encoded`` wrote, as they were (sorted already)."""
        labels = cls((), document["languages"])
        labels._found = {key: [(rank, text, lang) for rank, text, lang in found]
                         for key, found in document["found"].items()}
        return labels

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Labels):
            return NotImplemented
        return (self._languages, self._found) == (other._languages, other._found)

    __hash__ = None  # type: ignore[assignment]  -- equal by value, and mutable inside

    def has(self, iri: str) -> bool:
        return iri in self._found

    def get(self, iri: str, lang: str) -> Label:
        """The label of ``iri`` for a reader of ``lang``."""
        found = self._found.get(iri)
        if found:
            chosen = _choose(found, lang, other_language(lang, self._languages))
            if chosen is not None:
                return chosen
        core = CORE_LABELS.get(iri)
        if core is not None:
            index = _CORE_LANGUAGES.index(lang) if lang in _CORE_LANGUAGES else 0
            return Label(core[index], _CORE_LANGUAGES[index])
        if iri.startswith("_:"):
            return Label("…", None)
        return Label(readable(iri), None)

    def all(self, iri: str) -> list[Label]:
        """Every distinct label text of ``iri``, the preferred first."""
        texts: dict[str, Label] = {}
        for _, text, language in self._found.get(iri, ()):
            texts.setdefault(text, Label(text, language))
        return list(texts.values())


def _choose(found: list[tuple[int, str, str | None]], lang: str, other: str | None) -> Label | None:
    for wanted in (lang, other):
        if wanted is None:
            continue
        for _, text, language in found:
            if language and (language == wanted or language.startswith(wanted + "-")):
                return Label(text, language)
    _, text, language = found[0]
    return Label(text, language)
