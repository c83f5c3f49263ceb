"""The compact notation that ties each fact of an article to the sentence stating it.

An article with a reviewed sentence table (``data/sources/{slug}.sentences.tsv``:
``n  start  end  kind``, offsets in code points as Python slices them) may have a
citations file, ``data/sources/{slug}.citations.tsv``, one line per fact::

    sentence  subject  predicate  object  words
    s12       person:x schema:name "X"    Alexandre Missoffe

``predicate`` may be ``a`` (rdf:type) or ``*`` (every predicate of the subject),
``object`` ``*`` (every object of subject and predicate); ``words`` (optional) are the
exact words of the sentence that state the fact, found once in it. A sentence that states
nothing is marked ``s7  -  -  -  <the reason>``. Terms are written in Turtle with the
prefixes of the article's Turtle file, and parsed as Turtle (never matched as text).

This module reads the files; ``server.domain.provenance`` turns them into RDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "CITATIONS_HEADER",
    "CITATIONS_SUFFIX",
    "KINDS",
    "SENTENCES_SUFFIX",
    "ArticleSource",
    "Citation",
    "NotationError",
    "Sentence",
    "article_sources",
    "fact_line",
    "mark_line",
    "read_citations",
    "read_sentences",
]

KINDS = ("headline", "intertitle", "paragraph", "caption")
SENTENCES_SUFFIX = ".sentences.tsv"
CITATIONS_SUFFIX = ".citations.tsv"
CITATIONS_HEADER = ("sentence", "subject", "predicate", "object", "words")
SENTENCES_HEADER = ("n", "start", "end", "kind")
ANY = "*"  # every predicate, or every object
NONE = "-"  # a sentence that states no fact
_PROBE = "<urn:ldpub:probe>"  # the placeholder around a term parsed alone
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# a local name that needs no escape in a Turtle prefixed name (a subset of PN_LOCAL)
_PLAIN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


class NotationError(Exception):
    """A line of a sentence table or citations file that cannot be used."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


@dataclass(frozen=True)
class Sentence:
    n: int
    start: int
    end: int
    kind: str
    line: int  # where the table gives it


@dataclass(frozen=True)
class Citation:
    """One line of a citations file: a fact pattern stated by a sentence, or a mark.

    ``subject`` None marks a sentence that states no fact, with ``words`` the reason;
    ``predicate`` / ``obj`` None stand for ``*``.
    """

    path: Path
    line: int
    sentence: int
    subject: ox.NamedNode | None
    predicate: ox.NamedNode | None
    obj: ox.NamedNode | ox.Literal | None
    words: str

    @property
    def is_mark(self) -> bool:
        return self.subject is None

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ArticleSource:
    """The files of one article: its text, its sentence table, its citations (if any)."""

    slug: str
    text_path: Path
    sentences_path: Path
    citations_path: Path

    @property
    def has_citations(self) -> bool:
        return self.citations_path.is_file()


def article_sources(data_dir: Path) -> list[ArticleSource]:
    """Every article of ``data_dir/sources`` that has a sentence table."""
    folder = data_dir / "sources"
    if not folder.is_dir():
        return []
    found = []
    for table in sorted(folder.glob(f"*{SENTENCES_SUFFIX}")):
        slug = table.name.removesuffix(SENTENCES_SUFFIX)
        found.append(ArticleSource(slug, folder / f"{slug}.txt", table,
                                   folder / f"{slug}{CITATIONS_SUFFIX}"))
    return found


def read_text(path: Path) -> str:
    """An article's text, which must be UTF-8 in Unicode NFC (offsets count its code points)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise NotationError(path, None, error.strerror or str(error)) from None
    except UnicodeDecodeError as error:
        raise NotationError(path, None, f"not UTF-8 ({error.reason})") from None
    if not unicodedata.is_normalized("NFC", text):
        raise NotationError(path, None, "not in Unicode NFC")
    return text


def read_sentences(path: Path, text: str) -> list[Sentence]:
    """The reviewed sentence table, checked against the text it cuts."""
    sentences: list[Sentence] = []
    for number, cells in _rows(path, SENTENCES_HEADER):
        if len(cells) != 4:
            raise NotationError(path, number, f"expected 4 columns (n, start, end, kind), found {len(cells)}")
        n, start, end, kind = cells
        if not (n.isdigit() and start.isdigit() and end.isdigit()):
            raise NotationError(path, number, "n, start and end are whole numbers")
        sentence = Sentence(int(n), int(start), int(end), kind, number)
        if kind not in KINDS:
            raise NotationError(path, number, f"kind {kind!r} is not one of {', '.join(KINDS)}")
        if sentence.n != len(sentences) + 1:
            raise NotationError(path, number, f"sentence {n} should be number {len(sentences) + 1}")
        if not (0 <= sentence.start < sentence.end <= len(text)):
            raise NotationError(path, number, f"offsets {start}–{end} are not inside the text "
                                              f"({len(text)} code points)")
        if sentences and sentence.start < sentences[-1].end:
            raise NotationError(path, number, f"sentence {n} overlaps the one before it")
        sentences.append(sentence)
    return sentences


def read_citations(path: Path, prefixes: dict[str, str], sentences: int) -> list[Citation]:
    """The citation lines of an article, terms parsed with the article's ``prefixes``;
    ``sentences`` is how many its table has."""
    preamble = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())
    citations = []
    for number, cells in _rows(path, CITATIONS_HEADER):
        if len(cells) not in (4, 5):
            raise NotationError(path, number, "expected the columns sentence, subject, predicate, "
                                              f"object and (optionally) words; found {len(cells)}")
        label, subject, predicate, obj, words = (*cells, "")[:5]
        n = _sentence_number(path, number, label, sentences)
        if subject == NONE:
            if (predicate, obj) != (NONE, NONE) or not words.strip():
                raise NotationError(path, number, f"a sentence that states no fact is written "
                                                  f"'{label}  -  -  -  <the reason>'")
            citations.append(Citation(path, number, n, None, None, None, words.strip()))
            continue
        citations.append(Citation(
            path, number, n,
            subject=_term(path, number, preamble, f"{subject} {_PROBE} {_PROBE} .", "subject"),
            predicate=None if predicate == ANY else _predicate(path, number, preamble, predicate),
            obj=None if obj == ANY else _term(path, number, preamble,
                                             f"{_PROBE} {_PROBE} {obj} .", "object"),
            words=words,
        ))
    return citations


def _rows(path: Path, header: tuple[str, ...]):
    """(line number, cells) of each line after the header; ``#`` lines and blank ones skipped."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as error:
        raise NotationError(path, None, error.strerror or str(error)) from None
    except UnicodeDecodeError as error:
        raise NotationError(path, None, f"not UTF-8 ({error.reason})") from None
    seen_header = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\r").split("\t")
        if not seen_header:
            if tuple(c.strip() for c in cells) != header[:len(cells)] or len(cells) < len(header) - 1:
                raise NotationError(path, number, f"the first line is the header {'  '.join(header)}")
            seen_header = True
            continue
        yield number, cells
    if not seen_header:
        raise NotationError(path, None, f"no header line ({'  '.join(header)})")


def _sentence_number(path: Path, number: int, label: str, sentences: int) -> int:
    digits = label[1:]
    if not (label.startswith("s") and digits.isdigit()):
        raise NotationError(path, number, f"{label!r} is not a sentence (write s1, s2, …)")
    if not 1 <= int(digits) <= sentences:
        raise NotationError(path, number, f"{label} is not a sentence of this article "
                                          f"(its table has s1 to s{sentences})")
    return int(digits)


def _predicate(path: Path, number: int, preamble: str, text: str) -> ox.NamedNode:
    return _term(path, number, preamble, f"{_PROBE} {text} {_PROBE} .", "predicate")


def _term(path: Path, number: int, preamble: str, statement: str, position: str):
    """The term at ``position`` of a one-statement Turtle document, parsed by the engine."""
    try:
        triples = list(ox.parse(preamble + statement, format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise NotationError(path, number, f"the {position} is not a Turtle term: "
                                          f"{str(error.msg).split(': ', 1)[-1]}") from None
    if len(triples) != 1:
        raise NotationError(path, number, f"the {position} is one Turtle term")
    term = getattr(triples[0], position)
    if position != "object" and not isinstance(term, ox.NamedNode):
        raise NotationError(path, number, f"the {position} is an IRI or a prefixed name")
    if isinstance(term, (ox.BlankNode, ox.Triple)):
        raise NotationError(path, number, f"the {position} is an IRI or a literal")
    return term


def fact_line(triple: ox.Triple, prefixes: dict[str, str], sentence: str = "s?") -> str:
    """A citations line for ``triple``, its sentence left to fill in (``ldpub citations``);
    it reads back as the same triple."""
    predicate = "a" if triple.predicate.value == _RDF_TYPE else _compact(triple.predicate, prefixes)
    return "\t".join((sentence, _compact(triple.subject, prefixes), predicate,
                      _compact(triple.object, prefixes), ""))


def mark_line(sentence: Sentence) -> str:
    """A line that marks a sentence as stating no fact, its reason left to fill in."""
    return "\t".join((f"s{sentence.n}", NONE, NONE, NONE, ""))


def _compact(term, prefixes: dict[str, str]) -> str:
    """A term in Turtle, IRIs (and datatypes) as prefixed names where a prefix fits."""
    if isinstance(term, ox.Literal):
        if term.language or term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return str(term)
        lexical = str(ox.Literal(term.value))
        return f"{lexical}^^{_compact(term.datatype, prefixes)}"
    for name, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
        local = term.value[len(namespace):] if term.value.startswith(namespace) else None
        if local is not None and _PLAIN_LOCAL.match(local):
            return f"{name}:{local}"
    return str(term)
