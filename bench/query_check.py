"""What the parse check costs a query, against what the engine takes to answer it.

Every query is parsed by rdflib (``server.sparql.safety``) before the engine runs it; the
check is remembered per worker process for the texts seen last. For each example query
of ``queries/`` this prints, measured in the same run over the repository's data: the
check on a text never seen (median of ``--repeat`` runs), the check remembered, and the
engine's own time to parse, run and read the whole answer. Figures move with the
machine's load; the ratios are what to read.

    python bench/query_check.py
    python bench/query_check.py --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from server.domain.loading import load_snapshot
from server.settings import REPOSITORY, Settings
from server.sparql import safety


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args()
    snapshot = load_snapshot(Settings.load({}))
    store, prefixes = snapshot.store, snapshot.prefixes

    def check(text: str) -> None:
        safety.check_query(text, allowed_hosts=(), base="http://localhost/sparql",
                           prefixes=prefixes)

    def cold(text: str) -> None:
        safety._checked.cache_clear()
        check(text)

    def engine(text: str) -> None:
        result = store.query(text, base_iri="http://localhost/sparql")
        if not isinstance(result, ox.QueryBoolean):
            list(result)

    print(f"{'query':42} {'check, new':>11} {'remembered':>11} {'engine':>9} {'new/engine':>11}")
    totals = [0.0, 0.0]
    for path in sorted(Path(REPOSITORY / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        new = _median_ms(lambda: cold(text), args.repeat)
        check(text)
        remembered = _median_ms(lambda: check(text), args.repeat)
        ran = _median_ms(lambda: engine(text), args.repeat)
        totals[0] += new
        totals[1] += ran
        print(f"{path.stem:42} {new:9.2f}ms {remembered:9.3f}ms {ran:7.2f}ms {new / ran:10.1f}x")
    print(f"{'all':42} {totals[0]:9.2f}ms {'':>11} {totals[1]:7.2f}ms "
          f"{totals[0] / totals[1]:10.1f}x")


if __name__ == "__main__":
    main()
