"""The soak in its short form: the mixed crawl of ``bench/soak.py`` at concurrency 32
against ``ldpub serve`` on the repository's data, with zero errors and flat memory."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.live, pytest.mark.slow]

CONCURRENCY = 32
WORKERS = 2
MAX_CONCURRENT_QUERIES = 4  # the default, per worker


def test_a_mixed_crawl_at_concurrency_32_has_no_error_and_flat_memory(soak, tmp_path):
    with soak.Server(workers=WORKERS, threads=4, folder=tmp_path) as server:
        mix = soak.targets(server.url, soak.example_queries())
        kinds = {target.kind for target in mix}
        assert kinds == {"page", "data", "id", "site", "sparql", "dump"}
        started_workers = server.workers()
        warm = soak.warm_up(server.url, mix)
        assert warm.errors == [], warm.errors[:5]
        # The first round fills the caches; the query pools grow when they need to, which
        # on a loaded machine may be in either round, so memory is compared per process.
        first = soak.crawl(server.url, mix, duration=8, concurrency=CONCURRENCY)
        before = server.rss()
        second = soak.crawl(server.url, mix, duration=15, concurrency=CONCURRENCY, seed=99)
        after = server.rss()
        workers = server.workers()
    figures = soak.summary(second)
    print(f"short soak: {figures}\nmemory before {before}, after {after}")
    assert first.errors == [] and second.errors == [], (first.errors + second.errors)[:5]
    # Every client kept being answered (a bound on liveness, not on the machine's speed).
    assert second.sent >= 5 * CONCURRENCY, f"only {second.sent} requests answered in 15 s"
    assert set(figures["by_kind"]) >= {"page", "data", "id", "site", "sparql", "dump",
                                       "revalidate"}
    assert figures["p99_ms"] > 0
    assert workers == started_workers, "a worker died and was replaced during the crawl"
    assert after["server"] <= before["server"] * 1.2 + 24 * 2**20, (before, after)
    grown = {pid: (soak.mib(before["by_process"][pid]), soak.mib(size))
             for pid, size in after["by_process"].items()
             if pid in before["by_process"] and size > before["by_process"][pid] * 1.2 + 24 * 2**20}
    assert not grown, f"processes whose memory grew in the second round (MiB before, after): {grown}"
    assert after["processes"] <= 1 + WORKERS * (2 + MAX_CONCURRENT_QUERIES), after
