"""BuildCache: results live as long as their build, and each is computed once at a time."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from dashboard.data.cache import BuildCache


def test_a_new_build_empties_the_cache_and_hits_are_copies() -> None:
    cache, calls = BuildCache(), []
    make = lambda: calls.append(1) or pd.DataFrame({"x": [1]})  # noqa: E731
    first = cache.get_or_compute("b1", "k", make)
    first.loc[0, "x"] = 99  # a caller's change never reaches the cache
    assert cache.get_or_compute("b1", "k", make).loc[0, "x"] == 1 and len(calls) == 1
    cache.get_or_compute("b2", "k", make)
    assert len(calls) == 2


def test_threads_asking_at_once_share_one_computation() -> None:
    cache, calls = BuildCache(), []
    started = threading.Event()

    def slow() -> pd.DataFrame:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return pd.DataFrame({"x": [len(calls)]})

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(int(cache.get_or_compute("b1", "k", slow).x[0])))
               for _ in range(8)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(5)
    assert calls == [1] and results == [1] * 8


def test_a_failed_computation_is_not_cached_and_the_next_caller_retries() -> None:
    cache = BuildCache()

    def broken() -> pd.DataFrame:
        raise RuntimeError("warehouse gone")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("b1", "k", broken)
    assert cache.get_or_compute("b1", "k", lambda: pd.DataFrame({"x": [2]})).x[0] == 2
