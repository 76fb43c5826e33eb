"""marts.trend logic on hand-made series."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.marts.trend import trend_frame


def _series(area: str, area_type: str, nums: list[int], dens: list[int]) -> list[dict]:
    rows = []
    for i, (n, d) in enumerate(zip(nums, dens, strict=True)):
        value = n / d * 100
        rows.append({"indicator_id": "pct", "area_type": area_type, "area_code": area, "period_label": str(2014 + i),
                     "period_year": 2014 + i, "numerator": n, "denominator": d, "value": value,
                     "ci_lower": value - 1, "ci_upper": value + 1, "polarity": "low_is_good",
                     "measure_type": "percentage", "baseline_year": 2014})
    return rows


def test_change_rate_verdict_and_rag() -> None:
    rows = _series("A", "council", [100, 120, 140, 160, 180], [1000] * 5)        # 10 % → 18 %: worsening
    rows += _series("S92000003", "scotland", [1000, 1010, 990, 1000, 1005], [10000] * 5)  # 10 % → 10.05 %
    out = trend_frame(pd.DataFrame(rows)).set_index("area_code")
    a = out.loc["A"]
    assert a.baseline_period_label == "2014" and a.latest_period_label == "2018"
    assert a.change_abs == pytest.approx(8.0)
    assert a.change_pct == pytest.approx(80.0)            # (18 / 10 − 1) × 100
    assert a.improvement_since_baseline_pct == pytest.approx(-80.0)     # low is good: rising means worsening
    assert a.trend_verdict == "worsening" and a.trend_method == "chi_square"
    # level worse than Scotland (18 % vs 10.05 %) and changing for the worse faster → red
    assert a.improvement_rag == "red"
    assert out.loc["S92000003"].trend_verdict == "no significant change"


def test_too_few_points_cannot_be_calculated() -> None:
    rows = _series("A", "council", [100, 120], [1000, 1000])
    out = trend_frame(pd.DataFrame(rows))
    assert out.trend_verdict.iloc[0] == "cannot be calculated"
    assert out.improvement_rag.iloc[0] == "grey"  # no Scotland row to compare with
