"""Directly age-standardised rates in SQL (marts/computed_values.sql) equal the tested Python
implementation of DSR with Dobson limits, on a small hand-sized example."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.reference import ESP2013, Z95, write_reference_tables
from etl.stats import dsr_dobson, dsr_grouped
from tests.fixtures.sql_world import SUMS_DEFAULTS

# deaths and population in the 15 bands 0-4 ... 70-74 for one area
DEATHS = [1, 0, 0, 0, 1, 1, 2, 2, 3, 4, 6, 9, 12, 18, 25]
POPULATION = [500, 520, 540, 560, 600, 610, 640, 650, 660, 670, 680, 640, 600, 540, 480]


def _computed(sums: pd.DataFrame, bands: int = 15) -> pd.DataFrame:
    """marts/computed_values.sql run over ``sums`` (one row per area × age band) of the
    indicator 'easr' standardised over the first ``bands`` ESP2013 bands."""
    con = duckdb.connect()
    for schema in ("core", "meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    write_reference_tables(con)
    con.execute((SQL_DIR / "macros.sql").read_text())
    full = sums.assign(indicator_id="easr", area_type="council", period_label="2020", period_year=2020, value=None,
                       is_revised=False, source_release="r", members_present=1, members_expected=1)
    create_table(con, "marts.indicator_sums", full, select=f"*, {SUMS_DEFAULTS}")
    create_table(con, "meta.indicators", pd.DataFrame([{
        "indicator_id": "easr", "aggregation": "extensive", "measure_type": "age_standardised_rate",
        "multiplier": 100000.0, "ci_method": "dobson", "disclosure_min_count": 5, "disclosure_suppress_zero": False,
        "disclosure_applied_by": "cpop"}]))
    create_table(con, "meta.indicator_mappings", pd.DataFrame([{
        "indicator_id": "easr", "side": "denominator", "population_age_from": 0, "population_age_to": 5 * bands - 1,
        "population_by_age_band": True}]))
    return con.execute("SELECT area_code, numerator, denominator, value, ci_lower, ci_upper, is_suppressed, "
                       "is_low_reliability, note FROM (" + (SQL_DIR / "marts" / "computed_values.sql").read_text()
                       + ")").df().set_index("area_code")


def _one_area(deaths: list[float], population: list[float], area: str = "S12000001") -> pd.DataFrame:
    return pd.DataFrame({"area_code": area, "age_band": [5 * i for i in range(len(deaths))],
                         "numerator": deaths, "denominator": population})


def test_dsr_and_dobson_limits_match_python() -> None:
    row = _computed(_one_area([float(d) for d in DEATHS], [float(p) for p in POPULATION])).iloc[0]
    expected = dsr_dobson(DEATHS, POPULATION, ESP2013[:15], multiplier=100000, z=Z95)
    assert row.numerator == sum(DEATHS) and row.denominator == sum(POPULATION)
    assert row.value == pytest.approx(float(expected.dsr), rel=1e-12)
    assert row.ci_lower == pytest.approx(float(expected.lower), rel=1e-9)
    assert row.ci_upper == pytest.approx(float(expected.upper), rel=1e-9)


def test_no_rate_when_a_band_is_missing() -> None:
    # issue 17, item 4: one band's deaths missing published 946.7 (no CI), one band's population
    # missing 709.9 (with a CI), where the complete data give 1003.3; now neither gives a rate
    deaths, people = [float(d) for d in DEATHS], [float(p) for p in POPULATION]
    no_deaths, no_people = deaths.copy(), people.copy()
    no_deaths[12], no_people[12] = None, None
    out = _computed(pd.concat([_one_area(deaths, people, "A"), _one_area(no_deaths, people, "B"),
                               _one_area(deaths, no_people, "C")]))
    assert out.loc["A", "value"] > 0
    assert out.loc[["B", "C"], ["value", "ci_lower", "ci_upper"]].isna().all().all()
    # Python says the same
    assert all(np.isnan(x) for x in dsr_dobson(no_deaths, people, ESP2013[:15]))
    assert all(np.isnan(x) for x in dsr_dobson(deaths, no_people, ESP2013[:15]))


def test_no_rate_from_fewer_than_10_events_and_10_to_19_flagged() -> None:
    # issue 17, item 5: 9 events give a count but no rate (with a note saying why), 10 a rate
    # flagged as of low reliability, 20 a rate not flagged
    people = [float(p) for p in POPULATION]

    def spread(total: int) -> list[float]:
        return [float(total // 15 + (1 if i < total % 15 else 0)) for i in range(15)]

    out = _computed(pd.concat([_one_area(spread(9), people, "nine"), _one_area(spread(10), people, "ten"),
                               _one_area(spread(20), people, "twenty"), _one_area(spread(0), people, "none")]))
    for few in ("nine", "none"):
        assert pd.isna(out.loc[few, "value"]) and pd.isna(out.loc[few, "ci_upper"])
        assert "fewer than the 10" in out.loc[few, "note"] and not out.loc[few, "is_low_reliability"]
    assert out.loc["nine", "numerator"] == 9 and not out.loc["nine", "is_suppressed"]
    assert out.loc["ten", "value"] > 0 and out.loc["ten", "is_low_reliability"]
    assert out.loc["twenty", "value"] > 0 and not out.loc["twenty", "is_low_reliability"]


def test_sql_and_python_dsr_agree_on_random_inputs() -> None:
    # random areas: counts from none to hundreds, empty bands, missing counts or populations;
    # the SQL the build runs and etl.stats.dsr_grouped must give the same rate, limits or none
    rng = np.random.default_rng(17)
    frames, bands = [], 15
    for i in range(300):
        people = rng.integers(0, 3000, bands).astype(float)
        mean = rng.choice([0.05, 0.5, 2.0, 20.0])
        deaths = np.where(people > 0, rng.poisson(mean * people / 1000), 0).astype(float)
        deaths = deaths * (rng.random(bands) < 0.8)  # many empty bands
        if i % 17 == 0:
            deaths[rng.integers(bands)] = np.nan
        if i % 23 == 0:
            people[rng.integers(bands)] = np.nan
        frames.append(_one_area(list(deaths), list(people), f"A{i:03d}"))
    sums = pd.concat(frames, ignore_index=True)
    sql = _computed(sums).sort_index()
    weights = dict(zip([5 * i for i in range(bands)], ESP2013[:bands], strict=True))
    py = dsr_grouped(sums.assign(weight=sums.age_band.map(weights)), ["area_code"], observed="numerator",
                     population="denominator", z=Z95).set_index("area_code").sort_index()
    assert list(sql.index) == list(py.index)
    assert (sql.value.isna() == py.dsr.isna()).all()
    assert sql.value.notna().sum() > 100 and sql.value.isna().sum() > 30  # both kinds drawn
    both = sql.value.notna()
    np.testing.assert_allclose(sql.value[both], py.dsr[both], rtol=1e-12)
    np.testing.assert_allclose(sql.ci_lower[both], py.ci_lower[both], rtol=1e-9)
    np.testing.assert_allclose(sql.ci_upper[both], py.ci_upper[both], rtol=1e-9)
