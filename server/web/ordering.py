"""Where a property goes on a page: its group, its rank, and how an incoming link reads.

The built-in order puts what identifies a resource first (names), then what describes
it, when and where, what it is related to, other facts, identity links and editorial
notes. SHACL property shapes can override it for a class with ``sh:order`` and
``sh:group`` (SHACL §2.3.2 non-validating properties); ``PropertyHints`` carries what
the shapes say for one page's classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS, XSD

from server.domain.labels import Label
from server.domain.namespaces import ORG, SCHEMA
from server.web.i18n import messages

__all__ = ["GROUP_ORDER", "SHAPE_GROUPS", "Hint", "PropertyHints", "group_of", "in_language",
           "incoming_title"]

GROUP_ORDER: tuple[str, ...] = (
    "names", "summary", "when_where", "relations", "facts", "links", "notes",
)

# Predicates whose group is known; the rest go by their values (dates to when_where,
# IRIs to relations, other literals to facts).
_GROUPS: dict[str, tuple[str, ...]] = {
    "names": (str(SKOS.prefLabel), str(RDFS.label), str(SCHEMA.name), str(SCHEMA.alternateName),
              str(SKOS.altLabel), str(SCHEMA.headline), str(DCTERMS.title)),
    "summary": (str(SCHEMA.description), str(DCTERMS.description), str(RDFS.comment),
                str(SKOS.definition), str(SCHEMA.text), str(SCHEMA.caption),
                str(SCHEMA.inLanguage)),
    "when_where": (str(SCHEMA.startDate), str(SCHEMA.endDate), str(SCHEMA.datePublished),
                   str(SCHEMA.dateCreated), str(DCTERMS.date), str(SCHEMA.location),
                   str(SCHEMA.containedInPlace), str(SCHEMA.contentLocation),
                   str(SCHEMA.areaServed), str(SCHEMA.address)),
    "links": (str(OWL.sameAs), str(SCHEMA.sameAs), str(RDFS.seeAlso), str(SCHEMA.url),
              str(RDFS.isDefinedBy)),
    "notes": (str(SKOS.editorialNote), str(SKOS.note), str(SKOS.scopeNote),
              str(SKOS.historyNote), str(SKOS.changeNote)),
}
_GROUP_OF = {predicate: group for group, predicates in _GROUPS.items() for predicate in predicates}
_RANK_IN_GROUP = {p: i for predicates in _GROUPS.values() for i, p in enumerate(predicates)}
_TEMPORAL = frozenset(str(t) for t in (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth,
                                       XSD.gMonthDay, XSD.gMonth, XSD.gDay, XSD.time))

# How an incoming link reads on the page of its object (en, fr).
_INCOMING: dict[str, tuple[str, str]] = {
    str(ORG.member): ("Positions held", "Fonctions occupées"),
    str(ORG.organization): ("Members", "Membres"),
    str(ORG.role): ("Held by", "Occupée par"),
    str(SCHEMA.mentions): ("Mentioned in", "Mentionné dans"),
    str(SCHEMA.about): ("Subject of", "Sujet de"),
    str(SCHEMA.spokenByCharacter): ("Quotations", "Citations"),
    str(SCHEMA.creator): ("Created", "A créé"),
    str(SCHEMA.author): ("Wrote", "A écrit"),
    str(SCHEMA.isPartOf): ("Parts", "Parties"),
    str(SCHEMA.hasPart): ("Part of", "Fait partie de"),
    str(SCHEMA.containedInPlace): ("Places within", "Lieux situés ici"),
    str(SCHEMA.location): ("Place of", "Lieu de"),
    str(SCHEMA.contentLocation): ("Place shown in", "Lieu montré dans"),
    str(SCHEMA.attendee): ("Attended", "A participé à"),
    str(SCHEMA.organizer): ("Organised", "A organisé"),
    str(SCHEMA.performer): ("Spoke at", "Est intervenu à"),
    str(SCHEMA.superEvent): ("Events within", "Événements inclus"),
    str(SCHEMA.subEvent): ("Part of event", "Dans le cadre de"),
    str(SCHEMA.copyrightHolder): ("Rights holder of", "Titulaire des droits de"),
    str(SCHEMA.parentOrganization): ("Sub-organisations", "Sous-organisations"),
    str(SCHEMA.areaServed): ("Serving this area", "Couvrant ce territoire"),
    str(SCHEMA.subjectOf): ("About", "Porte sur"),
    str(SCHEMA.image): ("Image of", "Image de"),
    str(SCHEMA.knows): ("Known by", "Connu de"),
    str(SCHEMA.worksFor): ("People working for it", "Y travaillent"),
    str(SCHEMA.memberOf): ("Members", "Membres"),
    str(ORG.memberOf): ("Members", "Membres"),
    str(ORG.hasMember): ("Member of", "Membre de"),
    str(ORG.headOf): ("Headed by", "Dirigé par"),
    str(ORG.hasMembership): ("Membership of", "Appartenance de"),
    str(SKOS.inScheme): ("Concepts", "Concepts"),
    str(SKOS.topConceptOf): ("Top concepts", "Concepts de tête"),
    str(SKOS.hasTopConcept): ("In scheme", "Dans le schéma"),
    str(SCHEMA.observationAbout): ("Figures", "Chiffres"),
    str(OWL.sameAs): ("Same as", "Identique à"),
}
_LANG_INDEX = {"en": 0, "fr": 1}


def group_of(predicate: str, values: Iterable[ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    """The built-in group of a property, from its IRI or else from its values."""
    known = _GROUP_OF.get(predicate)
    if known is not None:
        return known
    values = list(values)
    if values and all(isinstance(v, ox.Literal) and v.datatype.value in _TEMPORAL for v in values):
        return "when_where"
    if any(isinstance(v, (ox.NamedNode, ox.BlankNode)) for v in values):
        return "relations"
    return "facts"


def rank_in_group(predicate: str) -> int:
    return _RANK_IN_GROUP.get(predicate, len(_RANK_IN_GROUP))


def incoming_title(predicate: str, label: str, lang: str) -> str:
    """How resources linking here with ``predicate`` are introduced ("Mentioned in")."""
    known = _INCOMING.get(predicate)
    if known is not None:
        return known[_LANG_INDEX.get(lang, 0)]
    return messages(lang)["incoming_generic"].format(p=label)


@dataclass(frozen=True)
class Hint:
    """What the shapes say about one property: its rank, maybe its group, its name and
    help text in each language (``sh:name``, ``sh:description``)."""

    order: float
    group: str | None = None
    group_order: float = 0.0
    names: tuple[Label, ...] = ()
    help: tuple[Label, ...] = ()


@dataclass(frozen=True)
class PropertyHints:
    """The shapes' order and groups for the properties of one resource's classes.

    ``expected`` holds the properties a shape expects a value for even though the data
    may lack one (``gpr:expected``): where a resource has none, its page says the
    sources do not state it. ``builtin_groups`` maps a built-in group key to the shapes'
    group that stands for it, so that a property no shape names joins the same section.
    """

    hints: Mapping[str, Hint] = field(default_factory=dict)
    group_labels: Mapping[str, tuple[Label, ...]] = field(default_factory=dict)
    expected: Mapping[str, Hint] = field(default_factory=dict)
    builtin_groups: Mapping[str, str] = field(default_factory=dict)
    group_orders: Mapping[str, float] = field(default_factory=dict)

    def get(self, predicate: str) -> Hint | None:
        return self.hints.get(predicate)

    def is_group(self, key: str) -> bool:
        """Whether ``key`` is a group the shapes declare (not a built-in one)."""
        return key in self.group_labels

    def stands_for_builtin(self, key: str) -> bool:
        """Whether ``key`` is the shapes' version of a built-in group (names, when…)."""
        return key in self.builtin_groups.values()

    def group_title(self, group: str, lang: str) -> str:
        chosen = in_language(self.group_labels.get(group, ()), lang)
        return chosen.text if chosen else group.rsplit("#", 1)[-1]

    def name(self, predicate: str, lang: str, missing: bool = False) -> Label | None:
        """The shapes' name for a property in ``lang`` (or another language); ``missing``
        for the name of an expected value the resource lacks."""
        hint = (self.expected if missing else self.hints).get(predicate)
        return in_language(hint.names, lang) if hint else None

    def help(self, predicate: str, lang: str, missing: bool = False) -> Label | None:
        """The shapes' help text for a property, shown beside its name."""
        hint = (self.expected if missing else self.hints).get(predicate)
        return in_language(hint.help, lang) if hint else None


# The shapes' group (its local name) that stands for each built-in group.
SHAPE_GROUPS: dict[str, str] = {
    "names": "NamesGroup", "summary": "SummaryGroup", "when_where": "WhenWhereGroup",
    "relations": "RelationsGroup", "facts": "FactsGroup", "links": "LinksGroup",
    "notes": "NotesGroup",
}


def in_language(labels: Iterable[Label], lang: str) -> Label | None:
    """The label in ``lang``, else the first one, else None."""
    labels = tuple(labels)
    return next((label for label in labels if label.lang == lang), None) or next(iter(labels), None)
