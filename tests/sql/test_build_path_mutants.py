"""The build's own code paths, pinned where a deliberate bug once survived every test (issue 17).

An audit planted 23 bugs in a copy of the code; these four shipped unnoticed because the tests
checked the Python reference functions while the build runs SQL and vectorised pandas. Each test
below runs the production code (marts/indicator_sums.sql and marts/computed_values.sql, as the
build does, and ``etl.marts.inequality.inequality_frame``) and fails under its bug:

1. exact Poisson limits below 10 events (cutoff moved to 5);
2. a percentage withheld when its complement is a small count (complement rule removed);
3. an area's total NULL when a member's count is missing (missing summed as 0);
4. PAR weighted by population shares (equal shares used).

``make mutate`` (tests/mutate.py) replays these bugs and checks the tests catch each one.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.marts.inequality import inequality_frame
from etl.reference import write_reference_tables
from etl.stats import byar_ci, par, poisson_exact_limits
from etl.withheld import WITHHELD_REASON
from tests.fixtures.sql_world import FEATURE_DEFAULTS

WARD = ("ward", "S13000001")


def _computed(facts: pd.DataFrame, indicator: dict[str, object], zones: list[str]) -> pd.DataFrame:
    """marts.computed_values built as the build builds it, for data zones ``zones`` all in one ward."""
    con = duckdb.connect()
    for schema in ("core", "meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    full = facts.assign(indicator_id="x", feature_type="datazone", period_label="2020", period_year=2020,
                        age_band=pd.array([None] * len(facts), dtype="Int64"), value=None, is_revised=False,
                        source_release="r1")
    create_table(con, "core.fct_indicator_feature", full, select=FEATURE_DEFAULTS)
    bridge = [("datazone", z, "datazone", z) for z in zones] + [("datazone", z, *WARD) for z in zones]
    create_table(con, "core.bridge_area_area", pd.DataFrame(bridge, columns=["child_type", "child_code", "area_type",
                                                                              "area_code"]))
    create_table(con, "meta.indicators", pd.DataFrame([{
        "indicator_id": "x", "aggregation": "extensive", "multiplier": 100_000.0, "disclosure_min_count": 5,
        "disclosure_suppress_zero": False, "rolling_years": 1, "disclosure_applied_by": "cpop",
        "geographies": ["datazone", "ward"], **indicator}]))
    con.execute("CREATE TABLE meta.indicator_mappings (indicator_id VARCHAR, side VARCHAR, population_age_from INTEGER,"
                " population_age_to INTEGER, population_by_age_band BOOLEAN)")
    write_reference_tables(con)
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    for table in ("indicator_sums", "computed_values"):
        con.execute(f"CREATE TABLE marts.{table} AS " + (SQL_DIR / "marts" / f"{table}.sql").read_text(encoding="utf-8"))
    return con.execute("SELECT * FROM marts.computed_values").df().set_index(["area_type", "area_code"])


def test_crude_rate_limits_are_exact_poisson_below_10_events() -> None:
    # one data zone per count 0..14 among 10,000 people: below 10 the exact (Garwood) limits,
    # from 10 Byar's; with the cutoff at 5, counts 5-9 would get Byar's (5 → 16.23 not 11.67 per 10,000)
    counts = list(range(15))
    zones = [f"S01{c:06d}" for c in counts]
    facts = pd.DataFrame({"feature_code": zones, "numerator": [float(c) for c in counts], "denominator": 10_000.0})
    out = _computed(facts, {"measure_type": "crude_rate", "ci_method": "byar", "disclosure_min_count": 1,
                            "polarity": "low_is_good"}, zones)
    for count, zone in zip(counts, zones, strict=True):
        row = out.loc[("datazone", zone)]
        if count < 10:
            lower, upper = (np.asarray(x) / 10_000 * 100_000 for x in poisson_exact_limits(count))
        else:
            lower, upper = byar_ci(count, 10_000, 100_000)
        assert row.ci_upper == pytest.approx(float(upper), rel=1e-9), count
        if count > 0:
            assert row.ci_lower == pytest.approx(float(lower), rel=1e-9), count
    assert out.loc[("datazone", zones[5])].ci_upper == pytest.approx(116.7, abs=0.05)


def test_a_percentage_is_withheld_when_its_complement_is_a_small_count() -> None:
    # 98 of 100 babies at a healthy weight tells a reader 2 were not: withheld like a count of 2
    zones = ["S01000001", "S01000002", "S01000003"]
    facts = pd.DataFrame({"feature_code": zones, "numerator": [98.0, 50.0, 3.0], "denominator": [100.0, 100.0, 100.0]})
    out = _computed(facts, {"measure_type": "percentage", "ci_method": "wilson", "multiplier": 100.0,
                            "polarity": "high_is_good"}, zones)
    complement = out.loc[("datazone", "S01000001")]
    assert complement.is_suppressed and pd.isna(complement.value) and pd.isna(complement.numerator)
    # one reason for every withheld cell (issue 14): the reason never says which rule withheld it
    assert complement.suppression_reason == WITHHELD_REASON
    assert not out.loc[("datazone", "S01000002")].is_suppressed
    assert out.loc[("datazone", "S01000003")].is_suppressed  # the count itself is small


def test_an_area_total_is_missing_when_a_member_count_is_missing() -> None:
    # a ward of three data zones, one count missing: the ward has no count and no value (summing
    # the present two as if the third were 0 would publish 30 / 300 = 10 %, a made-up figure)
    zones = ["S01000001", "S01000002", "S01000003"]
    facts = pd.DataFrame({"feature_code": zones, "numerator": [10.0, 20.0, None], "denominator": [100.0, 200.0, 50.0]})
    out = _computed(facts, {"measure_type": "percentage", "ci_method": "wilson", "multiplier": 100.0,
                            "disclosure_min_count": 1, "polarity": "low_is_good"}, zones)
    ward = out.loc[WARD]
    assert pd.isna(ward.numerator) and pd.isna(ward.value) and pd.isna(ward.ci_lower)
    assert ward.denominator == 350
    # a member with no row at all is missing too
    out = _computed(facts.iloc[:2], {"measure_type": "percentage", "ci_method": "wilson", "multiplier": 100.0,
                                     "disclosure_min_count": 1, "polarity": "low_is_good"}, zones)
    assert pd.isna(out.loc[WARD].numerator) and pd.isna(out.loc[WARD].value)


def test_marts_par_weights_groups_by_their_populations() -> None:
    # quintile rates 50, 40, 30, 20, 10 with unequal populations 3000, 1000, 500, 400, 100:
    # PAR = Σpᵢ(rᵢ/10 − 1) / (1 + Σpᵢ(rᵢ/10 − 1)) with pᵢ = 0.6, 0.2, 0.1, 0.08, 0.02:
    # Σ = 0.6·4 + 0.2·3 + 0.1·2 + 0.08·1 + 0 = 3.28 → 3.28 / 4.28 = 76.64 %
    # (equal shares would give 2 / 3 = 66.67 %)
    rates, people = [50.0, 40.0, 30.0, 20.0, 10.0], [3000.0, 1000.0, 500.0, 400.0, 100.0]
    key = {"indicator_id": "x", "area_type": "scotland", "area_code": "S92000003", "period_label": "2020",
           "basis": "national_quintile", "period_year": 2020, "polarity": "low_is_good"}
    rows = [{**key, "group_number": q, "value": r, "denominator": n, "numerator": r * n / 1000,
             "ci_lower": r - 2, "ci_upper": r + 2} for q, (r, n) in enumerate(zip(rates, people, strict=True), start=1)]
    overall = float(np.dot(rates, people) / sum(people))
    rows.append({**key, "group_number": 0, "value": overall, "denominator": sum(people), "numerator": 0.0,
                 "ci_lower": overall - 1, "ci_upper": overall + 1})
    row = inequality_frame(pd.DataFrame(rows)).iloc[0]
    assert row.par_pct == pytest.approx(328 / 4.28, rel=1e-9)
    assert row.par_pct == pytest.approx(par(rates, people).percent, rel=1e-12)
