"""Long work's progress on the command line: live bars on a terminal, plain lines in logs.

The domain reports ``Report``s (``server.domain.progress``); this module shows them. On
a terminal each stage is a line of rich's live display (counts, rate, time left); when
standard error is a file, a pipe or a CI log, each stage writes one plain line once it
is done (counts, elapsed time, rate), with no carriage return and no escape sequence, so
a log keeps exactly what a reader needs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Display
from rich.text import Text

from server.domain.progress import Progress, Report

__all__ = ["shown_progress", "plain_line", "tallies", "LogLines", "Bars"]


class Renderer(Protocol):
    def __call__(self, report: Report) -> None: ...

    def close(self) -> None: ...


def plain_line(report: Report, seconds: float) -> str:
    """One finished stage as a log line.

    >>> plain_line(Report("parse", 42, 42, "files", {"statements": 1000640}), 3.25)
    'parse: 42 files, 1,000,640 statements in 3.2 s (13 files/s)'
    >>> plain_line(Report("data", 0, None, "", note="memory"), 0.5)
    'data: done in 0.5 s (memory)'
    """
    how = [_rate(report.done / seconds, report.unit)] if report.unit and seconds > 0 else []
    how += [report.note] if report.note else []
    return (f"{report.stage}: {', '.join(tallies(report)) or 'done'} in {seconds:.1f} s"
            + (f" ({'; '.join(how)})" if how else ""))


def tallies(report: Report, of_total: bool = False) -> list[str]:
    """The units done (``of_total``: of how many, when known), then the other counts.

    >>> tallies(Report("pages", 120, 4000, "URLs", {"files": 900}), of_total=True)
    ['120/4,000 URLs', '900 files']
    """
    known = f"/{report.total:,}" if of_total and report.total is not None else ""
    done = [f"{report.done:,}{known} {report.unit}"] if report.unit else []
    return done + [f"{value:,} {name}" for name, value in report.counts.items()]


def _rate(per_second: float, unit: str) -> str:
    return f"{per_second:,.{0 if per_second >= 10 else 1}f} {unit}/s"


class LogLines:
    """One plain line per stage, written when the stage is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started: dict[str, float] = {}

    def __call__(self, report: Report) -> None:
        started = self.started.setdefault(report.stage, time.monotonic())
        if report.finished:
            self.stream.write(plain_line(report, time.monotonic() - started) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """Nothing is pending: a stage that did not finish has no line."""


class Bars:
    """rich's live display, one line a stage: what is done of how much, the other
    counts, the rate, then the time left (the time taken once done)."""

    def __init__(self, stream: TextIO) -> None:
        self.tasks: dict[str, int] = {}
        # stderr stays as it is: export's forked workers inherit it, and a stream
        # redirected through the display's lock could block a child forked while held
        self.display = Display(
            SpinnerColumn(finished_text="done"),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[tallies]}"),
            RateColumn(),
            TimeRemainingColumn(elapsed_when_finished=True),
            TextColumn("[dim]{task.fields[note]}"),
            console=Console(file=stream),
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.display.start()

    def __call__(self, report: Report) -> None:
        fields = {"tallies": ", ".join(tallies(report, of_total=True)), "note": report.note,
                  "unit": report.unit}
        task = self.tasks.get(report.stage)
        if task is None:
            task = self.tasks[report.stage] = self.display.add_task(
                report.stage, total=report.total, **fields)
        if report.finished:  # a stage of unknown size is whole once done
            total = report.total if report.total is not None else max(report.done, 1)
            self.display.update(task, total=total, completed=total, **fields)
            self.display.stop_task(task)
        else:
            self.display.update(task, total=report.total, completed=report.done, **fields)

    def close(self) -> None:
        self.display.stop()


class RateColumn(ProgressColumn):
    """Units a second: rich's estimate from recent samples, else the average so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed or (
            task.completed / task.elapsed if task.elapsed else None)
        unit = task.fields.get("unit", "")
        return Text(_rate(speed, unit) if speed and unit else "", style="cyan")


def _renderer(stream: TextIO) -> Renderer:
    if stream.isatty() and not Console(file=stream).is_dumb_terminal:
        return Bars(stream)
    return LogLines(stream)


@contextmanager
def shown_progress(stream: TextIO | None = None) -> Iterator[Progress]:
    """A progress callback that shows the work on ``stream`` (standard error): bars on
    a terminal, plain lines otherwise; the display ends with the block."""
    renderer = _renderer(stream or sys.stderr)
    try:
        yield renderer
    finally:
        renderer.close()
