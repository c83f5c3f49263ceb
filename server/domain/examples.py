"""Example SPARQL queries: the ``*.rq`` files of the queries folder, with their titles in
each language and the parameters they declare.

A query file opens with a comment that says what it asks ("# Who signed the convention
of 29 November 2018?"); that line is its English title. Lines of the form
``#@ key: value`` in the opening comments declare the rest (``docs/queries.md``)::

    #@ title@fr: Qui a signé la convention du 29 novembre 2018 ?
    #@ param ?person: schema:Person
    #@ label@en ?person: Person
    #@ label@fr ?person: Personne
    #@ default ?person: <https://w3id.org/grand-paris-russia/id/person/alexandre-missoffe>

A parameter's type is a class (a prefixed name declared by the query, or an IRI in
``<…>``: the value is an instance of it), ``date``, ``literal`` or ``language``. The query
receives each parameter where it writes ``VALUES ?name { }``: an empty inline-data block,
valid SPARQL on its own (it matches nothing), filled with the one term the reader chose
(``canned.bind``). A file whose declarations are wrong is left out and logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from server.sparql.lexer import tokens

__all__ = ["DeclarationError", "ExampleQuery", "Parameter", "SCALAR_TYPES", "example_queries",
           "read_query"]

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024
# Parameter types other than a class; a class is written as a prefixed name or an IRI.
SCALAR_TYPES = ("date", "literal", "language")
_DECLARATION = re.compile(
    r"#@\s*(?P<key>[a-z]+)(?:@(?P<lang>[a-z]{2,3}))?(?:\s+\?(?P<var>\w+))?\s*:\s*(?P<value>.*)")
_KEYS = {"title": ("lang",), "param": ("var",), "label": ("lang", "var"), "default": ("var",)}


class DeclarationError(ValueError):
    """A ``#@`` line that does not declare what the query needs."""


@dataclass(frozen=True)
class Parameter:
    """One value a reader gives a canned query.

    Attributes:
        name: the variable it binds, without ``?``.
        type: ``date``, ``literal``, ``language``, or the IRI of the class its values are
            instances of.
        labels: its label in each language (language code -> text).
        default: the value used when the reader gives none (an IRI or a lexical form).
    """

    name: str
    type: str
    labels: MappingProxyType[str, str]
    default: str | None = None

    @property
    def of_class(self) -> str | None:
        return None if self.type in SCALAR_TYPES else self.type

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # the file's stem
    title: str  # the English title, the first comment line
    text: str
    titles: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    parameters: tuple[Parameter, ...] = ()

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, else the English one."""
        return self.titles.get(lang, self.title)


def example_queries(folder: Path | None) -> tuple[ExampleQuery, ...]:
    """The readable, well-declared ``*.rq`` files of ``folder``, by file name; none if
    it is absent. Read again only when a file's name, size or change time differs, since
    every page that lists the queries asks for them."""
    if folder is None or not folder.is_dir():
        return ()
    return _read_folder(folder, _fingerprint(folder))


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(folder.glob("*.rq")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


@lru_cache(maxsize=8)
def _read_folder(folder: Path, fingerprint: tuple[tuple[str, int, int], ...]
                 ) -> tuple[ExampleQuery, ...]:
    found = []
    for name, size, _ in fingerprint:
        path = folder / name
        if size > MAX_BYTES:
            continue
        try:
            found.append(read_query(path.stem, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
        except DeclarationError as error:
            log.warning("query %s left out: %s", path, error)
    return tuple(found)


def read_query(name: str, text: str) -> ExampleQuery:
    """One query file's title, titles and parameters.

    Raises:
        DeclarationError: a ``#@`` line is malformed, or a parameter has no type or no
            ``VALUES ?name { }`` slot in the query.
    """
    title = _title(text) or name.replace("-", " ")
    titles: dict[str, str] = {"en": title}
    types: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    defaults: dict[str, str] = {}
    prefixes = _prefixes(text)
    for number, line in enumerate(_header(text), start=1):
        if not line.startswith("#@"):
            continue
        found = _DECLARATION.fullmatch(line.strip())
        if found is None or found["key"] not in _KEYS or any(
                not found[part] for part in _KEYS[found["key"]]):
            raise DeclarationError(f"line {number}: not a declaration: {line.strip()!r}")
        key, lang, var, value = found["key"], found["lang"], found["var"], found["value"].strip()
        if key == "title":
            titles[lang] = value
        elif key == "param":
            types[var] = value if value in SCALAR_TYPES else _iri(value, prefixes, number)
        elif key == "label":
            labels.setdefault(var, {})[lang] = value
        else:
            defaults[var] = value
    for var in (*labels, *defaults):
        if var not in types:
            raise DeclarationError(f"?{var} has a label or default but no `#@ param` line")
    for var in types:
        _check_slot(text, var)
        if var in defaults and types[var] not in SCALAR_TYPES:
            defaults[var] = _iri(defaults[var], prefixes, 0)
    parameters = tuple(Parameter(var, kind, MappingProxyType(labels.get(var, {})),
                                 defaults.get(var)) for var, kind in types.items())
    return ExampleQuery(name, title, text, MappingProxyType(titles), parameters)


def slot_pattern(var: str) -> re.Pattern[str]:
    """Where the query receives ``?var``: its empty ``VALUES`` block."""
    return re.compile(rf"VALUES\s+\?{re.escape(var)}\s*\{{\s*\}}", re.IGNORECASE)


def _check_slot(text: str, var: str) -> None:
    """One empty ``VALUES ?var { }`` in the query's tokens, and only that one in its text
    (none hidden in a comment or a string, where filling it would change nothing)."""
    found = tokens(text)
    in_tokens = sum(1 for i in range(len(found) - 3)
                    if found[i].keyword == "VALUES" and found[i + 1].text == f"?{var}"
                    and found[i + 2].text == "{" and found[i + 3].text == "}")
    if in_tokens != 1 or len(slot_pattern(var).findall(text)) != 1:
        raise DeclarationError(f"?{var} needs exactly one `VALUES ?{var} {{ }}` in the query "
                               "(where its value goes)")


def _header(text: str) -> list[str]:
    """The opening comment lines."""
    lines = []
    for line in text.splitlines():
        if not line.strip().startswith("#"):
            break
        lines.append(line.strip())
    return lines


def _prefixes(text: str) -> dict[str, str]:
    """The query's own ``PREFIX`` declarations."""
    found = tokens(text)
    return {found[i + 1].text[:-1]: found[i + 2].text[1:-1] for i in range(len(found) - 2)
            if found[i].keyword == "PREFIX" and found[i + 1].kind == "pname"
            and found[i + 1].text.endswith(":") and found[i + 2].kind == "iri"}


def _iri(value: str, prefixes: dict[str, str], number: int) -> str:
    """An IRI written ``<…>`` or as a prefixed name the query declares."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in prefixes and re.fullmatch(r"[\w.-]*", local):
        return prefixes[prefix] + local
    raise DeclarationError(f"line {number}: {value!r} is neither a type "
                           f"({', '.join(SCALAR_TYPES)}), an <IRI> nor a declared prefixed name")


def _title(text: str) -> str | None:
    """The first comment line, without its ``#``.

    >>> _title("# Who signed?\\nSELECT * {}"), _title("SELECT * {}")
    ('Who signed?', None)
    """
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or None
        return None
    return None
