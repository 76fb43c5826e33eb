"""Shared fixtures for the demo generator tests: one demo-scale country per test module.

Why: generating the demo takes about a second, so each module writes it once into a
temporary folder and its tests only read the files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from etl.demo import DemoSummary, write_demo
from tests.fixtures.real_data import real_data_missing

REAL_DIR = Path(__file__).resolve().parents[4] / "shared" / "real"
#: The seed under test (override with CPOP_DEMO_TEST_SEED to check other countries).
SEED = int(os.environ.get("CPOP_DEMO_TEST_SEED", "20261122"))


@pytest.fixture(scope="session")
def seed() -> int:
    """The seed the demo fixtures use."""
    return SEED


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, seed: int) -> tuple[Path, DemoSummary]:
    """The raw folder of a demo-scale country and its summary."""
    raw = tmp_path_factory.mktemp("demo_raw")
    return raw, write_demo(raw, scale="demo", seed=seed)


@pytest.fixture(scope="module")
def raw(demo: tuple[Path, DemoSummary]) -> Path:
    """The demo's raw folder."""
    return demo[0]


@pytest.fixture(scope="module")
def lookup(raw: Path) -> pd.DataFrame:
    """The SIMD 2020v2 look-up (the data zone lookup) of the demo country."""
    return pd.read_csv(raw / "simd" / "2020v2" / "SIMD2020v2_DZ_lookup_data.csv")


@pytest.fixture(scope="module")
def sape(raw: Path) -> dict[int, pd.DataFrame]:
    """All SAPE files keyed by year."""
    out = {}
    for f in sorted((raw / "nrs_sape" / "2025-06").glob("sape*_dz2011_sex_single_year_age.csv")):
        out[int(f.name[4:8])] = pd.read_csv(f)
    return out


@pytest.fixture(scope="module")
def series(raw: Path) -> Callable[..., pd.DataFrame]:
    """Reader of a statistics.gov.scot tidy file (DateCode kept as text)."""

    def read(stem: str, release: str = "2025-09") -> pd.DataFrame:
        path = raw / "statistics_gov_scot" / release / f"{stem}.csv"
        return pd.read_csv(path, dtype={"DateCode": str}, keep_default_na=False)

    return read


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The shared real-data folder (tests needing it skip when it is absent, and fail on CI)."""
    if not REAL_DIR.is_dir():
        real_data_missing(REAL_DIR, "the shared real-data folder")
    return REAL_DIR
