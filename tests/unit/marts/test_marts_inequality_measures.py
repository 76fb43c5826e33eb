"""Duncan index, best/worst community and narrowing/widening verdicts, worked on paper."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from etl.marts.inequality import inequality_frame, inequality_trend_frame, iz_frame


def _iz(values: list[float], polarity: str, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": "x", "period_label": str(year), "period_year": year, "council_code": "C",
                         "iz_code": ["A", "B", "C", "D"], "value": values, "polarity": polarity})


INCOME = pd.DataFrame({"iz_code": ["A", "B", "C", "D"] * 2, "income_year": [2019] * 4 + [2021] * 4,
                       "income_deprived": [1, 1, 1, 1, 40, 30, 20, 10],
                       "not_income_deprived": [1, 1, 1, 1, 60, 70, 80, 90]})
IZ_COUNT = pd.Series({"C": 4})


def test_duncan_on_four_intermediate_zones() -> None:
    # low is good; worst first: A (40), B, C, D (10). Income counts from 2021 (2020 is equally
    # near 2019 and 2021: the later year wins). Deprived 40/30/20/10 of 100, others 60/70/80/90 of 300:
    # a = .4 .7 .9 1; b = .2 .4333 .7 1
    # DI = (.4·.4333 − .7·.2) + (.7·.7 − .9·.4333) + (.9·1 − 1·.7) = .03333 + .1 + .2 = 1/3
    row = iz_frame(_iz([40, 30, 20, 10], "low_is_good"), INCOME, IZ_COUNT).iloc[0]
    assert row.duncan_index == pytest.approx(1 / 3)
    assert (row.best_iz_code, row.best_iz_value, row.worst_iz_code, row.worst_iz_value) == ("D", 10, "A", 40)
    assert row.iz_gap == 30
    # the same values with high is good: the deprived live in the best IZs → −1/3
    high = iz_frame(_iz([40, 30, 20, 10], "high_is_good"), INCOME, IZ_COUNT).iloc[0]
    assert high.duncan_index == pytest.approx(-1 / 3)
    assert high.best_iz_code == "A" and high.worst_iz_code == "D"


def test_duncan_needs_every_intermediate_zone() -> None:
    row = iz_frame(_iz([40, np.nan, 20, 10], "low_is_good"), INCOME, IZ_COUNT).iloc[0]
    assert np.isnan(row.duncan_index)
    # no best / worst either: B is withheld and may hold the worst value (issue 13: best among the
    # published zigzagged with suppression, a best-community line dropping to 0 and back)
    assert row[["best_iz_code", "best_iz_value", "worst_iz_code", "worst_iz_value", "iz_gap"]].isna().all()
    row = iz_frame(_iz([40, 30, 20, 10], "low_is_good"), INCOME, pd.Series({"C": 5})).iloc[0]
    assert np.isnan(row.duncan_index)        # a fifth IZ has no row at all
    assert pd.isna(row.best_iz_value) and pd.isna(row.worst_iz_value)


def test_an_intermediate_zone_without_a_council_is_left_out_not_a_crash() -> None:
    # a damaged SIMD lookup left one IZ without a council: its missing key made the group number
    # NaN and np.bincount raised "Cannot cast array data from float64 to int64" (the fuzz test)
    stray = pd.DataFrame({"indicator_id": "x", "period_label": "2020", "period_year": 2020, "council_code": [None],
                          "iz_code": ["E"], "value": [5.0], "polarity": "low_is_good"})
    out = iz_frame(pd.concat([_iz([40, 30, 20, 10], "low_is_good"), stray], ignore_index=True), INCOME, IZ_COUNT)
    assert out.council_code.tolist() == ["C"]
    assert out.iloc[0].duncan_index == pytest.approx(1 / 3) and out.iloc[0].best_iz_code == "D"
    assert iz_frame(stray, INCOME, IZ_COUNT).empty


def _series(values: list[float], se: float = 0.1, measure_cols: bool = True) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(values):
        rows.append({"indicator_id": "x", "area_type": "council", "area_code": "C", "basis": "national_quintile",
                     "period_label": str(2016 + i), "period_year": 2016 + i, "sii": v, "se_slope": se,
                     "absolute_gap": v, "absolute_gap_lower": v - 1.96 * se, "absolute_gap_upper": v + 1.96 * se,
                     "relative_gap": np.nan, "relative_gap_lower": np.nan, "relative_gap_upper": np.nan,
                     "duncan_index": np.nan})
    return pd.DataFrame(rows)


def _verdicts(frame: pd.DataFrame) -> dict[str, str]:
    out = inequality_trend_frame(frame)
    return dict(zip(out.measure, out.verdict, strict=True))


def test_narrowing_and_widening_mean_towards_and_away_from_zero() -> None:
    assert _verdicts(_series([10, 9, 8, 7, 6]))["sii"] == "narrowing"
    assert _verdicts(_series([6, 7, 8, 9, 10]))["sii"] == "widening"
    # a negative SII (deprived areas better off) rising towards 0 is narrowing too
    assert _verdicts(_series([-10, -9, -8, -7, -6]))["absolute_gap"] == "narrowing"
    assert _verdicts(_series([-6, -7, -8, -9, -10]))["absolute_gap"] == "widening"
    # noise well within the intervals
    assert _verdicts(_series([8, 8.1, 7.9, 8.05, 8], se=1.0))["sii"] == "no significant change"
    # only the last five periods count: an old rise does not matter
    v = _verdicts(_series([1, 2, 3, 10, 9, 8, 7, 6]))
    assert v["sii"] == "narrowing"
    out = inequality_trend_frame(_series([1, 2, 3, 10, 9, 8, 7, 6]))
    assert out.first_period_label.iloc[0] == "2019" and out.last_period_label.iloc[0] == "2023"


def test_a_missing_point_cannot_be_calculated() -> None:
    assert _verdicts(_series([10, 9, np.nan, 7, 6]))["sii"] == "cannot be calculated"
    assert _verdicts(_series([10, 9]))["sii"] == "cannot be calculated"


def test_a_year_with_only_community_measures_does_not_blank_the_gap() -> None:
    """Real Fife: 2021/22 has published IZ values (Duncan) but no data-zone counts, so no groups.

    That year is not a withheld point of the gap: the gap's window is its own five periods.
    A withheld group (a row with a missing gap) still makes it "cannot be calculated".
    """
    frame = _series([10, 9, 8, 7, 6, np.nan]).assign(has_groups=[True] * 5 + [False],
                                                      has_communities=[False] * 5 + [True])
    out = inequality_trend_frame(frame).set_index("measure")
    assert out.loc["absolute_gap", "verdict"] == "narrowing"
    assert out.loc["absolute_gap", "last_period_label"] == "2020"
    assert out.loc["duncan_index", "last_period_label"] == "2021"
    withheld = frame.assign(has_groups=True)
    assert inequality_trend_frame(withheld).set_index("measure").loc["absolute_gap", "verdict"] == \
        "cannot be calculated"


def test_relative_gap_narrows_towards_one() -> None:
    frame = _series([1, 1, 1, 1, 1])
    ratio = np.array([3.0, 2.6, 2.2, 1.9, 1.6])
    frame["relative_gap"] = ratio
    frame["relative_gap_lower"], frame["relative_gap_upper"] = ratio * np.exp(-0.02), ratio * np.exp(0.02)
    assert _verdicts(frame)["relative_gap"] == "narrowing"
    # below 1 (deprived areas lower) and rising towards 1: narrowing too
    frame["relative_gap"] = 1 / ratio
    frame["relative_gap_lower"], frame["relative_gap_upper"] = frame.relative_gap * np.exp(-0.02), \
        frame.relative_gap * np.exp(0.02)
    assert _verdicts(frame)["relative_gap"] == "narrowing"


def test_duncan_trend_is_an_ols_slope_test() -> None:
    # t = 1..5, DI = .30 .27 .25 .21 .20: ȳ = .246, slope = −.26/10 = −.026; residuals
    # .002 −.002 .004 −.010 .006 → SSE = 160e-6, s² = 5.333e-5, SE = √(s²/10) = .0023094,
    # t = 11.258 on 3 df → p ≈ 0.0015 → falling towards 0: narrowing
    frame = _series([1, 1, 1, 1, 1])
    frame["duncan_index"] = [0.30, 0.27, 0.25, 0.21, 0.20]
    out = inequality_trend_frame(frame).set_index("measure").loc["duncan_index"]
    assert out.verdict == "narrowing" and out.method == "ols"
    assert out.p_value == pytest.approx(2 * stats.t.sf(0.026 / np.sqrt(160e-6 / 3 / 10), 3), rel=1e-6)
    frame["duncan_index"] = [0.20, 0.26, 0.19, 0.25, 0.21]
    assert inequality_trend_frame(frame).set_index("measure").loc["duncan_index", "verdict"] == \
        "no significant change"


def _gradient(rates: list[float], polarity: str) -> pd.DataFrame:
    key = {"indicator_id": "x", "area_type": "scotland", "area_code": "S", "period_label": "2020",
           "basis": "national_quintile", "period_year": 2020, "polarity": polarity}
    rows = [{**key, "group_number": q, "value": r, "denominator": 1000.0, "numerator": r * 10,
             "ci_lower": r - 1, "ci_upper": r + 1} for q, r in enumerate(rates, start=1)]
    rows.append({**key, "basis": "total", "group_number": 0, "value": float(np.mean(rates)), "denominator": 5000.0,
                 "numerator": 1.0, "ci_lower": 0.0, "ci_upper": 1.0})
    return pd.DataFrame(rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1, 1000), min_size=5, max_size=5), st.sampled_from(["low_is_good", "high_is_good"]))
def test_reversing_the_gradient_flips_the_sii(rates: list[float], polarity: str) -> None:
    a = inequality_frame(_gradient(rates, polarity)).iloc[0]
    b = inequality_frame(_gradient(rates[::-1], polarity)).iloc[0]
    assert b.sii == pytest.approx(-a.sii, abs=1e-9 * max(rates))
