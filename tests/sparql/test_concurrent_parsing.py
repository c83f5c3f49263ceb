"""Queries checked by many threads at once (a remote store's queries run in the request
threads) are all checked, in a fresh process: the first parses bind the grammar's parse
actions, and pyparsing is not thread-safe while it does."""

from __future__ import annotations

import subprocess
import sys

from server.settings import REPOSITORY

CHECK_AT_ONCE = """
import threading
from pathlib import Path
from server.sparql.safety import check_query

texts = [path.read_text(encoding="utf-8") for path in sorted(Path("queries").glob("*.rq"))]
start = threading.Barrier(16)
failures = []

def check(number):
    start.wait()
    try:
        check_query(texts[number % len(texts)], allowed_hosts=(), base=None, prefixes={})
    except Exception as error:
        failures.append(repr(error))

threads = [threading.Thread(target=check, args=(n,)) for n in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures), failures[:1])
"""


def test_sixteen_threads_check_their_first_queries_at_once():
    done = subprocess.run([sys.executable, "-c", CHECK_AT_ONCE], cwd=REPOSITORY, text=True,
                          capture_output=True, timeout=120, check=True)
    assert done.stdout.strip() == "0 []", done.stdout
