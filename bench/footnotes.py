"""The cost of footnotes that open to their sentences, on a page with many cited values.

A copy of the tiny fixture gets one more article whose every sentence states one value
of the same person (``--values`` of them, each cited with its words), so that the
person's page has that many cited values. The page is then built and rendered from
scratch (description read, citations queried, page model, template) ``--rounds`` times
with its footnotes' sentences, and as many times without them (the page as it was
before sentences were cited: marks naming the source only), in the same process. The
spans of an article's text are read once per data version, whichever page needs them
first (as the sources are), so after the first round they are not read again; every
other step is. The figure that matters is the ratio; issue #11 bounds a page of 50 cited
values at 1.5× the page without its sentences.

Usage::

    python bench/footnotes.py [--values 50] [--rounds 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from flask import render_template  # noqa: E402

from server import create_app  # noqa: E402
from server.domain import reifiers  # noqa: E402
from server.domain.describe import _describe  # noqa: E402
from server.domain.loading import load_snapshot  # noqa: E402
from server.settings import Settings  # noqa: E402
from server.web.presenters import resource_page  # noqa: E402
from server.web.vocabulary import property_hints  # noqa: E402

BASE = "https://example.org/tiny/"
PERSON = f"{BASE}id/person/ada-lovelace"


def dataset(root: Path, values: int) -> dict[str, str]:
    """The tiny fixture and an article ``names`` citing ``values`` names of one person."""
    shutil.copytree(REPOSITORY / "tests" / "fixtures" / "tiny", root)
    sources = root / "data" / "sources"
    headline = "The names of Ada"
    sentences = [f"In letter {n} she signed as Name {n} of the society." for n in range(1, values + 1)]
    text = headline + "\n\n" + " ".join(sentences) + "\n"
    (sources / "names.txt").write_text(text, encoding="utf-8")
    rows, at = [f"1\t0\t{len(headline)}\theadline"], len(headline) + 2
    for n, sentence in enumerate(sentences, start=2):
        rows.append(f"{n}\t{at}\t{at + len(sentence)}\tparagraph")
        at += len(sentence) + 1
    (sources / "names.sentences.tsv").write_text("n\tstart\tend\tkind\n" + "\n".join(rows) + "\n",
                                                 encoding="utf-8")
    cites = ["s1\t-\t-\t-\tA headline."] + [
        f"s{n + 1}\tperson:ada-lovelace\tschema:alternateName\t\"Name {n}\"\tName {n}"
        for n in range(1, values + 1)]
    (sources / "names.citations.tsv").write_text(
        "sentence\tsubject\tpredicate\tobject\twords\n" + "\n".join(cites) + "\n", encoding="utf-8")
    facts = "".join(f'person:ada-lovelace schema:alternateName "Name {n}" .\n'
                    for n in range(1, values + 1))
    (root / "data" / "names.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        f"@prefix person: <{BASE}id/person/> .\n" + facts, encoding="utf-8")
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": BASE}


def render(app, snapshot, cited: bool) -> float:
    """Seconds to build and render the person's page from scratch."""
    with app.test_request_context("/page/person/ada-lovelace"):
        started = time.perf_counter()
        description = _describe(snapshot, PERSON)
        found = reifiers._citations(snapshot, tuple(description.graphs)) if cited else None
        page = resource_page(description, "en", BASE, property_hints(snapshot, description.types),
                             snapshot.prefixes, found)
        render_template("resource.html", page=page, jsonld="{}", formats=[], languages=[],
                        canonical="", reading=None)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = dataset(Path(folder) / "tiny", args.values)
        snapshot = load_snapshot(Settings.load(config, environ={}))
        app = create_app({**config, "TESTING": True}, snapshot=snapshot)
        for cited in (False, True):  # warm both paths once
            render(app, snapshot, cited)
        times = {False: [], True: []}
        for _ in range(args.rounds):
            for cited in (False, True):
                times[cited].append(render(app, snapshot, cited))
        before, after = statistics.median(times[False]), statistics.median(times[True])
        print(f"page of {args.values} cited values, median of {args.rounds} rounds:")
        print(f"  marks only (before): {before * 1000:.1f} ms")
        print(f"  with sentences:      {after * 1000:.1f} ms")
        print(f"  ratio: {after / before:.2f}x (bound: 1.5x)")


if __name__ == "__main__":
    main()
