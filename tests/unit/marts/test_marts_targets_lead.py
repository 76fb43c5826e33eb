"""marts.targets and marts.communities logic on hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.marts.communities import communities_frame
from etl.marts.targets import targets_frame


def _values(values: list[float], polarity: str = "low_is_good") -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": "x", "area_type": "council", "area_code": "C", "polarity": polarity,
                         "baseline_year": 2016, "period_year": range(2016, 2016 + len(values)),
                         "period_label": [str(y) for y in range(2016, 2016 + len(values))], "value": values})


def _target(value: float, year: int) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": "x", "area_type": "council", "area_code": "C", "target_value": value,
                          "target_year": year, "set_by": "board"}])


def test_on_track_when_the_line_is_heading_there() -> None:
    # 30, 28, 26, 24, 22 (2016-2020): the line reaches 14 in 2024; target 20 by 2024 → on track
    row = targets_frame(_target(20, 2024), _values([30, 28, 26, 24, 22])).iloc[0]
    assert row.projected_value == pytest.approx(14.0)
    # trajectory: from 30 in 2016 to 20 in 2024, after 4 of 8 years → 25
    assert row.trajectory_value_latest == pytest.approx(25.0)
    assert row.status == "on track" and row.probability_of_meeting > 0.8


def test_off_track_when_worsening() -> None:
    row = targets_frame(_target(20, 2024), _values([22, 23, 24.5, 25, 26.5])).iloc[0]
    assert row.status == "off track" and row.probability_of_meeting < 0.5


def test_too_little_data() -> None:
    assert targets_frame(_target(20, 2024), _values([22, 23])).iloc[0].status == "cannot be calculated"


def test_communities_most_vulnerable_has_the_worst_levels() -> None:
    rows = []
    for i in range(8):
        for ind, polarity, value in (("a", "low_is_good", 10 + i), ("b", "high_is_good", 100 - i)):
            rows.append({"indicator_id": ind, "area_type": "intermediate_zone", "area_code": f"IZ{i}",
                         "council_code": "C", "polarity": polarity, "latest_value": value, "change_abs": 0.0})
    out = communities_frame(pd.DataFrame(rows))
    summary = out[out.indicator_id == "all"].set_index("intermediate_zone_code")
    # IZ7 has the highest 'a' (bad) and lowest 'b' (bad): rank 1, the most vulnerable
    assert summary.loc["IZ7", "rank_in_council"] == 1
    assert summary.is_most_vulnerable.sum() == 5 and not summary.loc["IZ0", "is_most_vulnerable"]
    assert summary.loc["IZ0", "total_level_z_scotland"] > 0
