"""The citations notation and the provenance the loader mints from it (DESIGN §8):
sentences with both selectors, one reifier per cited triple with stable IRIs, and a
refusal naming file and line for each kind of bad line."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from server.domain.citations import fact_line, read_citations
from server.domain.loading import DataUnreadable, citation_coverage, stage
from server.runtime.cli import cli
from server.settings import Settings

TINY = "https://example.org/tiny/"
ALPHA = f"{TINY}graph/alpha"
ARTICLE = f"{TINY}id/article/alpha"
ADA = f"{TINY}id/person/ada-lovelace"
OA = "http://www.w3.org/ns/oa#"
PREFIXES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <http://schema.org/>
PREFIX gpr: <https://w3id.org/grand-paris-russia/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def settings_for(root: Path) -> Settings:
    return Settings.load({"data_dir": root / "data", "ontology_dir": root / "ontology",
                          "shapes_dir": root / "shapes", "base_iri": TINY}, environ={})


def rows(store: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(t.value if t is not None else None for t in row)
                  for row in store.query(PREFIXES + query, use_default_graph_as_union=True))


def citations_path(root: Path) -> Path:
    return root / "data" / "sources" / "alpha.citations.tsv"


def test_each_sentence_has_both_selectors_cut_from_the_text(tiny_copy):
    staged = stage(settings_for(tiny_copy))
    text = (tiny_copy / "data/sources/alpha.txt").read_text(encoding="utf-8")
    found = rows(staged.store, """
        SELECT ?n ?start ?end ?exact ?kind WHERE { GRAPH <%s> {
          ?s a oa:SpecificResource ; schema:position ?n ; gpr:textKind ?kind ;
             oa:hasSource <%ssource/alpha.txt> ;
             oa:hasSelector [ oa:start ?start ; oa:end ?end ] , [ oa:exact ?exact ] } }
    """ % (ALPHA, TINY))
    assert [r[0] for r in found] == ["1", "2", "3"]
    for _, start, end, exact, _ in found:
        assert text[int(start):int(end)] == exact
    assert found[0][4] == "headline"


def test_every_cited_triple_has_one_reifier_naming_its_sentence(tiny_copy):
    staged = stage(settings_for(tiny_copy))
    facts = [q for q in staged.store.quads_for_pattern(None, None, None, ox.NamedNode(ALPHA))
             if q.subject.value.startswith(f"{TINY}id/") and "#" not in q.subject.value
             and q.predicate.value != "http://schema.org/encoding"]
    reified = rows(staged.store, """
        SELECT ?st ?s ?p ?o ?sentence WHERE { GRAPH <%s> {
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
              prov:wasDerivedFrom ?sentence } }
    """ % ALPHA)
    assert {(s, p, o) for _, s, p, o, _ in reified} == {
        (q.subject.value, q.predicate.value, q.object.value) for q in facts}
    # the label is stated by both the headline and the paragraph
    label = [r for r in reified if r[3] == "Analytical Society"]
    assert {r[4] for r in label} == {f"{ARTICLE}#s1", f"{ARTICLE}#s2"}


def test_reifier_iris_are_stable_across_loads(tiny_copy):
    query = "SELECT ?st WHERE { GRAPH ?g { ?st a rdf:Statement } }"
    first = rows(stage(settings_for(tiny_copy)).store, query)
    second = rows(stage(settings_for(tiny_copy)).store, query)
    assert first == second and all("#st-" in r[0] for r in first)


def test_words_are_a_span_of_the_sentence_with_both_selectors(tiny_copy):
    staged = stage(settings_for(tiny_copy))
    found = rows(staged.store, """
        SELECT ?words ?exact ?start ?sentence WHERE { GRAPH <%s> {
          ?st rdf:object "Augusta Ada King" ; gpr:inWords ?words .
          ?words dcterms:isPartOf ?sentence ;
                 oa:hasSelector [ oa:exact ?exact ], [ oa:start ?start ] } }
    """ % ALPHA)
    text = (tiny_copy / "data/sources/alpha.txt").read_text(encoding="utf-8")
    [(words, exact, start, sentence)] = found
    assert exact == "born Augusta Ada King" and text[int(start):].startswith(exact)
    assert sentence == f"{ARTICLE}#s2" and words == f"{ARTICLE}#s2-w{start}-{int(start) + 21}"


def test_a_marked_sentence_carries_its_reason(tiny_copy):
    staged = stage(settings_for(tiny_copy))
    notes = rows(staged.store, """
        SELECT ?note WHERE { <%s#s3> <http://www.w3.org/2004/02/skos/core#editorialNote> ?note }
    """ % ARTICLE)
    assert notes == [("Where the society met is not recorded in this graph.",)]


@pytest.mark.parametrize(("line", "message"), [
    ("s9\tperson:ada-lovelace\tschema:name\t\"Ada Lovelace\"\t", "s9 is not a sentence of this article"),
    ("s2\tperson:ada-lovelace\tschema:name\t\"Ada Byron\"\t", "matches no fact"),
    ("s2\tperson:ada-lovelace\tschema:name\t\"Ada Lovelace\"\tCountess", "are not in sentence s2"),
    ("s2\tperson:ada-lovelace\tschema:name\t\"Ada Lovelace\"\tAda", "occur 2 times in sentence s2"),
    ("s2\tperson:ada-lovelace\tschema:name\tAda Lovelace\t", "the object is not a Turtle term"),
    ("s2\tnobody:ada\tschema:name\t*\t", "the subject is not a Turtle term"),
    ("s3\tperson:ada-lovelace\tschema:name\t*\t", "s3 is marked as stating no fact"),
    ("s1\t-\t-\t-\t", "a sentence that states no fact is written"),
    ("twelve\tperson:ada-lovelace\t*\t*", "is not a sentence"),
])
def test_a_bad_line_refuses_the_load_naming_file_and_line(tiny_copy, line, message):
    path = citations_path(tiny_copy)
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    with pytest.raises(DataUnreadable) as caught:
        stage(settings_for(tiny_copy))
    assert caught.value.path == path and caught.value.line == len(lines) + 1
    assert message in caught.value.message


def test_a_sentence_table_that_does_not_fit_the_text_is_refused(tiny_copy):
    table = tiny_copy / "data/sources/alpha.sentences.tsv"
    table.write_text(table.read_text(encoding="utf-8").replace("\t159\t", "\t999\t"), encoding="utf-8")
    with pytest.raises(DataUnreadable) as caught:
        stage(settings_for(tiny_copy))
    assert caught.value.path == table and caught.value.line == 4
    assert "not inside the text" in caught.value.message


def test_without_a_citations_file_the_load_goes_on_and_everything_is_listed(tiny_copy):
    citations_path(tiny_copy).unlink()
    [alpha] = citation_coverage(settings_for(tiny_copy))
    assert len(alpha.uncited) == 10 and [s.n for s in alpha.unmarked] == [1, 2, 3]
    assert not any(True for _ in stage(settings_for(tiny_copy)).store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"), ox.NamedNode(ALPHA)))


def test_the_command_lists_what_is_left_as_lines_to_fill_in(tiny_copy):
    path = citations_path(tiny_copy)
    kept = [line for line in path.read_text(encoding="utf-8").split("\n")
            if not line.startswith(("s2\torganization", "s3"))]
    path.write_text("\n".join(kept), encoding="utf-8")
    args = ["--data-dir", str(tiny_copy / "data"), "--ontology-dir", str(tiny_copy / "ontology"),
            "--shapes-dir", str(tiny_copy / "shapes"), "--base-iri", TINY]
    result = CliRunner().invoke(cli, ["citations", "--article", "alpha", *args])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "s?\torganization:analytical-society\ta\tschema:Organization\t" in lines
    assert "s?\torganization:analytical-society\trdfs:label\t\"Société analytique\"@fr\t" in lines
    assert "s3\t-\t-\t-\t" in lines and "# s3 (paragraph): It met in Cambridge." in lines
    # each listed fact, once its sentence is filled in, is a line the loader accepts
    path.write_text("\n".join(kept) + "\n" + "\n".join(
        line.replace("s?", "s2", 1) for line in lines if line.startswith("s?"))
        + "\ns3\t-\t-\t-\tNot recorded.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["citations", "--article", "alpha", *args])
    assert result.exit_code == 0, result.output


def test_a_fact_line_reads_back_as_its_triple(tiny_copy):
    [alpha] = citation_coverage(settings_for(tiny_copy))
    triples = list(alpha.statements)
    path = tiny_copy / "lines.tsv"
    path.write_text("sentence\tsubject\tpredicate\tobject\twords\n" + "\n".join(
        fact_line(t, alpha.prefixes, "s1") for t in triples) + "\n", encoding="utf-8")
    read = read_citations(path, alpha.prefixes, 3)
    assert [ox.Triple(c.subject, c.predicate, c.obj) for c in read] == triples
