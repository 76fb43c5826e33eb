"""A small LRU cache of query results that empties itself when the build changes.

Why: the marts are pre-aggregated and immutable within a build, so a result is valid for
exactly as long as its build_id; keying the whole cache by build_id means a rebuild can
never serve stale numbers and no explicit invalidation is needed. A key being computed is
computed once: other threads asking for it meanwhile wait for that result (after a rebuild
every page asks for the same catalogue at once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd


class BuildCache:
    """LRU of DataFrames for one build_id at a time; callers get copies (safe to mutate)."""

    def __init__(self, maxsize: int = 512) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, got {maxsize}")
        self._maxsize = maxsize
        self._build_id: str | None = None
        self._data: OrderedDict[Hashable, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[str, Hashable], threading.Event] = {}

    def get_or_compute(
        self, build_id: str, key: Hashable, compute: Callable[[], pd.DataFrame]
    ) -> pd.DataFrame:
        """The cached frame for ``key`` under ``build_id``, computing it on a miss (once,
        however many threads ask at the same time)."""
        while True:
            with self._lock:
                if build_id != self._build_id:
                    self._data.clear()
                    self._build_id = build_id
                hit = self._data.get(key)
                if hit is not None:
                    self._data.move_to_end(key)
                    return hit.copy()
                running = self._computing.get((build_id, key))
                if running is None:
                    running = self._computing[(build_id, key)] = threading.Event()
                    break
            running.wait()
            with self._lock:
                hit = self._data.get(key) if build_id == self._build_id else None
            if hit is not None:
                return hit.copy()
            # the computation failed (or the build changed): compute it here
        try:
            value = compute()
            with self._lock:
                if build_id == self._build_id:
                    self._data[key] = value
                    self._data.move_to_end(key)
                    while len(self._data) > self._maxsize:
                        self._data.popitem(last=False)
        finally:
            with self._lock:
                self._computing.pop((build_id, key), None)
            running.set()
        return value.copy()

    def copy(self) -> BuildCache:
        """A new cache holding the same results (the frames are shared: they are never changed)."""
        other = BuildCache(self._maxsize)
        with self._lock:
            other._build_id = self._build_id
            other._data = OrderedDict(self._data)
        return other

    def __len__(self) -> int:
        return len(self._data)
