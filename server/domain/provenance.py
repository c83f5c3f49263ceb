"""The provenance layer of an article graph, minted at load (DESIGN §8).

From an article's text, its sentence table and its citations (``server.domain.citations``)
the loader mints, into the article's own named graph:

- the text as a ``schema:MediaObject`` (``BASE source/{slug}.txt``) with its checksum and
  the text itself (``schema:text``, so that a shape can check each quote against it), and
  the link from the article to it (``schema:encoding``);
- each sentence, ``BASE id/article/{slug}#s{n}``, an ``oa:SpecificResource`` with a
  ``oa:TextPositionSelector`` and a ``oa:TextQuoteSelector`` (W3C Web Annotation);
  a sentence that states no fact carries the reason as an ``skos:editorialNote``;
- the words a citation line names, ``…#s{n}-w{start}-{end}``, the same way;
- one reifier per cited triple, ``BASE graph/{slug}#st-{h}``, an ``rdf:Statement`` with
  ``prov:wasDerivedFrom`` each sentence that states it and ``gpr:inWords`` its words.

The graph's description of itself (``BASE graph/{slug} a gpr:SourceGraph …``) is the
publisher's, not the article's, and is not cited. What no line cites is listed in
``uncited`` (``ldpub citations`` prints it); the shapes refuse an article graph whose
facts are not all cited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from server.domain.citations import (
    ArticleSource,
    Citation,
    NotationError,
    Sentence,
    read_citations,
    read_sentences,
    read_text,
)
from server.domain.iris import graph_iri, resource_iri, sentence_iri, source_text_iri, statement_iri

__all__ = ["EXPLAINING_CLASSES", "QUOTE_CONTEXT", "ArticleProvenance", "Minted", "mint", "ntriples",
           "reify"]

QUOTE_CONTEXT = 32  # code points of oa:prefix / oa:suffix around a quote

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_OA = "http://www.w3.org/ns/oa#"
_SCHEMA = "http://schema.org/"
_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS = "http://purl.org/dc/terms/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_GPR = "https://w3id.org/grand-paris-russia/ontology#"

TYPE = ox.NamedNode(_RDF + "type")
STATEMENT = ox.NamedNode(_RDF + "Statement")
SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
SPECIFIC_RESOURCE = ox.NamedNode(_OA + "SpecificResource")
POSITION_SELECTOR = ox.NamedNode(_OA + "TextPositionSelector")
QUOTE_SELECTOR = ox.NamedNode(_OA + "TextQuoteSelector")
HAS_SOURCE, HAS_SELECTOR = ox.NamedNode(_OA + "hasSource"), ox.NamedNode(_OA + "hasSelector")
START, END = ox.NamedNode(_OA + "start"), ox.NamedNode(_OA + "end")
EXACT, PREFIX, SUFFIX = (ox.NamedNode(_OA + n) for n in ("exact", "prefix", "suffix"))
MEDIA_OBJECT = ox.NamedNode(_SCHEMA + "MediaObject")
ENCODING, ENCODES = ox.NamedNode(_SCHEMA + "encoding"), ox.NamedNode(_SCHEMA + "encodesCreativeWork")
ENCODING_FORMAT, SHA256 = ox.NamedNode(_SCHEMA + "encodingFormat"), ox.NamedNode(_SCHEMA + "sha256")
CONTENT_SIZE, TEXT = ox.NamedNode(_SCHEMA + "contentSize"), ox.NamedNode(_SCHEMA + "text")
POSITION = ox.NamedNode(_SCHEMA + "position")
IS_PART_OF, RIGHTS = ox.NamedNode(_DCTERMS + "isPartOf"), ox.NamedNode(_DCTERMS + "rights")
DERIVED_FROM = ox.NamedNode(_PROV + "wasDerivedFrom")
EDITORIAL_NOTE = ox.NamedNode(_SKOS + "editorialNote")
TEXT_KIND, IN_WORDS = ox.NamedNode(_GPR + "textKind"), ox.NamedNode(_GPR + "inWords")
NON_NEGATIVE = ox.NamedNode(_XSD + "nonNegativeInteger")

# The classes of what the loader mints to explain the facts (reifiers, sentences and
# their selectors, the texts, the rules and their application): not resources a graph
# lists, nor facts an article states.
EXPLAINING_CLASSES = frozenset(ox.NamedNode(c) for c in (
    _RDF + "Statement", _OA + "SpecificResource", _OA + "TextPositionSelector",
    _OA + "TextQuoteSelector", _SCHEMA + "MediaObject", _GPR + "Rule", _PROV + "Activity",
    _PROV + "Association"))

RIGHTS_STATEMENTS = (
    (("The article as its publisher printed it, kept unchanged as the source of the facts "
      "quoted from it; its rights stay with its publisher."), "en"),
    (("L’article tel que son éditeur l’a publié, gardé inchangé comme source des faits qui "
      "en sont cités ; ses droits restent à son éditeur."), "fr"),
)


@dataclass(frozen=True)
class ArticleProvenance:
    """What the loader minted for one article, and what its citations leave out."""

    source: ArticleSource
    graph: str
    prefixes: dict[str, str]  # those its citations are written with
    sentences: tuple[Sentence, ...]
    quads: tuple[ox.Quad, ...]
    statements: dict[ox.Triple, str]  # the reifier of each cited triple
    uncited: tuple[ox.Triple, ...]  # facts of the graph no line cites (all, without a file)
    unmarked: tuple[Sentence, ...]  # sentences neither cited nor marked (all, without a file)


@dataclass
class _Cited:
    sentences: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


def ntriples(triple: ox.Triple) -> str:
    """A triple's N-Triples line, the key of its reifier's IRI."""
    return f"{triple.subject} {triple.predicate} {triple.object} ."


def mint(store: ox.Store, base: str, source: ArticleSource,
         prefixes: dict[str, str]) -> ArticleProvenance:
    """The provenance quads of one article, from its files and its graph in ``store``.

    Raises:
        NotationError: a file of the article that cannot be read, or a citation line that
            names an unknown sentence, matches no fact, or words not in its sentence.
    """
    text = read_text(source.text_path)
    sentences = read_sentences(source.sentences_path, text)
    graph = ox.NamedNode(graph_iri(base, source.slug))
    facts = [q.triple for q in store.quads_for_pattern(None, None, None, graph)
             if q.subject != graph]
    if not facts:
        raise NotationError(source.sentences_path, None,
                            f"no data file states the facts of this article (<{graph.value}>)")
    article = ox.NamedNode(resource_iri(base, "article", source.slug))
    media = ox.NamedNode(source_text_iri(base, source.slug))
    minted = Minted(graph)
    _describe_text(minted, article, media, text)
    for sentence in sentences:
        _describe_sentence(minted, base, source.slug, article, media, text, sentence)
    cited: dict[ox.Triple, _Cited] = {}
    marked: dict[int, Citation] = {}
    citing: dict[int, Citation] = {}  # the first line citing each sentence
    if source.has_citations:
        _reject_blank_nodes(source, facts)
        citations = read_citations(source.citations_path, prefixes, len(sentences))
        for citation in citations:
            if citation.is_mark:
                marked[citation.sentence] = citation
                sentence_node = ox.NamedNode(sentence_iri(base, source.slug, citation.sentence))
                minted.add(sentence_node, EDITORIAL_NOTE, ox.Literal(citation.words, language="en"))
                continue
            citing.setdefault(citation.sentence, citation)
            _cite(minted, store, base, source.slug, media, text,
                  sentences[citation.sentence - 1], citation, cited)
        _reject_cited_marks(marked, citing)
    statements = {}
    for triple, by in cited.items():
        statements[triple] = statement_iri(graph.value, ntriples(triple))
        _describe_statement(minted, ox.NamedNode(statements[triple]), triple, by, base, source.slug)
    said = {n for by in cited.values() for n in by.sentences} | set(marked)
    return ArticleProvenance(
        source=source,
        graph=graph.value,
        prefixes=prefixes,
        sentences=tuple(sentences),
        quads=tuple(minted.quads),
        statements=statements,
        uncited=tuple(sorted((t for t in facts if t not in cited), key=ntriples)),
        unmarked=tuple(s for s in sentences if s.n not in said),
    )


class Minted:
    """Quads of one graph, each once."""

    def __init__(self, graph: ox.NamedNode):
        self.graph, self.quads, self._seen = graph, [], set()

    def add(self, subject, predicate, obj) -> None:
        quad = ox.Quad(subject, predicate, obj, self.graph)
        if quad not in self._seen:
            self._seen.add(quad)
            self.quads.append(quad)


def _describe_text(minted: Minted, article: ox.NamedNode, media: ox.NamedNode, text: str) -> None:
    data = text.encode("utf-8")
    minted.add(article, ENCODING, media)
    minted.add(media, TYPE, MEDIA_OBJECT)
    minted.add(media, ENCODES, article)
    minted.add(media, ENCODING_FORMAT, ox.Literal("text/plain; charset=utf-8"))
    minted.add(media, SHA256, ox.Literal(hashlib.sha256(data).hexdigest()))
    minted.add(media, CONTENT_SIZE, ox.Literal(f"{len(data)} B"))
    minted.add(media, TEXT, ox.Literal(text))
    for statement, language in RIGHTS_STATEMENTS:
        minted.add(media, RIGHTS, ox.Literal(statement, language=language))


def _describe_span(minted: Minted, node: ox.NamedNode, media: ox.NamedNode, text: str,
                   start: int, end: int) -> None:
    """A span of the text as a Web Annotation specific resource with both selectors."""
    position, quote = ox.NamedNode(node.value + "-position"), ox.NamedNode(node.value + "-quote")
    minted.add(node, TYPE, SPECIFIC_RESOURCE)
    minted.add(node, HAS_SOURCE, media)
    minted.add(node, HAS_SELECTOR, position)
    minted.add(node, HAS_SELECTOR, quote)
    minted.add(position, TYPE, POSITION_SELECTOR)
    minted.add(position, START, ox.Literal(str(start), datatype=NON_NEGATIVE))
    minted.add(position, END, ox.Literal(str(end), datatype=NON_NEGATIVE))
    minted.add(quote, TYPE, QUOTE_SELECTOR)
    minted.add(quote, EXACT, ox.Literal(text[start:end]))
    if start > 0:
        minted.add(quote, PREFIX, ox.Literal(text[max(0, start - QUOTE_CONTEXT):start]))
    if end < len(text):
        minted.add(quote, SUFFIX, ox.Literal(text[end:end + QUOTE_CONTEXT]))


def _describe_sentence(minted: Minted, base: str, slug: str, article: ox.NamedNode,
                       media: ox.NamedNode, text: str, sentence: Sentence) -> None:
    node = ox.NamedNode(sentence_iri(base, slug, sentence.n))
    _describe_span(minted, node, media, text, sentence.start, sentence.end)
    minted.add(node, IS_PART_OF, article)
    minted.add(node, POSITION, ox.Literal(str(sentence.n), datatype=ox.NamedNode(_XSD + "integer")))
    minted.add(node, TEXT_KIND, ox.Literal(sentence.kind))


def _cite(minted: Minted, store: ox.Store, base: str, slug: str, media: ox.NamedNode,
          text: str, sentence: Sentence, citation: Citation,
          cited: dict[ox.Triple, _Cited]) -> None:
    matches = [q.triple for q in store.quads_for_pattern(
        citation.subject, citation.predicate, citation.obj, minted.graph)
        if q.subject != minted.graph]
    if not matches:
        raise NotationError(citation.path, citation.line,
                            "this line matches no fact of the article's graph (a stale citation?)")
    words = None
    if citation.words:
        said = text[sentence.start:sentence.end]
        found = said.count(citation.words)
        if found != 1:
            where = "are not in" if not found else f"occur {found} times in"
            raise NotationError(citation.path, citation.line,
                                f"the words {citation.words!r} {where} sentence s{sentence.n}")
        start = sentence.start + said.index(citation.words)
        end = start + len(citation.words)
        words = sentence_iri(base, slug, sentence.n, f"-w{start}-{end}")
        node = ox.NamedNode(words)
        _describe_span(minted, node, media, text, start, end)
        minted.add(node, IS_PART_OF, ox.NamedNode(sentence_iri(base, slug, sentence.n)))
    for triple in matches:
        by = cited.setdefault(triple, _Cited())
        by.sentences.add(sentence.n)
        if words:
            by.words.add(words)


def _describe_statement(minted: Minted, node: ox.NamedNode, triple: ox.Triple, by: _Cited,
                        base: str, slug: str) -> None:
    reify(minted, node, triple)
    for n in sorted(by.sentences):
        minted.add(node, DERIVED_FROM, ox.NamedNode(sentence_iri(base, slug, n)))
    for words in sorted(by.words):
        minted.add(node, IN_WORDS, ox.NamedNode(words))


def reify(minted: Minted, node: ox.NamedNode, triple: ox.Triple) -> None:
    """``node`` as the reifier of ``triple`` (RDF 1.1 reification)."""
    minted.add(node, TYPE, STATEMENT)
    minted.add(node, SUBJECT, triple.subject)
    minted.add(node, PREDICATE, triple.predicate)
    minted.add(node, OBJECT, triple.object)


def _reject_blank_nodes(source: ArticleSource, facts: Iterable[ox.Triple]) -> None:
    """A reifier's IRI is made of its triple; a blank node's label changes at every load."""
    for triple in facts:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise NotationError(source.citations_path, None,
                                f"the graph of {source.slug} has a blank node ({ntriples(triple)}): "
                                "a cited fact needs an IRI, so its reifier's IRI stays the same")


def _reject_cited_marks(marked: dict[int, Citation], citing: dict[int, Citation]) -> None:
    """A sentence is cited or marked as stating nothing, not both: the later line is wrong."""
    for n, mark in sorted(marked.items()):
        if n in citing:
            later, other = sorted((mark, citing[n]), key=lambda c: c.line, reverse=True)
            raise NotationError(later.path, later.line, f"s{n} is marked as stating no fact, "
                                                        f"and line {other.line} cites it")
