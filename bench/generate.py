"""Datasets shaped like ours, at any size, that pass our shapes.

The template is a real dataset (the repository's own by default): its source graphs are
copied as many times as needed, each copy with its own IRIs (``…/id/person/x`` becomes
``…/id/person/x-c42``, ``…/graph/article`` becomes ``…/graph/article-c42``) and its own
blank nodes. So every copy has the template's shape exactly (articles as named graphs,
people, organisations, memberships with roles, events, quotations, labels in French and
English) and passes the same shapes, whatever they check, while the whole grows to
100k, 1M or 5M statements. Statements about things outside ``BASE id/`` and
``BASE graph/`` (the dataset's own description, the articles' texts ``BASE source/…``)
are kept once. The template is copied as staged, so with its provenance layer (DESIGN §8):
each copy's articles have their sentences and selectors (``…/id/article/x-c42#s12``) and
a reifier for every cited fact (``…/graph/x-c42#st-…``), citing the template's texts;
the loader derives the derived graph and its reifiers again. The derived graph is
not copied unless asked (``include_derived``): the loader derives it again, as it
would for real data; benchmarks that skip the loader ask for it.

Usage::

    python bench/generate.py 1000000 /tmp/gpr-1m       # then:
    ldpub load --data-dir /tmp/gpr-1m/data --ontology-dir /tmp/gpr-1m/ontology \\
               --shapes-dir /tmp/gpr-1m/shapes --store oxigraph:/tmp/gpr-1m-store

or ``from bench.generate import generate``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from server.domain.loading import stage  # noqa: E402
from server.settings import Settings  # noqa: E402

__all__ = ["Generated", "generate", "copies_of"]

COPIES_PER_FILE = 100


@dataclass(frozen=True)
class Generated:
    folder: Path
    statements: int  # source statements written (the loader adds the derived graph)
    copies: int
    template_statements: int


def copies_of(settings: Settings, target: int, include_derived: bool = False
              ) -> tuple[Iterator[list[ox.Quad]], int, int]:
    """Copies of the template's source statements, enough to reach ``target``.

    Returns:
        an iterator of copies (each a list of quads), the number of copies, and the
        number of statements in one copy.
    """
    staged = stage(settings)
    graphs = [*staged.data_graphs, *([staged.derived_graph] if include_derived else [])]
    sources = [ox.NamedNode(g) for g in graphs]
    template = [q for g in sources for q in staged.store.quads_for_pattern(None, None, None, g)]
    base = settings.base_iri
    minted = (f"{base}id/", f"{base}graph/")
    derived = ox.NamedNode(staged.derived_graph)
    copied = [q for q in template if _minted(q.subject, minted) or isinstance(q.subject, ox.BlankNode)]
    chosen = set(copied)
    kept = [q for q in template if q not in chosen]
    count = max(1, -(-(target - len(kept)) // max(1, len(copied))))

    def produce() -> Iterator[list[ox.Quad]]:
        for n in range(count):
            blanks: dict = {}  # one fresh blank node per template blank node, per copy
            quads = [_rename(q, f"-c{n}", minted, blanks, derived) for q in copied] if n else list(copied)
            yield quads + kept if n == 0 else quads

    return produce(), count, len(copied)


def generate(target: int, folder: Path, template: Settings | None = None,
             include_derived: bool = False) -> Generated:
    """Write a dataset of about ``target`` source statements into ``folder``.

    ``folder`` gets ``data/`` (TriG files, and the template's rules), ``ontology/`` and
    ``shapes/`` (the template's), ready for ``ldpub load`` or ``ldpub serve``.
    """
    settings = template or Settings.load({}, environ={})
    if folder.exists():
        shutil.rmtree(folder)
    data = folder / "data"
    data.mkdir(parents=True)
    shutil.copytree(settings.ontology_dir, folder / "ontology")
    shutil.copytree(settings.shapes_dir, folder / "shapes")
    if (settings.data_dir / "rules").is_dir():
        shutil.copytree(settings.data_dir / "rules", data / "rules")
    produced, count, per_copy = copies_of(settings, target, include_derived)
    written = 0
    batch: list[ox.Quad] = []
    for n, quads in enumerate(produced):
        batch.extend(quads)
        if (n + 1) % COPIES_PER_FILE == 0 or n + 1 == count:
            ox.serialize(batch, output=str(data / f"part-{n // COPIES_PER_FILE:05d}.trig"),
                         format=ox.RdfFormat.TRIG)
            written += len(batch)
            batch = []
    return Generated(folder, written, count, per_copy)


def _minted(term, prefixes: tuple[str, ...]) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(prefixes)


def _rename(quad: ox.Quad, suffix: str, prefixes: tuple[str, ...], blanks: dict,
            keep: ox.NamedNode) -> ox.Quad:
    def term(t):
        if isinstance(t, ox.NamedNode) and t.value.startswith(prefixes) and t != keep:
            head, sep, fragment = t.value.partition("#")
            return ox.NamedNode(head + suffix + sep + fragment)
        if isinstance(t, ox.BlankNode):
            return blanks.setdefault(t, ox.BlankNode())
        return t

    return ox.Quad(term(quad.subject), quad.predicate, term(quad.object), term(quad.graph_name))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("statements", type=int, help="about how many source statements")
    parser.add_argument("folder", type=Path, help="where to write data/, ontology/, shapes/")
    parser.add_argument("--template-data", type=Path, help="template data folder")
    parser.add_argument("--template-ontology", type=Path)
    parser.add_argument("--template-shapes", type=Path)
    parser.add_argument("--base-iri", help="base IRI of the template")
    parser.add_argument("--include-derived", action="store_true",
                        help="copy the derived graph too (for benchmarks that skip the loader)")
    args = parser.parse_args(argv)
    overrides = {"data_dir": args.template_data, "ontology_dir": args.template_ontology,
                 "shapes_dir": args.template_shapes, "base_iri": args.base_iri}
    settings = Settings.load({k: str(v) for k, v in overrides.items() if v}, environ={})
    result = generate(args.statements, args.folder, settings, args.include_derived)
    print(f"wrote {result.statements} statements ({result.copies} copies of "
          f"{result.template_statements}) to {result.folder}")


if __name__ == "__main__":
    main()
