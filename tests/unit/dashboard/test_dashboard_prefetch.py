"""Prefetching a callback's reads: they run in another thread, and a failed one is left to the
callback's own read to report."""

from __future__ import annotations

import threading

from dashboard.data.prefetch import prefetch


def test_reads_run_in_the_pool_and_a_failure_does_not_escape() -> None:
    done = threading.Event()
    seen: list[str] = []

    def fails() -> None:
        raise RuntimeError("the warehouse is being swapped")

    def reads() -> None:
        seen.append(threading.current_thread().name)
        done.set()

    prefetch(fails, reads)
    assert done.wait(30)
    assert seen and seen[0].startswith("cpop-prefetch") and seen[0] != threading.current_thread().name


def test_a_prefetched_query_is_read_once(demo_queries) -> None:
    """The callback asking for what the pool is reading waits for that read (no second query)."""
    ran: list[str] = []
    reader = demo_queries.reader
    real_query = reader.query
    area = demo_queries.reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'ward' LIMIT 1").iloc[0, 0]
    reader.query = lambda sql, params=None: ran.append(sql) or real_query(sql, params)
    try:
        prefetch(lambda: demo_queries.latest_values("ward", area))
        frame = demo_queries.latest_values("ward", area)
    finally:
        del reader.query
    assert not frame.empty
    assert sum("latest period for one area" in sql for sql in ran) == 1
