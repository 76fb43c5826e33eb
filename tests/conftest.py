"""Shared fixtures: settings pointing at temporary folders, and the real-data location."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.settings import DEMO_CATALOGUE, Settings, get_settings
from tests.fixtures.real_data import real_data_missing
from tests.fixtures.shared_build import built_once, start_prebuilds

# Tests build small fictional worlds: by default they use the demo country's catalogue and never
# the committed real snapshot. Tests of real data say so explicitly (Settings(catalogue_dir=
# REAL_CATALOGUE, use_snapshot=True, ...)). Set before any Settings is made; inherited by the
# servers the browser tests start.
os.environ.setdefault("CPOP_CATALOGUE_DIR", str(DEMO_CATALOGUE))
os.environ.setdefault("CPOP_USE_SNAPSHOT", "false")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_DIR = PROJECT_ROOT.parent / "shared" / "real"


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings with an empty raw folder and a warehouse path inside tmp_path."""
    return get_settings(raw_dir=tmp_path / "raw", warehouse_path=tmp_path / "warehouse" / "cpop.duckdb",
                        user_dir=tmp_path / "user")


@pytest.fixture
def real_dir() -> Path:
    """../shared/real, or skip when this machine does not have it (fail on CI: tests.fixtures.real_data)."""
    if not REAL_DIR.is_dir():
        real_data_missing(REAL_DIR, "real data folder")
    return REAL_DIR


@pytest.fixture(scope="session", autouse=True)
def _prebuilt_warehouses(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Both session warehouses start building at once, each in a process of its own, while the
    workers run their first tests (``tests/fixtures/shared_build.py``)."""
    with start_prebuilds(request.session, tmp_path_factory):
        yield


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in demo written and built once per test run (shared by the xdist workers); the
    warehouse path."""
    return built_once(tmp_path_factory, "demo")


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real Scotland built once per test run (shared by the xdist workers) from the committed
    snapshot (data/snapshot/) with the real catalogue, exactly as ``make run`` builds it (no
    ../shared/real needed); the path."""
    return built_once(tmp_path_factory, "real_snapshot")


@pytest.fixture(scope="module")
def demo_queries(demo_warehouse: Path):
    """The dashboard's query layer over the session's demo warehouse, closed after each module:
    DuckDB refuses a second connection with another configuration (``cpop sql``'s sandbox) while
    this one is open in the same process."""
    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader

    reader = WarehouseReader(demo_warehouse)
    yield Queries(reader)
    reader.close()
