"""Directly age-standardised rates in SQL (marts/computed_values.sql) equal the tested Python
implementation of DSR with Dobson limits, on a small hand-sized example."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.reference import ESP2013, Z95, write_reference_tables
from etl.stats import dsr_dobson
from tests.fixtures.sql_world import SUMS_DEFAULTS

# deaths and population in the 15 bands 0-4 ... 70-74 for one area
DEATHS = [1, 0, 0, 0, 1, 1, 2, 2, 3, 4, 6, 9, 12, 18, 25]
POPULATION = [500, 520, 540, 560, 600, 610, 640, 650, 660, 670, 680, 640, 600, 540, 480]


def test_dsr_and_dobson_limits_match_python() -> None:
    con = duckdb.connect()
    for schema in ("core", "meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    write_reference_tables(con)
    con.execute((SQL_DIR / "macros.sql").read_text())
    sums = pd.DataFrame({
        "indicator_id": "easr", "area_type": "council", "area_code": "S12000001", "period_label": "2020",
        "period_year": 2020, "age_band": [5 * i for i in range(15)], "numerator": [float(d) for d in DEATHS],
        "denominator": [float(p) for p in POPULATION], "value": None, "is_revised": False, "source_release": "r",
        "members_present": 1, "members_expected": 1})
    create_table(con, "marts.indicator_sums", sums, select=f"*, {SUMS_DEFAULTS}")
    create_table(con, "meta.indicators", pd.DataFrame([{
        "indicator_id": "easr", "aggregation": "extensive", "measure_type": "age_standardised_rate",
        "multiplier": 100000.0, "ci_method": "dobson", "disclosure_min_count": 5, "disclosure_suppress_zero": False,
        "disclosure_applied_by": "cpop"}]))
    create_table(con, "meta.indicator_mappings", pd.DataFrame([{
        "indicator_id": "easr", "side": "denominator", "population_age_from": 0, "population_age_to": 74,
        "population_by_age_band": True}]))
    row = con.execute("SELECT numerator, denominator, value, ci_lower, ci_upper FROM ("
                      + (SQL_DIR / "marts" / "computed_values.sql").read_text() + ")").fetchall()[0]
    expected = dsr_dobson(DEATHS, POPULATION, ESP2013[:15], multiplier=100000, z=Z95)
    assert row[0] == sum(DEATHS) and row[1] == sum(POPULATION)
    assert row[2] == pytest.approx(float(expected.dsr), rel=1e-12)
    assert row[3] == pytest.approx(float(expected.lower), rel=1e-9)
    assert row[4] == pytest.approx(float(expected.upper), rel=1e-9)
