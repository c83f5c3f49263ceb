"""The cost of the RDF 1.2 view (``version=1.2``) beside the RDF 1.1 answer it rewrites.

For the repository's article graphs, its derived graph and the descriptions of the
resources those graphs say most about, each answer is made from its quads ``--rounds``
times in each version, in the same process: canonical labels, order, Turtle (what
``describe.graph_bytes`` and ``description_bytes`` do once per data version before
keeping the bytes). Printed: statements and bytes in each version, the median time of
each, and the ratio 1.2 / 1.1. The view replaces four statements of a reifier by one, so
it is expected to be smaller; the ratio says what rewriting them costs.

Usage::

    python bench/rdf12_view.py [--rounds 20] [--resources 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from server.domain import formats, triple_terms  # noqa: E402
from server.domain.describe import describe  # noqa: E402
from server.domain.loading import load_snapshot  # noqa: E402
from server.settings import Settings  # noqa: E402


def made(quads: list, version: str | None, prefixes: dict[str, str]) -> tuple[int, bytes]:
    """The statements and Turtle bytes of one answer in ``version``."""
    viewed = list(triple_terms.view(quads, version))
    return len(viewed), formats.Prepared.of(viewed, prefixes).serialize(formats.TURTLE)


def timed(quads: list, version: str | None, prefixes: dict[str, str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        made(quads, version, prefixes)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--resources", type=int, default=5,
                        help="how many of the most described resources to time")
    args = parser.parse_args(argv)
    settings = Settings.load({}, environ={})
    snapshot = load_snapshot(settings)
    base = settings.base_iri
    graphs = sorted(g for g in snapshot.stats.graphs if g.startswith(base + "graph/"))
    subjects = Counter(q.subject.value for q in snapshot.store.quads(graphs=graphs)
                       if q.subject.value.startswith(base + "id/"))
    answers = [(g, list(snapshot.store.quads(graphs=[g]))) for g in graphs]
    answers += [(iri, list(describe(snapshot, iri).quads))
                for iri, _ in subjects.most_common(args.resources)]
    print(f"{'answer':<62} {'stmts 1.1':>9} {'stmts 1.2':>9} {'KiB 1.1':>8} {'KiB 1.2':>8} "
          f"{'ms 1.1':>7} {'ms 1.2':>7} {'ratio':>6}")
    ratios = []
    for name, quads in answers:
        (count_11, body_11), (count_12, body_12) = (made(quads, v, snapshot.prefixes)
                                                    for v in (None, "1.2"))
        if count_11 == count_12:
            continue  # nothing reified: the view is the same answer
        old = timed(quads, None, snapshot.prefixes, args.rounds)
        new = timed(quads, "1.2", snapshot.prefixes, args.rounds)
        ratios.append(new / old)
        print(f"{name[len(base):]:<62} {count_11:>9} {count_12:>9} {len(body_11) / 1024:>8.1f} "
              f"{len(body_12) / 1024:>8.1f} {old * 1000:>7.1f} {new * 1000:>7.1f} "
              f"{new / old:>6.2f}")
    print(f"median ratio 1.2 / 1.1 over {len(ratios)} answers: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
