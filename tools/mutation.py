"""Mutation testing of the modules that carry the public contract, in bounded time.

Runs mutmut (configured in ``pyproject.toml``, ``[tool.mutmut]``) on each module of
``MODULES``, at the lowest CPU priority, stopping when the time budget is spent. Results
stay in ``mutants/``: the next run tries only the mutants not yet run and the survivors
(remove ``mutants/`` to start afresh, ``mutants/mutmut-stats.json`` after changing tests). Then
prints killed / survived / timeout / not checked per module, and every survivor that
``docs/mutation-testing.md`` does not list as equivalent, with its diff.

    python tools/mutation.py                      # every module, 40 minutes
    python tools/mutation.py negotiation http --minutes 10
    python tools/mutation.py --report             # only the table, from the last runs

A function that hundreds of tests reach (a route handler, the SPARQL protocol's
parameters) makes each of its mutants run behind all of them. ``--against`` runs a
module's mutants that mutmut has not run yet, and its survivors (tests may have come
since), one by one, each in its own ``pytest -x`` against the given tests only, and
records the outcome in ``mutants/by-hand.json``, which the report counts with mutmut's:

    python tools/mutation.py dereferencing --against tests/http/test_dereference.py \
        --only '*x_page__*' --minutes 30

Exit status: 0 when every survivor is a listed equivalent and every mutant is reached by
a test, 1 otherwise.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
EQUIVALENTS = REPOSITORY / "docs" / "mutation-testing.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
BY_HAND = REPOSITORY / "mutants" / "by-hand.json"
MUTANT_TIMEOUT = 300  # seconds for one mutant's run against the chosen tests

# A module of the contract -> the mutants that stand for it (mutmut names: module, then
# ``x_`` and the function). The tests they run against are ``[tool.mutmut]``'s selection.
MODULES: dict[str, tuple[str, ...]] = {
    "negotiation": ("server.web.negotiation.*",),
    "http": ("server.web.http.*",),
    "dereferencing": ("server.web.views.resources.*",),
    "dumps": ("server.domain.dumps.*",),
    "rules": ("server.domain.loading.x__rules*", "server.domain.loading.x__derive*",
              "server.domain.loading.x__stated*"),
    "loading": ("server.domain.loading.*",),
    "protocol": ("server.sparql.protocol.*",),
    "fences": ("server.sparql.safety.*", "server.sparql.admission.*"),
    "validation": ("server.domain.validation.*",),
}


def run(names: list[str], seconds: float, children: int) -> None:
    """One mutmut run at nice 19, ended (with its workers) when ``seconds`` are spent."""
    command = ["nice", "-n", "19", *MUTMUT, "run", "--max-children", str(children), *names]
    process = subprocess.Popen(command, cwd=REPOSITORY, start_new_session=True,
                               stdout=subprocess.DEVNULL)
    try:
        process.wait(timeout=max(seconds, 1))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def results() -> dict[str, str]:
    """Every mutant's status, by name, as mutmut recorded it or, for those it has not
    run, as a run ``--against`` chosen tests did."""
    statuses = mutmut_results()
    for name, status in by_hand().items():
        # a mutant mutmut has not run (or found no test for), or one it saw survive
        # before tests came to kill it
        if statuses.get(name) in ("not checked", "no tests") or (
                statuses.get(name) == "survived" and status in ("killed", "timeout")):
            statuses[name] = status
    return statuses


def mutmut_results() -> dict[str, str]:
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=REPOSITORY,
                         capture_output=True, text=True, check=True).stdout
    found = (line.strip().rsplit(": ", 1) for line in out.splitlines() if ": " in line)
    return {name: status for name, status in found}


def by_hand() -> dict[str, str]:
    return json.loads(BY_HAND.read_text()) if BY_HAND.is_file() else {}


def pytest_run(name: str, tests: list[str]) -> str:
    """``name``'s outcome against ``tests``: killed at the first failure, survived
    when all pass, timeout past ``MUTANT_TIMEOUT``."""
    options = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["tool"]["mutmut"]
    command = ["nice", "-n", "10", sys.executable, "-m", "pytest", "-x", "-q",
               *options.get("pytest_add_cli_args", []), *tests]
    try:
        code = subprocess.run(command, cwd=REPOSITORY / "mutants", timeout=MUTANT_TIMEOUT,
                              env={**os.environ, "MUTANT_UNDER_TEST": name},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False).returncode
    except subprocess.TimeoutExpired:
        return "timeout"
    # pytest: 0 all passed, 1 a test failed, 3 an internal error (a kill, as for mutmut)
    return {0: "survived", 1: "killed", 3: "killed"}.get(code, f"pytest exit {code}")


def run_against(names: list[str], tests: list[str], seconds: float) -> None:
    """Each of ``names`` in its own ``pytest -x`` against ``tests``, recorded as it goes."""
    if pytest_run("none", tests) != "survived":
        sys.exit(f"the tests fail on the unchanged code: {' '.join(tests)}")
    deadline = time.monotonic() + seconds
    for name in names:
        if time.monotonic() > deadline:
            print(f"time budget spent; {len(names) - names.index(name)} left", file=sys.stderr)
            break
        status = pytest_run(name, tests)
        record(name, status)
        print(f"{status:>9}  {name}", flush=True)


def record(name: str, status: str) -> None:
    """Add one outcome to ``by-hand.json``, read again under a lock: runs for several
    modules may go on at once."""
    with (BY_HAND.parent / ".by-hand.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        recorded = {**by_hand(), name: status}
        partial = BY_HAND.with_suffix(".partial")
        partial.write_text(json.dumps(recorded, indent=1, sort_keys=True))
        partial.replace(BY_HAND)


def equivalents() -> set[str]:
    """The mutants the documentation explains as equivalent (``- `name`: why``)."""
    return set(re.findall(r"^- `(server\.[^`]+)`:", EQUIVALENTS.read_text(), re.MULTILINE))


def module_of(name: str, modules: list[str]) -> str | None:
    return next((m for m in modules if any(fnmatch(name, p) for p in MODULES[m])), None)


def report(modules: list[str]) -> int:
    statuses, explained = results(), equivalents()
    counts: dict[str, Counter] = {m: Counter() for m in modules}
    unexplained = []
    for name, status in sorted(statuses.items()):
        module = module_of(name, modules)
        if module is None:
            continue
        if status == "survived" and name in explained:
            status = "equivalent"
        counts[module][status] += 1
        if status in ("survived", "no tests"):
            unexplained.append((name, status))
    print(f"{'module':<14}{'killed':>8}{'survived':>10}{'no test':>9}{'equiv.':>8}"
          f"{'timeout':>9}{'unrun':>7}{'score':>8}")
    for module, c in counts.items():
        judged = c["killed"] + c["timeout"] + c["survived"] + c["no tests"]
        score = f"{100 * (c['killed'] + c['timeout']) / judged:.0f} %" if judged else "-"
        print(f"{module:<14}{c['killed']:>8}{c['survived']:>10}{c['no tests']:>9}"
              f"{c['equivalent']:>8}{c['timeout']:>9}{c['not checked']:>7}{score:>8}")
    print("score: killed or timed out, over all mutants run or reached by no test, but the"
          " listed equivalents")
    for name, status in unexplained:
        diff = subprocess.run([*MUTMUT, "show", name], cwd=REPOSITORY, capture_output=True,
                              text=True, check=False).stdout
        print(f"\n{status.upper()}: {name}")
        print("\n".join(line for line in diff.splitlines() if line[:2] in ("- ", "+ ")))
    return 1 if unexplained else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="module",
                        help=f"modules to test, of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--minutes", type=float, default=40, help="time budget for all runs")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--against", nargs="+", metavar="test",
                        help="run the mutants mutmut has not run, and its survivors, one by one"
                             " against these tests")
    parser.add_argument("--only", default="*", metavar="glob",
                        help="with --against, the mutants whose name matches")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    unknown = set(modules) - set(MODULES)
    if unknown:
        parser.error(f"unknown modules: {', '.join(sorted(unknown))}")
    if args.against:
        # not run by mutmut or survivors of it, not killed by hand yet (tests may have come)
        earlier = by_hand()
        names = sorted(n for n, status in mutmut_results().items()
                       if status in ("not checked", "no tests", "survived")
                       and earlier.get(n) not in ("killed", "timeout")
                       and module_of(n, modules) and fnmatch(n, args.only))
        run_against(names, args.against, 60 * args.minutes)
    elif not args.report:
        deadline = time.monotonic() + 60 * args.minutes
        known = results() if Path(REPOSITORY / "mutants").is_dir() else {}
        for module in modules:
            left = deadline - time.monotonic()
            if left <= 0:
                print(f"time budget spent before {module}", file=sys.stderr)
                break
            # what is left to do: mutants not yet run, and survivors (tests may have come)
            names = [name for name, status in known.items() if module_of(name, [module])
                     and status in ("survived", "not checked")] or list(MODULES[module])
            run(names, left, args.children)
    return report(modules)


if __name__ == "__main__":
    sys.exit(main())
