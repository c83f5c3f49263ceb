"""Blank nodes of SPARQL answers written with labels a strict reader refuses, relabelled.

Virtuoso 7 writes a blank node of a SELECT answer as ``nodeID://b10000``, in XML as in
JSON, which is no blank node label (SPARQL 1.1 Query §19.8, ``BLANK_NODE_LABEL``), so
Oxigraph's reader refuses the whole answer. The answers of such an engine are read as
XML or JSON and every blank node is given a label spelled from its own (``b`` and its
UTF-8 in hex): one node keeps one label through an answer, two nodes keep two. The XML is
rewritten as it streams, in bounded memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, XMLPullParser
from xml.sax.saxutils import escape, quoteattr

__all__ = ["RelabelledXML", "readable", "relabel_json", "relabelled"]

LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# The elements of the results format that hold text: written whole when they end.
LEAVES = frozenset({"variable", "link", "boolean", "uri", "bnode", "literal"})
CHUNK = 1 << 16


def readable(label: str) -> bool:
    """Whether ``label`` is a blank node label every reader accepts."""
    return LABEL.fullmatch(label) is not None


def relabelled(label: str) -> str:
    return "b" + label.encode().hex()


def relabel_json(document: dict) -> None:
    """Relabel, in place, every blank node of a parsed SPARQL 1.1 JSON answer."""
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            _relabel_term(term)


def _relabel_term(term: dict) -> None:
    if term.get("type") == "bnode":
        term["value"] = relabelled(term["value"])
    elif term.get("type") == "triple":  # SPARQL 1.2 triple terms nest three terms
        for part in term.get("value", {}).values():
            _relabel_term(part)


class RelabelledXML(io.RawIOBase):
    """An XML answer read as XML and written again, every blank node relabelled."""

    def __init__(self, source: BinaryIO):
        self._source = source
        self._parser = XMLPullParser(events=("start", "end"))
        self._open: list[Element] = []
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            chunk = self._source.read(CHUNK)
            if chunk:
                self._parser.feed(chunk)
            else:
                self._parser.close()
                self._done = True
            self._pending = "".join(self._written()).encode()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _written(self) -> Iterator[str]:
        for event, element in self._parser.read_events():
            name = element.tag.removeprefix(f"{{{RESULTS_NS}}}")
            if event == "start":
                self._open.append(element)
                if name not in LEAVES:
                    yield _start_tag(name, element, root=len(self._open) == 1)
                continue
            self._open.pop()
            if name in LEAVES:
                text = element.text or ""
                yield (_start_tag(name, element)
                       + escape(relabelled(text) if name == "bnode" else text) + f"</{name}>")
            else:
                yield f"</{name}>"
            if self._open:  # what is written is dropped: memory stays bounded
                self._open[-1].remove(element)


def _start_tag(name: str, element: Element, *, root: bool = False) -> str:
    attributes = [f' xmlns="{RESULTS_NS}"'] if root else []
    for key, value in element.attrib.items():
        if key == f"{{{XML_NS}}}lang":
            attributes.append(f" xml:lang={quoteattr(value)}")
        elif not key.startswith("{"):
            attributes.append(f" {key}={quoteattr(value)}")
    return f"<{name}{''.join(attributes)}>"
