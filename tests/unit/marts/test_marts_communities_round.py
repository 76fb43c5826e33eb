"""marts.communities on hand-made intermediate-zone values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.marts.communities import communities_frame


def _values(council: str, izs: list[str], base: list[float], latest: list[float], indicator: str = "crime",
            polarity: str = "low_is_good") -> list[dict]:
    rows = []
    for iz, b, v in zip(izs, base, latest, strict=True):
        for label, year, value in (("2014", 2014, b), ("2015", 2015, (b + v) / 2), ("2024", 2024, v)):
            rows.append({"intermediate_zone_code": iz, "council_code": council, "indicator_id": indicator,
                         "period_label": label, "period_year": year, "value": value, "polarity": polarity,
                         "baseline_year": 2014})
    return rows


def test_z_scores_change_and_rank() -> None:
    rows = _values("X", ["X1", "X2", "X3"], [20, 20, 20], [10, 20, 30])
    rows += _values("Y", ["Y1", "Y2", "Y3"], [50, 50, 50], [40, 50, 60])
    out = communities_frame(pd.DataFrame(rows)).set_index(["intermediate_zone_code", "indicator_id"])
    x1 = out.loc[("X1", "crime")]
    assert (x1.baseline_period_label, x1.latest_period_label) == ("2014", "2024")
    assert x1.change_since_baseline == -10
    assert x1.improvement_since_baseline_pct == pytest.approx(50.0)      # fell by half, low is good → +50 %
    # within X: low-is-good levels 10, 20, 30 → signed −10, −20, −30: mean −20, sample SD 10 → z = 1, 0, −1
    assert x1.z_level_council == pytest.approx(1.0)
    assert out.loc[("X3", "crime"), "z_level_council"] == pytest.approx(-1.0)
    # across Scotland: 10 … 60, deviations ±25, ±15, ±5, Σd² = 1750, SD = √(1750/5) → X1: 25/18.708
    assert x1.z_level_scotland == pytest.approx(25 / np.sqrt(350))
    # change: X −10, 0, +10 → signed 10, 0, −10 → z 1, 0, −1 within X
    assert x1.z_council == pytest.approx(1.0)
    summary = out.xs("all", level="indicator_id")
    assert summary.loc["X3", "rank_in_council"] == 1 and summary.loc["X1", "rank_in_council"] == 3
    assert summary.loc["X1", "outcomes"] == 1


def test_five_most_vulnerable_per_council_and_missing_values() -> None:
    izs = [f"X{i}" for i in range(1, 8)]
    rows = _values("X", izs, [50] * 7, [10, 20, 30, 40, 50, 60, 70])
    rows += _values("X", izs, [50] * 7, [90, 80, 70, 60, 50, 40, np.nan], indicator="attainment",
                    polarity="high_is_good")
    out = communities_frame(pd.DataFrame(rows))
    summary = out[out.indicator_id == "all"].set_index("intermediate_zone_code")
    assert summary.is_most_vulnerable.sum() == 5
    assert not summary.loc["X1", "is_most_vulnerable"]
    # X7's attainment is withheld: scored on one outcome only, never as zero
    assert summary.loc["X7", "outcomes"] == 1 and summary.loc["X1", "outcomes"] == 2
    x7 = out[(out.intermediate_zone_code == "X7") & (out.indicator_id == "attainment")].iloc[0]
    assert np.isnan(x7.z_level_council)
    # X7 has the worst crime level: it is the most vulnerable (mean level score)
    assert summary.loc["X7", "rank_in_council"] == 1
    assert summary.rank_in_council.is_unique
