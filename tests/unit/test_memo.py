"""A value is computed once per data version, even when many requests miss it at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.memo import Memo

CONCURRENT = 8


def test_eight_concurrent_misses_of_one_key_make_it_once():
    memo: Memo[int] = Memo()
    made = []
    gate = threading.Barrier(CONCURRENT)

    def make() -> int:
        made.append(1)
        time.sleep(0.2)  # the others arrive while it is being made
        return 42

    def ask(_) -> int:
        gate.wait()
        return memo.get("v1", "page", make)

    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(ask, range(CONCURRENT)))
    assert answers == [42] * CONCURRENT
    assert len(made) == 1, f"the value was made {len(made)} times for {CONCURRENT} misses"


def test_different_keys_and_versions_are_made_side_by_side():
    memo: Memo[str] = Memo()
    gate = threading.Barrier(2, timeout=5)

    def make(key: str) -> str:
        gate.wait()  # both makers must be running at once, or this times out
        return key

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda key: memo.get("v1", key, lambda: make(key)), ["a", "b"]))
    assert answers == ["a", "b"]


def test_waiters_get_the_failure_and_the_next_request_tries_again():
    memo: Memo[int] = Memo()
    gate = threading.Barrier(CONCURRENT)
    attempts = []

    def failing() -> int:
        attempts.append(1)
        time.sleep(0.2)
        raise ConnectionError("the store is down")

    def ask(_):
        gate.wait()
        try:
            return memo.get("v1", "page", failing)
        except ConnectionError as error:
            return str(error)

    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(ask, range(CONCURRENT)))
    assert answers == ["the store is down"] * CONCURRENT
    assert len(attempts) == 1
    assert memo.get("v1", "page", lambda: 7) == 7, "a failure is not kept"
    with pytest.raises(ValueError):
        memo.get("v1", "other", lambda: int("x"))
