"""The tokens of a SPARQL text (SPARQL 1.1 grammar, §19.8), for what needs no parse.

Whether a query names its own dataset (``FROM``), which keyword opens it, where a token
stands (to point at it in an error message): read from the tokens, skipping what can
hide a keyword (strings, IRIs, comments, prefixed names, variables, language tags).
Nothing that keeps the endpoint safe is decided here: that is the parse's work
(``safety``), since ``\\u`` escapes can change what a text holds before any token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "Token",
    "declares_dataset",
    "first_keyword",
    "locate_prefixed_name",
    "token_at",
    "tokens",
]

Kind = Literal["iri", "string", "var", "pname", "langtag", "word", "other"]

_PN = r"[\w\u00B7\u0300-\u036F\u203F-\u2040]"
_TOKEN = re.compile(
    "|".join((
        r"(?P<space>\s+)",
        r"(?P<comment>#[^\n\r]*)",
        r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
        (r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''"
        r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
        r"|'(?:[^'\\\n\r]|\\.)*'"
        r'|"(?:[^"\\\n\r]|\\.)*")'),
        rf"(?P<var>[?$]{_PN}+)",
        (rf"(?P<pname>(?:{_PN}(?:[\w\u00B7\u0300-\u036F\u203F-\u2040.\-]*))?:"
        r"(?:[\w\u00B7\u0300-\u036F\u203F-\u2040.:\-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*)"),
        r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
        r"(?P<word>[A-Za-z_]\w*)",
        r"(?P<other>.)",
    )),
    re.DOTALL,
)

@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str

    @property
    def keyword(self) -> str | None:
        """The upper-cased word if this token is a bare word (a keyword or ``a``)."""
        return self.text.upper() if self.kind == "word" else None


@lru_cache(maxsize=256)
def tokens(text: str) -> tuple[Token, ...]:
    """The significant tokens of a SPARQL text (no spaces, no comments), remembered for
    the texts seen last (the same queries come back: example queries, dashboards).

    >>> [t.text for t in tokens('SELECT ?s { ?s <http://x#y> "SERVICE" } # SERVICE')]
    ['SELECT', '?s', '{', '?s', '<http://x#y>', '"SERVICE"', '}']
    """
    return tuple(Token(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)
                 if m.lastgroup not in ("space", "comment"))


def _prologue_end(found: tuple[Token, ...]) -> int:
    """Index of the first token after the BASE and PREFIX declarations."""
    index = 0
    while index < len(found):
        keyword = found[index].keyword
        if keyword == "BASE":
            index += 2
        elif keyword == "PREFIX":
            index += 3
        else:
            break
    return index


def first_keyword(text: str) -> str | None:
    """The keyword that opens the operation: ``SELECT``, ``INSERT``, ``LOAD``…

    >>> first_keyword("PREFIX ex: <http://ex/> # a comment\\n insert data { ex:a ex:b ex:c }")
    'INSERT'
    """
    found = tokens(text)
    index = _prologue_end(found)
    return found[index].keyword if index < len(found) else None


def declares_dataset(text: str) -> bool:
    """True when the query names its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> declares_dataset("SELECT * FROM <http://ex/g> { ?s ?p ?o }"), declares_dataset(
    ...     "SELECT * { ?s <http://ex/from> 'FROM' }")
    (True, False)
    """
    return any(token.keyword == "FROM" for token in tokens(text))


def token_at(text: str, offset: int) -> str | None:
    """The token that starts at ``offset`` (or the first one after it); None at the end.

    >>> token_at("SELECT * { ?s ?p ?o } LIMT 10", 22)
    'LIMT'
    """
    for match in _TOKEN.finditer(text, offset):
        if match.lastgroup not in ("space", "comment"):
            return match.group()
    return None


def locate_prefixed_name(text: str, prefix: str) -> int | None:
    """Where the first prefixed name with this prefix stands, outside any declaration.

    >>> locate_prefixed_name("PREFIX s: <x> SELECT * { ?a s:b 's:c' . ?a t:d ?e }", "t")
    43
    """
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "pname" and match.group().partition(":")[0] == prefix:
            return match.start()
    return None
