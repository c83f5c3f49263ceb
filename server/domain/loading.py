"""Loading a dataset: parse, derive, validate, and only then publish.

``data/*.ttl`` files each go to the named graph ``BASE graph/{stem}`` (TriG files keep
their own graphs); ``ontology/`` goes to ``BASE ontology`` and ``shapes/`` to
``BASE shapes``. The CONSTRUCT rules in ``data/rules/*.rq`` are applied until nothing
new appears, and what they produce that no source states goes to ``BASE graph/derived``,
so that a stated fact and an inference are never confused (DESIGN §2). The data and the
derived graph are then validated with SHACL; a dataset with a violation is refused.

Each article with a sentence table in ``data/sources/`` gets its provenance layer
(``server.domain.provenance``): its text, sentences and, from its citations file, a
reifier for every fact, minted into its graph after the rules ran (rules read facts only).
Each rule becomes a resource of the derived graph, and each derived triple a reifier
naming its rule and its premises (``server.domain.derivation``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar, cast

import pyoxigraph as ox

from server.domain import formats
from server.domain.citations import NotationError, article_sources
from server.domain.derivation import RuleUnusable, justify, mint_derived, parse_rule, rule_labels
from server.domain.iris import graph_iri
from server.domain.namespaces import STANDARD_PREFIXES, prefixes_for
from server.domain.progress import Progress, Stage
from server.domain.provenance import ArticleProvenance, mint
from server.domain.validation import ValidationInput, ValidationReport, engine_for, validate
from server.settings import Settings
from server.store import Stats, Store
from server.store.embedded import EmbeddedStore, merge_default_graph

__all__ = [
    "DataUnreadable",
    "DatasetInvalid",
    "Snapshot",
    "SourceFile",
    "Staged",
    "check",
    "citation_coverage",
    "load_snapshot",
    "stage",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_RULE_PASSES = 10
RULE_LABELS = "labels.tsv"  # each rule's English and French label, in the rules' folder
SOURCE_FORMATS = tuple(f for f in formats.RDF_FORMATS if f.name in ("ttl", "trig", "nt", "nq"))


class DataUnreadable(Exception):
    """A file that cannot be read or parsed; says which, where and why."""

    def __init__(self, path: Path, message: str, line: int | None = None, column: int | None = None):
        self.path, self.message, self.line, self.column = path, message, line, column
        where = str(path) + (f":{line}" if line else "") + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


class DatasetInvalid(Exception):
    """The dataset does not conform to its shapes; carries the report."""

    def __init__(self, report: ValidationReport):
        self.report = report
        count = len(report.violations)
        super().__init__(f"the data does not conform to its shapes: {count} violation(s)")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    role: str  # "data", "ontology" or "shapes"
    graph: str | None  # None for a TriG/N-Quads file that names its own graphs


@dataclass(frozen=True)
class Staged:
    """A parsed dataset with its derived graph, not yet validated.

    A snapshot opened from a store keeps the layout here, and its ``store`` is None: the
    data was staged where it was loaded (an on-disk store is read through the snapshot's
    ``store``, which opens its files in the process that reads them).
    """

    store: ox.Store | None
    files: tuple[SourceFile, ...]
    data_graphs: tuple[str, ...]
    derived_graph: str
    ontology_graph: str
    shapes_graph: str
    prefixes: dict[str, str]
    version: str
    graph_files: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Snapshot:
    """One published version of the data: immutable, swapped whole on reload.

    ``report`` is None only for a remote store, whose data this publisher did not load
    and so did not validate (it is validated where it is loaded).
    """

    store: Store
    version: str
    loaded_at: datetime
    report: ValidationReport | None
    staged: Staged
    stats: Stats
    # what every page needs, computed when the data was loaded (``domain.precomputed``),
    # by name; a value missing here is computed on first use
    precomputed: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def prefixes(self) -> dict[str, str]:
        return self.staged.prefixes

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """The value ``name`` computed when the data was loaded, else ``make()``."""
        found = self.precomputed.get(name)
        return make() if found is None else cast(T, found)


def stage(settings: Settings, progress: Progress | None = None) -> Staged:
    """Parse every file, apply the rules and mint the articles' provenance, telling
    ``progress`` of each stage (parse, rules, provenance).

    The rules run before the ontology and shapes join the store, so that they can read
    the data as the store's union graph: naming each of thousands of source graphs in
    the query's default graph costs a visit to every one at every step.

    Raises:
        DataUnreadable: a file or rule that cannot be read, parsed or run.
    """
    return _stage(settings, progress)[0]


def citation_coverage(settings: Settings) -> list[ArticleProvenance]:
    """Each article's provenance as its files give it, with what they leave uncited
    (what ``ldpub citations`` lists).

    Raises:
        DataUnreadable: a file or rule that cannot be read, parsed or run.
    """
    return _stage(settings)[1]


def _stage(settings: Settings, progress: Progress | None = None
           ) -> tuple[Staged, list[ArticleProvenance]]:
    base = settings.base_iri
    ontology_graph, shapes_graph = f"{base}ontology", f"{base}shapes"
    derived_graph = graph_iri(base, "derived")
    files = (
        *_sources(settings.ontology_dir, "ontology", lambda _: ontology_graph),
        *_sources(settings.shapes_dir, "shapes", lambda _: shapes_graph),
        *_sources(settings.data_dir, "data", lambda path: graph_iri(base, path.stem)),
    )
    store = ox.Store()
    vocabularies: list[ox.Quad] = []  # the ontology and shapes, added after the rules
    declared: dict[str, str] = {}
    file_prefixes: dict[str, dict[str, str]] = {}  # the data files' own, by the graphs they fill
    # the publisher's own version too: a new release renders differently, so old
    # validators (ETags) must not match its pages
    digest = hashlib.sha256(f"{base}\0{_publisher_version()}".encode())
    graph_files: dict[str, list[str]] = {}
    with Stage(progress, "parse", len(files), "files") as parsing:
        for source in files:
            content = _read(source.path)
            digest.update(source.path.name.encode() + b"\0" + content + b"\0")
            quads, prefixes = _parse(source, content)
            filled = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
            if source.role == "data":
                store.extend(quads)
                for graph in filled:  # a TriG file's too: its articles' citations use them
                    file_prefixes.setdefault(graph, {}).update(prefixes)
            else:
                vocabularies.extend(quads)
            declared.update(prefixes)
            for graph in filled:
                graph_files.setdefault(graph, []).append(str(source.path))
            parsing.advance(note=source.path.name, statements=len(quads))
    data_graphs = tuple(sorted(
        g for g in graph_files if g not in (ontology_graph, shapes_graph, derived_graph)
    ))
    rules = _rules(settings.data_dir / "rules")
    for path, text in rules:
        digest.update(path.name.encode() + b"\0" + text.encode() + b"\0")
    with Stage(progress, "rules", None, "rule runs") as deriving:
        _derive(store, rules, derived_graph, deriving)
    try:
        bodies = [parse_rule(path, text) for path, text in rules]
    except RuleUnusable as error:
        raise DataUnreadable(error.path, error.message) from None
    sources = article_sources(settings.data_dir)
    with Stage(progress, "provenance", len(sources) + 1, "graphs") as minting:
        justifications = justify(store, bodies, ox.NamedNode(derived_graph))
        articles = []
        for article in sources:
            for path in (article.text_path, article.sentences_path, article.citations_path):
                if path.is_file():
                    digest.update(path.name.encode() + b"\0" + _read(path) + b"\0")
            graph = graph_iri(base, article.slug)
            prefixes = {**STANDARD_PREFIXES, **file_prefixes.get(graph, {})}
            try:
                provenance = mint(store, base, article, prefixes)
            except NotationError as error:
                raise DataUnreadable(error.path, error.message, error.line) from None
            store.extend(provenance.quads)
            if article.has_citations:
                graph_files.setdefault(graph, []).append(str(article.citations_path))
            articles.append(provenance)
            minting.advance(note=article.slug, statements=len(provenance.quads))
        labels_path = settings.data_dir / "rules" / RULE_LABELS
        try:
            labels = rule_labels(labels_path, (body.stem for body in bodies))
        except NotationError as error:
            raise DataUnreadable(error.path, error.message, error.line) from None
        if labels_path.is_file():
            digest.update(labels_path.name.encode() + b"\0" + _read(labels_path) + b"\0")
        derived = mint_derived(bodies, labels, justifications, base,
                               {a.graph: a.statements for a in articles})
        store.extend(derived)
        minting.advance(note="derived", statements=len(derived))
    store.extend(vocabularies)
    staged = Staged(
        store=store,
        files=files,
        data_graphs=data_graphs,
        derived_graph=derived_graph,
        ontology_graph=ontology_graph,
        shapes_graph=shapes_graph,
        prefixes=prefixes_for(declared),
        version=digest.hexdigest()[:20],
        graph_files={g: tuple(paths) for g, paths in graph_files.items()},
    )
    return staged, articles


def check(settings: Settings, progress: Progress | None = None
          ) -> tuple[Staged, ValidationReport]:
    """Stage and validate, without publishing: what ``ldpub validate`` reports.

    ``progress`` hears of staging's stages, then of "validation" (how many quads were
    validated, with which engine, and the results).
    """
    staged = stage(settings, progress)
    source = ValidationInput(staged.store, (*staged.data_graphs, staged.derived_graph),
                             staged.ontology_graph, staged.shapes_graph)
    started = time.perf_counter()
    with Stage(progress, "validation", None, "quads",
               note=engine_for(settings.validator, source).label) as validating:
        report = validate(source, settings.validator)
        validating.advance(len(staged.store), results=len(report.results),
                           violations=len(report.violations))
    log.info("validated with %s in %.1f s: %d violation(s)", report.engine,
             time.perf_counter() - started, len(report.violations))
    return staged, _with_sources(report, staged)


def load_snapshot(settings: Settings) -> Snapshot:
    """A validated, publishable snapshot of the configured dataset.

    Raises:
        DataUnreadable: a file cannot be read or parsed.
        DatasetInvalid: the data does not conform to its shapes.
        ShapesUnusable: the shapes themselves cannot be used.
    """
    staged, report = check(settings)
    if not report.conforms:
        raise DatasetInvalid(report)
    merge_default_graph(staged.store)
    store = EmbeddedStore(staged.store)
    snapshot = Snapshot(
        store=store,
        version=staged.version,
        loaded_at=datetime.now(UTC).replace(microsecond=0),
        report=report,
        staged=staged,
        stats=store.stats(),
    )
    log.info("loaded %d quads in %d graphs (version %s)",
             snapshot.stats.quads, len(snapshot.stats.graphs), snapshot.version)
    return snapshot


def _publisher_version() -> str:
    try:
        return metadata.version("ldpub")
    except metadata.PackageNotFoundError:
        return "unreleased"


def _sources(folder: Path, role: str, graph_for) -> list[SourceFile]:
    if not folder.is_dir():
        raise DataUnreadable(folder, f"the {role} folder does not exist")
    found = []
    for path in sorted(folder.iterdir()):
        fmt = formats.by_extension(path.name, SOURCE_FORMATS)
        if path.is_file() and fmt is not None:
            found.append(SourceFile(path, role, None if fmt.carries_graphs else graph_for(path)))
    return found


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataUnreadable(path, error.strerror or str(error)) from None


def _parse(source: SourceFile, content: bytes) -> tuple[list[ox.Quad], dict[str, str]]:
    fmt = formats.by_extension(source.path.name, SOURCE_FORMATS)
    graph = ox.NamedNode(source.graph) if source.graph else None
    try:
        parser = ox.parse(content, format=fmt.ox, rename_blank_nodes=True,
                          without_named_graphs=graph is not None)
        quads = list(parser)
    except SyntaxError as error:
        line, column = error.lineno, error.offset
        message = str(error.msg).split(": ", 1)[-1] if line else str(error)
        raise DataUnreadable(source.path, message, line, column) from None
    if graph is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    else:
        default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
        if default:
            raise DataUnreadable(
                source.path,
                f"{len(default)} statement(s) outside any named graph; every fact must sit "
                "in the graph of the source that states it",
            )
    return quads, dict(parser.prefixes)


def _rules(folder: Path) -> list[tuple[Path, str]]:
    if not folder.is_dir():
        return []
    return [(path, _read(path).decode("utf-8")) for path in sorted(folder.glob("*.rq"))]


def _derive(store: ox.Store, rules: list[tuple[Path, str]], derived_graph: str,
            stage: Stage) -> None:
    """Apply CONSTRUCT rules to a fixpoint over the union of the store's graphs (the
    sources and what is derived so far); keep what no source states."""
    derived = ox.NamedNode(derived_graph)
    for passes in range(1, MAX_RULE_PASSES + 1):
        added = 0
        for path, text in rules:
            before = added
            try:
                result = store.query(text, use_default_graph_as_union=True)
            except (SyntaxError, ValueError) as error:
                raise DataUnreadable(path, str(error)) from None
            if not isinstance(result, ox.QueryTriples):
                raise DataUnreadable(path, "a rule must be a SPARQL CONSTRUCT query")
            for triple in list(result):
                if _stated(store, triple):
                    continue
                store.add(ox.Quad(triple.subject, triple.predicate, triple.object, derived))
                added += 1
            stage.advance(note=f"pass {passes}: {path.name}", derived=added - before)
        if not added:
            return
    log.warning("rules still derived new statements after %d passes", MAX_RULE_PASSES)


def _stated(store: ox.Store, triple: ox.Triple) -> bool:
    """Whether some graph of the store, a source or the derived one, states ``triple``."""
    return any(True for _ in store.quads_for_pattern(triple.subject, triple.predicate,
                                                     triple.object, None))


def _with_sources(report: ValidationReport, staged: Staged) -> ValidationReport:
    """Name the files each focus node is stated in, so a report says where to look."""
    results = []
    for result in report.results:
        files: list[str] = []
        node = ox.NamedNode(result.focus) if "://" in result.focus else None
        if node is not None:
            for quad in staged.store.quads_for_pattern(node, None, None, None):
                if isinstance(quad.graph_name, ox.NamedNode):
                    files.extend(staged.graph_files.get(quad.graph_name.value, ()))
        results.append(replace(result, sources=tuple(dict.fromkeys(files))))
    return replace(report, results=tuple(results))
