"""The demo geography: counts, codes outside real ranges, names, polygons that tile."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from etl.demo import DemoSummary
from etl.demo.simd import SIMD16_COLUMNS, SIMD2020_COLUMNS

SHP = Path("boundaries") / "2011" / "SG_DataZone_Bdry_2011.shp"


@pytest.fixture(scope="module")
def zones(raw: Path, lookup: pd.DataFrame) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(raw / SHP)
    return gdf.merge(lookup[["DZ", "LAcode"]], left_on="DataZone", right_on="DZ")


@pytest.fixture(scope="module")
def localities(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "localities" / "2025-06" / "localities.csv")


def test_summary_matches_lookup(demo: tuple[Path, DemoSummary], lookup: pd.DataFrame) -> None:
    _, s = demo
    assert s.data_zones == len(lookup) == lookup["DZ"].nunique()
    assert s.intermediate_zones == lookup["IZcode"].nunique()
    assert s.wards == lookup["MMWcode"].nunique()
    assert s.councils == lookup["LAcode"].nunique() == 6
    assert s.health_boards == lookup["HBcode"].nunique() == 3
    assert s.hscps == lookup["HSCPcode"].nunique() == 5
    assert s.localities == 4


def test_detailed_council_counts(lookup: pd.DataFrame, localities: pd.DataFrame) -> None:
    per = lookup.groupby("LAcode").agg(
        dz=("DZ", "size"), iz=("IZcode", "nunique"), wards=("MMWcode", "nunique")
    )
    detailed = localities["council_code"].unique()
    assert len(detailed) == 1
    d = per.loc[detailed[0]]
    assert d.dz >= 300 and d.iz >= 40 and d.wards >= 8
    assert localities["locality_code"].nunique() >= 3
    others = per.drop(index=detailed[0])
    assert others.dz.between(80, 160).all()
    assert (per.wards >= 8).all() and (per.wards <= 12).all()


def test_one_hscp_covers_two_councils(lookup: pd.DataFrame) -> None:
    n = lookup.groupby("HSCPcode")["LAcode"].nunique()
    assert sorted(n.tolist()) == [1, 1, 1, 1, 2]
    shared = n.idxmax()
    assert lookup.loc[lookup.HSCPcode == shared, "HBcode"].nunique() == 1


def test_hierarchy_is_nested(lookup: pd.DataFrame) -> None:
    for child, parent in [
        ("DZ", "IZcode"),
        ("IZcode", "LAcode"),
        ("MMWcode", "LAcode"),
        ("LAcode", "HBcode"),
        ("LAcode", "HSCPcode"),
    ]:
        assert (lookup.groupby(child)[parent].nunique() == 1).all(), (child, parent)
    iz_size = lookup.groupby("IZcode").size()
    assert iz_size.between(3, 9).all()


def test_dz_names_follow_iz(lookup: pd.DataFrame) -> None:
    assert (lookup["DZname"].str.rsplit(" - ", n=1).str[0] == lookup["IZname"]).all()
    assert lookup["DZname"].str.fullmatch(r".+ - \d{2}").all()


def _code_number(codes: pd.Series, prefix: str) -> pd.Series:
    assert codes.str.fullmatch(prefix + r"\d{6}").all()
    return codes.str[3:].astype(int)


def test_codes_outside_real_ranges(lookup: pd.DataFrame, localities: pd.DataFrame) -> None:
    assert _code_number(lookup.DZ, "S01").min() == 20001  # real: 6506-13481
    assert _code_number(lookup.IZcode, "S02").min() == 10001  # real: 1236-2514
    assert _code_number(lookup.MMWcode, "S13").min() == 9001  # real: below 3200
    assert _code_number(lookup.LAcode, "S12").min() == 901  # real: below 51
    assert _code_number(lookup.HBcode, "S08").min() == 901  # real: 15-32
    assert _code_number(lookup.HSCPcode, "S37").min() == 901  # real: below 40
    assert _code_number(localities.locality_code, "S99").min() == 9001


def test_codes_disjoint_from_real(lookup: pd.DataFrame, real_dir: Path) -> None:
    real = pd.read_csv(real_dir / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str)
    for col in ("DZ", "IZcode", "LAcode", "HBcode", "MMWcode", "SPCcode"):
        assert not set(lookup[col]) & set(real[col]), col


def test_names_are_not_real(lookup: pd.DataFrame, real_dir: Path) -> None:
    real = pd.read_csv(real_dir / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str)
    real_names = set()
    for col in ("IZname", "LAname", "HBname", "MMWname", "SPCname"):
        real_names |= {n.casefold() for n in real[col].dropna()}
    ours = set()
    for col in ("IZname", "LAname", "HBname", "MMWname", "SPCname", "HSCPname"):
        ours |= {n.casefold() for n in lookup[col]}
    assert not ours & real_names


def test_simd_headers_match_real(raw: Path, real_dir: Path) -> None:
    def header(p: Path) -> list[str]:
        return p.read_text(encoding="utf-8").splitlines()[0].split(",")

    real20 = header(real_dir / "geography" / "simd2020v2_dz_lookup_data.csv")
    real16 = header(real_dir / "simd" / "simd16_dz_lookup_data.csv")
    ours20 = header(raw / "simd" / "2020v2" / "SIMD2020v2_DZ_lookup_data.csv")
    ours16 = header(raw / "simd" / "2016" / "SIMD16_DZ_lookup_data.csv")
    assert ours20 == [*real20, "HSCPcode", "HSCPname"] == list(SIMD2020_COLUMNS)
    assert ours16 == real16 == list(SIMD16_COLUMNS)


def test_simd_bands_follow_rank(lookup: pd.DataFrame, raw: Path) -> None:
    n = len(lookup)
    assert sorted(lookup["SIMD2020v2_Rank"]) == list(range(1, n + 1))
    for col, k in (("Vigintile", 20), ("Decile", 10), ("Quintile", 5)):
        expected = (lookup["SIMD2020v2_Rank"] - 1) * k // n + 1
        assert (lookup[f"SIMD2020v2_{col}"] == expected).all()
    assert lookup["SIMD2020_Crime_Domain_Rank"].mod(1).isin([0, 0.5]).all()
    rho = lookup["SIMD2020v2_Rank"].corr(lookup["SIMD2020v2_Income_Domain_Rank"])
    assert rho > 0.85
    s16 = pd.read_csv(raw / "simd" / "2016" / "SIMD16_DZ_lookup_data.csv")
    assert list(s16.DZ) == list(lookup.DZ)
    r = s16["SIMD16_Rank"].corr(lookup["SIMD2020v2_Rank"])
    assert 0.85 < r < 0.999
    assert lookup["URclass"].between(1, 6).all() and lookup["URclass"].nunique() >= 4


def test_localities_mix_iz_and_dz_rows(localities: pd.DataFrame, lookup: pd.DataFrame) -> None:
    assert list(localities.columns) == [
        "locality_code",
        "locality_name",
        "council_code",
        "area_code",
    ]
    kinds = localities["area_code"].str[:3]
    assert set(kinds) == {"S01", "S02"}
    iz_to_dz = lookup.groupby("IZcode")["DZ"].apply(list)
    members = []
    for code in localities["area_code"]:
        members += iz_to_dz[code] if code.startswith("S02") else [code]
    assert len(members) == len(set(members))  # at most one locality per data zone
    assert set(lookup.loc[lookup.DZ.isin(members), "LAcode"]) == set(localities.council_code)


def test_shapefile_layout(raw: Path, zones: gpd.GeoDataFrame, lookup: pd.DataFrame) -> None:
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert (raw / SHP).with_suffix(ext).is_file()
    gdf = gpd.read_file(raw / SHP)
    assert list(gdf.columns) == ["DataZone", "Name", "geometry"]
    assert gdf.crs.to_epsg() == 27700
    assert set(gdf.DataZone) == set(lookup.DZ)
    x0, y0, x1, y1 = gdf.total_bounds
    assert 200_000 <= x0 < x1 <= 420_000 and 600_000 <= y0 < y1 <= 900_000
    assert gdf.is_valid.all() and (gdf.area > 0).all()


def test_data_zones_tile_each_council(zones: gpd.GeoDataFrame) -> None:
    for _code, part in zones.groupby("LAcode"):
        union = shapely.union_all(part.geometry.values)
        assert union.geom_type == "Polygon"  # one piece
        assert shapely.get_num_interior_rings(union) == 0  # no gaps inside
        assert abs(part.area.sum() - union.area) <= 1e-6 * union.area  # no overlaps


def test_councils_tile_the_country(zones: gpd.GeoDataFrame) -> None:
    councils = zones.dissolve("LAcode")
    country = shapely.union_all(councils.geometry.values)
    assert country.geom_type == "Polygon"
    assert shapely.get_num_interior_rings(country) == 0
    assert abs(councils.area.sum() - country.area) <= 1e-6 * country.area


def test_pairwise_overlaps_are_negligible(zones: gpd.GeoDataFrame) -> None:
    pairs = gpd.sjoin(
        zones[["DataZone", "geometry"]], zones[["DataZone", "geometry"]], predicate="intersects"
    )
    pairs = pairs[pairs.DataZone_left < pairs.DataZone_right]
    geom = zones.set_index("DataZone").geometry
    inter = shapely.intersection(
        geom[pairs.DataZone_left].values, geom[pairs.DataZone_right].values
    )
    assert np.nansum(shapely.area(inter)) < 1.0  # square metres, over the whole country
    assert re.fullmatch(r"S01\d{6}", zones.DataZone.iloc[0])
