"""Row shaping of the latest-values cards: comparison, grouping, suppression."""

from __future__ import annotations

import pytest

from dashboard.data.queries import Queries
from dashboard.tables.latest_values import compare, latest_row, polarity_text, priority_groups


@pytest.mark.parametrize(
    ("lo", "hi", "comparator", "polarity", "expected"),
    [
        (25.3, 28.3, 20.9, "low_is_good", "worse"),
        (25.3, 28.3, 20.9, "high_is_good", "better"),
        (10.0, 12.0, 20.9, "low_is_good", "better"),
        (10.0, 12.0, 20.9, "high_is_good", "worse"),
        (20.0, 22.0, 20.9, "low_is_good", "similar"),
        (20.9, 22.0, 20.9, "low_is_good", "similar"),  # touching the interval is similar
        (None, 22.0, 20.9, "low_is_good", "not compared"),
        (20.0, 22.0, None, "low_is_good", "not compared"),
        (25.3, 28.3, 20.9, "unknown", "not compared"),
    ],
)
def test_compare(lo: float | None, hi: float, comparator: float | None, polarity: str,
                 expected: str) -> None:
    assert compare(lo, hi, comparator, polarity) == expected


def test_compare_suppressed() -> None:
    assert compare(1.0, 2.0, 5.0, "low_is_good", suppressed=True) == "not compared"


def test_polarity_text() -> None:
    assert polarity_text("low_is_good") == "lower is better"
    assert polarity_text("high_is_good") == "higher is better"


def test_groups_follow_national_priority_order(queries: Queries) -> None:
    groups = priority_groups(queries.latest_values("ward", "S13002883"))
    assert [label for label, _ in groups] == [
        "Early years", "Health inequalities and physical activity"]
    row = groups[0][1][0]
    assert (row.title, row.period, row.value, row.ci) == (
        "Child poverty", "2021/22", "26.8%", "25.3 – 28.3")
    assert (row.council, row.scotland, row.vs_scotland) == ("22.4%", "20.9%", "worse")


def test_suppressed_latest_row_has_no_number(queries: Queries) -> None:
    df = queries.latest_values("datazone", "S01009783")
    row = latest_row(df[df["indicator_id"] == "ey_child_poverty"].iloc[0].to_dict())
    assert row.is_suppressed
    assert row.value == "suppressed" and row.ci == "suppressed"
    assert row.vs_scotland == "not compared"
    assert not any(ch.isdigit() for ch in row.value + row.ci)


def test_empty_frame_gives_no_groups(queries: Queries) -> None:
    assert priority_groups(queries.latest_values("ward", "S99999999")) == []
