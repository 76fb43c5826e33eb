"""Web simplification and GeoJSON output: WGS84, rounded, valid, neighbours still touching."""

from __future__ import annotations

import json
import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from etl.errors import InputError
from geo.dissolve import dissolve_to_areas
from geo.simplify import feature_collection, simplify_for_web, to_geojson_features


@pytest.fixture
def areas(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> gpd.GeoDataFrame:
    """The grid dissolved to every area type, edges densified every 10 m."""
    dissolved = dissolve_to_areas(datazones, bridge)
    return dissolved.set_geometry(shapely.segmentize(dissolved.geometry.to_numpy(), 10))


def test_returns_wgs84_with_same_rows(areas: gpd.GeoDataFrame) -> None:
    web = simplify_for_web(areas)
    assert web.crs.to_epsg() == 4326
    assert web[["area_type", "area_code"]].equals(areas[["area_type", "area_code"]])
    assert web.is_valid.all()


def test_removes_redundant_vertices(areas: gpd.GeoDataFrame) -> None:
    before = shapely.get_num_coordinates(areas.geometry.to_numpy()).sum()
    after = shapely.get_num_coordinates(simplify_for_web(areas).geometry.to_numpy()).sum()
    assert after < before / 20


def test_rounds_coordinates_to_six_decimals(areas: gpd.GeoDataFrame) -> None:
    xy = shapely.get_coordinates(simplify_for_web(areas).geometry.to_numpy())
    assert np.array_equal(xy, np.round(xy, 6))


def test_rings_are_counter_clockwise(areas: gpd.GeoDataFrame) -> None:
    web = simplify_for_web(areas)
    exteriors = shapely.get_exterior_ring(shapely.get_parts(web.geometry.to_numpy()))
    assert shapely.is_ccw(exteriors).all()


def test_neighbours_still_share_edges(caplog: pytest.LogCaptureFixture) -> None:
    rng = np.random.default_rng(0)
    ys = np.linspace(650_000, 653_000, 61)
    xs = 301_000 + rng.uniform(-80, 80, ys.size)
    edge = list(zip(xs, ys, strict=True))  # a zig-zag shared edge, identical on both sides
    left = shapely.Polygon([(300_000, 650_000), *edge, (300_000, 653_000)])
    right = shapely.Polygon([(303_000, 653_000), *edge[::-1], (303_000, 650_000)])
    areas = gpd.GeoDataFrame(
        {"area_type": "t", "area_code": ["a", "b"]}, geometry=[left, right], crs=27700
    )
    with caplog.at_level(logging.WARNING, logger="geo.simplify"):
        web = simplify_for_web(areas, tolerance_m=100).to_crs(27700)
    assert not caplog.text
    a, b = web.geometry
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left) / 2
    assert a.intersection(b).area < 1e-3
    assert a.union(b).area == pytest.approx(left.area + right.area, rel=1e-3)
    assert shapely.get_num_interior_rings(shapely.union_all([a, b])) == 0


def test_tolerance_per_area_type(areas: gpd.GeoDataFrame) -> None:
    tolerances = dict.fromkeys(areas["area_type"], 0.0) | {"council": 50.0}
    web = simplify_for_web(areas, tolerance_m=tolerances)
    n = pd.Series(shapely.get_num_coordinates(web.geometry.to_numpy()), index=web["area_type"])
    assert n["council"].max() == 5
    assert n["datazone"].min() > 5


def test_rejects_bad_tolerances(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="'tolerance_m' must be >= 0"):
        simplify_for_web(areas, tolerance_m=-1)
    with pytest.raises(InputError, match="no tolerance for area type.*datazone"):
        simplify_for_web(areas, tolerance_m={"council": 50})


def test_rejects_areas_without_crs_or_columns(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="no coordinate reference system"):
        simplify_for_web(areas.set_crs(None, allow_override=True))
    with pytest.raises(InputError, match="lacks column area_code"):
        simplify_for_web(areas.drop(columns="area_code"))


def test_accepts_wgs84_areas(areas: gpd.GeoDataFrame) -> None:
    web = simplify_for_web(areas.to_crs(4326))
    assert web.crs.to_epsg() == 4326 and web.is_valid.all()


def test_falls_back_when_not_a_coverage(
    areas: gpd.GeoDataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    overlapping = areas.copy()
    overlapping.loc[0, "geometry"] = shapely.affinity.translate(areas.geometry.iloc[0], xoff=300)
    with caplog.at_level(logging.WARNING, logger="geo.simplify"):
        web = simplify_for_web(overlapping)
    assert "not an edge-matched coverage" in caplog.text
    assert web.is_valid.all()


def test_to_geojson_features_is_compact_geometry_per_area(areas: gpd.GeoDataFrame) -> None:
    features = to_geojson_features(simplify_for_web(areas))
    assert len(features) == len(areas)
    text = features["council", "S12000001"]
    assert " " not in text
    geometry = json.loads(text)
    assert geometry["type"] == "Polygon"
    assert len(geometry["coordinates"][0]) == 5


def test_feature_collection_keys_on_area_code(areas: gpd.GeoDataFrame) -> None:
    features = to_geojson_features(simplify_for_web(areas))
    councils = {code: g for (kind, code), g in features.items() if kind == "council"}
    collection = json.loads(feature_collection(councils))
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["area_code"] for f in collection["features"]] == [
        "S12000001",
        "S12000002",
    ]
    assert [f["id"] for f in collection["features"]] == ["S12000001", "S12000002"]
    assert json.loads(feature_collection(councils.items())) == collection
    assert json.loads(feature_collection([])) == {"type": "FeatureCollection", "features": []}
