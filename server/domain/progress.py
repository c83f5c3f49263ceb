"""How long work (loading, validating, exporting) tells where it stands, without printing.

The work reports each stage as it goes through a callback that receives a ``Report``;
whoever runs it decides what to show: the command line draws bars on a terminal and
writes plain log lines otherwise (``server.runtime.progress``). Without a callback
nothing is reported, so the library stays silent inside a server or a test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self, TypeVar

__all__ = ["Report", "Progress", "Stage", "counted"]

T = TypeVar("T")

# A stage reports at most this often (seconds) while it advances: a caller may advance
# once per file or per URL without the reports costing more than the work.
REPORT_INTERVAL = 0.1


@dataclass(frozen=True)
class Report:
    """Where one stage of the work stands."""

    stage: str  # what is done: "parse", "rules", "validation", "store", "pages"…
    done: int  # units of work done so far
    total: int | None  # units in all; None when not known in advance
    unit: str  # what a unit is: "files", "quads", "URLs"; "" when the stage has none
    counts: Mapping[str, int] = field(default_factory=dict)  # other tallies so far
    # what the stage is on now (a file); once finished, how it was done (an engine) or ""
    note: str = ""
    finished: bool = False


Progress = Callable[[Report], None]


class Stage:
    """One stage of work, told to ``progress`` (if any) as it starts, advances and ends.

    Used as a context manager: entering reports the start, a normal exit reports the
    stage finished; a stage left by an exception is not reported finished.
    """

    def __init__(self, progress: Progress | None, name: str, total: int | None = None,
                 unit: str = "", note: str = "") -> None:
        self.progress, self.name, self.total, self.unit, self.how = (
            progress, name, total, unit, note)
        self.note = note
        self.done = 0
        self.counts: dict[str, int] = {}
        self._reported = 0.0

    def __enter__(self) -> Self:
        self._report()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self._report(finished=True)

    def advance(self, by: int = 1, total: int | None = None, note: str | None = None,
                **counts: int) -> None:
        """Count ``by`` more units done and add ``counts`` to the tallies; ``total`` is
        the new number of units when more work was found."""
        self.done += by
        if total is not None:
            self.total = total
        if note is not None:
            self.note = note
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        if self.progress is not None and time.monotonic() - self._reported >= REPORT_INTERVAL:
            self._report()

    def _report(self, finished: bool = False) -> None:
        if self.progress is None:
            return
        self._reported = time.monotonic()
        self.progress(Report(self.name, self.done, self.total, self.unit, dict(self.counts),
                             self.how if finished else self.note, finished))


def counted(items: Iterable[T], stage: Stage, every: int = 10_000) -> Iterator[T]:
    """``items`` as they are, advancing ``stage`` by one for each, in steps of ``every``
    (a stream of a million quads would otherwise pay for a report check each)."""
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            stage.advance(pending)
            pending = 0
    if pending:
        stage.advance(pending)
