"""The store interface: what the web layer may ask of the data, whatever holds it.

Backends (the embedded Oxigraph store in memory or on disk; a remote SPARQL 1.1
endpoint) implement ``Store``; the web layer sees nothing else. Terms and quads are
pyoxigraph's, which also parse and serialise every format we publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

__all__ = ["Store", "Stats", "QueryResult", "QueryError", "StoreUnavailable", "StoreUnusable"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class QueryError(ValueError):
    """A query the engine refuses: its message is the parser's or the engine's."""


class StoreUnavailable(Exception):
    """The store cannot be reached now (a remote endpoint down or too slow); try later.

    Never a reason to answer 404: the web layer answers 503 with ``Retry-After``.
    """

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnusable(Exception):
    """The configured store cannot serve: never loaded, damaged, or made for another base."""


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
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; the default graph is the RDF merge of all graphs (a set:
        a triple stated in two graphs is one) unless ``default_graphs`` names some, and
        then it is the merge of those.

        The query's own ``FROM``/``FROM NAMED`` apply when neither sequence is given;
        given, they replace them, and an empty one is an empty set (SPARQL 1.1 Protocol
        §2.1.4: ``named-graph-uri`` alone leaves the default graph empty).
        ``base_iri`` resolves the query's relative IRIs and ``prefixes`` are known to it
        without a declaration (the query's own declarations win): both are handed to
        the engine as parameters, never written into the query text.
        A store whose queries may run in forked processes says ``query_isolation = "fork"``.

        Raises:
            QueryError: the query does not parse or cannot be evaluated.
        """

    def graphs(self) -> list[str]:
        """The named graphs, sorted."""

    def stats(self) -> Stats: ...

    def quads(self, graphs: Iterable[str] | None = None) -> Iterable[ox.Quad]:
        """Every quad (of the given graphs), for dumps."""
