"""Real Scotland as the build makes it (``real_warehouse``: the committed snapshot, the real
catalogue): its areas, populations, SIMD counts and ward fits against the publishers' own figures.

The publishers' files in ../shared/real are read here with pandas, json and shapely (never
cpop's readers); tests that need them skip when the folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.fixtures.publishers import SCOTLAND, query

pytestmark = [pytest.mark.real, pytest.mark.slow]


def test_area_counts_match_scotland(real_con) -> None:
    counts = dict(real_con.execute("SELECT area_type, count(*) FROM marts.areas GROUP BY 1").fetchall())
    assert counts == {"datazone": 6976, "intermediate_zone": 1279, "ward": 354, "council": 32,
                      "health_board": 14, "hscp": 31, "hsc_locality": 130, "locality": 7, "scotland": 1}
    boundaries = dict(real_con.execute("SELECT area_type, count(*) FROM marts.area_boundaries GROUP BY 1").fetchall())
    assert boundaries == counts
    # every area type partitions Scotland's data zones, but localities (Fife's own: its 494 data zones)
    covered = dict(real_con.execute("SELECT area_type, sum(datazone_count) FROM marts.areas GROUP BY 1").fetchall())
    assert covered.pop("locality") == 494 and set(covered.values()) == {6976}


def test_simd_editions_loaded(real_con) -> None:
    rows = dict(real_con.execute("SELECT simd_edition, count(*) FROM core.dim_simd GROUP BY 1").fetchall())
    assert rows == {"2012": 6976, "2016": 6976, "2020v2": 6976}
    # SIMD 2012 bridged from 2001 zones: ranks 1..6,976 and most-deprived zones stay deprived
    ranks = real_con.execute("SELECT min(simd_rank), max(simd_rank), count(DISTINCT simd_rank) FROM core.dim_simd "
                             "WHERE simd_edition = '2012'").fetchall()[0]
    assert ranks == (1, 6976, 6976)
    agreement = real_con.execute("""
        SELECT avg(CASE WHEN a.simd_quintile = b.simd_quintile THEN 1 ELSE 0 END)
        FROM core.dim_simd AS a JOIN core.dim_simd AS b USING (datazone_code)
        WHERE a.simd_edition = '2012' AND b.simd_edition = '2016'""").fetchall()[0][0]
    assert agreement > 0.6


# ------------------------------------------------------------------------------------------
# populations (NRS) and SIMD counts (Scottish Government) against the published totals
# ------------------------------------------------------------------------------------------
def test_population_totals_match_published(real_dir: Path, real_con) -> None:
    # 2021, the latest year: marts.areas, every data zone as NRS publishes it, and NRS's own
    # intermediate zone totals are the sums of their data zones
    areas = query(real_con, "SELECT area_type, area_code, population FROM marts.areas")
    assert areas[areas.area_type == "scotland"].population.item() == 5_479_900
    partitions = areas[areas.area_type != "locality"]  # Fife's localities: Fife's 374,730
    assert (partitions.groupby("area_type").population.sum() == 5_479_900).all()
    assert areas[areas.area_type == "locality"].population.sum() == 374_730
    dz = pd.read_csv(real_dir / "population" / "sape2021_dz2011_total.csv", dtype={"dz11_code": str})
    ours = areas[areas.area_type == "datazone"].set_index("area_code").population
    assert (ours.reindex(dz.dz11_code).to_numpy() == dz.total_population.to_numpy()).all() and len(dz) == 6976
    iz = pd.read_csv(real_dir / "population" / "sape2021_iz2011_total.csv", dtype={"iz11_code": str})
    ours = areas[areas.area_type == "intermediate_zone"].set_index("area_code").population
    assert (ours.reindex(iz.iz11_code).to_numpy() == iz.total_population.to_numpy()).all() and len(iz) == 1279
    # 2020 (single years of age; the marts carry the latest year only, so read from core)
    assert real_con.execute("SELECT sum(population) FROM core.fct_population_datazone "
                            "WHERE year = 2020 AND sex = 'All'").fetchall()[0][0] == 5_466_000
    # 2017, the population SIMD 2020v2 used, and 2014 (SIMD 2016): the income-deprivation
    # denominators in marts.indicator_values and Scotland's SIMD groups
    totals = dict(real_con.execute("SELECT period_label, sum(denominator) FROM marts.indicator_values "
                                   "WHERE indicator_id = 'econ_income_deprived' AND area_type = 'datazone' "
                                   "GROUP BY 1").fetchall())
    assert totals == {"2014": 5_347_600, "2017": 5_424_800}
    groups = dict(real_con.execute("SELECT period_label, sum(denominator) FROM marts.inequality_groups "
                                   "WHERE indicator_id = 'econ_income_deprived' AND area_type = 'scotland' "
                                   "AND basis = 'national_quintile' GROUP BY 1").fetchall())
    assert groups == totals


@pytest.mark.parametrize(("ind_id", "indicator_id"), [(20701, "econ_income_deprived"),
                                                      (20702, "emp_employment_deprived")])
def test_council_sums_of_simd_counts_are_scotphos_figures(real_dir: Path, real_con, ind_id: int,
                                                          indicator_id: str) -> None:
    """Σ data zone SIMD counts per council (through marts.indicator_values and marts.areas) =
    ScotPHO's published council numerators, and the shown council figure is ScotPHO's %."""
    sp = pd.read_parquet(real_dir / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet")
    sp = sp[(sp.ind_id == ind_id) & (sp.quintile == "Total") & (sp.quint_type == "sc_quin")
            & sp.year.isin([2014, 2017]) & sp.areatype.isin(["Council area", "Scotland"])]
    sp = sp.assign(area_code=sp.code.replace({"S00000001": SCOTLAND}), period_label=sp.year.astype(str))
    sums = query(real_con, """
        SELECT a.council_code AS area_code, v.period_label, sum(v.numerator) AS numerator, sum(v.denominator) AS denominator
        FROM marts.indicator_values AS v JOIN marts.areas AS a USING (area_type, area_code)
        WHERE v.indicator_id = ? AND v.area_type = 'datazone' GROUP BY ALL
    """, [indicator_id])
    sums = pd.concat([sums, sums.groupby("period_label", as_index=False)[["numerator", "denominator"]].sum()
                      .assign(area_code=SCOTLAND)])
    shown = query(real_con, "SELECT area_code, period_label, value FROM marts.indicator_values "
                            "WHERE indicator_id = ? AND area_type IN ('council', 'scotland')", [indicator_id])
    both = sp.merge(sums, on=["area_code", "period_label"], suffixes=("_sp", ""), validate="one_to_one").merge(
        shown, on=["area_code", "period_label"], validate="one_to_one")
    assert len(both) == 2 * 33
    assert (both.numerator == both.numerator_sp).all()
    # ScotPHO's 2017 populations are SIMD 2020v2's; its 2014 ones are its own estimates (within
    # 0.1 % of SIMD 2016's total population, 1.1 % of its working-age population)
    later = both[both.period_label == "2017"]
    assert (later.denominator == later.denominator_sp).all()
    assert (abs(both.denominator / both.denominator_sp - 1) < (1e-3 if ind_id == 20701 else 1.1e-2)).all()
    # the figure shown for councils and Scotland is ScotPHO's, to its 1 dp, of its own counts
    assert (both.value == both.measure).all()
    assert (abs(both.numerator_sp / both.denominator_sp * 100 - both.value) <= 0.05 + 1e-9).all()


# ------------------------------------------------------------------------------------------
# wards: the lookup's best fit measured against the ONS ward boundaries (in the snapshot)
# ------------------------------------------------------------------------------------------
def test_every_real_ward_has_a_measured_fit(real_con) -> None:
    rows = real_con.execute("SELECT area_code, fit_quality, footprint_share, population FROM marts.areas "
                            "WHERE area_type = 'ward'").fetchall()
    assert len(rows) == 354
    assert all(fit is not None and 0 < fit <= 1 for _, fit, _, _ in rows)
    assert all(share is not None and 0 < share <= 1 for _, _, share, _ in rows)
    # population-weighted mean across Scotland: most people live well inside their ward; the
    # rest is data zones straddling a ward edge and coastline generalisation (simplified data
    # zones against the ONS ward outlines). 0.927 on these files.
    weighted = sum(fit * pop for _, fit, _, pop in rows) / sum(pop for *_, pop in rows)
    print(f"real ward fit: population-weighted mean {weighted:.4f}, "
          f"range {min(r[1] for r in rows):.4f}-{max(r[1] for r in rows):.4f}")
    assert 0.85 < weighted < 0.98
    sources = real_con.execute("SELECT source, release, file_name FROM meta.sources "
                               "WHERE source = 'ward_boundaries'").fetchall()
    assert sources == [("ward_boundaries", "2021-12", "mmward2021_scotland.geojson.snapshot.parquet")]


def test_one_real_ward_fit_recomputed_with_shapely(real_dir: Path, real_con) -> None:
    """Shetland Central (S13002775) from the original files with json, pyproj and shapely alone.

    fit = Σ pop_d · area(d ∩ W) / area(d) / Σ pop_d over the lookup's data zones of the ward,
    with the 2021 population (the build's latest year), both layers projected to EPSG:27700.
    """
    import shapely
    from pyproj import Transformer

    code = "S13002775"
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)

    def projected(feature: dict) -> shapely.Geometry:
        geom = shapely.transform(shapely.geometry.shape(feature["geometry"]),
                                 lambda xy: np.column_stack(to_bng.transform(xy[:, 0], xy[:, 1])))
        return geom if geom.is_valid else shapely.make_valid(geom)

    wards = json.loads((real_dir / "geography" / "mmward2021_scotland.geojson").read_text(encoding="utf-8"))
    ward = projected(next(f for f in wards["features"] if f["properties"]["ward21_code"] == code))
    lookup = pd.read_csv(real_dir / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str, usecols=["DZ", "MMWcode"])
    members = set(lookup.loc[lookup["MMWcode"] == code, "DZ"])
    zones = json.loads((real_dir / "geography" / "dz2011_scotland_simplified.geojson").read_text(encoding="utf-8"))
    shares = {f["properties"]["dz11_code"]: (lambda g: shapely.intersection(g, ward).area / g.area)(projected(f))
              for f in zones["features"] if f["properties"]["dz11_code"] in members}
    pop = pd.read_csv(real_dir / "population" / "sape2021_dz2011_total.csv", dtype={"dz11_code": str})
    pop = pop.set_index("dz11_code")["total_population"].reindex(sorted(shares))
    expected = sum(pop[d] * shares[d] for d in shares) / pop.sum()
    got = real_con.execute("SELECT fit_quality FROM marts.areas WHERE area_type = 'ward' AND area_code = ?",
                           [code]).fetchall()[0][0]
    print(f"{code}: {len(shares)} data zones, fit {got:.6f} (recomputed {expected:.6f})")
    assert len(shares) == len(members) > 0
    assert got == pytest.approx(expected, abs=1e-6)
    assert got < 0.9  # islands: the simplified data zones overhang the ward's coastline


def test_ward_names_cut_by_the_lookup_are_whole(real_con) -> None:
    # the SG look-up cuts ward names at their first comma ('"Buckhaven'); the 2021 ward boundaries
    # in the snapshot give the whole name
    names = dict(real_con.execute("SELECT area_code, area_name FROM marts.areas WHERE area_type = 'ward'").fetchall())
    assert names["S13002966"] == "Buckhaven, Methil and Wemyss Villages"
    assert names["S13002600"] == "Barraigh, Bhatarsaigh, Eirisgeigh agus Uibhist a Deas"
    assert not [n for n in names.values() if '"' in n]
