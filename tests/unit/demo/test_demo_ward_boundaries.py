"""The demo's ward boundaries: real-looking (they cut data zones) yet the lookup is their best fit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.bestfit import best_fit, datazone_points, measure_fit
from etl.catalogue.geographies import FileAreaType
from etl.sources.area_types import load_centroids, read_area_layer
from geo.boundaries import read_datazone_boundaries

WARDS = FileAreaType(area_type="ward_check", label="Ward", plural="Wards", order=3, kind="best_fit",
                     source="ward_boundaries", code_field="WD21CD", name_field="WD21NM")


@pytest.fixture(scope="module")
def layers(raw: Path) -> tuple:
    wards = read_area_layer(raw / "ward_boundaries" / "2021-12" / "wards.geojson", WARDS)
    datazones = read_datazone_boundaries(raw / "boundaries" / "2011" / "SG_DataZone_Bdry_2011.shp")
    return wards, datazones


def test_every_lookup_ward_has_one_polygon_with_its_name(layers: tuple, lookup: pd.DataFrame) -> None:
    wards, _ = layers
    names = lookup.drop_duplicates("MMWcode").set_index("MMWcode")["MMWname"]
    assert sorted(wards["area_code"]) == sorted(names.index)
    assert (wards.set_index("area_code")["area_name"] == names.reindex(wards["area_code"]).to_numpy()).all()


def test_the_lookup_is_the_centroid_best_fit_of_the_demo_wards(raw: Path, layers: tuple,
                                                                lookup: pd.DataFrame) -> None:
    wards, datazones = layers
    _, centroids = load_centroids(raw, set(lookup["DZ"]))
    fit = best_fit(datazones, wards[["area_code", "geometry"]], datazone_points(datazones, centroids))
    got = dict(zip(fit.assignments["datazone_code"], fit.assignments["area_code"], strict=True))
    assert got == dict(zip(lookup["DZ"], lookup["MMWcode"], strict=True))


def test_demo_wards_do_not_follow_data_zone_edges(layers: tuple, lookup: pd.DataFrame) -> None:
    wards, datazones = layers
    fit = measure_fit(datazones, wards[["area_code", "geometry"]],
                      lookup.rename(columns={"DZ": "datazone_code", "MMWcode": "area_code"}))
    share = fit.assignments["inside_share"]
    assert len(share) == len(lookup)
    assert (share < 0.999).mean() > 0.2  # a good share of data zones straddle a ward edge
    assert share.min() > 0.1
    mean_by_ward = fit.assignments.groupby("area_code")["inside_share"].mean()
    assert 0.8 < mean_by_ward.min() and mean_by_ward.max() < 1
