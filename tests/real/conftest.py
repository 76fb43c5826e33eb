"""Fixtures for the real-data tests: a read-only connection to real Scotland built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.warehouse_files import open_pair


@pytest.fixture(scope="session")
def real_con(real_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The session's real warehouse (``real_warehouse``: built from the committed snapshot), read-only,
    with its internal file attached (some tests check core against the publishers)."""
    con = open_pair(real_warehouse)
    yield con
    con.close()
