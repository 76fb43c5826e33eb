"""Invariants of best fit and of the area hierarchy.

- best fit gives each data zone to at most one area, and to exactly one when the areas tile
  the data zones' extent;
- shares are within [0, 1] and the overlap is conserved: Σ_A footprint_share·area(A) =
  Σ_d inside_share_d·area(d);
- in the demo warehouse every data zone belongs to exactly one area of each partitioning type
  and to at most one area of every type.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from etl.bestfit import best_fit
from etl.warehouse_files import open_pair


def _grid(cols: int, rows: int) -> gpd.GeoDataFrame:
    geoms = [box(i * 100.0, j * 100.0, (i + 1) * 100.0, (j + 1) * 100.0) for j in range(rows) for i in range(cols)]
    return gpd.GeoDataFrame({"datazone_code": [f"D{k:03d}" for k in range(len(geoms))]}, geometry=geoms, crs=27700)


def _voronoi_areas(seeds: list[tuple[float, float]], extent: shapely.Geometry) -> gpd.GeoDataFrame:
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=extent))
    clipped = [shapely.intersection(c, extent) for c in cells]
    clipped = [g for g in clipped if not g.is_empty and g.area > 0]
    return gpd.GeoDataFrame({"area_code": [f"A{k:02d}" for k in range(len(clipped))]}, geometry=clipped, crs=27700)


grids = st.tuples(st.integers(2, 7), st.integers(2, 7))
unit_points = st.lists(st.tuples(st.floats(0.01, 0.99), st.floats(0.01, 0.99)), min_size=1, max_size=6,
                       unique=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=grids, seeds=unit_points)
def test_tiling_areas_assign_every_datazone_exactly_once(grid: tuple[int, int],
                                                         seeds: list[tuple[float, float]]) -> None:
    cols, rows = grid
    dz = _grid(cols, rows)
    extent = box(0, 0, cols * 100.0, rows * 100.0)
    pts = [(x * cols * 100.0, y * rows * 100.0) for x, y in seeds]
    areas = _voronoi_areas(pts, extent)
    fit = best_fit(dz, areas)
    assert fit.assignments["datazone_code"].is_unique
    assert set(fit.assignments["datazone_code"]) == set(dz["datazone_code"])
    _check_shares(dz, areas, fit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=grids, boxes=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0.05, 0.8),
                                            st.floats(0.05, 0.8)), min_size=1, max_size=5))
def test_overlapping_or_partial_areas_assign_at_most_once(grid: tuple[int, int],
                                                          boxes: list[tuple[float, float, float, float]]) -> None:
    cols, rows = grid
    dz = _grid(cols, rows)
    w, h = cols * 100.0, rows * 100.0
    geoms = [box(x * w, y * h, x * w + bw * w, y * h + bh * h) for x, y, bw, bh in boxes]
    areas = gpd.GeoDataFrame({"area_code": [f"A{k}" for k in range(len(geoms))]}, geometry=geoms, crs=27700)
    fit = best_fit(dz, areas)
    assert fit.assignments["datazone_code"].is_unique
    assert set(fit.assignments["datazone_code"]) <= set(dz["datazone_code"])
    assert fit.assignments["inside_share"].between(0, 1).all()
    assert (fit.assignments["inside_share"] > 0).all()  # a data zone's point lies in its area
    assert fit.areas["footprint_share"].between(0, 1 + 1e-9).all()
    assert int(fit.areas["datazone_count"].sum()) == len(fit.assignments)
    assert set(fit.empty_areas).isdisjoint(fit.areas["area_code"])


def _check_shares(dz: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, fit) -> None:  # noqa: ANN001
    a = fit.assignments.merge(dz.assign(dz_area=dz.geometry.area)[["datazone_code", "dz_area"]], on="datazone_code")
    s = fit.areas.merge(areas.assign(a_area=areas.geometry.area)[["area_code", "a_area"]], on="area_code")
    assert a["inside_share"].between(0, 1).all() and s["footprint_share"].between(0, 1 + 1e-9).all()
    assert np.isclose((a["inside_share"] * a["dz_area"]).sum(), (s["footprint_share"] * s["a_area"]).sum())


@pytest.fixture(scope="module")
def demo(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = open_pair(demo_warehouse)
    yield con
    con.close()


def test_every_datazone_in_exactly_one_area_of_each_partitioning_type(demo: duckdb.DuckDBPyConnection) -> None:
    bad = demo.execute("""
        SELECT d.datazone_code, t.area_type, count(b.area_code) AS n
        FROM core.dim_datazone AS d CROSS JOIN meta.area_types AS t
        LEFT JOIN core.bridge_datazone_area AS b ON b.datazone_code = d.datazone_code AND b.area_type = t.area_type
        GROUP BY ALL
        HAVING n > 1 OR (n = 0 AND t.is_partition)""").fetchall()
    assert bad == []
    types = {r[0] for r in demo.execute("SELECT DISTINCT area_type FROM core.bridge_datazone_area").fetchall()}
    assert "community_council" in types
