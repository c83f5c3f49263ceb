"""Why each derived triple holds: the rule that made it and the triples it was made from.

A rule of ``data/rules`` is a SPARQL CONSTRUCT. Its WHERE clause, parsed into SPARQL
algebra by rdflib, is flattened into alternatives: the basic graph patterns one solution
must match (a UNION gives one alternative per branch, an OPTIONAL one without and one
with its patterns, a property path ``a/b`` or ``a|b`` the triples it stands for; FILTERs,
BINDs and sub-selects add no premise). Each alternative runs as a SELECT over the
facts, and each solution instantiates both the template (the derived triple) and the
patterns (its premises). A derived triple keeps the premises of its smallest matching
alternative, so an OPTIONAL that merely matched does not count as a reason.

A variable a BIND computes (a date one day earlier) is not in any pattern: the template
triple is then matched in the derived graph with that position left open.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from server.domain import iris
from server.domain.citations import NotationError
from server.domain.provenance import DERIVED_FROM, TEXT, TYPE, Minted, ntriples, reify

__all__ = [
    "Justification",
    "RuleBody",
    "RuleUnusable",
    "justify",
    "mint_derived",
    "parse_rule",
    "rule_labels",
]

_PROV = "http://www.w3.org/ns/prov#"
RULE = ox.NamedNode("https://w3id.org/grand-paris-russia/ontology#Rule")
PLAN, ACTIVITY = ox.NamedNode(_PROV + "Plan"), ox.NamedNode(_PROV + "Activity")
ASSOCIATION, AGENT = ox.NamedNode(_PROV + "Association"), ox.NamedNode(_PROV + "agent")
QUALIFIED_ASSOCIATION = ox.NamedNode(_PROV + "qualifiedAssociation")
HAD_PLAN, GENERATED_BY = ox.NamedNode(_PROV + "hadPlan"), ox.NamedNode(_PROV + "wasGeneratedBy")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

_Term = URIRef | Literal | Variable | BNode


class RuleUnusable(Exception):
    """A rule whose text rdflib cannot parse into a CONSTRUCT: oxigraph, which runs the
    rules, reads more of SPARQL (``LATERAL``, SPARQL 1.2) than rdflib, which explains
    their results."""

    def __init__(self, path: Path, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Pattern:
    graph: _Term | None  # None: the union of the graphs (the rules' default graph)
    subject: _Term
    predicate: _Term
    object: _Term

    @property
    def variables(self) -> set[Variable]:
        return {t for t in (self.graph, self.subject, self.predicate, self.object)
                if isinstance(t, Variable)}


@dataclass(frozen=True)
class Values:
    variables: tuple[Variable, ...]
    rows: tuple[tuple[_Term | None, ...], ...]


@dataclass(frozen=True)
class Alternative:
    patterns: tuple[Pattern, ...] = ()
    values: tuple[Values, ...] = ()
    computed: frozenset[Variable] = frozenset()  # bound by a BIND, in no pattern

    def __add__(self, other: Alternative) -> Alternative:
        return Alternative(self.patterns + other.patterns, self.values + other.values,
                           self.computed | other.computed)

    @property
    def bound(self) -> set[Variable]:
        found = {v for p in self.patterns for v in p.variables}
        return found | {v for block in self.values for v in block.variables}

    def select(self) -> str:
        """The alternative as a SELECT of every variable its patterns bind."""
        lines = []
        for block in self.values:
            names = " ".join(v.n3() for v in block.variables)
            rows = " ".join("(" + " ".join("UNDEF" if t is None else t.n3() for t in row) + ")"
                            for row in block.rows)
            lines.append(f"VALUES ({names}) {{ {rows} }}")
        for pattern in self.patterns:
            triple = f"{pattern.subject.n3()} {pattern.predicate.n3()} {pattern.object.n3()} ."
            lines.append(triple if pattern.graph is None else f"GRAPH {pattern.graph.n3()} {{ {triple} }}")
        return "SELECT * WHERE {\n  " + "\n  ".join(lines) + "\n}"


@dataclass(frozen=True)
class RuleBody:
    stem: str
    text: str
    template: tuple[tuple[_Term, _Term, _Term], ...]
    alternatives: tuple[Alternative, ...]


@dataclass
class Justification:
    """The rules that derive one triple and the premises of its smallest derivation."""

    rules: set[str] = field(default_factory=set)
    size: int = 1 << 30
    premises: set[ox.Quad] = field(default_factory=set)  # each premise in each graph stating it


def parse_rule(path: Path, text: str) -> RuleBody:
    """A rule's template and alternatives, from rdflib's algebra of its text.

    Raises:
        RuleUnusable: the text is not a CONSTRUCT rdflib can parse.
    """
    try:
        algebra = prepareQuery(text).algebra
    except (ParseBaseException, ValueError, TypeError) as error:
        raise RuleUnusable(path, str(error)) from None
    if algebra.name != "ConstructQuery":
        raise RuleUnusable(path, "a rule must be a SPARQL CONSTRUCT query")
    fresh = (Variable(f"_step{n}") for n in itertools.count())
    alternatives = tuple(_alternatives(algebra.p, None, fresh))
    return RuleBody(path.stem, text, tuple(tuple(t) for t in algebra.template), alternatives)


def justify(store: ox.Store, rules: Iterable[RuleBody], derived: ox.NamedNode) -> dict[ox.Triple, Justification]:
    """For each triple of ``derived``, the rules that derive it and its premises, read
    from ``store`` (the facts and the derived graph, nothing else yet)."""
    found: dict[ox.Triple, Justification] = {}
    for rule in rules:
        for alternative in rule.alternatives:
            size = len(alternative.patterns)
            available = alternative.bound | alternative.computed
            # the templates this alternative can fill, and its patterns, as slots
            templates = [_slots(template) for template in rule.template
                         if {v for v in template if isinstance(v, Variable)} <= available]
            patterns = [(_slots((p.subject, p.predicate, p.object)),
                         _UNION if p.graph is None else _slot(p.graph))
                        for p in alternative.patterns]
            result = store.query(alternative.select(), use_default_graph_as_union=True)
            names = [v.value for v in result.variables]
            for solution in result:
                binding = {n: term for n in names if (term := solution[n]) is not None}
                premises = _premises(store, patterns, binding)
                for template in templates:
                    for triple in _derived_matches(store, template, binding, derived):
                        own = {q for q in premises if q.triple != triple}
                        if not own:
                            continue
                        entry = found.setdefault(triple, Justification())
                        entry.rules.add(rule.stem)
                        if size < entry.size:
                            entry.size, entry.premises = size, set(own)
                        elif size == entry.size:
                            entry.premises |= own
    return found


# A pattern's graph when it has none: the union of the graphs.
_UNION = object()


def _slot(term: _Term):
    """A pattern's term as a binding fills it: a variable by its name (a ``str``), a
    constant as its pyoxigraph term, made once per rule rather than once per solution."""
    return str(term) if isinstance(term, Variable) else _bound(term, {})


def _slots(terms) -> tuple:
    return tuple(map(_slot, terms))


def _fill(slot, binding: dict[str, object]):
    return binding.get(slot) if isinstance(slot, str) else slot


def _filled(slots: tuple, binding: dict[str, object]) -> list:
    return [_fill(s, binding) for s in slots]


def _premises(store: ox.Store, patterns: list[tuple[tuple, object]],
              binding: dict[str, object]) -> set[ox.Quad]:
    premises = set()
    for slots, graph in patterns:
        terms = _filled(slots, binding)
        where = None if graph is _UNION else _fill(graph, binding)
        if any(t is None for t in terms) or (graph is not _UNION and where is None):
            continue
        premises.update(store.quads_for_pattern(*terms, where))
    return premises


def _derived_matches(store: ox.Store, template: tuple, binding: dict[str, object],
                     derived: ox.NamedNode) -> Iterator[ox.Triple]:
    for quad in store.quads_for_pattern(*_filled(template, binding), derived):
        yield quad.triple


def _bound(term: _Term, binding: dict[str, object]):
    """An rdflib term of a pattern as a pyoxigraph term; a variable by its binding (None if unbound)."""
    if isinstance(term, Variable):
        return binding.get(str(term))
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return None


# --- flattening the algebra


def _alternatives(node, graph, fresh) -> list[Alternative]:
    """The alternatives of an algebra node (see the module docstring)."""
    if not isinstance(node, CompValue):
        return [Alternative()]
    handler = _HANDLERS.get(node.name)
    return handler(node, graph, fresh) if handler else [Alternative()]


def _bgp(node, graph, fresh) -> list[Alternative]:
    choices = [_triple(s, p, o, graph, fresh) for s, p, o in node.triples]
    return [sum(combination, Alternative()) for combination in itertools.product(*choices)]


def _triple(s, p, o, graph, fresh) -> list[Alternative]:
    """A triple pattern, a property path expanded into the triples it stands for."""
    if isinstance(p, SequencePath):
        steps, start = [], s
        for index, step in enumerate(p.args):
            end = o if index == len(p.args) - 1 else next(fresh)
            steps.append(_triple(start, step, end, graph, fresh))
            start = end
        return [sum(combination, Alternative()) for combination in itertools.product(*steps)]
    if isinstance(p, AlternativePath):
        return [a for step in p.args for a in _triple(s, step, o, graph, fresh)]
    if isinstance(p, InvPath):
        return _triple(o, p.arg, s, graph, fresh)
    if isinstance(p, (URIRef, Variable)):
        return [Alternative((Pattern(graph, s, p, o),))]
    return [Alternative()]  # a repeated path (*, +, ?) names no one triple


def _join(node, graph, fresh) -> list[Alternative]:
    return [a + b for a in _alternatives(node.p1, graph, fresh)
            for b in _alternatives(node.p2, graph, fresh)]


def _left_join(node, graph, fresh) -> list[Alternative]:
    left = _alternatives(node.p1, graph, fresh)
    return left + [a + b for a in left for b in _alternatives(node.p2, graph, fresh)]


def _union(node, graph, fresh) -> list[Alternative]:
    return _alternatives(node.p1, graph, fresh) + _alternatives(node.p2, graph, fresh)


def _inner(node, graph, fresh) -> list[Alternative]:
    return _alternatives(node.p, graph, fresh)


def _minus(node, graph, fresh) -> list[Alternative]:
    return _alternatives(node.p1, graph, fresh)


def _extend(node, graph, fresh) -> list[Alternative]:
    return [a + Alternative(computed=frozenset({node.var}))
            for a in _alternatives(node.p, graph, fresh)]


def _graph(node, graph, fresh) -> list[Alternative]:
    return _alternatives(node.p, node.term, fresh)


def _to_multiset(node, graph, fresh) -> list[Alternative]:
    inner = node.p
    if isinstance(inner, CompValue) and inner.name == "values":
        names = tuple(sorted({v for row in inner.res for v in row}, key=str))
        rows = tuple(tuple(row.get(v) for v in names) for row in inner.res)
        return [Alternative(values=(Values(names, rows),))]
    return [Alternative()]  # a sub-select: aggregates, no one premise


_HANDLERS = {
    "BGP": _bgp,
    "Join": _join,
    "LeftJoin": _left_join,
    "Union": _union,
    "Filter": _inner,
    "Project": _inner,
    "Distinct": _inner,
    "Reduced": _inner,
    "Minus": _minus,
    "Extend": _extend,
    "Graph": _graph,
    "ToMultiSet": _to_multiset,
}


# --- the RDF of rules and derived triples


def rule_labels(path: Path, stems: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The English and French label of each rule, from ``data/rules/labels.tsv``
    (``rule  en  fr``, a header line, ``#`` comments); none when the file is absent.

    Raises:
        NotationError: a line that is not three cells, or names no rule of the folder.
    """
    if not path.is_file():
        return {}
    known, labels = set(stems), {}
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [(n, line.split("\t")) for n, line in enumerate(lines, start=1)
            if line.strip() and not line.startswith("#")]
    for number, cells in rows[1:]:
        if len(cells) != 3 or not all(c.strip() for c in cells):
            raise NotationError(path, number, "expected three cells: rule, English label, French label")
        stem, english, french = (c.strip() for c in cells)
        if stem not in known:
            raise NotationError(path, number, f"no rule {stem}.rq in {path.parent}")
        labels[stem] = (english, french)
    return labels


def mint_derived(rules: Iterable[RuleBody], labels: dict[str, tuple[str, str]],
                 justifications: dict[ox.Triple, Justification], base: str,
                 statements: dict[str, dict[ox.Triple, str]]) -> list[ox.Quad]:
    """The rules as resources and a reifier for each derived triple.

    A rule is a ``prov:Plan`` (``gpr:Rule``), an entity; what generates a derived
    statement is an activity, applying the rule: ``prov:wasGeneratedBy`` points to the
    activity, whose ``prov:qualifiedAssociation`` names the publisher as agent and the
    rule as ``prov:hadPlan`` (PROV-O keeps activities and entities disjoint). A premise
    is named by its reifier: in an article graph the one the citations made (none while
    the article is uncited), in the derived graph its own, in a curated graph one minted
    here; a graph's description of itself is no premise.
    """
    derived = iris.graph_iri(base, "derived")
    minted = Minted(ox.NamedNode(derived))
    curated: dict[str, Minted] = {}
    for rule in rules:
        node = ox.NamedNode(iris.rule_iri(base, rule.stem))
        activity, association = ox.NamedNode(node.value + "-applied"), ox.NamedNode(node.value + "-plan")
        minted.add(node, TYPE, RULE)
        minted.add(node, TYPE, PLAN)
        minted.add(node, TEXT, ox.Literal(rule.text))
        for label, language in zip(labels.get(rule.stem, ()), ("en", "fr")):
            minted.add(node, LABEL, ox.Literal(label, language=language))
        minted.add(activity, TYPE, ACTIVITY)
        minted.add(activity, QUALIFIED_ASSOCIATION, association)
        minted.add(association, TYPE, ASSOCIATION)
        minted.add(association, AGENT, ox.NamedNode(base))
        minted.add(association, HAD_PLAN, node)
    for triple, why in justifications.items():
        reifier = ox.NamedNode(iris.statement_iri(derived, ntriples(triple)))
        reify(minted, reifier, triple)
        for stem in sorted(why.rules):
            minted.add(reifier, GENERATED_BY, ox.NamedNode(iris.rule_iri(base, stem) + "-applied"))
        for premise in sorted(why.premises, key=str):
            graph = premise.graph_name.value
            if premise.subject == premise.graph_name:
                continue
            if graph == derived:
                iri = iris.statement_iri(derived, ntriples(premise.triple))
            elif graph in statements:
                iri = statements[graph].get(premise.triple)
            else:
                iri = iris.statement_iri(graph, ntriples(premise.triple))
                target = curated.setdefault(graph, Minted(premise.graph_name))
                reify(target, ox.NamedNode(iri), premise.triple)
            if iri is not None:
                minted.add(reifier, DERIVED_FROM, ox.NamedNode(iri))
    return [*minted.quads, *(q for m in curated.values() for q in m.quads)]
