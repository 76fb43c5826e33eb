"""Best fit on real boundaries: 2017 wards from 2011 data zones agree with the SIMD lookup.

The SG lookup's ward column (MMWcode) is itself a best fit; PROVENANCE.md reports that a point
on the surface of each data zone falls in the lookup's ward in 96.1 % of cases. Our best fit
(point on surface, no NRS centroids here) must agree at least as well as 95 %; the lookup's own
assignment, measured against the ward polygons (``measure_fit``), fits most data zones whole.
Real files are read in place from ../shared/real and never copied into the project.
"""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from etl.bestfit import best_fit, measure_fit
from etl.catalogue.geographies import FileAreaType
from etl.sources.area_types import read_area_layer
from geo.boundaries import read_datazone_boundaries
from tests.fixtures.real_data import real_data_missing

pytestmark = pytest.mark.real


@pytest.fixture
def real_layers(real_dir: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Path]:
    """The real 2017 wards and 2011 data zones (EPSG:27700), and the geography folder."""
    geography = real_dir / "geography"
    wards_path = geography / "mmward2021_scotland.geojson"
    if not wards_path.is_file():
        real_data_missing(wards_path, "real ward boundaries")
    spec = FileAreaType(area_type="ward_check", label="Ward", plural="Wards", order=3, kind="best_fit",
                        source="x", code_field="ward21_code", name_field="ward21_name")
    return (read_area_layer(wards_path, spec), read_datazone_boundaries(geography / "dz2011_scotland_simplified.geojson"),
            geography)


def test_ward_best_fit_agrees_with_the_lookup(real_layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Path]) -> None:
    wards, datazones, geography = real_layers
    assert len(wards) == 354 and len(datazones) == 6976
    start = time.perf_counter()
    fit = best_fit(datazones, wards[["area_code", "geometry"]])
    seconds = time.perf_counter() - start
    lookup = pd.read_csv(geography / "simd2020v2_dz_lookup_data.csv", dtype=str, usecols=["DZ", "MMWcode"])
    merged = lookup.merge(fit.assignments, left_on="DZ", right_on="datazone_code", how="left")
    agreement = (merged["MMWcode"] == merged["area_code"]).mean()
    print(f"ward best fit: {agreement:.2%} agree with MMWcode; {len(fit.assignments)} data zones in {seconds:.2f} s")
    assert agreement >= 0.95
    assert merged["area_code"].notna().mean() > 0.995  # nearly every data zone lands in some ward
    assert fit.empty_areas == ()
    # the simplified data zones and the detailed ward outlines differ along coasts, hence not ~1
    assert fit.areas["footprint_share"].median() > 0.8
    assert fit.assignments["inside_share"].median() > 0.99


def test_the_lookup_ward_assignment_measured_on_real_boundaries(
        real_layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Path]) -> None:
    """The lookup's MMWcode kept as it is and scored against the 2017 ward polygons.

    Every lookup data zone has a ward polygon (the codes match); most data zones lie wholly
    or nearly wholly in their ward, and the fit per ward (unweighted here) is positive for all.
    """
    wards, datazones, geography = real_layers
    lookup = pd.read_csv(geography / "simd2020v2_dz_lookup_data.csv", dtype=str, usecols=["DZ", "MMWcode"])
    start = time.perf_counter()
    fit = measure_fit(datazones, wards[["area_code", "geometry"]],
                      lookup.rename(columns={"DZ": "datazone_code", "MMWcode": "area_code"}))
    seconds = time.perf_counter() - start
    merged = lookup.merge(fit.assignments, left_on="DZ", right_on="datazone_code", how="left")
    assert merged["area_code"].notna().all() and (merged["area_code"] == merged["MMWcode"]).all()
    assert len(fit.areas) == 354 and fit.empty_areas == ()
    per_ward = fit.assignments.groupby("area_code")["inside_share"].mean()
    print(f"lookup ward fit: median inside share {fit.assignments['inside_share'].median():.4f}, "
          f"ward means {per_ward.min():.3f}-{per_ward.max():.3f}, {seconds:.2f} s")
    assert fit.assignments["inside_share"].median() > 0.95
    assert (per_ward > 0).all() and (per_ward <= 1).all() and per_ward.median() > 0.9
