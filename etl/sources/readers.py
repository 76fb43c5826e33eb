"""The publishers whose own files the build reads (one ``PublisherReader`` per source folder).

Why: one list, so adding a publisher is adding its reader here and its files to
``data/raw/<source>/<release>/`` (or the snapshot).
"""

from __future__ import annotations

from etl.sources import cpop, scotpho, simd_indicators
from etl.sources.published import PublisherReader

PUBLISHER_READERS: list[PublisherReader] = [cpop.READER, simd_indicators.READER, scotpho.READER]
