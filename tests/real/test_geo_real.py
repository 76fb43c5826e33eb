"""The geometry layer at Scotland scale on the real 2011 data zone boundaries.

Why: synthetic grids prove the logic; only the real 6,976 data zones prove the speed and
that the published boundaries form a coverage the fast path can use. Timings are printed
(run with ``-s``); the speed budget lives in ``bench/timing_bench.py`` (a wall-clock assert fails
on a busy machine, not on wrong code).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.boundaries import read_datazone_boundaries
from geo.dissolve import dissolve_to_areas
from geo.simplify import feature_collection, simplify_for_web, to_geojson_features
from tests.fixtures.real_data import real_data_missing

pytestmark = pytest.mark.real

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
GEOGRAPHY = REAL / "geography"
BOUNDARIES = GEOGRAPHY / "dz2011_scotland_simplified.geojson"
LOOKUP = GEOGRAPHY / "simd2020v2_dz_lookup_data.csv"
T = TypeVar("T")
LOOKUP_COLUMNS = {"datazone": "DZ", "intermediate_zone": "IZcode", "council": "LAcode"}


def _timed(label: str, func: Callable[..., T], *args: object) -> T:
    """Call ``func(*args)``, print how long it took and return its result."""
    start = time.perf_counter()
    result = func(*args)
    print(f"\n[geo real] {label}: {time.perf_counter() - start:.2f} s")
    return result


@pytest.fixture(scope="module")
def datazones() -> gpd.GeoDataFrame:
    """The real data zones, read once; skip (fail on CI) when ../shared/real is absent."""
    if not BOUNDARIES.is_file() or not LOOKUP.is_file():
        real_data_missing(GEOGRAPHY, "real geography")
    return _timed("read 6,976 data zones", read_datazone_boundaries, BOUNDARIES)


@pytest.fixture(scope="module")
def bridge(datazones: gpd.GeoDataFrame) -> pd.DataFrame:
    """The long lookup (data zone, intermediate zone, council) from the SIMD 2020v2 file."""
    lookup = pd.read_csv(LOOKUP, dtype=str, usecols=list(LOOKUP_COLUMNS.values()))
    return pd.concat(
        pd.DataFrame({"datazone_code": lookup["DZ"], "area_type": kind, "area_code": lookup[col]})
        for kind, col in LOOKUP_COLUMNS.items()
    )


@pytest.fixture(scope="module")
def areas(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> gpd.GeoDataFrame:
    """The real data zones dissolved to intermediate zones and councils."""
    return _timed("dissolve to DZ + IZ + council", dissolve_to_areas, datazones, bridge)


def test_reads_every_datazone(datazones: gpd.GeoDataFrame) -> None:
    assert len(datazones) == 6976
    assert datazones["datazone_code"].is_unique
    assert datazones["datazone_code"].str.match(r"^S01\d{6}$").all()
    assert datazones.crs.to_epsg() == 27700
    assert shapely.coverage_is_valid(datazones.geometry.to_numpy())


def test_dissolves_to_published_counts(
    areas: gpd.GeoDataFrame, datazones: gpd.GeoDataFrame
) -> None:
    counts = areas["area_type"].value_counts().to_dict()
    assert counts == {"datazone": 6976, "intermediate_zone": 1279, "council": 32}
    total = datazones.area.sum()
    for _, group in areas.groupby("area_type"):
        assert group.area.sum() == pytest.approx(total, rel=1e-9)


def test_simplifies_for_the_web(areas: gpd.GeoDataFrame) -> None:
    web = _timed("simplify_for_web (50 m)", simplify_for_web, areas)
    features = _timed("to_geojson_features", to_geojson_features, web)
    assert web.crs.to_epsg() == 4326
    assert web.is_valid.all()
    for area_type in LOOKUP_COLUMNS:
        rows = {c: g for (t, c), g in features.items() if t == area_type}
        text = feature_collection(rows)
        print(f"[geo real] {area_type}: {len(rows)} features, {len(text) / 1e6:.2f} MB GeoJSON")
        assert len(json.loads(text)["features"]) == len(rows)
        assert len(text) < 8e6
