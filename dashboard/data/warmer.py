"""Warm the per-build caches when the server starts and whenever a new build is swapped in.

Why: the first visitors after a rebuild should not each pay for reading the catalogue, its
coverage and the council map; a background thread notices the new build (a ``stat`` every
couple of seconds) and reads them once (``Queries.warm``), while pages keep being served.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseUnavailable

log = logging.getLogger(__name__)


class CacheWarmer:
    """A daemon thread calling ``queries.warm()`` (and each of ``also``) once per build it sees."""

    def __init__(self, queries: Queries, interval_s: float = 2.0,
                 also: Sequence[Callable[[Queries], None]] = ()) -> None:
        self._queries = queries
        self._also = tuple(also)
        self._interval = interval_s
        self._stop = threading.Event()
        self._warmed_build: str | None = None
        self.warmed = threading.Event()  # set after each warm-up (tests and benchmarks wait on it)
        self._thread = threading.Thread(target=self._run, name="cpop-cache-warmer", daemon=True)

    def start(self) -> CacheWarmer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def warm_once(self) -> bool:
        """Warm if the build changed since the last warm-up; True when it did."""
        try:
            build_id = self._queries.reader.build_id()
            if build_id == self._warmed_build:
                return False
            self._queries.warm()
            for warm in self._also:
                warm(self._queries)
        except WarehouseUnavailable:
            return False  # not built yet, or being swapped: try again later
        self._warmed_build = build_id
        self.warmed.set()
        log.info("warmed the caches of build %s", build_id)
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.warm_once()
            except Exception:  # a warm-up must never take the server down
                log.exception("cache warm-up failed")
            self._stop.wait(self._interval)
