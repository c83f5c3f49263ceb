"""``ldpub check`` against the static export behind nginx and against the live server over
the same data (each at its own address): the same checks pass on both, except the SPARQL
endpoint's, which a static copy does not have (skipped there, never failed)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from server.conformance import all_checks
from server.runtime.cli import cli

LINE = re.compile(r"(PASS|FAIL|SKIP)  (\S+)\s+§\d+  ")


def outcomes(url: str) -> tuple[int, dict[str, str], str]:
    result = CliRunner().invoke(cli, ["check", url, "--timeout", "20"])
    found = {m[2]: m[1] for m in map(LINE.match, result.output.splitlines()) if m}
    return result.exit_code, found, result.output


def test_the_export_behind_nginx_passes_the_checks_the_live_server_passes(nginx_url, live_url):
    live_code, live, live_output = outcomes(live_url)
    static_code, static, static_output = outcomes(nginx_url)
    every = {check.id for check in all_checks()}
    assert set(live) == set(static) == every, (live_output, static_output)
    assert live_code == 0 and set(live.values()) == {"PASS"}, live_output
    endpoint = {check.id for check in all_checks() if check.section == "§4"}
    assert static_code == 0, static_output
    assert {i for i, outcome in static.items() if outcome == "PASS"} == every - endpoint, static_output
    assert {i for i, outcome in static.items() if outcome == "SKIP"} == endpoint, static_output
