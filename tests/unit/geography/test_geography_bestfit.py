"""Best fit by population-weighted centroid, worked by hand on six 1 km squares.

Data zones (x from 0 to 3 km, two rows of 1 km)::

    y 1-2 km:  D4 (pop 400) | D5 (pop 500, centroid at 1.2, 1.5 km) | D6 (pop 600)
    y 0-1 km:  D1 (pop 100) | D2 (pop 200)                          | D3 (pop 300)

plus D7 far away (in no area). Area A is x < 1.4 km, area B is 1.4-3 km (both full height),
area C is a small square far from everything.

D1, D4 → A (wholly inside). D2's point on surface (1.5, 0.5) → B, with 0.6 of it inside B.
D5's centroid (1.2, 1.5) → A, with 0.4 of it inside A. D3, D6 → B (wholly inside).

fit_quality(A) = (100·1 + 400·1 + 500·0.4) / (100 + 400 + 500) = 700 / 1000 = 0.7
fit_quality(B) = (200·0.6 + 300·1 + 600·1) / (200 + 300 + 600) = 1020 / 1100 = 0.92727…
footprint_share(A) = (1 + 1 + 0.4) km² / (1.4 · 2) km² = 2.4 / 2.8 = 0.857142…
footprint_share(B) = (0.6 + 1 + 1) km² / (1.6 · 2) km² = 2.6 / 3.2 = 0.8125
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from etl.bestfit import best_fit, datazone_points, fit_quality, measure_fit, nest_within

KM = 1000.0


@pytest.fixture
def datazones() -> gpd.GeoDataFrame:
    squares = {f"D{i + 1}": box(KM * (i % 3), KM * (i // 3), KM * (i % 3 + 1), KM * (i // 3 + 1)) for i in range(6)}
    squares["D7"] = box(50 * KM, 50 * KM, 51 * KM, 51 * KM)
    return gpd.GeoDataFrame({"datazone_code": list(squares)}, geometry=list(squares.values()), crs=27700)


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"area_code": ["A", "B", "C"]},
                            geometry=[box(0, 0, 1.4 * KM, 2 * KM), box(1.4 * KM, 0, 3 * KM, 2 * KM),
                                      box(20 * KM, 20 * KM, 20.1 * KM, 20.1 * KM)], crs=27700)


CENTROIDS = pd.DataFrame({"datazone_code": ["D5"], "x": [1.2 * KM], "y": [1.5 * KM]})
POPULATION = pd.Series({"D1": 100, "D2": 200, "D3": 300, "D4": 400, "D5": 500, "D6": 600, "D7": 50})


def test_hand_worked_assignment_and_fit(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> None:
    fit = best_fit(datazones, areas, datazone_points(datazones, CENTROIDS))
    assigned = dict(zip(fit.assignments["datazone_code"], fit.assignments["area_code"], strict=True))
    assert assigned == {"D1": "A", "D2": "B", "D3": "B", "D4": "A", "D5": "A", "D6": "B"}
    share = dict(zip(fit.assignments["datazone_code"], fit.assignments["inside_share"], strict=True))
    assert share == pytest.approx({"D1": 1.0, "D2": 0.6, "D3": 1.0, "D4": 1.0, "D5": 0.4, "D6": 1.0})
    quality = fit_quality(fit.assignments, POPULATION)
    assert quality["A"] == pytest.approx(0.7)
    assert quality["B"] == pytest.approx(1020 / 1100)
    footprint = dict(zip(fit.areas["area_code"], fit.areas["footprint_share"], strict=True))
    assert footprint == pytest.approx({"A": 2.4 / 2.8, "B": 2.6 / 3.2})
    assert fit.areas["datazone_count"].tolist() == [3, 3]
    assert fit.empty_areas == ("C",)


def test_without_centroids_the_point_on_surface_is_used(datazones: gpd.GeoDataFrame,
                                                        areas: gpd.GeoDataFrame) -> None:
    # D5's point on surface is (1.5, 1.5) km: inside B, with 0.6 of D5 in B
    fit = best_fit(datazones, areas)
    row = fit.assignments.set_index("datazone_code").loc["D5"]
    assert row["area_code"] == "B" and row["inside_share"] == pytest.approx(0.6)


def test_a_point_on_a_shared_edge_goes_to_the_area_overlapping_most(datazones: gpd.GeoDataFrame) -> None:
    # D2's point on surface (1.5, 0.5) km lies on the edge x = 1.5 km; 0.5 of D2 is on each side,
    # so the tie goes to the smaller code; move the edge and the larger overlap wins
    halves = gpd.GeoDataFrame({"area_code": ["P", "Q"]},
                              geometry=[box(0, 0, 1.5 * KM, KM), box(1.5 * KM, 0, 3 * KM, KM)], crs=27700)
    fit = best_fit(datazones, halves)
    assert fit.assignments.set_index("datazone_code").loc["D2", "area_code"] == "P"


def test_fit_quality_without_population_is_the_mean_share() -> None:
    assignments = pd.DataFrame({"datazone_code": ["X", "Y"], "area_code": ["A", "A"], "inside_share": [1.0, 0.5]})
    assert fit_quality(assignments, pd.Series({"X": 0, "Y": 0}))["A"] == pytest.approx(0.75)


def test_bad_arguments_are_named(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> None:
    from etl.errors import InputError

    with pytest.raises(InputError, match="argument 'areas'"):
        best_fit(datazones, areas.rename(columns={"area_code": "code"}))
    with pytest.raises(InputError, match="different coordinate systems"):
        best_fit(datazones, areas.to_crs(4326))


def test_nest_within_keeps_each_area_inside_one_council(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> None:
    """Councils: X = D1, D2, D4, D5 (x < 2 km), Y = D3, D6, D7. Without nesting, B (mostly Y)
    takes D2 of council X, and D7 falls in no area.

    Area councils from the plain fit: A holds D1, D4, D5 (all X) → X; B holds D2 (X), D3, D6 (Y) → Y;
    C holds nothing → no council. Nested: D2 goes to A, the one area of X (it overlaps A by
    0.4 km²); D7 (council Y, overlapping no area) goes to the nearest area of Y, B. C stays empty.
    """
    councils = pd.Series({"D1": "X", "D2": "X", "D4": "X", "D5": "X", "D3": "Y", "D6": "Y", "D7": "Y"})
    plain = best_fit(datazones, areas, datazone_points(datazones, CENTROIDS))
    assert dict(zip(plain.assignments["datazone_code"], plain.assignments["area_code"], strict=True))["D2"] == "B"
    nested = nest_within(datazones, areas, plain.assignments, councils)
    assert dict(zip(nested["datazone_code"], nested["area_code"], strict=True)) == {
        "D1": "A", "D2": "A", "D3": "B", "D4": "A", "D5": "A", "D6": "B", "D7": "B"}
    fit = measure_fit(datazones, areas, nested)
    shares = fit.assignments.set_index("datazone_code")["inside_share"]
    assert shares["D2"] == pytest.approx(0.4) and shares["D7"] == 0.0
    assert fit.empty_areas == ("C",)


def test_nest_within_leaves_a_data_zone_of_a_council_without_areas(datazones: gpd.GeoDataFrame,
                                                                    areas: gpd.GeoDataFrame) -> None:
    councils = pd.Series({"D1": "X", "D2": "X", "D4": "X", "D5": "X", "D3": "X", "D6": "X", "D7": "Z"})
    plain = best_fit(datazones, areas, datazone_points(datazones, CENTROIDS))
    nested = nest_within(datazones, areas, plain.assignments, councils)
    assert "D7" not in set(nested["datazone_code"]) and len(nested) == 6
