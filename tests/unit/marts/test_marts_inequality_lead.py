"""marts.inequality logic on a hand-worked quintile gradient."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.marts.inequality import inequality_frame


def _frame(rates: list[float], polarity: str = "low_is_good") -> pd.DataFrame:
    rows = []
    key = {"indicator_id": "x", "area_type": "scotland", "area_code": "S92000003", "period_label": "2020",
           "basis": "national_quintile", "period_year": 2020, "polarity": polarity}
    for q, rate in enumerate(rates, start=1):
        rows.append({**key, "group_number": q, "value": rate, "denominator": 1000.0, "numerator": rate * 10,
                     "ci_lower": rate - 2, "ci_upper": rate + 2})
    overall = sum(rates) / len(rates)
    rows.append({**key, "group_number": 0, "value": overall, "denominator": 5000.0, "numerator": overall * 50,
                 "ci_lower": overall - 1, "ci_upper": overall + 1})
    return pd.DataFrame(rows)


def test_hand_worked_gradient() -> None:
    # equal populations: ridits 0.1, 0.3, 0.5, 0.7, 0.9; rates 50, 40, 30, 20, 10 fall 10 per 0.2
    # → slope −50; for a low-is-good indicator "worse in deprived areas" is positive: SII = 50.
    # RII = 50 / 30; gap 50 − 10 = 40, ratio 5;
    # PAR: 0.2·(5−1) + 0.2·(4−1) + 0.2·(3−1) + 0.2·(2−1) + 0 = 2.0 → 2 / 3 = 66.7 %
    row = inequality_frame(_frame([50, 40, 30, 20, 10])).iloc[0]
    assert row.sii == pytest.approx(50.0)
    assert row.rii == pytest.approx(50 / 30)
    assert row.absolute_gap == 40 and row.relative_gap == 5
    assert row.par_pct == pytest.approx(200 / 3)
    # the gap's CI: SE of each group = 4 / 3.92; gap SE = √2 · 4 / 3.92
    assert row.absolute_gap_upper - row.absolute_gap == pytest.approx(1.959964 * 2 ** 0.5 * 4 / 3.919928, rel=1e-5)


def test_sign_convention_for_high_is_good() -> None:
    # healthy births: 80 % in the most deprived, 90 % in the least: worse in deprived → positive
    row = inequality_frame(_frame([80, 82.5, 85, 87.5, 90], "high_is_good")).iloc[0]
    assert row.sii == pytest.approx(12.5)
    # issue 17, item 7: one sign for every measure; the gaps used to be Q1 − Q5 = −10 and
    # Q1 / Q5 = 0.889 here, the opposite of the SII (228 of 228 healthy-birthweight rows).
    # Now gap = Q5 − Q1 = 10 and ratio Q5 / Q1 = 1.125 for a high-is-good indicator
    assert row.absolute_gap == pytest.approx(10.0) and row.relative_gap == pytest.approx(90 / 80)
    assert row.absolute_gap_lower < row.absolute_gap < row.absolute_gap_upper
    assert row.relative_gap_lower < row.relative_gap < row.relative_gap_upper
    assert np.sign(row.absolute_gap) == np.sign(row.sii) == np.sign(row.rii) == np.sign(np.log(row.relative_gap))
    # the same values for a low-is-good indicator: better in deprived areas → all negative
    low = inequality_frame(_frame([80, 82.5, 85, 87.5, 90], "low_is_good")).iloc[0]
    assert low.absolute_gap == pytest.approx(-10.0) and low.relative_gap == pytest.approx(80 / 90)
    assert np.sign(low.absolute_gap) == np.sign(low.sii) == -1


def test_a_suppressed_group_blanks_the_measures() -> None:
    frame = _frame([50, 40, 30, 20, 10])
    frame.loc[frame.group_number == 3, "value"] = None
    row = inequality_frame(frame).iloc[0]
    assert pd.isna(row.sii) and pd.isna(row.par_pct)
