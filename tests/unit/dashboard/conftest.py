"""Fixtures for dashboard unit tests: a contract warehouse in tmp_path and its Queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_warehouse import build_contract_warehouse

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    """A freshly built fixture warehouse (build_id 'fixture-a')."""
    return build_contract_warehouse(tmp_path / "cpop.duckdb")


@pytest.fixture
def reader(warehouse_path: Path):
    """A WarehouseReader on the fixture warehouse, closed afterwards."""
    r = WarehouseReader(warehouse_path)
    yield r
    r.close()


@pytest.fixture
def queries(reader: WarehouseReader) -> Queries:
    """Queries over the fixture warehouse."""
    return Queries(reader)
