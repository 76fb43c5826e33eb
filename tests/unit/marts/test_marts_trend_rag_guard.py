"""marts.trend: improvement rate sign, RAG cases, the sign-flip guard, and build == trend_frame."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.frames import create_table
from etl.marts import trend
from etl.marts.trend import trend_frame
from etl.settings import get_settings

SCOT = ("scotland", "S92000003")


def _rows(indicator: str, area: tuple[str, str], values: dict[int, float | None], *, polarity: str = "low_is_good",
          measure_type: str = "crude_rate", counts: dict[int, tuple[float, float]] | None = None) -> list[dict]:
    rows = []
    for year, value in values.items():
        num, den = (counts or {}).get(year, (np.nan, np.nan))
        rows.append({"indicator_id": indicator, "area_type": area[0], "area_code": area[1], "period_label": str(year),
                     "period_year": year, "numerator": num, "denominator": den,
                     "value": np.nan if value is None else value,
                     "ci_lower": np.nan if value is None else value * 0.95,
                     "ci_upper": np.nan if value is None else value * 1.05,
                     "polarity": polarity, "measure_type": measure_type, "baseline_year": 2014})
    return rows


def test_our_change_measure_has_its_own_name() -> None:
    # issue 17, item 6: our measure (from the baseline year, + = improving) is not called CPOP's
    # "improvement rate"; CPOP's own, as CPOP computes it, is cpop_improvement_rate
    assert "improvement_rate" not in trend.COLUMNS
    assert {"improvement_since_baseline_pct", "cpop_improvement_rate"} <= set(trend.COLUMNS)


def test_improvement_rate_sign_and_rag_cases() -> None:
    # Scotland (low is good): 10 → 9, change −10 %, improvement rate +10.
    rows = _rows("x", SCOT, {2014: 10.0, 2015: 9.0})
    # green: level 8 < 9 (better) and −20 % beats −10 % (improving faster)
    rows += _rows("x", ("council", "G"), {2014: 10.0, 2015: 8.0})
    # red: level 11 > 9 (worse) and +10 % is slower than −10 %
    rows += _rows("x", ("council", "R"), {2014: 10.0, 2015: 11.0})
    # amber: level 8.5 is better than 9, but 8.95 → 8.5 (−5 %) improves more slowly than −10 %
    rows += _rows("x", ("council", "A"), {2014: 8.95, 2015: 8.5})
    out = trend_frame(pd.DataFrame(rows)).set_index("area_code")
    g = out.loc["G"]
    assert g.change_abs == pytest.approx(-2.0) and g.change_pct == pytest.approx(-20.0)
    assert g.improvement_since_baseline_pct == pytest.approx(20.0)       # falling is improving: positive
    assert g.improvement_rag == "green"
    assert out.loc["R"].improvement_since_baseline_pct == pytest.approx(-10.0) and out.loc["R"].improvement_rag == "red"
    assert out.loc["A"].improvement_rag == "amber"
    assert out.loc["S92000003"].improvement_rag == "grey"  # Scotland has no comparator
    assert out.loc["S92000003"].improvement_since_baseline_pct == pytest.approx(10.0)


def test_high_is_good_rate_keeps_its_sign_and_rag_uses_the_same_periods() -> None:
    # Scotland: 50 (2014), 60 (2015), 40 (2016). Area: 50 (2014), 55 (2015), withheld 2016.
    # The area's latest is 2015, so Scotland is read in 2015 too: 60 (+20 %). The area (55, +10 %)
    # is worse and slower → red. Against Scotland's own latest (40, −20 %) it would be green.
    rows = _rows("y", SCOT, {2014: 50.0, 2015: 60.0, 2016: 40.0}, polarity="high_is_good")
    rows += _rows("y", ("council", "C"), {2014: 50.0, 2015: 55.0, 2016: None}, polarity="high_is_good")
    out = trend_frame(pd.DataFrame(rows)).set_index("area_code")
    c = out.loc["C"]
    assert c.latest_period_label == "2015" and c.improvement_since_baseline_pct == pytest.approx(10.0)
    assert c.improvement_rag == "red"
    assert c.trend_verdict == "cannot be calculated"       # the 2016 point is withheld


def test_grey_without_scotland_and_baseline_after_a_withheld_year() -> None:
    rows = _rows("z", ("council", "C"), {2013: 5.0, 2014: None, 2015: 6.0, 2016: 7.0})
    c = trend_frame(pd.DataFrame(rows)).iloc[0]
    # 2014 (the baseline year) is withheld: the first published period after it is used
    assert c.baseline_period_label == "2015" and c.baseline_value == 6.0
    assert c.change_pct == pytest.approx((7 / 6 - 1) * 100)
    assert c.improvement_rag == "grey"


def _pct(area: tuple[str, str], numerators: list[int]) -> list[dict]:
    counts = {2014 + i: (r, 10000.0) for i, r in enumerate(numerators)}
    return _rows("p", area, {y: r / n * 100 for y, (r, n) in counts.items()}, measure_type="percentage",
                 counts=counts)


def test_a_spike_is_not_a_trend() -> None:
    # r = 1000, 1000, 1000, 1000, 1300 of n = 10,000 at t = −2..2 (centred): R = 5,300, N = 50,000,
    # Σrt = 1000(−2 −1 + 0 + 1) + 1300·2 = 600, Σnt = 0, Σnt² = 100,000:
    # χ² = N(NΣrt)² / (R(N − R)·NΣnt²) = 50,000·(3·10⁷)² / (5,300·44,700·5·10⁹) = 37.99, which the
    # binomial variance alone would call p ≈ 4e-10. The points scatter about the line far more
    # than binomial error allows (residual χ² = 37.99 on 3 df, φ = 12.66): the slope is judged on
    # that scatter and Student's t on 3 df, p ≈ 0.18, "no significant change".
    spike = trend_frame(pd.DataFrame(_pct(("council", "S"), [1000, 1000, 1000, 1000, 1300]))).iloc[0]
    assert spike.trend_method == "chi_square" and 0.1 < spike.trend_p_value < 0.3
    assert spike.trend_verdict == "no significant change"
    # a steady rise (1000, 1075, ... 1300) survives every drop: worsening (low is good)
    steady = trend_frame(pd.DataFrame(_pct(("council", "T"), [1000, 1075, 1150, 1225, 1300]))).iloc[0]
    assert steady.trend_verdict == "worsening" and steady.trend_points == 5


def test_build_matches_trend_frame() -> None:
    rows = _rows("x", SCOT, {2012: 10.0, 2013: 10.2, 2014: 10.0, 2015: 9.0, 2016: 8.5, 2017: 8.1})
    rows += _rows("x", ("council", "C"), {2012: 12.0, 2013: None, 2014: 11.0, 2015: 10.0, 2016: 9.0, 2017: 8.0,
                                          2018: 7.5})
    rows += _rows("x", ("datazone", "D"), {2014: None, 2015: None})
    rows += _pct(("council", "C"), [1000, 1075, 1150, 1225, 1300, 1400])
    rows += _pct(SCOT, [1000, 1000, 1000, 1000, 1300])
    # a median published without intervals (ci_method 'none'): tested by OLS, a steady rise
    rows += [r | {"ci_lower": np.nan, "ci_upper": np.nan} for r in _rows(
        "earn", ("council", "C"), {2014: 600.0, 2015: 612.0, 2016: 619.0, 2017: 631.0, 2018: 640.0},
        polarity="high_is_good", measure_type="median")]
    values = pd.DataFrame(rows)
    values["ci_method"] = np.where(values["measure_type"] == "median", "none", "byar")
    values["rolling_years"] = np.where(values["measure_type"] == "median", 3, 1)  # 3-year rolling medians
    con = duckdb.connect()
    for schema in ("meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    create_table(con, "meta.indicators", values.drop_duplicates("indicator_id")[
        ["indicator_id", "polarity", "measure_type", "baseline_year", "ci_method", "rolling_years"]],
        select="*, NULL::VARCHAR AS publisher_polarity")
    create_table(con, "marts.indicator_values",
                 values.drop(columns=["polarity", "measure_type", "baseline_year", "ci_method", "rolling_years"]),
                 select="*, 'raw' AS value_type")
    trend.build(con, get_settings())
    built = con.execute("SELECT * FROM marts.trend").df().sort_values(trend.KEY).reset_index(drop=True)
    expected = trend_frame(values).sort_values(trend.KEY).reset_index(drop=True)
    assert len(built) == 6 and list(built.columns) == trend.COLUMNS
    earn = built.set_index("indicator_id").loc["earn"]
    assert earn.trend_method == "ols" and earn.trend_verdict == "improving" and earn.trend_points == 5
    pd.testing.assert_frame_equal(built, expected, check_dtype=False)
    d = built.set_index("area_code").loc["D"]
    assert d.trend_verdict == "cannot be calculated" and d.improvement_rag == "grey"
