"""SPARQL text shared by the backends, as named constants.

Values are never formatted into these strings: they are bound by the engine
(``substitutions`` in Oxigraph, ``VALUES`` for a remote endpoint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from server.store import Stats

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"

COUNT_DEFAULT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

COUNT_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class
"""

COUNT_BY_PROPERTY = """
SELECT ?p (COUNT(*) AS ?n)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
GROUP BY ?p
"""

COUNT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

DISTINCT_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"

# --- Queries with an inline-data slot: ``VALUES ?x { }`` is valid SPARQL (no rows);
# ``bind`` fills it with terms serialised by Oxigraph, which checks every IRI.

QUADS = "SELECT ?s ?p ?o ?g WHERE { VALUES ?g { } GRAPH ?g { ?s ?p ?o } }"

# What some graphs state of some subjects: one page of a graph's listing.
QUADS_ABOUT = "SELECT ?s ?p ?o ?g WHERE { VALUES ?g { } VALUES ?s { } GRAPH ?g { ?s ?p ?o } }"

# What some graphs (the articles') state of time and place: a dataset's coverage.
LITERALS_OF_TYPE = """
SELECT DISTINCT ?value WHERE {
  VALUES ?g { } VALUES ?type { }
  GRAPH ?g { ?s ?p ?value }
  FILTER(isLiteral(?value) && DATATYPE(?value) = ?type)
}
"""

INSTANCES_IN = "SELECT DISTINCT ?s WHERE { VALUES ?g { } VALUES ?class { } GRAPH ?g { ?s a ?class } }"

ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

SOME_BLANK_NODE = "SELECT ?b WHERE { GRAPH ?g { ?b ?p ?o } FILTER(isBlank(?b)) } LIMIT 1"

EXISTS = "ASK { VALUES ?s { } GRAPH ?g { ?s ?p ?o } }"

# A resource's own statements, those of blank nodes up to ``BLANK_DEPTH`` levels below
# it, and those of the owned nodes (memberships, quotations) that point to or from it:
# one query, so that blank-node labels stay those of one result set. Each branch binds
# ?root itself, so that engines which do not push bindings into a UNION stay fast, and is
# a subquery of its own: Virtuoso 7.2 cannot compile a UNION of branches that each join a
# VALUES, a FILTER and a BIND ("sparp_gp_deprecate(): equiv replaces filter").
BLANK_DEPTH = 3


def _blank_branch(depth: int) -> str:
    """The statements of the blank nodes ``depth`` levels below ?root (0: its own)."""
    steps, node = ["VALUES ?root { }"], "?root"
    for level in range(1, depth + 1):
        steps.append(f"GRAPH ?g{level} {{ {node} ?p{level} ?b{level} }} FILTER(isBlank(?b{level}))")
        node = f"?b{level}"
    return "\n    ".join([*steps, f"GRAPH ?g {{ {node} ?p ?o }} BIND({node} AS ?s)"])


def _owned_branch(link: str) -> str:
    """The statements of an owned node that ``link`` ties to ?root."""
    return "\n    ".join(["VALUES ?root { }", f"GRAPH ?g1 {{ {link} }} FILTER(isIRI(?owned))",
                           "VALUES ?ownedClass { }", "GRAPH ?g2 { ?owned a ?ownedClass }",
                           "GRAPH ?g { ?owned ?p ?o } BIND(?owned AS ?s)"])


_CLOSURE_BRANCHES = (*(_blank_branch(d) for d in range(BLANK_DEPTH + 1)),
                     _owned_branch("?owned ?p1 ?root"), _owned_branch("?root ?p1 ?owned"))
DESCRIBE_CLOSURE = ("SELECT ?s ?p ?o ?g WHERE {\n  { SELECT ?s ?p ?o ?g WHERE {\n    "
                    + "\n  } } UNION { SELECT ?s ?p ?o ?g WHERE {\n    ".join(_CLOSURE_BRANCHES)
                    + "\n  } }\n}\n")

# Links to a resource, not counting the reifiers of statements about it (provenance,
# see DESCRIBE_PROVENANCE): a resource named in a thousand facts is not linked a
# thousand more times.
REIFICATION = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
DESCRIBE_INCOMING = ("SELECT ?s ?p ?o ?g WHERE { VALUES ?o { } GRAPH ?g { ?s ?p ?o } FILTER(?p NOT IN ("
                     + ", ".join(f"<{p}>" for p in REIFICATION) + ")) } LIMIT 1000")

# The provenance of a resource's own statements (DESIGN §8): in each graph, the reifier
# of each triple it is the subject of; the sentences and words it cites, with their
# selectors; for a derived triple, the activity that generated it, its plan (the rule)
# and the rule's labels. Premise reifiers are named, not described. An article's
# description also holds its text and its sentences, which belong to it.
DESCRIBE_PROVENANCE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX gpr: <https://w3id.org/grand-paris-russia/ontology#>
SELECT ?s ?p ?o ?g WHERE {
{
  VALUES ?root { }
  GRAPH ?g { ?statement rdf:subject ?root ; a rdf:Statement }
  {
    GRAPH ?g { ?statement ?p ?o } BIND(?statement AS ?s)
  } UNION {
    GRAPH ?g { ?statement prov:wasDerivedFrom|gpr:inWords ?s . ?s a oa:SpecificResource ; ?p ?o }
  } UNION {
    GRAPH ?g { ?statement prov:wasDerivedFrom|gpr:inWords ?span .
               ?span a oa:SpecificResource ; oa:hasSelector ?s . ?s ?p ?o }
  } UNION {
    GRAPH ?g { ?statement prov:wasGeneratedBy ?s . ?s ?p ?o }
  } UNION {
    GRAPH ?g { ?statement prov:wasGeneratedBy/prov:qualifiedAssociation ?s . ?s ?p ?o }
  } UNION {
    GRAPH ?g { ?statement prov:wasGeneratedBy/prov:qualifiedAssociation/prov:hadPlan ?s .
               ?s ?p ?o FILTER(?p IN (rdf:type, rdfs:label)) }
  }
} UNION {
  VALUES ?root { }
  GRAPH ?g { ?root schema:encoding ?s . ?s a schema:MediaObject ; ?p ?o }
} UNION {
  VALUES ?root { }
  GRAPH ?g { ?s dcterms:isPartOf ?root ; a oa:SpecificResource ; ?p ?o }
} UNION {
  VALUES ?root { }
  GRAPH ?g { ?sentence dcterms:isPartOf ?root ; a oa:SpecificResource ; oa:hasSelector ?s .
             ?s ?p ?o }
}
}
"""

LABELS = "SELECT ?s ?p ?o ?g WHERE { VALUES ?s { } VALUES ?p { } GRAPH ?g { ?s ?p ?o } }"

# --- Dataset description and sitemap.

SUBJECTS_UNDER = """
SELECT DISTINCT ?s WHERE {
  VALUES ?space { }
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))
}
"""

INSTANCES = "SELECT DISTINCT ?s WHERE { VALUES ?class { } GRAPH ?g { ?s a ?class } } LIMIT 50"

SAME_AS = """
SELECT DISTINCT ?s ?o WHERE {
  VALUES ?link { }
  GRAPH ?g { ?s ?link ?o }
  FILTER(isIRI(?o))
}
"""


# --- Resource pages, search and browse.

# The distinct values of a property on a resource, and the resources linking to one
# with a property, each with the graphs stating it (the full, paged list of a page).
VALUES_OUT = "SELECT ?v ?g WHERE { VALUES ?s { } VALUES ?p { } GRAPH ?g { ?s ?p ?v } }"

VALUES_IN = "SELECT ?v ?g WHERE { VALUES ?o { } VALUES ?p { } GRAPH ?g { ?v ?p ?o } }"

# The types and labels of every IRI under a space (``BASE id/``): the catalogue behind
# browse, search and the home page's counts.
CATALOGUE = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?space { }
  VALUES ?p { }
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))
}
"""

def bind(query: str, **values) -> str:
    """Fill the ``VALUES ?name { }`` slots of ``query`` with pyoxigraph terms.

    >>> import pyoxigraph as ox
    >>> bind(EXISTS, s=[ox.NamedNode("http://example.org/a")])
    'ASK { VALUES ?s { <http://example.org/a> } GRAPH ?g { ?s ?p ?o } }'
    """
    for name, terms in values.items():
        slot = f"VALUES ?{name} {{ }}"
        if slot not in query:
            raise ValueError(f"the query has no slot for ?{name}")
        rows = " ".join(str(term) for term in terms)
        query = query.replace(slot, f"VALUES ?{name} {{ {rows} }}")
    return query

# Classes whose instances are parts of the resource that points to them: the value
# class of every property shape marked composite (DASH, datashapes.org/dash#composite).
COMPOSITE_CLASSES = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX dash: <http://datashapes.org/dash#>
SELECT DISTINCT ?class WHERE { GRAPH ?g { ?shape dash:composite true ; sh:class ?class } }
"""


def collect_stats(select: Callable[[str], Iterable]) -> Stats:
    """The counts of ``Stats``, asked through ``select`` (any backend's SELECT)."""

    def count(text: str) -> int:
        rows = list(select(text))
        return int(rows[0]["n"].value) if rows else 0

    def counts(text: str, key: str) -> dict[str, int]:
        return {row[key].value: int(row["n"].value) for row in select(text)
                if isinstance(row[key], ox.NamedNode)}

    return Stats(
        triples=count(COUNT_TRIPLES),
        quads=count(COUNT_QUADS),
        graphs=counts(COUNT_BY_GRAPH, "g"),
        classes=counts(COUNT_BY_CLASS, "class"),
        properties=counts(COUNT_BY_PROPERTY, "p"),
        subjects=count(COUNT_SUBJECTS),
    )

# What happened when, for the home page's timeline: the resources of some classes with
# a date, earliest first. All of them, since the page says how many there are (it draws
# the first few).
DATED = """
SELECT DISTINCT ?s ?date WHERE {
  VALUES ?class { } VALUES ?p { }
  GRAPH ?g { ?s a ?class } GRAPH ?h { ?s ?p ?date }
  FILTER(isLiteral(?date))
} ORDER BY ?date ?s
"""

# Who signed what with whom: every agreement the people of one agreement took part in,
# and how (signed, or present without signing).
SIGNINGS = """
SELECT DISTINCT ?agreement ?how ?person WHERE {
  VALUES ?this { } VALUES ?took { } VALUES ?how { }
  GRAPH ?g { ?this ?took ?person }
  GRAPH ?h { ?agreement ?how ?person }
}
"""

# The parties of an agreement that its people act for.
ACTS_FOR = """
SELECT DISTINCT ?person ?org WHERE {
  VALUES ?this { } VALUES ?party { } VALUES ?works { }
  GRAPH ?g { ?this ?party ?org }
  GRAPH ?h { ?person ?works ?org }
}
"""

# --- provenance of each fact (DESIGN §8): reifiers, sentences and the words they cite

_PROVENANCE_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX gpr: <https://w3id.org/grand-paris-russia/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# A reifier in the graph that states its triple: what it is derived from (sentences, or
# the reifiers of its premises), the words it cites, the rule that made it (the plan of
# the activity that generated it, or the rule itself).
_STATEMENT_BODY = """
  GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
  OPTIONAL { GRAPH ?g { ?st prov:wasDerivedFrom ?from } }
  OPTIONAL { GRAPH ?g { ?st gpr:inWords ?words } }
  OPTIONAL { ?st prov:wasGeneratedBy ?made
             OPTIONAL { ?made prov:qualifiedAssociation/prov:hadPlan ?plan } }
  BIND(COALESCE(?plan, ?made) AS ?rule)
"""
_STATEMENT_SELECT = "SELECT DISTINCT ?st ?g ?s ?p ?o ?from ?words ?rule WHERE {"
# The reifiers of the statements about some subjects.
STATEMENTS_ABOUT = (_PROVENANCE_PREFIXES + _STATEMENT_SELECT + "\n  VALUES ?s { }"
                    + _STATEMENT_BODY + "}")
# Some reifiers, named (the premises of a derived statement).
STATEMENTS_NAMED = (_PROVENANCE_PREFIXES + _STATEMENT_SELECT + "\n  VALUES ?st { }"
                    + _STATEMENT_BODY + "}")
# The reifiers that cite the sentences of an article.
STATEMENTS_OF_ARTICLE = (_PROVENANCE_PREFIXES + _STATEMENT_SELECT + """
  VALUES ?article { }
  ?cited dcterms:isPartOf ?article ; schema:position ?n .
  GRAPH ?g { ?st prov:wasDerivedFrom ?cited }"""
                         + _STATEMENT_BODY + "}")
# Passages of a text (sentences, words): where they sit, what they say, what they are part of.
PASSAGES = _PROVENANCE_PREFIXES + """
SELECT DISTINCT ?x ?start ?end ?exact ?n ?kind ?whole WHERE {
  VALUES ?x { }
  ?x oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?x oa:hasSelector ?quote . ?quote oa:exact ?exact }
  OPTIONAL { ?x schema:position ?n }
  OPTIONAL { ?x gpr:textKind ?kind }
  OPTIONAL { ?x dcterms:isPartOf ?whole }
}"""
# Every span of an article's text the data places: its sentences (part of the article,
# numbered, with their kind, and the note of one that states no fact) and the words
# citations name (part of a sentence).
SPANS_OF = _PROVENANCE_PREFIXES + """
SELECT DISTINCT ?x ?start ?end ?exact ?n ?kind ?whole ?note WHERE {
  VALUES ?article { }
  { ?x dcterms:isPartOf ?article ; schema:position ?n . BIND(?article AS ?whole) }
  UNION
  { ?sentence dcterms:isPartOf ?article ; schema:position ?m . ?x dcterms:isPartOf ?sentence .
    BIND(?sentence AS ?whole) }
  ?x oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?x oa:hasSelector ?quote . ?quote oa:exact ?exact }
  OPTIONAL { ?x gpr:textKind ?kind }
  OPTIONAL { ?x skos:editorialNote ?note }
}"""
# The articles' source texts the data describes (``schema:MediaObject`` with a checksum),
# each with the article it encodes and its rights statements.
SOURCE_TEXTS = _PROVENANCE_PREFIXES + """
SELECT DISTINCT ?text ?sha ?article ?rights WHERE {
  ?text a schema:MediaObject ; schema:sha256 ?sha .
  OPTIONAL { ?text schema:encodesCreativeWork ?article }
  OPTIONAL { ?text dcterms:rights ?rights }
}"""
