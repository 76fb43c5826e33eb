"""How values are written: units, decimals, suppression (never a number)."""

from __future__ import annotations

import math

import pytest

from dashboard.formatting import (
    axis_title,
    format_change,
    format_ci,
    format_difference,
    format_number,
    format_value,
    is_missing,
)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (26.8, "%", "26.8%"),
        (530.44, "per 100,000 (EASR)", "530.4 per 100,000 (EASR)"),
        (612.0, "£ per week", "£612.0 per week"),
        (1234.56, "per 10,000", "1,234.6 per 10,000"),
        (12.0, "", "12.0"),
        (None, "%", "–"),
        (math.nan, "%", "–"),
    ],
)
def test_format_value(value: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_suppressed_is_text_even_with_a_value() -> None:
    assert format_value(26.8, "%", suppressed=True) == "suppressed"
    assert format_ci(1.0, 2.0, suppressed=True) == "suppressed"


def test_format_ci() -> None:
    assert format_ci(25.3, 28.34) == "25.3 – 28.3"
    assert format_ci(None, 28.3) == "–"


def test_helpers() -> None:
    assert format_number(1000) == "1,000.0"
    assert is_missing(None) and is_missing(float("nan")) and not is_missing(0)
    assert axis_title("Child poverty", "%") == "Child poverty (%)"
    assert axis_title("Count", "") == "Count"


def test_compact_keeps_only_percent_and_pound_signs() -> None:
    assert format_value(447.94, "per 100,000 (EASR)", compact=True) == "447.9"
    assert format_value(22.4, "%", compact=True) == "22.4%"
    assert format_value(612.0, "£ per week", compact=True) == "£612.0"
    assert format_value(1.0, "%", compact=True, suppressed=True) == "suppressed"


def test_a_change_that_rounds_to_zero_has_no_sign() -> None:
    """Issue 13, finding 2: "changed by +0.0" / "-0.0 %" told readers something moved when nothing did."""
    assert [format_change(v) for v in (1902.04, -3.46, -0.04, 0.0, 0.04)] == ["+1,902.0", "-3.5", "0.0", "0.0", "0.0"]
    assert format_change(-0.004, decimals=2) == "0.00" and format_change(0.006, decimals=2) == "+0.01"


def test_differences_carry_their_unit() -> None:
    """A difference of two percentages is in percentage points; other units follow the number."""
    assert format_difference(22.71, "%") == "22.7 percentage points"
    assert format_difference(12.5, "£ per week") == "£12.5 per week"
    assert format_difference(530.4, "per 100,000") == "530.4 per 100,000"
    assert format_change(3.6, unit_label="%") == "+3.6 percentage points"
    assert format_change(-12.0, unit_label="£ per week") == "-£12.0 per week"
    assert format_change(-0.01, unit_label="%") == "0.0 percentage points"
    assert format_change(1902.0) == "+1,902.0"
