"""Warm the per-build caches when the server starts and whenever a new build is swapped in.

Why: the first visitors after a rebuild should not each pay for reading the catalogue, its
coverage and the council map; a background thread notices the new build (a ``stat`` every
couple of seconds) and reads them once (``Queries.warm``), while pages keep being served.

The warmed results live until the next build, so they are moved out of the garbage
collector's view (``gc.freeze``) like the app's start-up objects: otherwise every full
collection walks their ~50 MB of rows and adds a ~50 ms pause to a random request. Before a
new build is warmed everything is unfrozen, so the old build's caches can be collected.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Sequence

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseUnavailable

log = logging.getLogger(__name__)


def freeze_long_lived() -> None:
    """Collect, then move every surviving object out of the collector's view (see the module
    docstring): start-up objects and the warmed per-build caches."""
    gc.collect()
    gc.freeze()


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
            if self._warmed_build is not None:
                gc.unfreeze()  # the old build's caches become collectable garbage again
            self._queries.warm()
            for warm in self._also:
                warm(self._queries)
        except WarehouseUnavailable:
            return False  # not built yet, or being swapped: try again later
        freeze_long_lived()
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
