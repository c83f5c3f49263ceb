"""The store interface: what the web layer may ask of the data, whatever holds it.

Backends (the embedded Oxigraph store in memory or on disk; a remote SPARQL 1.1
endpoint) implement ``Store``; the web layer sees nothing else. Terms and quads are
pyoxigraph's, which also parse and serialise every format we publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Protocol, runtime_checkable

import pyoxigraph as ox

__all__ = ["Store", "Stats", "QueryResult", "QueryError"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class QueryError(ValueError):
    """A query the engine refuses: its message is the parser's or the engine's."""


@dataclass(frozen=True)
class Stats:
    """Counts a home page, a VoID description and a harvester rely on."""

    triples: int
    quads: int
    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    subjects: int = 0


@runtime_checkable
class Store(Protocol):
    def exists(self, iri: str) -> bool:
        """True when the IRI is the subject of at least one statement."""

    def describe(self, iri: str) -> list[ox.Quad]:
        """The resource's description (DESIGN §3), each quad in the graph stating it."""

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; the default graph is the union of all graphs unless
        ``default_graphs`` names some.

        Raises:
            QueryError: the query does not parse or cannot be evaluated.
        """

    def graphs(self) -> list[str]:
        """The named graphs, sorted."""

    def stats(self) -> Stats: ...

    def quads(self, graphs: Iterable[str] | None = None) -> Iterable[ox.Quad]:
        """Every quad (of the given graphs), for dumps."""
