"""Answers whose blank nodes are written as Virtuoso writes them (``nodeID://b10000``) read
like any other: same terms, same rows, one label per node."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest

from server.store.blank_labels import RelabelledXML, readable, relabel_json

# As Virtuoso 7.2 writes a SELECT answer (its own schemaLocation included).
XML = """<sparql xmlns="http://www.w3.org/2005/sparql-results#"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.w3.org/2001/sw/DataAccess/rf1/result2.xsd">
 <head><variable name="s"/><variable name="o"/></head>
 <results distinct="false" ordered="true">
  <result>
   <binding name="s"><bnode>nodeID://b10000</bnode></binding>
   <binding name="o"><literal xml:lang="fr">une note &amp; un &lt;mot&gt;</literal></binding>
  </result>
  <result>
   <binding name="s"><bnode>nodeID://b10001</bnode></binding>
   <binding name="o"><bnode>nodeID://b10000</bnode></binding>
  </result>
  <result>
   <binding name="s"><uri>https://example.org/a?b=1&amp;c=2</uri></binding>
   <binding name="o"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">7</literal></binding>
  </result>
 </results>
</sparql>
"""


def rows(solutions) -> list[tuple]:
    return [(s["s"], s["o"]) for s in solutions]


def test_virtuoso_labels_are_not_readable_and_oxigraph_refuses_them():
    assert not readable("nodeID://b10000")
    assert readable("b10000")
    with pytest.raises((SyntaxError, ValueError)):
        list(ox.parse_query_results(XML.encode(), format=ox.QueryResultsFormat.XML))


def test_an_xml_answer_streamed_through_keeps_its_terms_and_nodes():
    source = RelabelledXML(io.BytesIO(XML.encode()))
    (s1, o1), (s2, o2), (s3, o3) = rows(ox.parse_query_results(
        io.BufferedReader(source, buffer_size=7), format=ox.QueryResultsFormat.XML))
    assert isinstance(s1, ox.BlankNode) and isinstance(s2, ox.BlankNode) and s1 != s2
    assert o2 == s1  # one node, one label through the answer
    assert o1 == ox.Literal("une note & un <mot>", language="fr")
    assert s3 == ox.NamedNode("https://example.org/a?b=1&c=2")
    assert o3 == ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def test_a_json_answer_keeps_its_nodes():
    document = {"head": {"vars": ["s", "o"]}, "results": {"bindings": [
        {"s": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "literal", "value": "x"}},
        {"s": {"type": "bnode", "value": "nodeID://b10001"},
         "o": {"type": "bnode", "value": "nodeID://b10000"}}]}}
    relabel_json(document)
    (s1, o1), (s2, o2) = rows(ox.parse_query_results(
        json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON))
    assert s1 != s2 and o2 == s1 and o1 == ox.Literal("x")
