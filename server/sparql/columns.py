"""The columns of a ``SELECT *`` answer, in the order a reader wrote the variables.

SPARQL leaves the order of ``SELECT *`` variables to the engine (§18.2.1: the projection
is "all the in-scope variables"), and Oxigraph sorts them by name; a reader expects the
columns in the order the variables first appear in the query, as Jena and Virtuoso give
them. An explicit projection keeps its own order.
"""

from __future__ import annotations

from collections.abc import Sequence

from server.sparql.lexer import tokens

__all__ = ["column_order"]


def column_order(text: str, variables: Sequence[str]) -> list[str]:
    """``variables`` in the order they first appear in ``text`` when it projects ``*``.

    >>> column_order("SELECT * { ?zeta ?beta $alpha }", ["alpha", "beta", "zeta"])
    ['zeta', 'beta', 'alpha']
    >>> column_order("SELECT ?b ?a { ?a ?p ?b }", ["b", "a"])
    ['b', 'a']
    """
    found = tokens(text)
    words = [t.keyword for t in found]
    if "SELECT" not in words:
        return list(variables)
    start = words.index("SELECT") + 1
    while start < len(found) and words[start] in ("DISTINCT", "REDUCED"):
        start += 1
    if start >= len(found) or found[start].text != "*":
        return list(variables)
    first: dict[str, int] = {}
    for position, token in enumerate(found):
        if token.kind == "var":
            first.setdefault(token.text[1:], position)
    return sorted(variables, key=lambda name: (first.get(name, len(found)), name))
