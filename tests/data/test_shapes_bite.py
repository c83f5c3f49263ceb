"""Each shape bites: a copy of the dataset mutated to break it is reported with the
expected focus node, message and severity (and the unmutated data conforms).

Every node shape in shapes/ appears at least once in ``CASES``; a test checks that too,
so a new shape cannot be added without a case that proves it catches what it is for.

A validation takes seconds, so compatible cases share one mutated copy: cases in a
batch have different focus nodes (a result can only be credited to its own case), edit
disjoint text, and a case that expects only a warning is validated alone (it needs the
rest of the data to conform), as is a case marked ``alone`` (it relies on facts,
often derived ones, that another case's edit could change).
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import pytest
from kg_helpers import BASE, validate_dataset
from rdflib import RDF, Graph
from rdflib.namespace import SH

from server.domain.validation import ENGINES, ValidationReport
from server.settings import REPOSITORY

SHAPES = BASE + "shapes#"
FR = "data/pce-makers-grand-paris-russie.ttl"
EN = "data/grand-paris-expertise-exported-to-russia.ttl"
ROLES = "data/roles.ttl"
FR_CITATIONS = "data/sources/pce-makers-grand-paris-russie.citations.tsv"
FR_GRAPH = BASE + "graph/pce-makers-grand-paris-russie"
FR_ARTICLE, EN_ARTICLE = BASE + "id/article/pce-makers-grand-paris-russie", BASE + "id/article/grand-paris-expertise-exported-to-russia"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LINKS = "data/links.ttl"

# The prefixes of the article files, for new files that need them.
PREFIXES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix gpr: <https://w3id.org/grand-paris-russia/ontology#> .
@prefix person: <https://w3id.org/grand-paris-russia/id/person/> .
"""


@dataclass(frozen=True)
class Case:
    shape: str  # local name of the node shape that must report it
    focus: str  # focus node, relative to BASE
    message: str  # a part of the English message
    file: str  # the file to change, relative to the dataset copy
    old: str | None = None  # text replaced (must occur exactly once); None: append `new`
    new: str = ""
    severity: str = "Violation"
    alone: bool = False  # validated alone: it relies on facts another case may change
    # files written first where the copy has none (relative path, text): what the case
    # needs to exist, e.g. an article's citations file
    setup: tuple[tuple[str, str], ...] = ()

    def applies_to(self, root: Path) -> bool:
        path = root / self.file
        if self.old is None:
            return True
        return path.exists() and path.read_text(encoding="utf-8").count(self.old) == 1

    def apply(self, root: Path) -> None:
        for name, text in self.setup:
            if not (root / name).exists():
                (root / name).write_text(text, encoding="utf-8")
        path = root / self.file
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if self.old is None:
            text += "\n" + self.new + "\n"
        else:
            assert text.count(self.old) == 1, f"{self.old!r} should occur once in {self.file}"
            text = text.replace(self.old, self.new)
        path.write_text(text, encoding="utf-8")

    @property
    def creates_file(self) -> bool:
        return not (REPOSITORY / self.file).exists()


CASES = {
    # --- IRIs and labels (shapes/resources.ttl)
    "iri-with-capitals": Case(
        "MintedIriShape",
        "id/person/Andrei_Tchibis",
        "An IRI we mint is BASE id/{kind}/{slug}",
        FR,
        None,
        'person:Andrei_Tchibis a schema:Person ; rdfs:label "Andrei Tchibis" .',
    ),
    "iri-of-unknown-kind": Case(
        "MintedIriShape",
        "id/people/andrei-tchibis",
        "An IRI we mint is BASE id/{kind}/{slug}",
        FR,
        None,
        "<https://w3id.org/grand-paris-russia/id/people/andrei-tchibis> a schema:Person ; "
        'rdfs:label "Andrei Tchibis" .',
    ),
    "dangling-reference": Case(
        "DescribedResourceShape",
        "id/person/andrei-tchibi",
        "has a type (rdf:type)",
        FR,
        "gpr:signedInPresenceOf person:andrei-tchibis ;",
        "gpr:signedInPresenceOf person:andrei-tchibi ;",
    ),
    "resource-without-label": Case(
        "DescribedResourceShape",
        "id/place/nowhere",
        "at least one rdfs:label",
        FR,
        None,
        "place:nowhere a schema:Place .",
    ),
    "kind-disagrees-with-type": Case(
        "KindMatchesTypeShape",
        "id/person/engie-sa",
        "The kind in the IRI does not agree",
        FR,
        None,
        'person:engie-sa a schema:Organization ; rdfs:label "Engie SA"@fr .',
    ),
    "label-without-language": Case(
        "LabelLanguageShape",
        "id/organization/groupe-adp",
        "is tagged @fr or @en",
        FR,
        'rdfs:label "Groupe ADP"@fr .',
        'rdfs:label "Groupe ADP" .',
    ),
    "two-labels-in-one-language": Case(
        "LabelLanguageShape",
        "id/organization/engie",
        "At most one rdfs:label per language",
        FR,
        'rdfs:label "Engie"@fr ;',
        'rdfs:label "Engie"@fr, "ENGIE"@fr ;',
    ),
    "role-without-english-label": Case(
        "BilingualLabelShape",
        "id/role/director",
        "An English rdfs:label (@en) is missing",
        ROLES,
        'rdfs:label "directeur"@fr, "Director"@en ;',
        'rdfs:label "directeur"@fr ;',
    ),
    # --- provenance (shapes/provenance.ttl)
    "undeclared-graph": Case(
        "GraphKindShape",
        "graph/notes",
        "declared as exactly one of",
        "data/notes.ttl",
        None,
        PREFIXES + 'person:alexandre-missoffe schema:description "note"@en .',
    ),
    "graph-named-after-another-article": Case(
        "SourceGraphShape",
        "graph/grand-paris-expertise-exported-to-russia",
        "is named after its article",
        EN,
        "    prov:wasDerivedFrom article:grand-paris-expertise-exported-to-russia .",
        "    prov:wasDerivedFrom article:pce-makers-grand-paris-russie .",
    ),
    "fact-in-a-curated-graph": Case(
        "StatedInSourceShape",
        "id/person/alexandre-missoffe",
        "This statement is in no source graph",
        "data/notes.ttl",
        None,
        PREFIXES + "<https://w3id.org/grand-paris-russia/graph/notes> a gpr:CuratedGraph .\n"
        'person:alexandre-missoffe schema:birthDate "1970-01-01"^^xsd:date .',
    ),
    "fact-in-the-roles-graph": Case(
        "StatedInSourceShape",
        "id/person/alexandre-missoffe",
        "This statement is in no source graph",
        ROLES,
        None,
        "<https://w3id.org/grand-paris-russia/id/person/alexandre-missoffe> "
        '<http://schema.org/jobTitle> "DG"@fr .',
    ),
    "fact-in-the-translations-graph": Case(
        "StatedInSourceShape",
        "id/place/moscow",
        "This statement is in no source graph",
        "data/translations.ttl",
        None,
        "<https://w3id.org/grand-paris-russia/id/place/moscow> "
        '<http://schema.org/description> "capitale de la Russie"@fr .',
    ),
    "label-in-a-curated-graph-that-holds-no-translations": Case(
        "StatedInSourceShape",
        "id/place/kazan",
        "This statement is in no source graph",
        "data/links.ttl",
        None,
        '<https://w3id.org/grand-paris-russia/id/place/kazan> '
        '<http://www.w3.org/2000/01/rdf-schema#label> "Kazan"@fr .',
    ),
    "shortcut-typed-by-hand": Case(
        "DerivedOnlyShape",
        "id/person/alexandre-missoffe",
        "derived by a rule (data/rules); an article graph never",
        FR,
        None,
        "person:alexandre-missoffe schema:worksFor organization:paris-ile-de-france-capitale-economique .",
    ),
    "quotation-in-another-article-graph": Case(
        "PartOfItsArticleShape",
        "id/quotation/missoffe-point-de-depart",
        "stated in the graph of the article",
        FR,
        "schema:isPartOf article:pce-makers-grand-paris-russie .\n\nquotation:makrouchine-collaboration-fructueuse",
        "schema:isPartOf article:grand-paris-expertise-exported-to-russia .\n\nquotation:makrouchine-collaboration-fructueuse",
    ),
    "same-as-to-a-web-page": Case(
        "IdentityLinkShape",
        "id/place/kazan",
        "owl:sameAs points to a Wikidata entity",
        LINKS,
        "<http://www.wikidata.org/entity/Q900>",
        "<https://www.wikidata.org/wiki/Q900>",
    ),
    "same-as-in-an-article-graph": Case(
        "IdentityLinkShape",
        "id/place/russia",
        "kept in a curated graph",
        FR,
        None,
        "place:russia <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q159> .",
    ),
    # --- people, organisations, posts (shapes/agents.ttl)
    "person-with-two-labels": Case(
        "PersonShape",
        "id/person/andrei-tchibis",
        "exactly one rdfs:label",
        EN,
        None,
        'person:andrei-tchibis rdfs:label "Andrei Tchibis" .',
    ),
    "person-name-with-language-tag": Case(
        "PersonShape",
        "id/person/sebastien-massart",
        "plain literal, without a language tag",
        FR,
        'rdfs:label "Sébastien Massart" ;',
        'rdfs:label "Sébastien Massart"@fr ;',
    ),
    "area-served-not-a-place": Case(
        "OrganizationShape",
        "id/organization/ministry-of-construction-and-urban-services",
        "schema:areaServed is a place",
        FR,
        "schema:areaServed place:russia .",
        "schema:areaServed organization:engie .",
    ),
    "delegation-sent-by-two": Case(
        "DelegationShape",
        "id/organization/pce-delegation",
        "sent by at most one organisation",
        EN,
        None,
        "organization:pce-delegation gpr:sentBy organization:engie .",
    ),
    "orphan-membership": Case(
        "MembershipShape",
        "id/role/iksander-ioussoupov-minister",
        "exactly one org:member",
        EN,
        "    org:member person:iksander-ioussoupov ;\n",
        "",
    ),
    "membership-with-neither-organisation-nor-role": Case(
        "MembershipShape",
        "id/role/iksander-ioussoupov-minister",
        "names its organisation",
        EN,
        "    org:member person:iksander-ioussoupov ;\n    org:role role:minister ;",
        "    org:member person:iksander-ioussoupov ;",
    ),
    "role-with-two-french-labels": Case(
        "RoleShape",
        "id/role/president",
        "A role has exactly one French skos:prefLabel",
        ROLES,
        'skos:prefLabel "président"@fr, "President"@en ;',
        'skos:prefLabel "président"@fr, "présidente"@fr, "President"@en ;',
    ),
    "role-nobody-holds": Case(
        "RoleInUseShape",
        "id/role/secretary-general",
        "No membership uses this role",
        ROLES,
        None,
        'role:secretary-general a org:Role ; skos:prefLabel "secrétaire général"@fr, '
        '"Secretary General"@en ; rdfs:label "secrétaire général"@fr, "Secretary General"@en ; '
        "gpr:headsOrganization false ; gpr:actsForOrganization true .",
        severity="Warning",
    ),
    # --- places (shapes/places.ttl)
    "place-in-two-places": Case(
        "PlaceShape",
        "id/place/tolyatti",
        "contained in at most one place",
        EN,
        None,
        "place:tolyatti schema:containedInPlace place:samara-region, place:russia .",
    ),
    # --- events (shapes/events.ttl)
    "date-as-text": Case(
        "EventShape",
        "id/event/exchange-at-cci-de-paris",
        "at most one schema:startDate, an xsd:date",
        FR,
        'gpr:startMonthDay "--11-29"^^xsd:gMonthDay ;',
        'schema:startDate "29 novembre" ;',
    ),
    "event-ends-before-it-starts": Case(
        "EventShape",
        "id/event/pce-delegation-visit",
        "does not end before it starts",
        EN,
        None,
        'event:pce-delegation-visit schema:startDate "2018-05-26"^^xsd:date .',
        alone=True,
    ),  # the visit's end date is derived from the signing's date
    "signing-about-a-commitment": Case(
        "SigningEventShape",
        "id/event/agreement-signing-2018-05-25",
        "about exactly one agreement",
        EN,
        "schema:about agreement:agreement-2018-05-25 ;\n    gpr:dayAfter",
        "schema:about agreement:agreement-2018-05-25-diagnosis ;\n    gpr:dayAfter",
    ),
    "participation-with-two-participants": Case(
        "ParticipationShape",
        "id/role/groupe-adp-at-exchange-at-cci-de-paris",
        "exactly one participant",
        FR,
        None,
        "role:groupe-adp-at-exchange-at-cci-de-paris gpr:participant organization:engie .",
    ),
    # --- agreements (shapes/agreements.ttl)
    "signatory-also-present-without-signing": Case(
        "AgreementShape",
        "id/agreement/convention-2018-11-29",
        "Nobody is both a signatory",
        FR,
        None,
        "agreement:convention-2018-11-29 gpr:signedInPresenceOf person:alexandre-missoffe .",
    ),
    "signing-date-with-time": Case(
        "AgreementShape",
        "id/agreement/convention-2018-11-29",
        "exactly one gpr:signingDate, an xsd:date",
        FR,
        'gpr:signingDate "2018-11-29"^^xsd:date ;',
        'gpr:signingDate "2018-11-29T10:00:00"^^xsd:dateTime ;',
    ),
    "commitment-of-no-agreement": Case(
        "CommitmentShape",
        "id/agreement/convention-2018-11-29-good-practices",
        "belongs to exactly one agreement",
        FR,
        "agreement:convention-2018-11-29-proposals,\n        agreement:convention-2018-11-29-good-practices .",
        "agreement:convention-2018-11-29-proposals .",
    ),
    "commitment-of-nobody": Case(
        "CommitmentShape",
        "id/agreement/convention-2018-11-29-good-practices",
        "says who commits",
        FR,
        '    gpr:partyDescription "les autorités russes"@fr ;\n    gpr:concerns project:future-cities-platform .',
        "    gpr:concerns project:future-cities-platform .",
    ),
    # --- programmes, priority areas, figures (shapes/programmes.ttl)
    "programme-taking-part-in-a-country": Case(
        "OrganizationShape",
        "id/project/pilot-towns",
        "gpr:participatesIn is a described programme",
        EN,
        None,
        "project:pilot-towns gpr:participatesIn place:russia .",
    ),
    "priority-area-not-a-concept": Case(
        "ProjectShape",
        "id/project/future-cities-platform",
        "gpr:priorityArea is a skos:Concept",
        EN,
        None,
        "project:future-cities-platform gpr:priorityArea place:russia .",
    ),
    "scheme-without-concepts": Case(
        "ConceptSchemeShape",
        "id/concept/empty-scheme",
        "has concepts",
        FR,
        None,
        'concept:empty-scheme a skos:ConceptScheme ; skos:prefLabel "vide"@fr ; '
        'rdfs:label "vide"@fr, "empty"@en .',
    ),
    "concept-with-two-english-labels": Case(
        "ConceptShape",
        "id/concept/mobility",
        "A concept has exactly one English skos:prefLabel",
        EN,
        'skos:prefLabel "mobility"@en ;',
        'skos:prefLabel "mobility"@en, "mobilities"@en ;',
    ),
    "figure-as-text": Case(
        "FigureShape",
        "id/observation/large-cities-share-of-world-population",
        "typed xsd:integer or xsd:decimal",
        EN,
        "schema:value 70.0 ;",
        'schema:value "70 %" ;',
    ),
    "year-as-integer": Case(
        "FigureShape",
        "id/observation/cities-over-a-million-inhabitants-2015",
        "one xsd:gYear",
        EN,
        'gpr:referenceYear "2015"^^xsd:gYear ;',
        "gpr:referenceYear 2015 ;",
    ),
    # --- sources (shapes/sources.ttl)
    "article-language-not-a-code": Case(
        "NewsArticleShape",
        "id/article/grand-paris-expertise-exported-to-russia",
        "An article has exactly one schema:inLanguage",
        EN,
        'schema:inLanguage "en" ;\n    schema:about agreement:agreement-2018-05-25',
        'schema:inLanguage "English" ;\n    schema:about agreement:agreement-2018-05-25',
    ),
    "headline-in-the-wrong-language": Case(
        "NewsArticleShape",
        "id/article/grand-paris-expertise-exported-to-russia",
        "headline's language tag",
        EN,
        'schema:headline "Urban development: French expertise and Grand Paris exported to Russia"@en ;',
        'schema:headline "Urban development: French expertise and Grand Paris exported to Russia"@fr ;',
    ),
    "invented-publication-date": Case(
        "UnstatedArticleMetadataShape",
        "id/article/pce-makers-grand-paris-russie",
        "no publication date and no author",
        FR,
        None,
        'article:pce-makers-grand-paris-russie schema:datePublished "2018-11-29"^^xsd:date .',
    ),
    "photo-credit-as-author": Case(
        "UnstatedArticleMetadataShape",
        "id/article/pce-makers-grand-paris-russie",
        "no publication date and no author",
        FR,
        None,
        "article:pce-makers-grand-paris-russie schema:author organization:jgp .",
    ),
    "quotation-with-speaker-and-unattributed": Case(
        "QuotationShape",
        "id/quotation/plateforme-cinq-chantiers-prioritaires",
        "names who said it",
        FR,
        None,
        "quotation:plateforme-cinq-chantiers-prioritaires schema:spokenByCharacter person:alexei-makrouchine .",
    ),
    "quotation-in-the-wrong-language": Case(
        "QuotationShape",
        "id/quotation/future-cities",
        "language tag is its schema:inLanguage",
        EN,
        'schema:text "[….] future cities"@en ;',
        'schema:text "[….] future cities"@fr ;',
    ),
    "photo-without-credit": Case(
        "ImageShape",
        "id/image/guyot-missoffe-kushpeleva-and-nekrassov",
        "exactly one credit",
        EN,
        'schema:creditText "PCE" ;\n    schema:copyrightNotice "© PCE" ;',
        'schema:copyrightNotice "© PCE" ;',
    ),
    # --- citations (shapes/citations.ttl)
    "uncited-fact": Case(
        "CitedFactShape",
        "id/person/uncited-person",
        "cites no sentence",
        FR,
        None,
        'person:uncited-person a schema:Person ; rdfs:label "Uncited Person" .',
        alone=True,
        setup=((FR_CITATIONS, "sentence\tsubject\tpredicate\tobject\twords\n"
                              "s1\tarticle:pce-makers-grand-paris-russie\tschema:headline\t*\t\n"),),
    ),
    "citation-of-the-other-article": Case(
        "CitationInItsArticleShape",
        "graph/pce-makers-grand-paris-russie#st-0000000000000001",
        "cites a sentence that is not one of its own article's",
        FR,
        None,
        f"<{FR_GRAPH}#st-0000000000000001> a <{RDF_NS}Statement> ; "
        f"<{RDF_NS}subject> article:pce-makers-grand-paris-russie ; "
        f'<{RDF_NS}predicate> schema:inLanguage ; <{RDF_NS}object> "fr" ; '
        f"prov:wasDerivedFrom <{EN_ARTICLE}#s1> .",
    ),
    "quote-not-the-text": Case(
        "QuoteMatchesTextShape",
        "id/article/pce-makers-grand-paris-russie#s1-quote",
        "is not the text between the offsets",
        FR,
        None,
        f"<{FR_ARTICLE}#s1-quote> <http://www.w3.org/ns/oa#exact> "
        '"PCE met en relation les makers du Grand Paris et l’Italie" .',
    ),
    "reifier-of-an-unasserted-triple": Case(
        "ReifiedTripleAssertedShape",
        "graph/pce-makers-grand-paris-russie#st-0000000000000002",
        "triple is not asserted in the graph",
        FR,
        None,
        f"<{FR_GRAPH}#st-0000000000000002> a <{RDF_NS}Statement> ; "
        f"<{RDF_NS}subject> person:alexandre-missoffe ; <{RDF_NS}predicate> schema:name ; "
        f'<{RDF_NS}object> "Nobody" ; prov:wasDerivedFrom <{FR_ARTICLE}#s2> .',
    ),
    "derived-triple-without-a-rule": Case(
        "DerivedByRuleShape",
        "id/person/alexandre-missoffe",
        "names no rule",
        "data/derived.ttl",
        None,
        PREFIXES + "person:alexandre-missoffe schema:knows person:andrei-tchibis .",
    ),
}


def test_the_repository_data_conforms_without_warnings(repo_snapshot):
    results = [r.line() for r in repo_snapshot.report.results]
    assert repo_snapshot.report.conforms and results == []


def test_every_shape_has_a_case():
    shapes = Graph()
    for path in sorted((REPOSITORY / "shapes").glob("*.ttl")):
        shapes.parse(path)
    node_shapes = {str(s).removeprefix(SHAPES) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    assert node_shapes - {case.shape for case in CASES.values()} == set()


def _batches() -> list[list[str]]:
    """Group the cases so that none can hide or spoil another (see the module docstring)."""
    batches: list[list[str]] = []
    for name, case in CASES.items():
        for batch in batches:
            others = [CASES[n] for n in batch]
            if (
                case.severity == "Violation"
                and not case.alone
                and all(o.severity == "Violation" and not o.alone for o in others)
                and all(o.focus != case.focus for o in others)
                and all(
                    o.file != case.file or not (o.creates_file or case.creates_file) for o in others
                )
                and all(
                    o.old is None
                    or case.old is None
                    or (
                        o.old not in case.old and case.old not in o.old and o.new.find(case.old) < 0
                    )
                    for o in others
                )
            ):
                batch.append(name)
                break
        else:
            batches.append([name])
    return batches


def _drop_citations_of_a_changed_article(root: Path, case: Case) -> None:
    """A case that rewrites a cited fact of an article leaves a citation line that matches
    nothing, and the loader refuses such data before any shape runs; these cases test
    the shapes, not the citations, so that article's citation table is left out."""
    if case.old is None or not case.file.startswith("data/") or "/" in case.file[5:]:
        return
    table = root / "data" / "sources" / (Path(case.file).stem + ".citations.tsv")
    table.unlink(missing_ok=True)


def _report(root: Path, engine: str) -> ValidationReport:
    """A batch's report, without its graph (the tests read its results), to cross processes."""
    return replace(validate_dataset(root, engine), graph=Graph())


@pytest.fixture(scope="session")
def bite_reports(tmp_path_factory) -> dict[tuple[str, str], ValidationReport]:
    """Each case's validation report by each engine, validating each batch of cases once,
    the batches side by side in a process per core: pySHACL's minutes are pure Python."""
    batches: dict[Path, list[str]] = {}
    for number, batch in enumerate(_batches()):
        root = tmp_path_factory.mktemp(f"bite-{number}")
        for folder in ("data", "ontology", "shapes"):
            shutil.copytree(REPOSITORY / folder, root / folder)
        for name in batch:
            assert CASES[name].applies_to(root), f"{name}: its text is not in the copy"
            CASES[name].apply(root)
            _drop_citations_of_a_changed_article(root, CASES[name])
        batches[root] = batch
    reports: dict[tuple[str, str], ValidationReport] = {}
    with ProcessPoolExecutor(os.cpu_count(), mp_context=get_context("spawn")) as pool:
        pending = {(root, engine): pool.submit(_report, root, engine)
                   for engine in ENGINES for root in batches}
        for (root, engine), future in pending.items():
            report = future.result()
            reports.update({(name, engine): report for name in batches[root]})
    return reports


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", CASES.keys())
def test_shape_bites(name: str, engine: str, bite_reports):
    case, report = CASES[name], bite_reports[name, engine]
    # Messages name the shape: each is specific to one constraint of one shape.
    found = [
        r
        for r in report.results
        if r.focus == BASE + case.focus
        and case.message in r.message
        and r.severity == case.severity
    ]
    lines = "\n".join(r.line() for r in report.results)
    assert found, f"no {case.severity} from {case.shape} on {case.focus}; the report says:\n{lines}"
    assert report.conforms == (case.severity != "Violation")


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES.keys())
def test_both_engines_report_the_same_results(name: str, bite_reports):
    """The native engine stands in for the reference at scale only if they agree: same
    focus nodes, paths, values, messages, severities and (named) shapes."""

    def results(report: ValidationReport) -> list[tuple]:
        return sorted((repr((r.focus, r.path, r.value, r.message, r.severity,
                             r.shape if r.shape and "://" in r.shape else None))
                       for r in report.results))

    reference, native = (bite_reports[name, engine] for engine in ENGINES)
    assert reference.engine.startswith("pySHACL") and native.engine.startswith("pyshacl-turbo")
    assert results(native) == results(reference)


def test_each_message_belongs_to_one_shape():
    """A case's message fragment identifies its shape: no other shape's message has it."""
    shapes = Graph()
    for path in sorted((REPOSITORY / "shapes").glob("*.ttl")):
        shapes.parse(path)
    owners: dict[str, set[str]] = {}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for message in _messages(shapes, node_shape):
            owners.setdefault(message, set()).add(str(node_shape).removeprefix(SHAPES))
    for name, case in CASES.items():
        matching = {
            owner
            for message, shapes_ in owners.items()
            if case.message in message
            for owner in shapes_
        }
        assert matching == {case.shape}, (
            f"{name}: {case.message!r} is in the messages of {matching}"
        )


def _messages(shapes: Graph, node_shape) -> list[str]:
    """The messages of a node shape and of its property and SPARQL constraints."""
    found = [str(m) for m in shapes.objects(node_shape, SH.message)]
    for link in (SH.property, SH.sparql):
        for part in shapes.objects(node_shape, link):
            found.extend(str(m) for m in shapes.objects(part, SH.message))
    return found


def test_a_shape_has_one_message_in_each_language():
    """SHACL 1.2 (§ Shapes, and for SPARQL constraints): not more than one ``sh:message``
    with the same language tag. Ours are in French and English, each tagged, so an engine
    or a page picks the reader's language and never has to choose between two."""
    shapes = Graph()
    for path in sorted((REPOSITORY / "shapes").glob("*.ttl")):
        shapes.parse(path)
    languages: dict[str, list[str | None]] = {}
    for holder, message in shapes.subject_objects(SH.message):
        languages.setdefault(str(holder), []).append(message.language)
    assert languages
    assert {holder: sorted(tags, key=str) for holder, tags in languages.items()
            if sorted(tags, key=str) != ["en", "fr"]} == {}
