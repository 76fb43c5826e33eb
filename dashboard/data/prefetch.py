"""Start reading what a callback will need in the background while it reads the rest.

Why: DuckDB runs a query without holding the GIL, so two independent reads of one callback can
use both cores; the callback then asks for each as usual and finds it cached, or waits for the
read already under way (``BuildCache`` computes a key once and lets others wait for it). A
prefetch that has not started when the callback asks is simply done by the callback, and again,
from the cache, by the pool: nothing is read twice and nothing waits on a busy pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

#: Two cores here; a third read at once only slices them thinner.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cpop-prefetch")


def prefetch(*reads: Callable[[], object]) -> None:
    """Start each of ``reads`` (a call whose result its caching query method keeps) in the pool."""
    for read in reads:
        _POOL.submit(_quietly, read)


def _quietly(read: Callable[[], object]) -> None:
    """Run a prefetch; its error is the callback's to meet and report when it reads the same thing."""
    try:
        read()
    except Exception:  # noqa: BLE001 - reported by the callback's own read, not here
        log.debug("prefetch failed; the callback reads it itself", exc_info=True)
