"""marts.comparisons on a tiny hand-built warehouse: 95 % and 99.8 % verdicts, every comparator.

Expected numbers are worked by hand in the comments (z95 = 1.959964, z998 = 3.090232).
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.marts import comparisons, family_groups
from etl.reference import write_reference_tables
from etl.settings import get_settings
from etl.stats import dsr_dobson, z_for_level

IND = ["indicator_id", "measure_type", "multiplier", "aggregation", "polarity", "ci_method", "disclosure_min_count",
       "disclosure_suppress_zero", "baseline_year"]
INDICATORS = [
    ("pct", "percentage", 100.0, "extensive", "low_is_good", "wilson", 5, False, 2014),
    ("rate", "crude_rate", 100000.0, "extensive", "low_is_good", "byar", 5, False, 2014),
    ("dsr", "age_standardised_rate", 100000.0, "extensive", "low_is_good", "dobson", 5, False, 2014),
    ("median", "median", 1.0, "intensive", "high_is_good", "none", 5, False, 2014),
]
VALUE_COLUMNS = ["indicator_id", "area_type", "area_code", "period_label", "period_year", "numerator", "denominator",
                 "value", "ci_lower", "ci_upper", "is_suppressed"]


def _warehouse(values: list[tuple], sums: list[tuple], groups: list[tuple], tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("meta", "core", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    write_reference_tables(con)
    create_table(con, "meta.indicators", pd.DataFrame(INDICATORS, columns=IND),
                 select="*, 'cpop' AS disclosure_applied_by")
    con.execute("CREATE TABLE meta.indicator_mappings (indicator_id VARCHAR, side VARCHAR, population_age_from "
                "BIGINT, population_age_to BIGINT, population_by_age_band BOOLEAN)")
    con.execute("INSERT INTO meta.indicator_mappings VALUES ('dsr', 'denominator', 0, 9, true)")
    create_table(con, "marts.indicator_values", pd.DataFrame(values, columns=VALUE_COLUMNS))
    con.execute("""CREATE TABLE marts.areas AS SELECT * FROM (VALUES
        ('scotland', 'S92000003', NULL), ('council', 'A', 'A'), ('council', 'B', 'B'), ('council', 'C', 'C'),
        ('council', 'D', 'D'), ('datazone', 'A1', 'A')) AS t(area_type, area_code, council_code)""")
    create_table(con, "core.agg_indicator_area", pd.DataFrame(sums, columns=[
        "indicator_id", "area_type", "area_code", "period_label", "period_year", "age_band", "numerator",
        "denominator"]), select="*, NULL::DOUBLE AS value, false AS is_revised, 'r1' AS source_release, "
                                "1 AS members_present, 1 AS members_expected, numerator AS numerator_estimate, "
                                "numerator AS numerator_lower, numerator AS numerator_upper, 0 AS withheld_members, "
                                "0 AS withheld_denominator, false AS is_direct")
    raw = tmp_path / "raw" / "family_groups" / "2012"
    if groups:
        raw.mkdir(parents=True)
        lines = ["council_code,deprivation_group,density_group", *[f"{c},{d},{p}" for c, d, p in groups]]
        (raw / "family_groups.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    con.execute("CREATE TABLE core.dim_area AS SELECT area_type, area_code, area_code AS area_name FROM marts.areas")
    settings = get_settings(raw_dir=tmp_path / "raw", warehouse_path=tmp_path / "w.duckdb")
    family_groups.build(con, settings)
    comparisons.build(con, settings)
    return con


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    p = x / n
    root = z * math.sqrt(z * z + 4 * x * (1 - p))
    return (2 * x + z * z - root) / (2 * (n + z * z)) * 100, (2 * x + z * z + root) / (2 * (n + z * z)) * 100


def _rows(con: duckdb.DuckDBPyConnection, where: str) -> pd.DataFrame:
    return con.execute(f"SELECT * FROM marts.comparisons WHERE {where} ORDER BY ALL").df()


def test_wilson_998_turns_better_into_similar(tmp_path: Path) -> None:
    # council A: 30 of 200 = 15 %. Wilson 95 %: z² = 3.841459, √(3.841459 + 4·30·0.85) = √105.841459
    # = 10.28793, so (60 + 3.841459 ∓ 1.959964·10.28793) / (2·203.841459) = 10.714 % to 20.606 %.
    # 99.8 %: z² = 9.549536, √(9.549536 + 102) = 10.56170, (60 + 9.549536 ∓ 3.090232·10.56170) /
    # (2·209.549536) = 36.91141 / 419.09907 = 8.807 % to 102.18767 / 419.09907 = 24.383 %.
    # Scotland 21 %: the 95 % upper limit 20.606 < 21 → lower → 'better' (low is good);
    # the 99.8 % interval contains 21 → 'similar'.
    lo, hi = _wilson(30, 200, 1.959964)
    values = [("pct", "council", "A", "2015", 2015, 30, 200, 15.0, lo, hi, False),
              ("pct", "scotland", "S92000003", "2015", 2015, 21000, 100000, 21.0, 20.7, 21.3, False)]
    con = _warehouse(values, [], [], tmp_path)
    row = _rows(con, "area_code = 'A' AND comparator = 'scotland'").iloc[0]
    assert row.ci_lower_998 == pytest.approx(8.807, abs=1e-3)
    assert row.ci_upper_998 == pytest.approx(24.383, abs=1e-3)
    assert (row.verdict_95, row.verdict_998) == ("better", "similar")
    assert row.comparator_value == 21.0 and row.comparator_period_label == "2015"


def test_byar_and_exact_poisson_998(tmp_path: Path) -> None:
    # 25 events in 10,000 people per 100,000 = 250. Byar at z = 3.090232:
    # lower 25(1 − 1/225 − 3.090232/15)³ = 25·0.789541³ = 12.3045 → 123.04;
    # upper 26(1 − 1/234 + 3.090232/(3·√26))³ = 26·1.197741³ = 44.6745 → 446.75.
    # 4 events in 10,000 (exact Poisson, below 10): χ²(0.001; 8)/2 = 0.8571/2 = 0.4286 → 4.286;
    # χ²(0.999; 10)/2 = 29.588/2 = 14.794 → 147.94 per 100,000.
    values = [("rate", "council", "A", "2015", 2015, 25, 10000, 250.0, 161.74, 369.07, False),
              ("rate", "council", "B", "2015", 2015, 4, 10000, 40.0, 10.9, 102.4, False),
              ("rate", "scotland", "S92000003", "2015", 2015, 500, 100000, 500.0, 457.0, 546.0, False)]
    con = _warehouse(values, [], [], tmp_path)
    a = _rows(con, "area_code = 'A' AND comparator = 'scotland'").iloc[0]
    assert a.ci_lower_998 == pytest.approx(123.04, abs=0.01) and a.ci_upper_998 == pytest.approx(446.75, abs=0.01)
    # 500 lies above 446.75 → significantly lower → better, at both levels (95 %: 369.07 < 500)
    assert (a.verdict_95, a.verdict_998) == ("better", "better")
    b = _rows(con, "area_code = 'B' AND comparator = 'scotland'").iloc[0]
    assert b.ci_lower_998 == pytest.approx(4.286, abs=1e-3) and b.ci_upper_998 == pytest.approx(147.94, abs=0.01)


def test_dobson_998_is_exact_from_the_published_95_interval(tmp_path: Path) -> None:
    # Two age bands: 10 deaths / 1,000 and 30 / 2,000 people, ESP weights 5,000 each.
    # DSR = (10/1000 + 30/2000)/2 × 100,000 = 1,250. The mart has only O = 40 and the 95 %
    # limits; Dobson's scale √(var/O) = (U95 − DSR)/(O_U95 − O) rebuilds the 99.8 % limits,
    # which must equal Dobson computed from the bands at z = 3.090232.
    deaths, people, weights = [10, 30], [1000, 2000], [5000, 5000]
    d95 = dsr_dobson(deaths, people, weights, multiplier=100000, z=z_for_level(0.95))
    d998 = dsr_dobson(deaths, people, weights, multiplier=100000, z=z_for_level(0.998))
    assert d95.dsr == pytest.approx(1250.0)
    values = [("dsr", "council", "A", "2015", 2015, 40, 3000, d95.dsr, d95.lower, d95.upper, False),
              ("dsr", "scotland", "S92000003", "2015", 2015, 4000, 300000, 1000.0, 970.0, 1030.0, False)]
    con = _warehouse(values, [], [], tmp_path)
    row = _rows(con, "area_code = 'A' AND comparator = 'scotland'").iloc[0]
    assert row.ci_lower_998 == pytest.approx(d998.lower, rel=1e-9)
    assert row.ci_upper_998 == pytest.approx(d998.upper, rel=1e-9)


def test_council_baseline_and_suppressed(tmp_path: Path) -> None:
    lo, hi = _wilson(30, 200, 1.959964)
    values = [
        ("pct", "council", "A", "2014", 2014, 60, 200, 30.0, 23.9, 36.9, False),   # baseline year
        ("pct", "council", "A", "2015", 2015, 30, 200, 15.0, lo, hi, False),
        ("pct", "datazone", "A1", "2015", 2015, None, 20, None, None, None, True),  # withheld
        ("pct", "scotland", "S92000003", "2014", 2014, 2000, 10000, 20.0, 19.2, 20.8, False),
        ("pct", "scotland", "S92000003", "2015", 2015, 2000, 10000, 20.0, 19.2, 20.8, False),
    ]
    con = _warehouse(values, [], [], tmp_path)
    base = _rows(con, "area_code = 'A' AND comparator = 'baseline'")
    # only 2015 is compared with the baseline (2014, 30 %): 10.7-20.6 % lies below → better
    assert list(base.period_label) == ["2015"]
    assert base.iloc[0].comparator_value == 30.0 and base.iloc[0].comparator_period_label == "2014"
    assert base.iloc[0].verdict_95 == "better"
    dz = _rows(con, "area_code = 'A1'")
    assert set(dz.comparator) == {"scotland", "council"}
    assert (dz.verdict_95 == "not comparable").all() and (dz.verdict_998 == "not comparable").all()
    assert dz.set_index("comparator").loc["council", "comparator_value"] == 15.0
    # councils are not compared with a council; Scotland only with its own baseline
    assert "council" not in set(_rows(con, "area_type = 'council'").comparator)
    assert set(_rows(con, "area_type = 'scotland'").comparator) == {"baseline"}


def test_family_group_is_the_other_councils_ratio_of_sums(tmp_path: Path) -> None:
    # Deprivation group 1 = A, B, C; group 2 = D alone.
    # A's comparator = B + C = (20 + 30) / (100 + 200) = 16.667 %; B's = (10 + 30)/300 = 13.333 %.
    # In 2016 C is withheld (3 of 200), so A's and B's comparators are not made ('not comparable'),
    # else A's 2016 comparator (B + C) minus B's published count would give C's count away.
    values, sums = [], []
    for year, counts in ((2015, {"A": (10, 100), "B": (20, 100), "C": (30, 200), "D": (40, 100)}),
                         (2016, {"A": (12, 100), "B": (22, 100), "C": (3, 200), "D": (40, 100)})):
        for code, (x, n) in counts.items():
            withheld = x < 5
            lo, hi = _wilson(x, n, 1.959964)
            values.append(("pct", "council", code, str(year), year, None if withheld else x, n,
                           None if withheld else x / n * 100, None if withheld else lo, None if withheld else hi,
                           withheld))
            sums.append(("pct", "council", code, str(year), year, None, x, n))
        values.append(("pct", "scotland", "S92000003", str(year), year, 1000, 10000, 10.0, 9.4, 10.6, False))
    # the median: A 500, B 600, C 700 → A's comparator is the mean of B and C = 650 (no interval)
    for code, v in {"A": 500.0, "B": 600.0, "C": 700.0, "D": 800.0}.items():
        values.append(("median", "council", code, "2015", 2015, None, None, v, None, None, False))
    con = _warehouse(values, sums, [("A", 1, 1), ("B", 1, 2), ("C", 1, 3), ("D", 2, 4)], tmp_path)
    fg = _rows(con, "comparator = 'family_group'").set_index(["indicator_id", "area_code", "period_label"])
    a = fg.loc[("pct", "A", "2015")]
    assert a.comparator_value == pytest.approx(50 / 300 * 100)
    assert a.comparator_area_type == "family_group" and a.comparator_area_code == "deprivation_1"
    lo, hi = _wilson(50, 300, 1.959964)  # the comparator has its own Wilson interval
    assert (a.comparator_ci_lower, a.comparator_ci_upper) == (pytest.approx(lo), pytest.approx(hi))
    # A: 10 % with 95 % CI 5.5-17.4 % contains 16.667 → similar
    assert a.verdict_95 == "similar"
    assert fg.loc[("pct", "B", "2015")].comparator_value == pytest.approx(40 / 300 * 100)
    for code in ("A", "B"):
        row = fg.loc[("pct", code, "2016")]
        assert math.isnan(row.comparator_value) and row.verdict_95 == "not comparable"
    # C's own value is withheld: its comparator (A + B = 34/200 = 17 %, both published) is shown,
    # but there is nothing to compare
    c = fg.loc[("pct", "C", "2016")]
    assert c.comparator_value == pytest.approx(17.0) and c.verdict_95 == "not comparable"
    assert math.isnan(fg.loc[("pct", "D", "2015")].comparator_value)  # alone in its group
    med = fg.loc[("median", "A", "2015")]
    assert med.comparator_value == pytest.approx(650.0) and med.verdict_95 == "not comparable"


def test_no_family_groups_file_means_no_family_group_rows(tmp_path: Path) -> None:
    values = [("pct", "council", "A", "2015", 2015, 30, 200, 15.0, 10.7, 20.6, False),
              ("pct", "scotland", "S92000003", "2015", 2015, 2000, 10000, 20.0, 19.2, 20.8, False)]
    con = _warehouse(values, [], [], tmp_path)
    assert con.execute("SELECT count(*) FROM marts.family_groups").fetchall()[0][0] == 0
    assert set(_rows(con, "true").comparator) == {"scotland"}
