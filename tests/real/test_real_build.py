"""Build a warehouse from the real national files in ../shared/real (skipped when absent).

The files are linked into a temporary raw folder (never copied into the project), the 2017
ward boundaries included, so the lookup's ward fit is measured. There is
no statistics.gov.scot tidy file in ../shared/real, so a small one is written here on the
real data zone codes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.build import build
from etl.settings import Settings

pytestmark = [pytest.mark.real, pytest.mark.slow]
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
#: The real build's summary notes (filled by the fixture).
notes: list[str] = []


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


@pytest.fixture(scope="module")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    real = Path(__file__).resolve().parents[2].parent / "shared" / "real"
    if not real.is_dir():
        pytest.skip(f"real data folder {real} is absent")
    root = tmp_path_factory.mktemp("real")
    raw = root / "raw"
    _link(real / "geography" / "simd2020v2_dz_lookup_data.csv", raw / "simd" / "2020v2" / "simd2020v2_dz_lookup_data.csv")
    _link(real / "simd" / "simd16_dz_lookup_data.csv", raw / "simd" / "2016" / "simd16_dz_lookup_data.csv")
    _link(real / "simd" / "simd2012_data_00410767_plusintervals.csv", raw / "simd" / "2012" / "simd2012.csv")
    _link(real / "geography" / "lookup_dz2001_dz2011.csv", raw / "simd" / "2012" / "lookup_dz2001_dz2011.csv")
    _link(real / "population" / "sape2020_dz2011_sex_single_year_age.csv",
          raw / "nrs_sape" / "real" / "sape2020_dz2011_sex_single_year_age.csv")
    _link(real / "population" / "sape2021_dz2011_total.csv", raw / "nrs_sape" / "real" / "sape2021_dz2011_total.csv")
    _link(real / "geography" / "dz2011_scotland_simplified.geojson",
          raw / "boundaries" / "2011" / "dz2011_scotland_simplified.geojson")
    # the 2017 wards (ONS Dec 2021, property ward21_code, WGS84): measure the lookup's ward fit
    _link(real / "geography" / "mmward2021_scotland.geojson",
          raw / "ward_boundaries" / "2021" / "mmward2021_scotland.geojson")
    # A small tidy series on the real codes: 'children in low-income families' = a fifth of
    # each data zone's children aged 0-15 in the 2020 estimates, for 2020/21.
    sape = pd.read_csv(real / "population" / "sape2020_dz2011_sex_single_year_age.csv")
    sape = sape[sape["sex"] == "All"]
    children = sape[[str(a) for a in range(16)]].sum(axis=1)
    tidy = pd.DataFrame({"FeatureCode": sape["dz11_code"], "DateCode": "2020/2021", "Measurement": "Count",
                         "Units": "Children", "Value": children // 5})
    (raw / "statistics_gov_scot" / "fixture").mkdir(parents=True)
    tidy.to_csv(raw / "statistics_gov_scot" / "fixture" / "child-poverty.csv", index=False)
    settings = Settings(raw_dir=raw, warehouse_path=root / "cpop.duckdb")
    notes.extend(build(settings).notes)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    yield con
    con.close()


def test_area_counts_match_scotland(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    counts = dict(real_warehouse.execute("SELECT area_type, count(*) FROM marts.areas GROUP BY 1").fetchall())
    assert counts["datazone"] == 6976
    assert counts["intermediate_zone"] == 1279
    assert counts["council"] == 32
    assert counts["ward"] == 354
    assert counts["health_board"] == 14
    assert counts["scotland"] == 1


def test_population_totals_match_published(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    # Latest year is 2021 (totals-only file): NRS published 5,479,900 for Scotland.
    assert real_warehouse.execute(
        "SELECT population FROM marts.areas WHERE area_type = 'scotland'").fetchall()[0][0] == 5_479_900


def test_simd_editions_loaded(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = dict(real_warehouse.execute("SELECT simd_edition, count(*) FROM core.dim_simd GROUP BY 1").fetchall())
    assert rows == {"2012": 6976, "2016": 6976, "2020v2": 6976}
    # SIMD 2012 bridged from 2001 zones: ranks 1..6,976 and most-deprived zones stay deprived
    ranks = real_warehouse.execute("SELECT min(simd_rank), max(simd_rank), count(DISTINCT simd_rank) FROM core.dim_simd "
                                   "WHERE simd_edition = '2012'").fetchall()[0]
    assert ranks == (1, 6976, 6976)
    agreement = real_warehouse.execute("""
        SELECT avg(CASE WHEN a.simd_quintile = b.simd_quintile THEN 1 ELSE 0 END)
        FROM core.dim_simd AS a JOIN core.dim_simd AS b USING (datazone_code)
        WHERE a.simd_edition = '2012' AND b.simd_edition = '2016'""").fetchall()[0][0]
    assert agreement > 0.6


def test_series_aggregates_on_real_geography(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    lookup_total = real_warehouse.execute(
        "SELECT sum(numerator) FROM marts.indicator_values WHERE indicator_id = 'ey_child_poverty' "
        "AND area_type = 'council'").fetchall()[0][0]
    scotland = real_warehouse.execute(
        "SELECT numerator, denominator FROM marts.indicator_values WHERE indicator_id = 'ey_child_poverty' "
        "AND area_type = 'scotland'").fetchall()[0]
    assert scotland[0] == lookup_total
    assert 850_000 < scotland[1] < 1_000_000  # children aged 0-15 in mid-2020


def test_boundaries_dissolved(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    counts = dict(real_warehouse.execute("SELECT area_type, count(*) FROM marts.area_boundaries GROUP BY 1").fetchall())
    assert counts["datazone"] == 6976 and counts["council"] == 32 and counts["intermediate_zone"] == 1279


def test_every_real_ward_has_a_measured_fit(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = real_warehouse.execute("SELECT area_code, fit_quality, footprint_share, population FROM marts.areas "
                                  "WHERE area_type = 'ward'").fetchall()
    assert len(rows) == 354
    assert all(fit is not None and 0 < fit <= 1 for _, fit, _, _ in rows)
    assert all(share is not None and 0 < share <= 1 for _, _, share, _ in rows)
    # population-weighted mean across Scotland: most people live well inside their ward; the
    # rest is data zones straddling a ward edge and coastline generalisation (simplified data
    # zones against the ONS ward outlines). About 0.93 on these files.
    weighted = sum(fit * pop for _, fit, _, pop in rows) / sum(pop for *_, pop in rows)
    print(f"real ward fit: population-weighted mean {weighted:.4f}, "
          f"range {min(r[1] for r in rows):.4f}-{max(r[1] for r in rows):.4f}")
    assert 0.85 < weighted < 0.98
    assert any("ward fit measured against ward_boundaries/2021/mmward2021_scotland.geojson (code property "
               "'ward21_code'): 354 of 354 wards" in n for n in notes), notes
    assert not any("not in the data zone lookup" in n or "have no polygon" in n for n in notes)


def test_one_real_ward_fit_recomputed_with_shapely(real_warehouse: duckdb.DuckDBPyConnection) -> None:
    """Shetland Central (S13002775) from the raw files with json, pyproj and shapely alone.

    fit = Σ pop_d · area(d ∩ W) / area(d) / Σ pop_d over the lookup's data zones of the ward,
    with the 2021 population (the build's latest year), both layers projected to EPSG:27700.
    """
    import json

    import shapely
    from pyproj import Transformer

    code = "S13002775"
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)

    def projected(feature: dict) -> shapely.Geometry:
        geom = shapely.transform(shapely.geometry.shape(feature["geometry"]),
                                 lambda xy: np.column_stack(to_bng.transform(xy[:, 0], xy[:, 1])))
        return geom if geom.is_valid else shapely.make_valid(geom)

    wards = json.loads((REAL / "geography" / "mmward2021_scotland.geojson").read_text(encoding="utf-8"))
    ward = projected(next(f for f in wards["features"] if f["properties"]["ward21_code"] == code))
    lookup = pd.read_csv(REAL / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str, usecols=["DZ", "MMWcode"])
    members = set(lookup.loc[lookup["MMWcode"] == code, "DZ"])
    zones = json.loads((REAL / "geography" / "dz2011_scotland_simplified.geojson").read_text(encoding="utf-8"))
    shares = {f["properties"]["dz11_code"]: (lambda g: shapely.intersection(g, ward).area / g.area)(projected(f))
              for f in zones["features"] if f["properties"]["dz11_code"] in members}
    pop = pd.read_csv(REAL / "population" / "sape2021_dz2011_total.csv", dtype={"dz11_code": str})
    pop = pop.set_index("dz11_code")["total_population"].reindex(sorted(shares))
    expected = sum(pop[d] * shares[d] for d in shares) / pop.sum()
    got = real_warehouse.execute("SELECT fit_quality FROM marts.areas WHERE area_type = 'ward' AND area_code = ?",
                                 [code]).fetchall()[0][0]
    print(f"{code}: {len(shares)} data zones, fit {got:.6f} (recomputed {expected:.6f})")
    assert len(shares) == len(members) > 0
    assert got == pytest.approx(expected, abs=1e-6)
    assert got < 0.9  # islands: the simplified data zones overhang the ward's coastline
