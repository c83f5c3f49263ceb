"""What a footnote opens to: the sentence that states a value, with its words marked,
or, for a derived value, the rule that made it and the premises it was made from.

Built from ``citations.Citations`` into plain values a template can show (no pyoxigraph
term reaches a template): a quoted sentence knows its article, number and language, so
the footnote links to the sentence in the article's reading view
(``/page/article/{slug}#s{n}``) and quotes it in its own language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pyoxigraph as ox

from server.domain import iris
from server.domain.describe import Sources
from server.domain.labels import Labels
from server.domain.reifiers import Citation, Citations, Passage
from server.web.literals import literal_text
from server.web.terms import SourceMark, Term, term_of

__all__ = ["Anchored", "Cited", "Fact", "Premise", "Quoted", "article_languages", "cited_marks", "fact_of",
           "quoted"]

# A premise whose sentence is longer than this is named, not quoted ("where short").
SHORT_SENTENCE = 240


class Anchored:
    """What stands at a sentence: its anchor in the article's reading view is ``s{n}``."""

    number: int

    @property
    def anchor(self) -> str:
        return f"s{self.number}"


@dataclass(frozen=True)
class Quoted(Anchored):
    """A sentence as a footnote quotes it: text cut at the words that state the fact."""

    article: str  # the article's IRI; the sentence is ``{article}#s{number}``
    slug: str | None  # the article's slug, for its reading view (None: not one of ours)
    number: int
    kind: str
    lang: str | None
    pieces: tuple[tuple[str, bool], ...]
    short: bool = True  # False: a premise's long sentence, linked rather than quoted


@dataclass(frozen=True)
class Fact:
    """A statement as links: subject, predicate, and object (a term or a shown literal)."""

    subject: Term
    predicate: Term
    object: Term | None
    text: str | None  # a literal object, as shown
    lang: str | None


@dataclass(frozen=True)
class Premise:
    """A statement a derived value was made from, with its own sources."""

    fact: Fact
    quotes: tuple[Quoted, ...]
    rule: Term | None
    premises: tuple[Premise, ...] = ()


def fact_of(triple: ox.Triple, labels: Labels, lang: str, base: str) -> Fact:
    """``triple`` as a reader of ``lang`` sees it."""
    obj = triple.object
    subject = term_of(triple.subject.value, labels, lang, base)
    predicate = term_of(triple.predicate.value, labels, lang, base)
    if isinstance(obj, ox.Literal):
        shown, _ = literal_text(obj, lang)
        return Fact(subject, predicate, None, shown, obj.language)
    return Fact(subject, predicate, term_of(obj.value, labels, lang, base), None, None)


@dataclass(frozen=True)
class Cited:
    """What one graph says of where a value comes from."""

    quotes: tuple[Quoted, ...] = ()
    rule: Term | None = None
    premises: tuple[Premise, ...] = ()


def article_languages(sources: Sources) -> dict[str, str]:
    """The language of each article's text, from the sources that cite it."""
    return {s.article: s.language for s in sources.by_graph.values() if s.article and s.language}


def quoted(passage: Passage, languages: Mapping[str, str], base: str) -> Quoted:
    key = iris.parse_resource_iri(base, passage.article)
    return Quoted(passage.article, key.slug if key else None, passage.number, passage.kind,
                  languages.get(passage.article), passage.pieces())


def cited_marks(marks: tuple[SourceMark, ...], triple: ox.Triple, found: Citations | None,
                sources: Sources, lang: str, base: str) -> tuple[SourceMark, ...]:
    """``marks`` (one per graph stating ``triple``) with what each graph cites."""
    if found is None:
        return marks
    languages = article_languages(sources)
    result = []
    for mark in marks:
        citation = found.of(triple, mark.graph) if mark.graph else None
        if citation is not None:
            mark = replace(mark, cited=_cited(citation, found.labels, languages, lang, base))
        result.append(mark)
    return tuple(result)


def _cited(citation: Citation, labels: Labels, languages: Mapping[str, str], lang: str,
           base: str) -> Cited:
    return Cited(
        quotes=tuple(quoted(p, languages, base) for p in citation.passages),
        rule=term_of(citation.rule, labels, lang, base) if citation.rule else None,
        premises=tuple(_premise(p, labels, languages, lang, base) for p in citation.premises),
    )


def _premise(citation: Citation, labels: Labels, languages: Mapping[str, str], lang: str,
             base: str) -> Premise:
    cited = _cited(citation, labels, languages, lang, base)
    quotes = tuple(replace(q, short=sum(len(piece) for piece, _ in q.pieces) <= SHORT_SENTENCE)
                   for q in cited.quotes)
    return Premise(fact_of(citation.triple, labels, lang, base), quotes, cited.rule,
                   cited.premises)
