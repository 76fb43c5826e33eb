"""Small synthetic data zone coverages in British National Grid, built in the tests.

Why: every reader, dissolve and simplify case must be checkable in milliseconds without
the real boundaries; a grid of squares is a coverage whose unions are known exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

ORIGIN = (300_000.0, 650_000.0)


def grid_datazones(nx: int = 4, ny: int = 4, cell: float = 1000.0) -> gpd.GeoDataFrame:
    """Return ``nx * ny`` square data zones (row-major codes S01000001...) in EPSG:27700."""
    x0, y0 = ORIGIN
    boxes = [
        shapely.box(x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell, y0 + (j + 1) * cell)
        for j in range(ny)
        for i in range(nx)
    ]
    codes = [f"S01{n + 1:06d}" for n in range(len(boxes))]
    return gpd.GeoDataFrame({"datazone_code": codes}, geometry=boxes, crs=27700)


def grid_bridge(nx: int = 4, ny: int = 4) -> pd.DataFrame:
    """Return the long lookup for a grid: 2x2 blocks are IZs, left/right halves councils."""
    rows = []
    for j in range(ny):
        for i in range(nx):
            dz = f"S01{j * nx + i + 1:06d}"
            rows += [
                (dz, "datazone", dz),
                (dz, "intermediate_zone", f"S02{(j // 2) * 100 + i // 2:06d}"),
                (dz, "council", "S12000001" if i < nx // 2 else "S12000002"),
                (dz, "scotland", "S92000003"),
            ]
    return pd.DataFrame(rows, columns=["datazone_code", "area_type", "area_code"])


def write_layer(gdf: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    """Write ``gdf`` with pyogrio (driver from the suffix) and return ``path``.

    A Shapefile gets the ``DataZone`` column name SG publishes (dBase names are 10 chars).
    """
    if path.suffix == ".shp":
        gdf = gdf.rename(columns={"datazone_code": "DataZone"})
    gdf.to_file(path, engine="pyogrio", **kwargs)
    return path


@pytest.fixture
def datazones() -> gpd.GeoDataFrame:
    """A 4 x 4 grid of 1 km square data zones."""
    return grid_datazones()


@pytest.fixture
def bridge() -> pd.DataFrame:
    """The lookup matching the ``datazones`` fixture."""
    return grid_bridge()


@pytest.fixture
def make_grid() -> Callable[..., gpd.GeoDataFrame]:
    """The ``grid_datazones`` builder, for tests that need another grid size."""
    return grid_datazones


@pytest.fixture
def write() -> Callable[..., Path]:
    """The ``write_layer`` helper."""
    return write_layer
