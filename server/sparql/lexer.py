"""The few facts about a SPARQL text that must be known before the engine sees it.

Whether a text is an update, which endpoints its ``SERVICE`` clauses call, whether it
names its own dataset (``FROM``): all three are read from the tokens of the SPARQL 1.1
grammar (§19.8), skipping what can hide a keyword (strings, IRIs, comments, prefixed
names, variables, language tags), without parsing the whole query. The engine's parser
stays the judge of syntax; this only has to agree with it on where keywords are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urljoin

__all__ = [
    "UPDATE_KEYWORDS",
    "Token",
    "declares_dataset",
    "first_keyword",
    "service_targets",
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

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
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


def service_targets(text: str, base: str | None = None) -> list[str | None]:
    """The endpoint of every ``SERVICE`` clause, in order; None where it is a variable
    (or anything else that cannot be known before the query runs).

    >>> service_targets('PREFIX w: <https://query.wikidata.org/> '
    ...                 'SELECT * { SERVICE SILENT w:sparql { ?s ?p ?o } SERVICE ?x {} }')
    ['https://query.wikidata.org/sparql', None]
    """
    found = tokens(text)
    prefixes: dict[str, str] = {}
    targets: list[str | None] = []
    for index, token in enumerate(found):
        keyword = token.keyword
        if keyword == "BASE" and index + 1 < len(found) and found[index + 1].kind == "iri":
            base = urljoin(base or "", found[index + 1].text[1:-1])
        elif keyword == "PREFIX" and index + 2 < len(found) and found[index + 2].kind == "iri":
            prefixes[found[index + 1].text.rstrip(":")] = urljoin(base or "",
                                                                  found[index + 2].text[1:-1])
        elif keyword == "SERVICE":
            position = index + 1
            if position < len(found) and found[position].keyword == "SILENT":
                position += 1
            target = found[position] if position < len(found) else None
            targets.append(_resolve(target, prefixes, base))
    return targets


def _resolve(token: Token | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return urljoin(base or "", token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
