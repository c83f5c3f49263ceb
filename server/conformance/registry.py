"""The table of checks and how one is run: each check is a small function with an id, a
title and the DESIGN section it tests, and ends as passed, failed or inapplicable with a
one-line reason (the outcomes of W3C EARL, https://www.w3.org/TR/EARL10-Schema/)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.conformance.site import Site

__all__ = ["Check", "Failed", "Inapplicable", "Outcome", "Result", "all_checks",
           "expect", "run_checks"]


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    INAPPLICABLE = "inapplicable"


class Failed(Exception):
    """The deployment breaks the contract; the message says where and how."""


class Inapplicable(Exception):
    """The deployment has nothing this check applies to (a static copy has no SPARQL
    endpoint); the message says why."""


def expect(condition: object, reason: str) -> None:
    """Fail with ``reason`` unless ``condition`` holds."""
    if not condition:
        raise Failed(reason)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    section: str  # of DESIGN.md, e.g. "§3"
    run: Callable[[Site], str]  # returns what it saw when the check passes
    fr: str = ""  # the title in French, for the /checks page and EARL


@dataclass(frozen=True)
class Result:
    check: Check
    outcome: Outcome
    reason: str
    date: datetime


def all_checks() -> tuple[Check, ...]:
    """Every check, in the order of the contract: dereferencing, SPARQL, harvesters."""
    from server.conformance import dereference, harvest, sparql

    checks = (*dereference.CHECKS, *sparql.CHECKS, *harvest.CHECKS)
    ids = [c.id for c in checks]
    assert len(set(ids)) == len(ids), "check ids are unique"
    return checks


def run_checks(site: Site, checks: Iterable[Check] | None = None,
               on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Run each check once, in order; a check never stops the others."""
    results = []
    for check in checks if checks is not None else all_checks():
        try:
            outcome, reason = Outcome.PASSED, check.run(site)
        except Failed as failure:
            outcome, reason = Outcome.FAILED, str(failure)
        except Inapplicable as why:
            outcome, reason = Outcome.INAPPLICABLE, str(why)
        except Exception as error:  # noqa: BLE001 -- what a deployment sends can stop any check
            outcome, reason = Outcome.FAILED, f"the check stopped: {type(error).__name__}: {error}"
        result = Result(check, outcome, " ".join(reason.split()),
                        datetime.now(UTC).replace(microsecond=0))
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
