"""Each derivation rule of ``data/rules/`` earns its place: without it, the repository's
derived graph loses the statements below and only those.

A rule is measured by loading the data with every rule and again without it: the
difference is what only that rule adds (directly, or through a rule that reads its
output). Small contributions are listed whole; large ones by count, predicates and a
few facts a reader of the articles can check.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from server.domain.loading import stage
from server.settings import Settings

SCHEMA, ORG = "http://schema.org/", "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class Contribution:
    """What only one rule adds: how many statements, with which predicates, including
    these facts (``(subject, predicate, object)``, IRIs relative to the base, objects
    that are dates or plain strings marked as such)."""

    count: int
    predicates: frozenset[str]
    includes: tuple[tuple[str, str, object], ...] = field(default=())


def date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD_DATE)


ONT = "ontology#"
RULES = {
    "05-supertypes": Contribution(21, frozenset({RDF_TYPE}), (
        ("id/place/moscow", RDF_TYPE, f"{SCHEMA}Place"),
        ("id/place/kazan", RDF_TYPE, f"{SCHEMA}AdministrativeArea"),
        ("id/organization/ministry-of-construction-and-urban-services", RDF_TYPE,
         f"{SCHEMA}Organization"),
        ("id/event/agreement-signing-2018-05-25", RDF_TYPE, f"{SCHEMA}Event"),
    )),
    "10-year-from-article-context": Contribution(2, frozenset({f"{SCHEMA}startDate", ONT + "announcementDate"}), (
        ("id/event/exchange-at-cci-de-paris", f"{SCHEMA}startDate", date("2018-11-29")),
        ("id/agreement/agreement-2018-05-25", ONT + "announcementDate", date("2018-05-25")),
    )),
    "20-signing-events": Contribution(14, frozenset({
        ONT + "signingEvent", f"{SCHEMA}startDate", f"{SCHEMA}attendee", f"{SCHEMA}superEvent",
        f"{SCHEMA}subEvent", f"{SCHEMA}endDate"}), (
        ("id/agreement/convention-2018-11-29", ONT + "signingEvent",
         "id/event/convention-signing-2018-11-29"),
        ("id/event/convention-signing-2018-11-29", f"{SCHEMA}attendee",
         "id/person/alexei-makrouchine"),
        ("id/event/agreement-signing-2018-05-25", f"{SCHEMA}superEvent",
         "id/event/st-petersburg-international-forum"),
    )),
    "30-day-after": Contribution(3, frozenset({f"{SCHEMA}endDate", f"{SCHEMA}startDate"}), (
        ("id/event/pce-delegation-visit", f"{SCHEMA}endDate", date("2018-05-24")),
        ("id/event/agreement-signing-2018-05-25", f"{SCHEMA}endDate", date("2018-05-25")),
        ("id/event/satisfaction-the-day-after-the-signing", f"{SCHEMA}startDate",
         date("2018-05-26")),
    )),
    "40-agreement-parties": Contribution(4, frozenset({ONT + "party"}), (
        ("id/agreement/agreement-2018-05-25", ONT + "party",
         "id/organization/ministry-of-construction-and-urban-services"),
        ("id/agreement/agreement-2018-05-25", ONT + "party",
         "id/organization/paris-ile-de-france-capitale-economique"),
        ("id/agreement/convention-2018-11-29", ONT + "party",
         "id/organization/paris-ile-de-france-capitale-economique"),
        ("id/agreement/convention-2018-11-29", ONT + "party",
         "id/organization/services-communaux-et-milieux-confortables"),
    )),
    "50-membership-shortcuts": Contribution(87, frozenset({
        f"{ORG}hasMembership", f"{ORG}memberOf", f"{ORG}hasMember", f"{SCHEMA}memberOf",
        f"{SCHEMA}worksFor", f"{SCHEMA}jobTitle"}), (
        ("id/person/alexandre-missoffe", f"{ORG}memberOf",
         "id/organization/paris-ile-de-france-capitale-economique"),
        ("id/person/alexei-makrouchine", f"{SCHEMA}worksFor",
         "id/organization/services-communaux-et-milieux-confortables"),
    )),
    "60-head-of": Contribution(3, frozenset({f"{ORG}headOf"}), (
        ("id/person/christian-nibourel", f"{ORG}headOf",
         "id/organization/paris-ile-de-france-capitale-economique"),
        ("id/person/andrei-tchibis", f"{ORG}headOf", "id/organization/russian-delegation"),
        ("id/person/rustan-minnikhanov", f"{ORG}headOf", "id/place/tatarstan"),
    )),
    "70-participants-attend": Contribution(3, frozenset({f"{SCHEMA}attendee"}), (
        ("id/event/exchange-at-cci-de-paris", f"{SCHEMA}attendee",
         "id/organization/societe-du-grand-paris"),
        ("id/event/exchange-at-cci-de-paris", f"{SCHEMA}attendee", "id/organization/groupe-adp"),
        ("id/event/exchange-at-cci-de-paris", f"{SCHEMA}attendee", "id/organization/engie"),
    )),
    "80-inverse-links": Contribution(68, frozenset({
        f"{SCHEMA}subEvent", f"{SCHEMA}subjectOf", f"{SCHEMA}hasPart", f"{SCHEMA}image",
        f"{SKOS}hasTopConcept"}), (
        ("id/event/pce-delegation-visit", f"{SCHEMA}subEvent", "id/event/pce-delegation-dialogue"),
        ("id/concept/future-cities-priority-areas", f"{SKOS}hasTopConcept",
         "id/concept/comfortable-cities"),
    )),
    "90-article-mentions": Contribution(81, frozenset({f"{SCHEMA}mentions"}), (
        ("id/article/pce-makers-grand-paris-russie", f"{SCHEMA}mentions",
         "id/person/serguei-markov"),
        ("id/article/grand-paris-expertise-exported-to-russia", f"{SCHEMA}mentions",
         "id/event/satisfaction-the-day-after-the-signing"),
    )),
}


RDF_NS, PROV_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/ns/prov#"


def derived(settings: Settings) -> set[ox.Triple]:
    """The derived facts, without their reifiers and the rules (DESIGN §8)."""
    staged = stage(settings)
    graph = ox.NamedNode(staged.derived_graph)
    quads = list(staged.store.quads_for_pattern(None, None, None, graph))
    explaining = {q.subject for q in quads if q.predicate.value == RDF_TYPE and q.object.value in (
        RDF_NS + "Statement", PROV_NS + "Activity", PROV_NS + "Association",
        "https://w3id.org/grand-paris-russia/ontology#Rule")}
    return {q.triple for q in quads if q.subject not in explaining}


@pytest.fixture(scope="module")
def with_every_rule(repo_settings) -> set[ox.Triple]:
    return derived(repo_settings)


def without(settings: Settings, rule: str, tmp_path: Path) -> set[ox.Triple]:
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    (data / "rules" / f"{rule}.rq").unlink(missing_ok=True)
    labels = data / "rules" / "labels.tsv"  # each rule's labels: the gone one's too
    labels.write_text("".join(line for line in labels.read_text(encoding="utf-8").splitlines(True)
                              if not line.startswith(f"{rule}\t")), encoding="utf-8")
    return derived(dataclasses.replace(settings, data_dir=data))


def test_every_rule_of_the_repository_is_listed(repo_settings):
    found = {path.stem for path in (repo_settings.data_dir / "rules").glob("*.rq")}
    assert found == set(RULES), (f"rules in data/rules/ but not here: {sorted(found - set(RULES))}; "
                                 f"listed here but gone: {sorted(set(RULES) - found)}")


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_adds_statements_no_other_rule_derives(repo_settings, with_every_rule,
                                                         tmp_path, rule):
    expected, base = RULES[rule], repo_settings.base_iri
    only = with_every_rule - without(repo_settings, rule, tmp_path)
    predicates = {t.predicate.value for t in only}
    allowed = {term(base, predicate).value for predicate in expected.predicates}
    missing = [fact for fact in expected.includes if triple(base, *fact) not in only]
    assert len(only) == expected.count and predicates <= allowed and not missing, (
        f"{rule}.rq: without it the derived graph loses {len(only)} statements "
        f"(expected {expected.count}), with predicates {sorted(predicates - allowed)} "
        f"beyond the rule's own; facts it should derive but no longer does: {missing}")


def term(base: str, value: str) -> ox.NamedNode:
    return ox.NamedNode(value if "://" in value else base + value)


def triple(base: str, subject: str, predicate: str, obj: object) -> ox.Triple:
    return ox.Triple(term(base, subject), term(base, predicate),
                     obj if isinstance(obj, ox.Literal) else term(base, str(obj)))
