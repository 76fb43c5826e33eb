"""marts.inequality_groups on a ten-data-zone world small enough to sum on paper.

Two councils, one SIMD edition per test unless stated. Each data zone has denominator 100.
Edition 2020v2 (national quintile / local quintile per data zone):

| DZ | council | nat. Q | local Q | 2019 count |
|---|---|---|---|---|
| 1 | C1 | 1 | 1 | 40 |
| 2 | C1 | 1 | 2 | 30 |
| 3 | C1 | 2 | 3 | 25 |
| 4 | C1 | 2 | 4 | 20 |
| 5 | C1 | 3 | 5 | 15 |
| 6 | C2 | 3 | 1 | 12 |
| 7 | C2 | 3 | 2 | 10 |
| 8 | C2 | 4 | 3 | 8 |
| 9 | C2 | 5 | 4 | 6 |
| 10 | C2 | 5 | 5 | 5 |

Edition 2016 reverses the national quintiles (Q = 6 − Q above), so the edition used is visible.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.frames import create_table
from etl.marts.inequality import _group_values, groups_frame, inequality_frame, protect_groups
from etl.withheld import WITHHELD_REASON
from tests.fixtures.sql_world import SUMS_DEFAULTS, empty_warehouse

DZS = [f"DZ{i:02d}" for i in range(1, 11)]
COUNCIL = ["C1"] * 5 + ["C2"] * 5
NAT_Q = [1, 1, 2, 2, 3, 3, 3, 4, 5, 5]
LOCAL_Q = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
COUNTS = [40, 30, 25, 20, 15, 12, 10, 8, 6, 5]
SCOT = "S92000003"


def _world(counts: list[float] = COUNTS, *, years: tuple[int, ...] = (2019,), polarity: str = "low_is_good",
           hidden_parents: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
    con = empty_warehouse(polarity=polarity)
    simd = []
    for edition, year in (("2016", 2016), ("2020v2", 2020)):
        for i, dz in enumerate(DZS):
            q = NAT_Q[i] if edition == "2020v2" else 6 - NAT_Q[i]
            simd.append({"simd_edition": edition, "simd_year": year, "datazone_code": dz, "council_code": COUNCIL[i],
                         "simd_decile": i + 1 if edition == "2020v2" else 10 - i, "simd_quintile": q,
                         "local_quintile": LOCAL_Q[i]})
    create_table(con, "core.dim_simd", pd.DataFrame(simd))
    facts = [{"indicator_id": "pct", "area_type": "datazone", "area_code": dz, "period_label": str(y),
              "period_year": y, "age_band": None, "numerator": float(counts[i]), "denominator": 100.0,
              "value": None, "is_revised": False, "source_release": "r"}
             for y in years for i, dz in enumerate(DZS)]
    create_table(con, "core.agg_indicator_area", pd.DataFrame(facts),
                 select=f"* REPLACE (age_band::INTEGER AS age_band, value::DOUBLE AS value), {SUMS_DEFAULTS}")
    published = []
    for y in years:
        for i, dz in enumerate(DZS):
            small = 1 <= counts[i] < 5
            published.append(("datazone", dz, y, small))
        for code in ("C1", "C2", SCOT):
            published.append(("council" if code != SCOT else "scotland", code, y, code in hidden_parents))
    create_table(con, "marts.indicator_values", pd.DataFrame(
        [{"indicator_id": "pct", "area_type": t, "area_code": c, "period_label": str(y), "is_suppressed": h,
          "numerator": None if h else 1.0} for t, c, y, h in published]),
        select="* REPLACE (numerator::DOUBLE AS numerator)")
    return con


def _groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return groups_frame(protect_groups(_group_values(con))).set_index(["area_code", "basis", "period_label",
                                                                       "group_number"])


def test_group_rates_are_ratios_of_summed_counts() -> None:
    g = _groups(_world())
    # Scotland, national quintiles: Q1 = DZ1+2 = 70/200, Q3 = DZ5+6+7 = 37/300, Q5 = DZ9+10 = 11/200
    assert g.loc[(SCOT, "national_quintile", "2019", 1), "value"] == pytest.approx(35.0)
    assert g.loc[(SCOT, "national_quintile", "2019", 3), "value"] == pytest.approx(37 / 3)
    assert g.loc[(SCOT, "national_quintile", "2019", 5), "value"] == pytest.approx(5.5)
    assert g.loc[(SCOT, "national_quintile", "2019", 3), "population_share"] == pytest.approx(0.3)
    # the Wilson interval of 70/200 (the same macro as published values)
    row = g.loc[(SCOT, "national_quintile", "2019", 1)]
    assert row.ci_lower < 35 < row.ci_upper
    # council C1 has no data zone in national Q4/Q5: no rows (absent, not zero)
    assert (("C1", "national_quintile", "2019", 5) not in g.index)
    # deciles: one data zone each
    assert g.loc[(SCOT, "national_decile", "2019", 10), "value"] == pytest.approx(5.0)
    # shares add to one within every parent x basis
    shares = g.groupby(level=[0, 1, 2])["population_share"].sum()
    assert np.allclose(shares, 1.0)


def test_local_quintiles_are_within_the_council() -> None:
    g = _groups(_world())
    # C2 lies in national Q3-Q5, but its local quintiles run 1-5 over its own data zones
    assert g.loc[("C2", "local_quintile", "2019", 1), "value"] == pytest.approx(12.0)   # DZ6
    assert g.loc[("C2", "local_quintile", "2019", 5), "value"] == pytest.approx(5.0)    # DZ10
    assert g.loc[("C2", "national_quintile", "2019", 3), "value"] == pytest.approx(11.0)  # DZ6+7 = 22/200
    # Scotland has no local quintiles
    assert not any(b == "local_quintile" for a, b, *_ in g.index if a == SCOT)


def test_nearest_simd_edition_ties_go_to_the_later_edition() -> None:
    g = _groups(_world(years=(2017, 2018, 2019)))
    edition = g.reset_index().drop_duplicates("period_label").set_index("period_label")["simd_edition"]
    # 2017: 1 year from 2016, 3 from 2020 → 2016; 2018: 2 and 2 → the later, 2020v2; 2019 → 2020v2
    assert edition.to_dict() == {"2017": "2016", "2018": "2020v2", "2019": "2020v2"}
    # in 2016's edition Scotland Q1 is DZ9+DZ10 (quintiles reversed): 11/200 = 5.5 %
    assert g.loc[(SCOT, "national_quintile", "2017", 1), "value"] == pytest.approx(5.5)
    assert g.loc[(SCOT, "national_quintile", "2018", 1), "value"] == pytest.approx(35.0)


def test_gaps_and_sii_sign_by_polarity() -> None:
    low = inequality_frame(protect_groups(_group_values(_world()))).set_index(["area_code", "basis"])
    row = low.loc[(SCOT, "national_quintile")]
    assert row.absolute_gap == pytest.approx(35.0 - 5.5)
    assert row.relative_gap == pytest.approx(35.0 / 5.5)
    # more of a "bad" outcome in deprived areas → positive SII for a low-is-good indicator
    assert row.sii > 0
    high = inequality_frame(protect_groups(_group_values(_world(polarity="high_is_good")))).set_index(
        ["area_code", "basis"])
    # the same rates, high is good: deprived areas do better → negative SII, same magnitude
    assert high.loc[(SCOT, "national_quintile"), "sii"] == pytest.approx(-row.sii)
    # a council without a least deprived group has no gap
    assert np.isnan(low.loc[("C1", "national_quintile"), "absolute_gap"])
    # RII = SII / overall value (Scotland overall = 171/1000 = 17.1 %)
    assert row.overall_value == pytest.approx(17.1)
    assert row.rii == pytest.approx(row.sii / 17.1)


def test_a_small_group_is_withheld_and_blanks_its_measures() -> None:
    counts = [*COUNTS[:8], 1, 2]          # DZ9 + DZ10 = 3: Scotland Q5 is a count of 1-4
    con = _world(counts)
    frame = protect_groups(_group_values(con))
    g = groups_frame(frame).set_index(["area_code", "basis", "group_number"])
    q5 = g.loc[(SCOT, "national_quintile", 5)]
    assert q5.is_suppressed and np.isnan(q5.value) and np.isnan(q5.numerator)
    assert q5.suppression_reason == WITHHELD_REASON  # one reason, whatever the rule
    # Scotland's total (171) is published, so Q5 = total − Q1..Q4 would give it back:
    # complementary suppression hides the smallest visible group too (Q4, count 8)
    q4 = g.loc[(SCOT, "national_quintile", 4)]
    assert q4.is_suppressed and q4.suppression_reason == WITHHELD_REASON
    assert not g.loc[(SCOT, "national_quintile", 1)].is_suppressed
    ineq = inequality_frame(frame).set_index(["area_code", "basis"])
    for col in ("sii", "rii", "absolute_gap", "relative_gap", "par_pct"):
        assert np.isnan(ineq.loc[(SCOT, "national_quintile"), col]), col


def test_a_withheld_parent_is_protected_by_its_groups() -> None:
    # C1's published value is withheld (say by complementary suppression): its groups would
    # add up to it, so one of them is withheld as well
    g = groups_frame(protect_groups(_group_values(_world(hidden_parents=("C1",))))).set_index(
        ["area_code", "basis", "group_number"])
    for basis in ("national_quintile", "local_quintile", "national_decile"):
        assert g.loc["C1", basis]["is_suppressed"].sum() == 1
    # ... the one with the smallest count: local quintile 5 = DZ5 (15)
    assert g.loc[("C1", "local_quintile", 5), "is_suppressed"]


def test_parent_differencing_hides_a_group_that_is_nearly_the_whole_parent() -> None:
    frame = pd.DataFrame([
        {"indicator_id": "x", "area_type": "council", "area_code": "C", "period_label": "2020", "basis": "total",
         "group_number": 0, "true_numerator": 100.0, "denominator": 1000.0},
        {"indicator_id": "x", "area_type": "council", "area_code": "C", "period_label": "2020",
         "basis": "local_quintile", "group_number": 1, "true_numerator": 97.0, "denominator": 900.0},
        {"indicator_id": "x", "area_type": "council", "area_code": "C", "period_label": "2020",
         "basis": "local_quintile", "group_number": 2, "true_numerator": 3.0, "denominator": 100.0},
    ]).assign(numerator=lambda d: d.true_numerator, value=1.0, ci_lower=0.5, ci_upper=1.5, hidden_members=0,
              parent_hidden=False, measure_type="crude_rate", disclosure_min_count=5, is_suppressed=False,
              suppression_reason=None)
    frame.loc[2, ["is_suppressed", "numerator", "value"]] = [True, np.nan, np.nan]
    out = protect_groups(frame).set_index("group_number")
    # group 1 = 97 of the parent's 100: the rest (3) is a small count → withheld (differencing)
    assert out.loc[1, "is_suppressed"] and out.loc[1, "suppression_reason"] == WITHHELD_REASON


def council_frame(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """protect_groups' input for council C, indicator x (crude rate, min_count 5), period 2020:
    rows (basis, group number, count), group 0 the council ('total'); nothing withheld yet."""
    return pd.DataFrame([{"indicator_id": "x", "area_type": "council", "area_code": "C", "period_label": "2020",
                          "basis": b, "group_number": n, "true_numerator": c, "denominator": 1000.0}
                         for b, n, c in rows]).assign(
        numerator=lambda d: d.true_numerator, value=1.0, ci_lower=0.5, ci_upper=1.5, hidden_members=0,
        parent_hidden=False, measure_type="crude_rate", disclosure_min_count=5, is_suppressed=False,
        suppression_reason=None)


def test_a_tie_between_groups_never_depends_on_row_order() -> None:
    # Groups 2 and 3 both count 7: which one protects withheld group 1 must not depend on the
    # order DuckDB happens to return the rows in (it varies with the number of threads).
    rows = [("total", 0, 30.0), ("local_quintile", 1, 3.0), ("local_quintile", 2, 7.0),
            ("local_quintile", 3, 7.0), ("local_quintile", 4, 13.0)]
    frame = council_frame(rows)
    frame.loc[1, ["is_suppressed", "numerator", "value"]] = [True, np.nan, np.nan]
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [0, 3, 1, 4, 2]):
        out = protect_groups(frame.iloc[order]).set_index("group_number")
        # the tie goes to the lower group number
        assert out.is_suppressed.to_dict() == {0: False, 1: True, 2: True, 3: False, 4: False}, order


def test_cells_withheld_at_source_leave_is_suppressed_missing_without_a_crash() -> None:
    # Real files: a group whose data zones were withheld by the publisher reaches protect_groups
    # with is_suppressed missing (pandas NA in an object column). It used to raise an IndexError
    # ("arrays used as indices must be of integer (or boolean) type") and, on a rerun, a KeyError.
    frame = _group_values(_world())
    frame["is_suppressed"] = frame["is_suppressed"].astype(object)
    frame.loc[frame.index[:3], "is_suppressed"] = pd.NA
    out = protect_groups(frame)
    assert out["is_suppressed"].dtype == bool and len(out) == len(frame)


def test_publisher_applied_indicators_pass_through_group_protection() -> None:
    # a publisher that applied its own rule: cpop adds no group suppression (its counts are public)
    frame = _group_values(_world(counts=[40, 30, 25, 20, 15, 12, 10, 8, 6, 2]))
    own = protect_groups(frame)
    assert own["is_suppressed"].any()  # the small count is withheld under cpop's own rule
    frame["disclosure_applied_by"] = "publisher"
    frame["is_suppressed"] = False
    passed = protect_groups(frame)
    assert not passed["is_suppressed"].any()
    pd.testing.assert_series_equal(passed["value"], frame["value"], check_names=False)
