"""The SHACL gate and the loader's rules: named graphs, derivation, refusals."""

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import PROV, RDF, SH

from server.domain.loading import DatasetInvalid, DataUnreadable, check, load_snapshot
from server.domain.validation import (
    AUTO_LIMIT,
    ENGINES,
    ShapesUnusable,
    ValidationInput,
    engine_for,
)
from server.settings import Settings
from server.store.embedded import named_quads

TINY = "https://example.org/tiny/"
ADA = f"{TINY}id/person/ada-lovelace"
BABBAGE = f"{TINY}id/person/charles-babbage"
SOCIETY = f"{TINY}id/organization/analytical-society"
KNOWS = "http://schema.org/knows"
MEMBER_OF, MEMBER = "http://schema.org/memberOf", "http://schema.org/member"


def settings_for(root: Path, validator: str = "auto") -> Settings:
    return Settings.load({
        "data_dir": root / "data", "ontology_dir": root / "ontology",
        "shapes_dir": root / "shapes", "base_iri": TINY, "validator": validator,
    }, environ={})


@pytest.fixture
def reports(monkeypatch) -> list:
    """Where a test's progress reports go, every advance told (no interval between)."""
    from server.domain import progress

    monkeypatch.setattr(progress, "REPORT_INTERVAL", 0)
    return []


def graphs_of(snapshot, s, p, o) -> set[str]:
    quads = named_quads(snapshot.store.oxigraph, ox.NamedNode(s), ox.NamedNode(p), o)
    return {q.graph_name.value for q in quads}


def test_each_data_file_is_its_own_named_graph(tiny_snapshot):
    graphs = tiny_snapshot.store.graphs()
    assert f"{TINY}graph/alpha" in graphs
    assert f"{TINY}graph/beta" in graphs
    assert f"{TINY}ontology" in graphs and f"{TINY}shapes" in graphs
    assert graphs_of(tiny_snapshot, BABBAGE, KNOWS, ox.NamedNode(ADA)) == {f"{TINY}graph/beta"}


def test_rules_derive_into_the_derived_graph_only(tiny_snapshot):
    assert graphs_of(tiny_snapshot, ADA, KNOWS, ox.NamedNode(BABBAGE)) == {f"{TINY}graph/derived"}
    assert tiny_snapshot.staged.derived_graph == f"{TINY}graph/derived"


def test_every_rule_runs_until_none_derives_more(tiny_snapshot):
    """Three rules: ``10`` (knows both ways), ``20`` (memberOf from the membership) and
    ``05`` (members from memberOf), which runs first yet reads what ``20`` derives, so
    only a second pass over the rules finds its statement."""
    derived = {f"{TINY}graph/derived"}
    facts = {
        "10-knows-is-symmetric": (ADA, KNOWS, ox.NamedNode(BABBAGE)),
        "20-membership-shortcut": (ADA, MEMBER_OF, ox.NamedNode(SOCIETY)),
        "05-members (second pass)": (SOCIETY, MEMBER, ox.NamedNode(ADA)),
    }
    missing = [rule for rule, fact in facts.items() if graphs_of(tiny_snapshot, *fact) != derived]
    assert not missing, f"rules whose statement is not in the derived graph: {missing}"
    graph = ox.NamedNode(*derived)
    quads = list(tiny_snapshot.store.oxigraph.quads_for_pattern(None, None, None, graph))
    # beside the facts, the derived graph holds their reifiers and the rules (DESIGN §8)
    explaining = {q.subject for q in quads if q.predicate.value == str(RDF.type) and q.object.value in (
        str(RDF.Statement), str(PROV.Activity), str(PROV.Association),
        "https://w3id.org/grand-paris-russia/ontology#Rule")}
    facts_found = [q for q in quads if q.subject not in explaining]
    assert len(facts_found) == len(facts), "the rules derive nothing else from the tiny data"


def test_a_rule_never_restates_a_stated_fact(tiny_copy):
    (tiny_copy / "data" / "alpha.ttl").write_text(
        (tiny_copy / "data" / "alpha.ttl").read_text()
        + f"\n<{ADA}> <{KNOWS}> <{BABBAGE}> .\n"
    )
    snapshot = load_snapshot(settings_for(tiny_copy))
    assert graphs_of(snapshot, ADA, KNOWS, ox.NamedNode(BABBAGE)) == {f"{TINY}graph/alpha"}


def test_the_version_follows_the_content(tiny_copy, tiny_snapshot):
    same = load_snapshot(settings_for(tiny_copy))
    assert same.version == tiny_snapshot.version
    with (tiny_copy / "data" / "beta.ttl").open("a") as f:
        f.write(f'\n<{BABBAGE}> <http://schema.org/alternateName> "C. B." .\n')
    assert load_snapshot(settings_for(tiny_copy)).version != tiny_snapshot.version


def test_texts_and_tables_beside_the_data_are_not_read_as_rdf(tiny_copy, tiny_snapshot):
    """The data folder also holds the articles' texts and the reviewed identifier list (a
    text without a sentence table is not an article's yet: nothing is minted from it), and
    may hold a JSON-LD context: only Turtle, TriG, N-Triples and N-Quads files are data."""
    data = tiny_copy / "data"
    for folder, name, text in (("sources", "beta.txt", "Ada « knows » Babbage.\n"),
                               ("reviewed", "external-ids.tsv", "entity_label\tnote\nAda\t@x\n")):
        (data / folder).mkdir(exist_ok=True)
        (data / folder / name).write_text(text, encoding="utf-8")
    (data / "notes.txt").write_text("not turtle {", encoding="utf-8")
    (data / "context.jsonld").write_text('{"@context": {"name": "http://schema.org/name"}}')
    snapshot = load_snapshot(settings_for(tiny_copy))
    assert snapshot.store.graphs() == tiny_snapshot.store.graphs()
    assert snapshot.stats.quads == tiny_snapshot.stats.quads


def test_prefixes_declared_by_the_files_are_kept(tiny_snapshot):
    assert tiny_snapshot.prefixes["person"] == f"{TINY}id/person/"
    assert tiny_snapshot.prefixes["schema"] == "http://schema.org/"


@pytest.mark.parametrize("validator", ENGINES)
def test_a_violation_is_refused_with_focus_node_path_message_and_file(tiny_copy, validator):
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    with pytest.raises(DatasetInvalid) as caught:
        load_snapshot(settings_for(tiny_copy, validator))
    assert str(caught.value) == "the data does not conform to its shapes: 1 violation(s)"
    assert caught.value.report.engine.startswith(f"{ENGINES[validator].label} "), (
        f"validated by {caught.value.report.engine}, not by the engine asked for")
    [violation] = caught.value.report.violations
    assert violation.focus == ADA
    assert violation.path == "http://schema.org/name"
    assert violation.message == "A person has a name."
    # the files that state the focus node: its graph's data file and citations
    assert violation.sources == (str(alpha), str(tiny_copy / "data/sources/alpha.citations.tsv"))


REPORT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
<https://example.org/tiny/shapes#TwoMembers> a sh:NodeShape ;
    sh:targetClass schema:Organization ;
    sh:property [ sh:path [ sh:inversePath org:organization ] ; sh:minCount 2 ;
                  sh:severity sh:Warning ;
                  sh:message "An organisation has two memberships or more." ] .
<https://example.org/tiny/shapes#Advice> a sh:NodeShape ;
    sh:targetNode <https://example.org/tiny/id/person/ada-lovelace> ;
    sh:class schema:Organization ; sh:severity <https://example.org/tiny/shapes#Advice> ;
    sh:message "Not an organisation." ;
    sh:property [ sh:path ( schema:knows schema:knows ) ; sh:minCount 2 ;
                  sh:severity <https://example.org/tiny/shapes#Advice> ;
                  sh:message "Who a person knows knows others too." ] ,
                [ sh:path schema:alternateName ; sh:maxCount 0 ;
                  sh:severity <https://example.org/tiny/severity/advice> ;
                  sh:message "A person goes by one name."@en, "Une personne a un seul nom."@fr ] .
"""


@pytest.mark.parametrize("validator", ENGINES)
def test_the_report_lists_violations_first_each_with_what_to_fix_and_where(tiny_copy,
                                                                            validator):
    """What ``ldpub validate`` prints and a refused load logs, one line a result: the
    violations first (they refuse the data), then warnings, then any other severity the
    shapes name (the IRI's fragment, or the whole IRI), each by focus node and property;
    each with its property (an inverse one as ``^…``, a longer one as ``(complex path)``),
    the offending value, the shape's messages and the file; and the shape, when named."""
    alpha, beta = tiny_copy / "data" / "alpha.ttl", tiny_copy / "data" / "beta.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    beta.write_text(beta.read_text().replace('schema:name "Charles Babbage"', "schema:name 42")
                    + f'<{SOCIETY}> schema:description "Founded in 1812." .\n')
    (tiny_copy / "shapes" / "report.ttl").write_text(REPORT_SHAPES)
    _, report = check(settings_for(tiny_copy, validator))
    assert not report.conforms
    files = report.results[2].sources  # in the order the store gives them
    cited = tiny_copy / "data" / "sources" / "alpha.citations.tsv"  # cites the society
    assert sorted(files) == [str(alpha), str(beta), str(cited)], f"{SOCIETY} is stated in {files}"
    assert [result.line() for result in report.results] == [
        f"Violation: {ADA} | path http://schema.org/name | A person has a name. | in {alpha}, {cited}",
        f"Violation: {BABBAGE} | path http://schema.org/name | value 42 | A person has a name."
        f" | in {beta}",
        f"Warning: {SOCIETY} | path ^http://www.w3.org/ns/org#organization"
        f" | An organisation has two memberships or more. | in {', '.join(files)}",
        f"Advice: {ADA} | value {ADA} | Not an organisation. | in {alpha}, {cited}",
        f"Advice: {ADA} | path (complex path) | Who a person knows knows others too."
        f" | in {alpha}, {cited}",
        f"https://example.org/tiny/severity/advice: {ADA} | path http://schema.org/alternateName"
        f" | A person goes by one name. / Une personne a un seul nom. | in {alpha}, {cited}",
    ]
    named = [result.shape for result in report.results if "://" in (result.shape or "")]
    assert named == [f"{TINY}shapes#Advice"], f"the results name the shapes {named}"


def test_the_native_engine_in_two_runs_reports_what_one_run_gives(tiny_copy, monkeypatch,
                                                                  engine_runs):
    """Below ``TWO_RUNS_UP_TO`` the native engine validates twice at once, each run over
    half of the shapes: one report comes of it, with every result of one run over all the
    shapes, and one report node that does not conform."""
    from server.domain import validation

    alpha, beta = tiny_copy / "data" / "alpha.ttl", tiny_copy / "data" / "beta.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    beta.write_text(beta.read_text() + f'<{SOCIETY}> schema:description "Founded in 1812." .\n')
    (tiny_copy / "shapes" / "report.ttl").write_text(REPORT_SHAPES)
    monkeypatch.setattr(validation.os, "cpu_count", lambda: 2)  # two runs on any machine
    _, halves = check(settings_for(tiny_copy, "turbo"))
    monkeypatch.setattr(validation, "TWO_RUNS_UP_TO", 0)
    _, whole = check(settings_for(tiny_copy, "turbo"))

    first, second, everything = engine_runs
    assert first and second and not set(first) & set(second) and everything is None
    assert {f"{TINY}shapes#TwoMembers", f"{TINY}shapes#Advice"} <= {*first, *second}
    assert [r.line() for r in halves.results] == [r.line() for r in whole.results]
    assert len({r.severity for r in halves.results}) == 4  # results of several shapes
    assert not halves.conforms and not whole.conforms
    graph = halves.graph
    [head] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(head, SH.conforms).toPython() is False
    assert len(set(graph.objects(head, SH.result))) == len(halves.results)


@pytest.mark.parametrize("validator", ENGINES)
def test_a_shape_whose_query_does_not_parse_is_refused_not_raised(tiny_copy, validator):
    (tiny_copy / "shapes" / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        '<urn:shape> a sh:NodeShape ; sh:targetNode <urn:x> ; '
        'sh:sparql [ sh:select "SELECT $this WHERE { oops" ] .\n')
    with pytest.raises(ShapesUnusable, match="SPARQL parse error"):
        check(settings_for(tiny_copy, validator))


# Shapes each engine cannot use, with what its refusal must say: the fault, in the shapes.
UNUSABLE_SHAPES = {
    # SHACL §5.3.1: a SPARQL constraint may not use MINUS (the engines return a failure)
    "a constraint with MINUS": (
        ('sh:targetClass schema:Person ; sh:sparql [ sh:select """SELECT $this WHERE {'
         ' $this ?p ?o MINUS { $this a schema:Place } }""" ]'),
        r"MINUS"),
    # SHACL §4.2.1: sh:minCount is an integer (the engines raise while loading the shape)
    "a count that is not a number": (
        'sh:targetClass schema:Person ; sh:property [ sh:path schema:name ; sh:minCount "many" ]',
        r"sh:minCount"),
}


@pytest.mark.parametrize("validator", ENGINES)
@pytest.mark.parametrize("fault", UNUSABLE_SHAPES)
def test_shapes_an_engine_cannot_use_are_refused_with_its_reason(tiny_copy, validator, fault):
    """``ldpub load`` and a reload refuse such shapes with the engine's own words, which
    say what to fix, rather than a stack trace or a bare "None"."""
    shape, reason = UNUSABLE_SHAPES[fault]
    (tiny_copy / "shapes" / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        f"<urn:shape> a sh:NodeShape ; {shape} .\n")
    with pytest.raises(ShapesUnusable, match=reason):
        check(settings_for(tiny_copy, validator))


def _with_shape(root: Path, shape: str) -> None:
    (root / "shapes" / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        f"<{TINY}shapes#Extra> a sh:NodeShape ; {shape} .\n")


@pytest.mark.parametrize("validator", ENGINES)
def test_a_shape_may_pick_its_targets_with_a_sparql_query(tiny_copy, validator):
    """The citation shapes choose their focus nodes with ``sh:SPARQLTarget`` (SHACL
    Advanced Features): an engine run without those features would check nothing."""
    _with_shape(tiny_copy, (
        'sh:target [ a sh:SPARQLTarget ; sh:select """SELECT ?this WHERE {'
        ' ?this <http://schema.org/alternateName> ?name }""" ] ;'
        ' sh:property [ sh:path schema:alternateName ; sh:maxCount 0 ;'
        ' sh:message "Goes by another name." ]'))
    _, report = check(settings_for(tiny_copy, validator))
    assert [(r.focus, r.message) for r in report.results] == [(ADA, "Goes by another name.")], (
        f"the SPARQL target was not applied: {[r.line() for r in report.results]}")


@pytest.mark.parametrize("validator", ENGINES)
def test_the_shapes_see_the_ontology_class_hierarchy(tiny_copy, validator):
    """A shape that asks for a class is met by an instance of a subclass the ontology
    declares (SHACL §4.1.1: ``rdf:type/rdfs:subClassOf*``); the class hierarchy lives in
    the ontology, not in the data."""
    with (tiny_copy / "ontology" / "tiny.ttl").open("a") as ontology:
        ontology.write("tiny:Mathematician rdfs:subClassOf <http://schema.org/Person> .\n")
    beta = tiny_copy / "data" / "beta.ttl"
    beta.write_text(beta.read_text() + f"\n<{TINY}id/person/grace> a <{TINY}ontology#Mathematician>"
                    ' ; <http://schema.org/name> "Grace" .\n')
    _with_shape(tiny_copy, f"sh:targetClass <{TINY}ontology#Mathematician> ;"
                           ' sh:class schema:Person ; sh:message "Not a person."')
    _, report = check(settings_for(tiny_copy, validator))
    assert report.results == (), [r.line() for r in report.results]


@pytest.mark.parametrize("validator", ENGINES)
def test_data_with_warnings_only_conforms_in_the_published_report_too(tiny_copy, validator):
    """A warning does not refuse the data, and the report graph published with it
    (``/validation``, the release's report file) says ``sh:conforms true`` as well."""
    from rdflib import Literal
    from rdflib.namespace import SH

    _with_shape(tiny_copy, 'sh:targetClass schema:Person ; sh:property [ sh:path'
                           ' schema:alternateName ; sh:maxCount 0 ; sh:severity sh:Warning ]')
    _, report = check(settings_for(tiny_copy, validator))
    assert report.conforms and [(r.focus, r.severity) for r in report.results] == [
        (ADA, "Warning")]
    assert set(report.graph.objects(None, SH.conforms)) == {Literal(True)}, (
        "the report graph says the data does not conform, for a warning")


def test_a_result_the_shapes_give_no_message_reads_so(tiny_copy):
    """A SPARQL constraint without ``sh:message`` gets none from pySHACL: the report says
    "(no message)" rather than an empty line."""
    _with_shape(tiny_copy, f'sh:targetNode <{ADA}> ;'
                           ' sh:severity sh:Warning ;'
                           ' sh:sparql [ sh:select "SELECT $this WHERE { $this a ?type }" ]')
    _, report = check(settings_for(tiny_copy, "pyshacl"))
    assert [r.message for r in report.results] == ["(no message)"]


def _store_with(data: list[ox.Quad], elsewhere: list[ox.Quad]) -> ValidationInput:
    """A store whose data graph holds ``data`` and another graph ``elsewhere``, with
    the tiny shapes."""
    store = ox.Store()
    store.extend(data)
    store.extend(elsewhere)
    shapes = ox.NamedNode(f"{TINY}shapes")
    store.load(path=str(Path(__file__).parents[1] / "fixtures/tiny/shapes/tiny.ttl"),
               format=ox.RdfFormat.TURTLE, to_graph=shapes)
    return ValidationInput(store, (f"{TINY}graph/alpha",), f"{TINY}ontology", shapes.value)


def _person(number: int, graph: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{ADA}-{number}"), ox.NamedNode(str(RDF.type)),
                   ox.NamedNode("http://schema.org/Person"), ox.NamedNode(graph))


@pytest.mark.parametrize("validator", ENGINES)
def test_only_the_data_graphs_are_validated(validator):
    """Only the graphs the loader names as data are validated (the shapes and the
    ontology are not data): a person without a name in another graph is not reported."""
    from server.domain.validation import validate

    source = _store_with([], [_person(1, f"{TINY}graph/elsewhere")])
    assert validate(source, validator).results == ()
    source = _store_with([_person(2, f"{TINY}graph/alpha")], [_person(1, f"{TINY}graph/elsewhere")])
    assert [r.focus for r in validate(source, validator).results] == [f"{ADA}-2"]


def test_the_engine_is_chosen_on_the_data_graphs_count():
    """``auto`` counts the data graphs' statements only, each once."""
    half = AUTO_LIMIT // 2 + 1
    source = _store_with([_person(n, f"{TINY}graph/alpha") for n in range(half)],
                         [_person(n, f"{TINY}graph/elsewhere") for n in range(AUTO_LIMIT)])
    assert (source.has_at_least(half), source.has_at_least(half + 1)) == (True, False)
    assert engine_for("auto", source) is ENGINES["pyshacl"], (
        f"{half} statements in the data graphs, {AUTO_LIMIT} elsewhere: the native engine was chosen")


def test_counting_for_the_engine_stops_at_the_limit():
    """Choosing the engine must not walk millions of statements: the count stops at the
    limit it is asked about."""

    class Counted:
        def __init__(self) -> None:
            self.read = 0

        def quads_for_pattern(self, *pattern):
            for number in range(10 * AUTO_LIMIT):
                self.read += 1
                yield _person(number, f"{TINY}graph/alpha")

    store = Counted()
    source = ValidationInput(store, (f"{TINY}graph/alpha",), f"{TINY}ontology", f"{TINY}shapes")
    assert source.has_at_least(AUTO_LIMIT)
    assert store.read == AUTO_LIMIT, f"{store.read} statements read to count to {AUTO_LIMIT}"


def test_auto_validates_small_data_with_the_reference_engine(tiny_snapshot):
    assert tiny_snapshot.report.engine.startswith("pySHACL ")
    assert engine_for("auto", _input(tiny_snapshot)) is ENGINES["pyshacl"]


def test_auto_validates_large_data_with_the_native_engine(tiny_snapshot):
    staged = tiny_snapshot.staged
    big = ox.Store()
    big.extend(staged.store.quads_for_pattern(None, None, None, None))
    filler = ox.NamedNode(f"{TINY}graph/alpha")
    big.extend(ox.Quad(ox.NamedNode(f"{ADA}-{n}"), ox.NamedNode(KNOWS), ox.NamedNode(ADA), filler)
               for n in range(AUTO_LIMIT))
    source = replace(_input(tiny_snapshot), store=big)
    assert engine_for("auto", source) is ENGINES["turbo"]
    assert engine_for("pyshacl", source) is ENGINES["pyshacl"]


def _input(snapshot) -> ValidationInput:
    staged = snapshot.staged
    return ValidationInput(staged.store, (*staged.data_graphs, staged.derived_graph),
                           staged.ontology_graph, staged.shapes_graph)


@pytest.mark.parametrize(("line", "column", "reason"), [
    ('    schema:name "Charles Babbage ;', 35,
     r"Line jumps are not allowed in string literals, use \n"),
    ("    schema:name foo:babbage ;", 17, "The prefix foo: has not been declared"),
])
def test_a_syntax_error_is_refused_with_file_line_column_and_reason(tiny_copy, line, column,
                                                                     reason):
    """``file:line:column: reason``, as compilers write it: the parser's reason without
    its own "Parser error at line …" preamble (a reason may itself hold ": ")."""
    beta = tiny_copy / "data" / "beta.ttl"
    lines = beta.read_text().splitlines()
    lines[6] = line
    beta.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    error = caught.value
    assert (error.path, error.line, error.column, error.message) == (beta, 7, column, reason)
    assert str(error) == f"{beta}:7:{column}: {reason}", f"the refusal reads {error}"


def test_a_rule_that_is_not_a_construct_is_refused(tiny_copy):
    rule = tiny_copy / "data" / "rules" / "20-bad.rq"
    rule.write_text("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert str(caught.value) == f"{rule}: a rule must be a SPARQL CONSTRUCT query"


def test_a_rule_that_does_not_parse_is_refused_with_its_file_and_where(tiny_copy):
    rule = tiny_copy / "data" / "rules" / "30-bad.rq"
    rule.write_text("CONSTRUCT { ?s ?p ?o } WHERE { oops")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert caught.value.path == rule
    assert "1:36" in caught.value.message, f"the refusal does not say where: {caught.value}"


def test_a_rule_that_cannot_be_read_is_refused_with_why(tiny_copy):
    rule = tiny_copy / "data" / "rules" / "30-folder.rq"
    rule.mkdir()
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert str(caught.value) == f"{rule}: Is a directory"


def test_the_rules_run_pass_by_pass_until_one_derives_nothing(tiny_copy, reports):
    """Every advance is told here (no interval): pass 1 derives two statements, pass 2
    the one that reads pass 1's, pass 3 nothing, and there it stops."""
    check(settings_for(tiny_copy), reports.append)
    runs = [(r.note, r.counts["derived"]) for r in reports
            if r.stage == "rules" and r.note and not r.finished]
    rules = ("05-members.rq", "10-knows-is-symmetric.rq", "20-membership-shortcut.rq")
    derived = (0, 1, 2, 3, 3, 3, 3, 3, 3)  # the tally after each run
    assert runs == [(f"pass {n}: {rule}", total) for (n, rule), total in zip(
        ((n, rule) for n in (1, 2, 3) for rule in rules), derived, strict=True)]
    [done] = [r for r in reports if r.stage == "rules" and r.finished]
    assert (done.done, done.counts) == (9, {"derived": 3})


def test_the_parse_names_each_file_as_it_reads_it(tiny_copy, reports):
    staged, _ = check(settings_for(tiny_copy), reports.append)
    read = [(r.done, r.note, r.counts["statements"]) for r in reports
            if r.stage == "parse" and r.note]
    sizes = [len(list(ox.parse(path=f.path))) for f in staged.files]  # statements a file
    assert read == [(n + 1, f.path.name, sum(sizes[:n + 1]))
                    for n, f in enumerate(staged.files)], read


def test_rules_that_never_settle_stop_after_the_last_pass_with_a_warning(tiny_copy, caplog):
    """A rule that makes a new resource each pass (a chain growing by one link) would
    run for ever: the loader stops after ``MAX_RULE_PASSES`` and says so."""
    import logging

    from server.domain.loading import MAX_RULE_PASSES

    next_ = "https://example.org/tiny/next"
    (tiny_copy / "data" / "beta.ttl").write_text(
        (tiny_copy / "data" / "beta.ttl").read_text() + f"\n<{ADA}> <{next_}> <{ADA}-0> .\n")
    (tiny_copy / "data" / "rules" / "30-chain.rq").write_text(
        f"CONSTRUCT {{ ?end <{next_}> ?new }} WHERE {{ ?start <{next_}> ?end "
        f"FILTER NOT EXISTS {{ ?end <{next_}> ?any }} "
        f'BIND (IRI(CONCAT(STR(?end), "-")) AS ?new) }}')
    caplog.set_level(logging.WARNING, logger="server.domain.loading")
    reports = []
    staged, _ = check(settings_for(tiny_copy), reports.append)
    [done] = [r for r in reports if r.stage == "rules" and r.finished]
    assert done.done == 4 * MAX_RULE_PASSES, f"{done.done} rule runs"
    chain = list(staged.store.quads_for_pattern(None, ox.NamedNode(next_), None,
                                                ox.NamedNode(f"{TINY}graph/derived")))
    assert len(chain) == MAX_RULE_PASSES, f"{len(chain)} links derived"
    assert [r.getMessage() for r in caplog.records] == [
        f"rules still derived new statements after {MAX_RULE_PASSES} passes"]


def test_blank_nodes_of_two_files_stay_apart(tiny_copy):
    """``_:b`` in one file and ``_:b`` in another are two nodes (RDF 1.1 Concepts §3.4):
    two unnamed places, one in each file, stay two."""
    place = "<http://schema.org/Place>"
    for name in ("gamma", "delta"):
        (tiny_copy / "data" / f"{name}.ttl").write_text(f"_:b a {place} .\n")
    snapshot = load_snapshot(settings_for(tiny_copy))
    found = snapshot.store.oxigraph.quads_for_pattern(None, None, ox.NamedNode(place[1:-1]))
    assert len({q.subject for q in found}) == 2


def test_a_new_release_of_the_publisher_gives_the_data_a_new_version(tiny_copy, monkeypatch):
    """The pages of a new release differ, so its version (and every ETag) must too."""
    from importlib import metadata

    from server.domain import loading

    installed = metadata.version("ldpub")
    before = load_snapshot(settings_for(tiny_copy)).version

    def version(name: str) -> str:
        if name != "ldpub":
            raise metadata.PackageNotFoundError(name)
        return installed + ".post1"

    monkeypatch.setattr(loading.metadata, "version", version)
    assert load_snapshot(settings_for(tiny_copy)).version != before


def test_statements_outside_a_named_graph_are_refused(tiny_copy):
    gamma = tiny_copy / "data" / "gamma.trig"
    gamma.write_text(f'<{ADA}> <http://schema.org/name> "Ada" .\n'
                     f'<{TINY}graph/gamma> {{ <{ADA}> <http://schema.org/name> "Ada" . }}\n')
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert str(caught.value) == (f"{gamma}: 1 statement(s) outside any named graph; every fact"
                                 " must sit in the graph of the source that states it")


def test_trig_files_keep_their_own_graphs(tiny_copy):
    (tiny_copy / "data" / "gamma.trig").write_text(
        f'<{TINY}graph/gamma> {{ <{ADA}> <http://schema.org/alternateName> "A. L." . }}\n'
    )
    snapshot = load_snapshot(settings_for(tiny_copy))
    assert f"{TINY}graph/gamma" in snapshot.store.graphs()


@pytest.mark.parametrize("role", ["data", "ontology", "shapes"])
def test_a_missing_default_folder_is_refused_by_name(tiny_copy, role):
    """Given folders are checked by Settings; a default one may still be missing."""
    settings = replace(settings_for(tiny_copy), **{f"{role}_dir": tiny_copy / "missing"})
    with pytest.raises(DataUnreadable) as caught:
        check(settings)
    # no line or column to give: the path and the reason alone
    assert str(caught.value) == f"{tiny_copy / 'missing'}: the {role} folder does not exist"


def test_check_tells_its_progress_stage_by_stage(tiny_copy):
    """What ``ldpub validate`` and ``ldpub load`` show as they go: each stage once
    finished, with its units, and the validation with the engine and its tallies."""
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    reports = []
    staged, _ = check(settings_for(tiny_copy), reports.append)
    finished = {r.stage: r for r in reports if r.finished}
    assert list(finished) == ["parse", "rules", "provenance", "validation"]
    parse, validation = finished["parse"], finished["validation"]
    assert (parse.done, parse.total, parse.unit) == (len(staged.files),) * 2 + ("files",)
    assert (finished["rules"].unit, finished["provenance"].unit) == ("rule runs", "graphs")
    assert validation == replace(validation, done=len(staged.store), total=None, unit="quads",
                                 note="pySHACL", counts={"results": 1, "violations": 1}), (
        f"the validation stage reads {validation}")
    assert reports[0].stage == "parse" and not reports[0].finished, "the start is not told"


def test_the_log_says_what_was_validated_and_loaded(tiny_copy, caplog):
    """An operator's record of each load: the engine, the time and the violations; then
    the statements, graphs and version published."""
    import logging
    import re
    import time

    caplog.set_level(logging.INFO, logger="server.domain.loading")
    started = time.perf_counter()
    snapshot = load_snapshot(settings_for(tiny_copy))
    took = time.perf_counter() - started
    validated, loaded = (r.getMessage() for r in caplog.records)
    found = re.fullmatch(r"validated with (pySHACL \S+) in (\d+\.\d) s: 0 violation\(s\)",
                         validated)
    assert found and found[1] == snapshot.report.engine, f"the log says {validated!r}"
    assert 0 <= float(found[2]) <= took + 0.05, f"{found[2]} s logged for a load of {took:.2f} s"
    assert loaded == (f"loaded {snapshot.stats.quads} quads in {len(snapshot.stats.graphs)}"
                      f" graphs (version {snapshot.version})")


def test_the_load_time_is_a_whole_second_in_utc(tiny_copy):
    """``Last-Modified`` has whole seconds: a client's ``If-Modified-Since`` with it
    must compare equal to the load time, not a fraction of a second before it."""
    from datetime import UTC

    loaded = load_snapshot(settings_for(tiny_copy)).loaded_at
    assert (loaded.tzinfo, loaded.microsecond) == (UTC, 0), f"loaded at {loaded!r}"


def test_a_blank_node_in_violation_is_reported_without_a_file(tiny_copy):
    """A blank node has no name to look up in the files: its result is reported, with
    no file, rather than the report failing."""
    beta = tiny_copy / "data" / "beta.ttl"
    beta.write_text(beta.read_text() + "\n[] a <http://schema.org/Person> .\n")
    with pytest.raises(DatasetInvalid) as caught:
        load_snapshot(settings_for(tiny_copy))
    [violation] = caught.value.report.violations
    assert "://" not in violation.focus and violation.sources == (), violation


def test_a_rule_only_oxigraph_reads_is_refused_with_its_file(tiny_copy):
    """Oxigraph runs the rules, rdflib explains what they derive: a rule rdflib cannot
    read (``LATERAL``) is refused by its own file, not by the rules folder."""
    rule = tiny_copy / "data" / "rules" / "30-lateral.rq"
    rule.write_text(f"CONSTRUCT {{ ?a <{KNOWS}> ?b }} WHERE {{ ?b <{KNOWS}> ?a . "
                    f"LATERAL {{ ?a <{KNOWS}> ?c }} }}")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    error = caught.value
    assert (error.path, str(error)) == (rule, f"{rule}: {error.message}"), str(error)
    assert "LATERAL" in error.message and str(rule) not in error.message, error.message


def test_an_article_written_in_trig_has_its_prefixes_for_its_citations(tiny_copy, tiny_snapshot):
    """The citations of an article are written with its data file's prefixes
    (``person:ada-lovelace``), whether the file is Turtle or TriG."""
    turtle = tiny_copy / "data" / "alpha.ttl"
    lines = turtle.read_text().splitlines()
    turtle.unlink()
    (tiny_copy / "data" / "alpha.trig").write_text("\n".join(
        [line for line in lines if line.startswith("@prefix")]
        + [f"<{TINY}graph/alpha> {{"] + [line for line in lines if not line.startswith("@prefix")]
        + ["}"]) + "\n")
    snapshot = load_snapshot(settings_for(tiny_copy))
    alpha = ox.NamedNode(f"{TINY}graph/alpha")
    assert (len(list(snapshot.store.oxigraph.quads_for_pattern(None, None, None, alpha)))
            == len(list(tiny_snapshot.store.oxigraph.quads_for_pattern(None, None, None, alpha))))


def test_an_article_without_a_data_file_is_refused_by_its_sentence_table(tiny_copy):
    sources = tiny_copy / "data" / "sources"
    for suffix in (".txt", ".sentences.tsv"):
        (sources / f"gamma{suffix}").write_bytes((sources / f"alpha{suffix}").read_bytes())
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert str(caught.value) == (f"{sources / 'gamma.sentences.tsv'}: no data file states the"
                                 f" facts of this article (<{TINY}graph/gamma>)")


def test_a_citation_that_cannot_be_read_is_refused_with_file_and_line(tiny_copy):
    table = tiny_copy / "data" / "sources" / "alpha.citations.tsv"
    lines = table.read_text().splitlines()
    lines[2] = lines[2].replace("organization:analytical-society", "nope:society")
    table.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    error = caught.value
    assert (error.path, error.line) == (table, 3)
    assert str(error) == f"{table}:3: {error.message}" and "nope:" in error.message


def test_a_rule_label_that_cannot_be_read_is_refused_with_file_and_line(tiny_copy):
    labels = tiny_copy / "data" / "rules" / "labels.tsv"
    labels.write_text(labels.read_text() + "99-none\tNo rule\tPas de règle\n")
    with pytest.raises(DataUnreadable) as caught:
        check(settings_for(tiny_copy))
    assert str(caught.value) == f"{labels}:5: no rule 99-none.rq in {labels.parent}"


def test_the_provenance_stage_names_each_article_then_the_derived_graph(tiny_copy, reports):
    check(settings_for(tiny_copy), reports.append)
    minted = [(r.note, r.done, r.total) for r in reports if r.stage == "provenance" and r.note]
    assert minted == [("alpha", 1, 2), ("derived", 2, 2)], minted
    # the statements minted: the article's provenance, then the rules' explanations
    tallies = [r.counts.get("statements", 0) for r in reports
               if r.stage == "provenance" and r.note]
    assert 0 < tallies[0] < tallies[1], f"statements minted, as told: {tallies}"


def test_each_reifier_of_the_derived_graph_explains_a_derived_fact(tiny_copy):
    """A stated fact is never explained as derived: the derived graph's reifiers
    (``rdf:Statement``) are exactly its facts, one each."""
    staged, _ = check(settings_for(tiny_copy))
    derived = ox.NamedNode(f"{TINY}graph/derived")
    quads = list(staged.store.quads_for_pattern(None, None, None, derived))
    reified = [tuple(next(q.object for q in quads if q.subject == node and q.predicate == part)
                     for part in (ox.NamedNode(str(RDF.subject)), ox.NamedNode(str(RDF.predicate)),
                                  ox.NamedNode(str(RDF.object))))
               for node in {q.subject for q in quads if q.object == ox.NamedNode(str(RDF.Statement))}]
    facts = [(q.subject, q.predicate, q.object) for q in quads
             if not q.subject.value.startswith(derived.value)]
    assert sorted(map(str, reified)) == sorted(map(str, facts)) and len(facts) == 3
