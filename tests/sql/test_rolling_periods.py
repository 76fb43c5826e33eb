"""Rolling multi-year periods are ratios of sums, and a window with a missing year is not made."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.reference import write_reference_tables
from tests.fixtures.sql_world import FEATURE_DEFAULTS


def _values(facts: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    for schema in ("core", "meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    create_table(con, "core.fct_indicator_feature", facts, select=FEATURE_DEFAULTS)
    create_table(con, "core.bridge_area_area", pd.DataFrame(
        [("datazone", "S01000001", "datazone", "S01000001"), ("datazone", "S01000001", "scotland", "S92000003")],
        columns=["child_type", "child_code", "area_type", "area_code"]))
    create_table(con, "meta.indicators", pd.DataFrame([{
        "indicator_id": "births", "aggregation": "extensive", "measure_type": "percentage", "multiplier": 100.0,
        "ci_method": "wilson", "disclosure_min_count": 1, "disclosure_suppress_zero": False, "rolling_years": 3,
        "disclosure_applied_by": "cpop",
        "geographies": ["datazone", "scotland"]}]))
    con.execute("CREATE TABLE meta.indicator_mappings (indicator_id VARCHAR, side VARCHAR, population_age_from INTEGER,"
                " population_age_to INTEGER, population_by_age_band BOOLEAN)")
    write_reference_tables(con)
    con.execute((SQL_DIR / "macros.sql").read_text())
    for table in ("indicator_sums", "computed_values"):
        con.execute(f"CREATE TABLE marts.{table} AS " + (SQL_DIR / "marts" / f"{table}.sql").read_text())
    return con.execute("SELECT period_label, period_year, numerator, denominator, value FROM marts.computed_values "
                       "WHERE area_type = 'datazone' ORDER BY period_year").df()


def test_three_year_rolling_ratio_of_sums() -> None:
    # years 2015..2019 (2018 missing): healthy births / births
    data = {2015: (8, 10), 2016: (9, 10), 2017: (18, 20), 2019: (5, 10)}
    facts = pd.DataFrame({
        "indicator_id": "births", "feature_type": "datazone", "feature_code": "S01000001",
        "period_label": [str(y) for y in data], "period_year": list(data),
        "age_band": pd.array([None] * len(data), dtype="Int64"),
        "numerator": [float(n) for n, _ in data.values()], "denominator": [float(d) for _, d in data.values()],
        "value": [None] * len(data), "is_revised": False, "source_release": "r1"})
    out = _values(facts)
    # only 2015-2017 is complete: (8 + 9 + 18) / (10 + 10 + 20) = 35 / 40 = 87.5 %, not the mean
    # of 80 %, 90 % and 90 % (86.7 %); 2016-2018, 2017-2019 lack 2018; 2015 and 2016 lack earlier years
    assert out["period_label"].tolist() == ["2015-2017"]
    assert out.loc[0, "numerator"] == 35 and out.loc[0, "denominator"] == 40
    assert abs(out.loc[0, "value"] - 87.5) < 1e-9
    assert out.loc[0, "period_year"] == 2017
