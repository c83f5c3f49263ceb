"""Messages that teach: where a query went wrong, shown on its own line, and what to add.

A syntax error names the line and column and shows that line with a caret under the
column, as compilers do; an undeclared prefix is named, located, and where it is one of
the dataset's or a well-known vocabulary's (rdflib's table of common vocabularies), the
``PREFIX`` line to add is given. The endpoint, the query page and ``ldpub query`` all
show these same messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from rdflib import Graph
from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re

from server.sparql.lexer import locate_prefixed_name, token_at

__all__ = ["engine_error", "syntax_error", "too_deep", "undeclared_prefix", "update_name"]

# Oxigraph's parser: "error at LINE:COLUMN: expected …" (columns counted from 1).
_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+): ?")
# Past this, a parser's list of what it expected teaches nothing.
_LONGEST_DETAIL = 160

# The names SPARQL 1.1 Update gives its operations (§3), by rdflib's parse-tree name.
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}


def update_name(name: str) -> str:
    """The SPARQL keyword of an update operation, from its parse-tree name."""
    return _UPDATE_NAMES.get(name, name.upper())


def too_deep() -> str:
    return ("the query nests groups or expressions too deeply for this endpoint to read "
            "(past about 30 levels); flatten it: most nested OPTIONAL or { } groups can "
            "follow one another instead.")


def syntax_error(text: str, offset: int) -> str:
    """A syntax error at a character offset of the text the parser read (``\\u``
    escapes expanded, §19.2), shown where it stands in the text as written.

    >>> print(syntax_error("SELECT * {\\n  ?s ?p ?o\\n  ?o <http://x/> 3 . }", 24))
    syntax error at line 3, column 3: near ?o
      ?o <http://x/> 3 . }
      ^
    """
    offset = _as_written(text, offset)
    found = token_at(text, offset)
    what = f"near {_short(found)}" if found else "the query ends before it is complete"
    line, column = _line_column(text, offset)
    return f"syntax error at line {line}, column {column}: {what}\n{_excerpt(text, line, column)}"


def engine_error(text: str, message: str) -> str:
    """The engine's message, with its position shown under the line it points at.

    >>> print(engine_error("SELECT ?n {\\n ?s ?p ?o }", "error at 1:8: expected DISTINCT"))
    syntax error at line 1, column 8: expected DISTINCT
    SELECT ?n {
           ^
    """
    match = _ENGINE_POSITION.search(message)
    if match is None:
        return message
    line, column = int(match[1]), int(match[2])
    detail = message[match.end():].strip().replace("\n", " ")
    if len(detail) > _LONGEST_DETAIL:
        detail = detail[:_LONGEST_DETAIL].rsplit(" ", 1)[0] + " …"
    return f"syntax error at line {line}, column {column}: {detail}\n{_excerpt(text, line, column)}"


def undeclared_prefix(text: str, prefix: str, dataset: Mapping[str, str]) -> str:
    """The prefix, where it is first used, and the ``PREFIX`` line to add if we know one.

    >>> print(undeclared_prefix("SELECT * {\\n ?s dc:title ?t }", "dc", {}))
    the prefix dc: is not declared (line 2, column 5)
     ?s dc:title ?t }
        ^
    add this line at the top of the query:
    PREFIX dc: <http://purl.org/dc/elements/1.1/>
    """
    namespace = dataset.get(prefix) or well_known().get(prefix)
    offset = locate_prefixed_name(text, prefix)
    message = f"the prefix {prefix}: is not declared"
    if offset is not None:
        line, column = _line_column(text, offset)
        message += f" (line {line}, column {column})\n{_excerpt(text, line, column)}"
    if namespace:
        return message + f"\nadd this line at the top of the query:\nPREFIX {prefix}: <{namespace}>"
    return message + f"\ndeclare it at the top of the query: PREFIX {prefix}: <…>"


@cache
def well_known() -> dict[str, str]:
    """Prefixes of common vocabularies, from rdflib's own table (``schema:`` in the
    ``http://`` form that published schema.org data uses, as ours does)."""
    table = {name: str(iri) for name, iri in Graph(bind_namespaces="rdflib").namespaces()}
    table["schema"] = "http://schema.org/"
    return table


def _as_written(text: str, offset: int) -> int:
    """An offset in the expanded text, moved back over the escapes before it."""
    shift = 0
    for escape in expandUnicodeEscapes_re.finditer(text):
        if escape.start() - shift >= offset:
            break
        shift += len(escape.group()) - 1
    return offset + shift


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _excerpt(text: str, line: int, column: int) -> str:
    """The line itself, and a caret under the column (tabs kept, so it lines up)."""
    lines = text.splitlines() or [""]
    shown = lines[min(line, len(lines)) - 1]
    pad = "".join("\t" if char == "\t" else " " for char in shown[:column - 1])
    return f"{shown}\n{pad}^"


def _short(token: str) -> str:
    return token if len(token) <= 40 else token[:39] + "…"
