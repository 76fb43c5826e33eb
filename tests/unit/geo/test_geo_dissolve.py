"""Dissolving data zones to areas: exact unions on a grid, fallbacks and bad bridges."""

from __future__ import annotations

import logging
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from etl.errors import InputError
from geo.dissolve import dissolve_to_areas

X0, Y0 = 300_000.0, 650_000.0


def test_dissolves_every_area_type(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    areas = dissolve_to_areas(datazones, bridge)
    assert list(areas.columns) == ["area_type", "area_code", "geometry"]
    assert areas.crs.to_epsg() == 27700
    assert areas["area_type"].value_counts().to_dict() == {
        "datazone": 16,
        "intermediate_zone": 4,
        "council": 2,
        "scotland": 1,
    }
    by_key = areas.set_index(["area_type", "area_code"]).geometry
    assert by_key["scotland", "S92000003"].equals(shapely.box(X0, Y0, X0 + 4000, Y0 + 4000))
    assert by_key["council", "S12000001"].equals(shapely.box(X0, Y0, X0 + 2000, Y0 + 4000))
    assert by_key["intermediate_zone", "S02000101"].equals(
        shapely.box(X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 4000)
    )
    assert set(areas.geom_type) == {"Polygon"}


def test_output_is_sorted_and_ignores_bridge_order_and_duplicates(
    datazones: gpd.GeoDataFrame, bridge: pd.DataFrame
) -> None:
    shuffled = pd.concat([bridge, bridge.iloc[:5]]).sample(frac=1, random_state=1)
    a = dissolve_to_areas(datazones.iloc[::-1], shuffled)
    b = dissolve_to_areas(datazones, bridge)
    assert a[["area_type", "area_code"]].equals(b[["area_type", "area_code"]])
    assert shapely.equals(a.geometry.to_numpy(), b.geometry.to_numpy()).all()
    assert a["area_type"].is_monotonic_increasing


def test_non_contiguous_area_is_a_multipolygon(datazones: gpd.GeoDataFrame) -> None:
    bridge = pd.DataFrame(
        {"datazone_code": ["S01000001", "S01000016"], "area_type": "locality", "area_code": "L1"}
    )
    (geometry,) = dissolve_to_areas(datazones, bridge).geometry
    assert geometry.geom_type == "MultiPolygon"
    assert geometry.area == pytest.approx(2e6)


def test_reprojects_wgs84_datazones(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    areas = dissolve_to_areas(datazones.to_crs(4326), bridge)
    assert areas.crs.to_epsg() == 27700
    scotland = areas.loc[areas["area_type"] == "scotland"].geometry.iloc[0]
    assert scotland.area == pytest.approx(16e6, rel=1e-6)


def test_falls_back_to_union_when_not_a_coverage(
    make_grid: Callable[..., gpd.GeoDataFrame], caplog: pytest.LogCaptureFixture
) -> None:
    grid = make_grid(2, 1)
    grid.loc[1, "geometry"] = shapely.affinity.translate(grid.geometry.iloc[1], xoff=-500)
    bridge = pd.DataFrame(
        {"datazone_code": grid["datazone_code"], "area_type": "scotland", "area_code": "S92000003"}
    )
    with caplog.at_level(logging.WARNING, logger="geo.dissolve"):
        (geometry,) = dissolve_to_areas(grid, bridge).geometry
    assert "not an edge-matched coverage" in caplog.text
    assert geometry.is_valid and geometry.area == pytest.approx(1.5e6)


def test_rejects_missing_columns(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="argument 'bridge' lacks column.*area_code") as info:
        dissolve_to_areas(datazones, bridge.drop(columns="area_code"))
    assert info.value.column == "area_code"
    with pytest.raises(InputError, match="argument 'datazones' lacks column.*datazone_code"):
        dissolve_to_areas(datazones.rename(columns={"datazone_code": "DZ"}), bridge)


def test_rejects_datazones_without_crs(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="'datazones' has no coordinate reference system"):
        dissolve_to_areas(datazones.set_crs(None, allow_override=True), bridge)


def test_rejects_duplicate_datazones(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="repeats data zone codes: S01000001"):
        dissolve_to_areas(pd.concat([datazones, datazones.iloc[:1]]), bridge)


def test_rejects_bridge_codes_without_boundary(
    datazones: gpd.GeoDataFrame, bridge: pd.DataFrame
) -> None:
    with pytest.raises(InputError, match="names 2 data zone.*no boundary: S01000001, S01000002"):
        dissolve_to_areas(datazones.iloc[2:], bridge)


def test_rejects_datazone_in_two_areas_of_one_type(
    datazones: gpd.GeoDataFrame, bridge: pd.DataFrame
) -> None:
    extra = pd.DataFrame([("S01000003", "council", "S12000009")], columns=bridge.columns)
    with pytest.raises(InputError, match="S01000003 in 2 areas of type council"):
        dissolve_to_areas(datazones, pd.concat([bridge, extra]))


def test_rejects_blank_bridge_values(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> None:
    bad = bridge.copy()
    bad.loc[5, "area_code"] = None
    with pytest.raises(InputError, match="blank value in its row 6") as info:
        dissolve_to_areas(datazones, bad)
    assert info.value.column == "area_code"
