"""A small LRU cache of query results that empties itself when the build changes.

Why: the marts are pre-aggregated and immutable within a build, so a result is valid for
exactly as long as its build_id; keying the whole cache by build_id means a rebuild can
never serve stale numbers and no explicit invalidation is needed.
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

    def get_or_compute(
        self, build_id: str, key: Hashable, compute: Callable[[], pd.DataFrame]
    ) -> pd.DataFrame:
        """The cached frame for ``key`` under ``build_id``, computing it on a miss."""
        with self._lock:
            if build_id != self._build_id:
                self._data.clear()
                self._build_id = build_id
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit.copy()
        value = compute()
        with self._lock:
            if build_id == self._build_id:
                self._data[key] = value
                self._data.move_to_end(key)
                while len(self._data) > self._maxsize:
                    self._data.popitem(last=False)
        return value.copy()

    def __len__(self) -> int:
        return len(self._data)
