"""What showing progress costs `ldpub load`: the same load told to no one, to log lines,
and to the live bars on a pseudo-terminal, in one process, interleaved.

The loads write a dataset shaped like ours (``bench/generate.py``) to a new on-disk store;
each variant runs ``--rounds`` times in turn with the others, and the fastest run of each
is compared with the fastest silent one. The log lines of the last round are printed too:
they are where a load of this size spends its time.

    python bench/progress.py                  # 100k statements, 2 rounds
    python bench/progress.py --size 1000000 --rounds 1
"""

from __future__ import annotations

import argparse
import io
import os
import pty
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from server.domain.progress import Progress  # noqa: E402
from server.runtime.progress import Bars, LogLines  # noqa: E402
from server.settings import Settings  # noqa: E402
from server.store import ondisk  # noqa: E402


@contextmanager
def _terminal_bars():
    """Bars drawn on a pseudo-terminal whose output a thread reads and drops."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "w", encoding="utf-8")
    drain = threading.Thread(target=_drain, args=(master,), daemon=True)
    drain.start()
    bars = Bars(stream)
    try:
        yield bars
    finally:
        bars.close()
        stream.close()
        drain.join(timeout=5)
        os.close(master)


def _drain(master: int) -> None:
    try:
        while os.read(master, 65536):
            pass
    except OSError:
        pass


LAST_LINES = io.StringIO()


@contextmanager
def _log_lines():
    LAST_LINES.seek(0)
    LAST_LINES.truncate()
    yield LogLines(LAST_LINES)


VARIANTS: dict[str, Callable[[], AbstractContextManager[Progress | None]]] = {
    "silent": lambda: nullcontext(None),
    "log lines": _log_lines,
    "terminal bars": _terminal_bars,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="statements to generate")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each variant")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ldpub-bench-progress-"))
    try:
        made = generate(args.size, work / "dataset")
        sources = {"data_dir": str(made.folder / "data"),
                   "ontology_dir": str(made.folder / "ontology"),
                   "shapes_dir": str(made.folder / "shapes")}
        print(f"{made.statements:,} source statements; load average "
              f"{os.getloadavg()[0]:.1f} at the start")
        seconds: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.rounds):
            for name, shown in VARIANTS.items():
                # a fresh store each time: a store that has this version's dumps keeps them
                store = work / "store"
                settings = Settings.load({**sources, "store": f"oxigraph:{store}"}, environ={})
                started = time.perf_counter()
                with shown() as progress:
                    ondisk.load(settings, progress)
                seconds[name].append(time.perf_counter() - started)
                shutil.rmtree(store)
        baseline = min(seconds["silent"])
        print(f"{'variant':<14} {'fastest s':>9} {'runs s':<22} ratio to silent")
        for name, runs in seconds.items():
            print(f"{name:<14} {min(runs):>9.1f} {', '.join(f'{s:.1f}' for s in runs):<22} "
                  f"{min(runs) / baseline:.3f}")
        print(f"load average {os.getloadavg()[0]:.1f} at the end; the log lines of the last round:")
        print(LAST_LINES.getvalue(), end="")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
