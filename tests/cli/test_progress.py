"""Progress of `ldpub load`, `validate` and `export`: live on a terminal, plain in logs.

The installed ``ldpub`` command runs as a user runs it: once with its standard error on
a pseudo-terminal (it draws bars: counts, rate, time), once with it on a pipe, as in
CI (one plain line a stage, no carriage return, no escape sequence). The library itself
prints nothing when no one asks for progress.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sysconfig
import termios
import time
from pathlib import Path

import pytest

from server.domain.loading import check
from server.domain.progress import Report, Stage, counted
from server.runtime.export import export_site
from server.settings import Settings
from server.store import ondisk
from tests.conftest import TINY_BASE, dataset_config

LDPUB = Path(sysconfig.get_path("scripts")) / "ldpub"
PUBLIC = "https://data.example.org/"
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
TIMEOUT = 300  # seconds a run may take on a loaded machine before the test gives up
STAGING = ("parse", "rules", "provenance", "validation")
# each verb, its arguments beyond the dataset's, and its stages in order
VERBS = {
    "load": (lambda tmp: ["--store", f"oxigraph:{tmp / 'store'}"],
             (*STAGING, "store", "precompute", "dumps")),
    "validate": (lambda tmp: [], STAGING),
    # two workers: processes forked while the live display draws
    "export": (lambda tmp: [str(tmp / "site"), "--public-url", PUBLIC, "--workers", "2"],
               ("data", "pages", "files")),
}


def _command(verb: str, tmp_path: Path, tiny_copy: Path) -> list[str]:
    assert LDPUB.is_file(), f"the ldpub command is not installed at {LDPUB} (pip install -e .)"
    config = dataset_config(tiny_copy, TINY_BASE)
    dataset = [f"--{name.replace('_', '-')}={value}" for name, value in config.items()]
    return [str(LDPUB), verb, *VERBS[verb][0](tmp_path), *dataset]


def _environment(**extra: str) -> dict[str, str]:
    # what a user's shell may set to turn colours or terminals off must not decide the test
    quiet = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS",
             "LINES", "TERM")
    return {**{k: v for k, v in os.environ.items() if k not in quiet}, **extra}


def _on_a_terminal(command: list[str]) -> tuple[int, str]:
    """Run ``command`` with all three streams on a pseudo-terminal of 160 columns; its
    exit code and everything it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                               env=_environment(TERM="xterm-256color"))
    os.close(slave)
    written = bytearray()
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other side closed: the command is done
                break
            if not chunk:
                break
            written += chunk
        return process.wait(timeout=30), written.decode("utf-8", "replace")
    finally:
        process.kill()
        os.close(master)


@pytest.mark.parametrize("verb", VERBS)
def test_on_a_terminal_each_stage_shows_its_counts_rate_and_time(verb, tmp_path, tiny_copy):
    code, written = _on_a_terminal(_command(verb, tmp_path, tiny_copy))
    assert code == 0, written
    assert "\x1b[" in written  # a live display, redrawn in place
    screen = ESCAPES.sub("", written)
    for stage in VERBS[verb][1]:
        # the stage's last drawing: its name, then its tallies, then the time it took
        drawn = [line for line in re.split(r"[\r\n]+", screen) if f" {stage} " in line]
        assert drawn, f"stage {stage!r} not shown in:\n{screen}"
        assert re.search(r"\d:\d\d:\d\d", drawn[-1]), drawn[-1]
    counted_stages = {"parse": r"(\d+)/\1 files, [\d,]+ statements",
                      "store": r"([\d,]+)/\1 quads .* quads/s",
                      "pages": r"([\d,]+)/\1 URLs, [\d,]+ files .* URLs/s",
                      "validation": r"[\d,]+ quads, \d+ results, 0 violations"}
    for stage, pattern in counted_stages.items():
        if stage in VERBS[verb][1]:
            assert re.search(rf" {stage} .*{pattern}", screen), (stage, screen)


@pytest.mark.parametrize("verb", VERBS)
def test_in_a_log_each_stage_is_one_plain_line(verb, tmp_path, tiny_copy):
    done = subprocess.run(_command(verb, tmp_path, tiny_copy), capture_output=True, check=False,
                          text=True, timeout=TIMEOUT, env=_environment(TERM="xterm-256color"))
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    assert "\r" not in done.stdout and "\x1b" not in done.stdout
    # the stages' lines; a log record (a warning) may come between them
    lines = [line for line in done.stderr.splitlines() if re.match(r"[a-z]+: ", line)]
    assert [line.split(":", 1)[0] for line in lines] == list(VERBS[verb][1]), done.stderr
    for line in lines:
        assert re.search(r" in \d+\.\d s\b", line), line
    assert done.stdout.strip()  # the verb's own result, on standard output as before


def test_a_failed_load_shows_the_stages_done_and_the_violation(tmp_path, tiny_copy):
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(alpha.read_text().replace('schema:name "Ada Lovelace" ;', ""))
    done = subprocess.run(_command("load", tmp_path, tiny_copy), capture_output=True, check=False,
                          text=True, timeout=TIMEOUT, env=_environment())
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if re.match(r"[a-z]+: ", line)]
    assert [line.split(":", 1)[0] for line in lines[:4]] == list(STAGING)
    assert "1 violations" in lines[3]
    assert "the store is unchanged" in done.stderr
    assert not any(line.startswith(("store:", "dumps:")) for line in lines)


def test_the_library_prints_nothing_without_a_callback(tmp_path, tiny_copy, capfd):
    config = dataset_config(tiny_copy, TINY_BASE)
    settings = Settings.load({**config, "store": f"oxigraph:{tmp_path / 'store'}"}, environ={})
    check(settings)
    ondisk.load(settings)
    export_site({**config, "public_url": PUBLIC}, tmp_path / "site")
    assert capfd.readouterr() == ("", "")


def test_a_stage_reports_its_start_its_advance_and_its_end():
    heard: list[Report] = []
    with Stage(heard.append, "store", 25_000, "quads", note="disk") as stage:
        assert list(counted(range(25_000), stage)) == list(range(25_000))
    assert heard[0] == Report("store", 0, 25_000, "quads", {}, "disk")
    assert heard[-1].finished and heard[-1].done == 25_000
    assert all(not report.finished for report in heard[:-1])
    assert [r.done for r in heard] == sorted(r.done for r in heard)


def test_a_stage_left_by_an_error_is_not_reported_finished():
    heard: list[Report] = []
    with pytest.raises(ValueError), Stage(heard.append, "parse", 3, "files") as stage:
        stage.advance(statements=10)
        raise ValueError("a file that does not parse")
    assert heard and not any(report.finished for report in heard)
