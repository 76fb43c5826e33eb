"""Measuring a given assignment (the lookup's wards) against ward polygons, worked by hand.

Data zones are 1 km squares in a row: D1 x 0-1 km, D2 1-2, D3 2-3, D4 3-4 (y 0-1 km); the
lookup puts D1, D2, D3 in ward W1 and D4 in W2. Ward polygons: W1 = x 0-2.5 km, W2 = x
2.5-4 km (full height). So D3 is half inside its ward::

    inside_share: D1 1, D2 1, D3 0.5, D4 1
    population:   D1 100, D2 200, D3 400, D4 300
    fit_quality(W1) = (100·1 + 200·1 + 400·0.5) / (100 + 200 + 400) = 500 / 700 = 0.714285…
    fit_quality(W2) = 300·1 / 300 = 1
    footprint_share(W1) = (1 + 1 + 0.5) km² / 2.5 km² = 1
    footprint_share(W2) = 1 km² / 1.5 km² = 0.666…
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from etl.bestfit import best_fit, fit_quality, measure_fit
from etl.errors import InputError
from etl.sources.ward_boundaries import ward_code_column

KM = 1000.0
POPULATION = pd.Series({"D1": 100, "D2": 200, "D3": 400, "D4": 300})


@pytest.fixture
def datazones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"datazone_code": ["D1", "D2", "D3", "D4"]},
                            geometry=[box(KM * i, 0, KM * (i + 1), KM) for i in range(4)], crs=27700)


def _wards(split_km: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"area_code": ["W1", "W2"]},
                            geometry=[box(0, 0, split_km * KM, KM), box(split_km * KM, 0, 4 * KM, KM)], crs=27700)


LOOKUP = pd.DataFrame({"datazone_code": ["D1", "D2", "D3", "D4"], "area_code": ["W1", "W1", "W1", "W2"]})


def test_a_data_zone_half_inside_its_ward_scores_half(datazones: gpd.GeoDataFrame) -> None:
    fit = measure_fit(datazones, _wards(2.5), LOOKUP)
    share = dict(zip(fit.assignments["datazone_code"], fit.assignments["inside_share"], strict=True))
    assert share == pytest.approx({"D1": 1.0, "D2": 1.0, "D3": 0.5, "D4": 1.0})
    quality = fit_quality(fit.assignments, POPULATION)
    assert quality["W1"] == pytest.approx(500 / 700) and quality["W2"] == pytest.approx(1.0)
    footprint = dict(zip(fit.areas["area_code"], fit.areas["footprint_share"], strict=True))
    assert footprint == pytest.approx({"W1": 1.0, "W2": 1 / 1.5})
    assert dict(zip(fit.areas["area_code"], fit.areas["datazone_count"], strict=True)) == {"W1": 3, "W2": 1}
    assert fit.empty_areas == ()


def test_the_assignment_is_kept_even_where_a_best_fit_would_differ(datazones: gpd.GeoDataFrame) -> None:
    # W1 = x 0-2.2 km: only 0.2 of D3 lies in W1, so a centroid best fit would give D3 to W2;
    # the lookup says W1 and the measurement keeps W1, scoring D3 at 0.2
    wards = _wards(2.2)
    assert dict(zip(best_fit(datazones, wards).assignments["datazone_code"],
                    best_fit(datazones, wards).assignments["area_code"], strict=True))["D3"] == "W2"
    fit = measure_fit(datazones, wards, LOOKUP)
    row = fit.assignments.set_index("datazone_code").loc["D3"]
    assert row["area_code"] == "W1" and row["inside_share"] == pytest.approx(0.2)
    assert fit_quality(fit.assignments, POPULATION)["W1"] == pytest.approx((100 + 200 + 400 * 0.2) / 700)
    # W1's footprint (2.2 km²) is covered by D1, D2 and 0.2 km² of D3: 2.2 / 2.2
    assert fit.areas.set_index("area_code").loc["W1", "footprint_share"] == pytest.approx(1.0)
    # D3's 0.8 km² in W2 is nobody's there: W2 (1.8 km²) is covered only by D4
    assert fit.areas.set_index("area_code").loc["W2", "footprint_share"] == pytest.approx(1 / 1.8)


def test_a_data_zone_assigned_to_a_ward_it_does_not_touch_scores_zero(datazones: gpd.GeoDataFrame) -> None:
    far = gpd.GeoDataFrame({"area_code": ["W1", "W2"]},
                           geometry=[box(0, 0, 3 * KM, KM), box(10 * KM, 0, 11 * KM, KM)], crs=27700)
    fit = measure_fit(datazones, far, LOOKUP)
    assert fit.assignments.set_index("datazone_code").loc["D4", "inside_share"] == 0.0
    assert fit.areas.set_index("area_code").loc["W2", "footprint_share"] == 0.0


def test_pairs_without_a_polygon_are_left_out(datazones: gpd.GeoDataFrame) -> None:
    lookup = pd.concat([LOOKUP, pd.DataFrame({"datazone_code": ["D9"], "area_code": ["W1"]})], ignore_index=True)
    only_w1 = _wards(2.5).iloc[[0]]
    extra = pd.concat([only_w1, gpd.GeoDataFrame({"area_code": ["W7"]}, geometry=[box(0, 5 * KM, KM, 6 * KM)],
                                                 crs=27700)], ignore_index=True)
    fit = measure_fit(datazones, extra, lookup)
    # D4's ward W2 has no polygon and D9 has no data zone polygon: neither is measured
    assert list(fit.assignments["datazone_code"]) == ["D1", "D2", "D3"]
    assert list(fit.areas["area_code"]) == ["W1"]
    assert fit.empty_areas == ("W7",)  # a polygon no data zone is assigned to


def test_measure_fit_names_a_missing_argument_column(datazones: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="argument 'assignment' has no 'area_code' column"):
        measure_fit(datazones, _wards(2.5), LOOKUP.rename(columns={"area_code": "ward_code"}))


# ---------------------------------------------------------------------------------------------
# which property holds the ward code


WARDS = {"S13002516", "S13002517"}


def _layer(**columns: list[object]) -> gpd.GeoDataFrame:
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(columns, geometry=[box(i, 0, i + 1, 1) for i in range(n)], crs=27700)


@pytest.mark.parametrize("name", ["ward21_code", "WD21CD", "wd17cd", "MMWcode", "MMWard_Code", "ward_code", "Code"])
def test_known_ward_code_names_are_found(name: str) -> None:
    gdf = _layer(**{name: ["S13002516", "S13002517"], "name": ["A", "B"]})
    assert ward_code_column(gdf, [name, "name"], "w.geojson", WARDS, None) == name


def test_of_several_known_names_the_one_holding_lookup_wards_wins() -> None:
    # SG files carry an OBJECTID-like 'Code' next to the real code; ONS files the council's LAD code
    gdf = _layer(Code=["1", "2"], WD21CD=["S13002516", "S13002517"], LAD21CD=["S12000033", "S12000033"])
    assert ward_code_column(gdf, ["Code", "WD21CD", "LAD21CD"], "w.geojson", WARDS, None) == "WD21CD"


def test_a_configured_code_field_is_used_and_must_exist() -> None:
    gdf = _layer(WARD_ID=["S13002516", "S13002517"], Code=["x", "y"])
    assert ward_code_column(gdf, ["WARD_ID", "Code"], "w.geojson", WARDS, "ward_id") == "WARD_ID"
    with pytest.raises(InputError) as info:
        ward_code_column(gdf, ["WARD_ID", "Code"], "w.geojson", WARDS, "ward_ref")
    assert info.value.column == "ward_ref" and info.value.file == "w.geojson"
    assert "ward_boundaries.code_field" in str(info.value) and "WARD_ID, Code" in str(info.value)


def test_no_code_property_lists_the_properties_found() -> None:
    gdf = _layer(name=["A", "B"], area_ha=[1, 2])
    with pytest.raises(InputError, match="no ward code property.*properties found: name, area_ha") as info:
        ward_code_column(gdf, ["name", "area_ha"], "w.geojson", WARDS, None)
    assert info.value.file == "w.geojson" and "code_field" in str(info.value)


def test_codes_of_another_ward_edition_stop_naming_the_property() -> None:
    gdf = _layer(WD07CD=["S13000001", "S13000002"])
    with pytest.raises(InputError, match="none of the 2 codes in property 'WD07CD' is a ward") as info:
        ward_code_column(gdf, ["WD07CD"], "w.geojson", WARDS, None)
    assert info.value.column == "WD07CD" and "S13000001" in str(info.value)


def test_non_polygon_wards_are_refused(tmp_path) -> None:  # noqa: ANN001
    from etl.sources.area_types import open_polygon_layer, polygon_layer

    path = tmp_path / "wards.gpkg"
    gpd.GeoDataFrame({"WD21CD": ["S13002516", "S13002517"]}, geometry=[box(0, 0, 1, 1), Point(5, 5)],
                     crs=27700).to_file(path, driver="GPKG")
    gdf, columns = open_polygon_layer(path)
    with pytest.raises(InputError, match=r"feature 2 \(ward S13002517\) is a Point, not a polygon") as info:
        polygon_layer(gdf, path, "WD21CD", None, what="ward")
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 2, "geometry")
