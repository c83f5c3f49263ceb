"""The article's reading view: its text sentence by sentence, each followed by the facts
it states (DESIGN §8), so that a reviewer checks the graph against the text in one pass.

Sentences come from the data (their numbers are published IRIs, ``…#s12``); the text
file tells where a block (headline, paragraph, caption) ends, since the blank line
between two sentences is in the text, not in the data. What a sentence states comes
from the reifiers that cite it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from server.domain.describe import Sources
from server.domain.labels import Labels, fold
from server.domain.loading import Snapshot
from server.domain.reifiers import Citations, Passage, article_citations
from server.web.footnotes import Anchored, Fact, article_languages, fact_of
from server.web.views.texts import source_texts

__all__ = ["Block", "Reading", "ReadSentence", "StatedFact", "article_reading", "reading_view"]


@dataclass(frozen=True)
class StatedFact:
    """One statement a sentence states, as links."""

    fact: Fact
    words: str | None = None  # the words that state it, when the data names them


@dataclass(frozen=True)
class ReadSentence(Anchored):
    number: int
    text: str
    facts: tuple[StatedFact, ...]
    note: tuple[str, str | None] | None = None  # why it states no fact (text, language)


@dataclass(frozen=True)
class Block:
    """Sentences that the text prints together: the headline, a paragraph, a caption."""

    kind: str
    sentences: tuple[ReadSentence, ...]


@dataclass(frozen=True)
class Reading:
    slug: str
    lang: str | None  # the text's own language
    blocks: tuple[Block, ...]
    has_text: bool  # the text is served at ``/source/{slug}.txt``


def article_reading(snapshot: Snapshot, iri: str, slug: str, sources: Sources, lang: str,
                    base: str) -> Reading | None:
    """The reading view of the article ``iri`` for a reader of ``lang``."""
    passages, found = article_citations(snapshot, iri)
    text = source_texts(snapshot).get(slug)
    return reading_view(slug, passages, found, text.text if text else None,
                        article_languages(sources).get(iri), lang, base)


def reading_view(slug: str, passages: tuple[Passage, ...], found: Citations,
                 text: str | None, text_lang: str | None, lang: str, base: str) -> Reading | None:
    """The reading view of an article, or None when its sentences are not in the data."""
    if not passages:
        return None
    facts: dict[int, list[StatedFact]] = {}
    for citation in found.by_statement.values():
        if not isinstance(citation.triple.subject, ox.NamedNode):
            continue
        for passage in citation.passages:
            if passage.article != passages[0].article:
                continue
            facts.setdefault(passage.number, []).append(
                _fact(citation.triple, passage, found.labels, lang, base))
    blocks: list[tuple[str, list[ReadSentence]]] = []
    previous: Passage | None = None
    for passage in passages:
        sentence = ReadSentence(passage.number, passage.text, tuple(sorted(
            facts.get(passage.number, ()), key=_fact_order)),
            passage.note)
        if previous is None or _new_block(previous, passage, text):
            blocks.append((passage.kind, []))
        blocks[-1][1].append(sentence)
        previous = passage
    return Reading(slug, text_lang, tuple(Block(kind, tuple(s)) for kind, s in blocks),
                   text is not None)


def _new_block(previous: Passage, passage: Passage, text: str | None) -> bool:
    """A new block starts where the kind changes or the text breaks the line."""
    if previous.kind != passage.kind:
        return True
    if text is None or not 0 <= previous.end <= passage.start <= len(text):
        return passage.kind != "paragraph"
    return "\n" in text[previous.end:passage.start]


def _fact(triple: ox.Triple, passage: Passage, labels: Labels, lang: str, base: str) -> StatedFact:
    words = "".join(passage.text[a:b] for a, b in passage.highlights[:1]) or None
    return StatedFact(fact_of(triple, labels, lang, base), words)


def _fact_order(stated: StatedFact) -> tuple[str, str, str]:
    fact = stated.fact
    return (fold(fact.subject.label), fold(fact.predicate.label),
            fold(fact.object.label if fact.object else fact.text or ""))
