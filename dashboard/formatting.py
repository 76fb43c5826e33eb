"""How numbers, intervals and periods are written for people (pure, shared by cards and charts).

Why: one place decides decimals and unit placement, so a table and a chart tooltip can
never show the same value two ways; a suppressed value is always the word "suppressed",
never a number or zero (DOMAIN: disclosure control).
"""

from __future__ import annotations

import math

SUPPRESSED_TEXT = "suppressed"
MISSING_TEXT = "–"


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_number(value: object, decimals: int = 1) -> str:
    """``1234.5`` -> ``'1,234.5'``; missing -> an en dash."""
    if is_missing(value):
        return MISSING_TEXT
    return f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]


def format_value(
    value: object,
    unit_label: str = "",
    *,
    suppressed: bool = False,
    decimals: int = 1,
    compact: bool = False,
) -> str:
    """A value with its unit: ``'26.8%'``, ``'£612.0 per week'``, ``'530.4 per 100,000'``.

    ``compact`` keeps only a '%' or '£' sign (for comparator columns beside a full value).
    """
    if suppressed:
        return SUPPRESSED_TEXT
    if is_missing(value):
        return MISSING_TEXT
    number = format_number(value, decimals)
    unit = (unit_label or "").strip()
    if unit == "%":
        return f"{number}%"
    if compact:
        return f"£{number}" if unit.startswith("£") else number
    if unit.startswith("£"):
        rest = unit[1:].strip()
        return f"£{number} {rest}".rstrip()
    return f"{number} {unit}".rstrip()


def format_ci(
    lower: object, upper: object, *, suppressed: bool = False, decimals: int = 1
) -> str:
    """A 95 % interval ``'25.3 – 28.3'``; suppressed -> 'suppressed'; missing -> en dash."""
    if suppressed:
        return SUPPRESSED_TEXT
    if is_missing(lower) or is_missing(upper):
        return MISSING_TEXT
    return f"{format_number(lower, decimals)} – {format_number(upper, decimals)}"


def axis_title(short_title: str, unit_label: str) -> str:
    """Y-axis title naming the measure and its unit: ``'Child poverty (%)'``."""
    unit = (unit_label or "").strip()
    return f"{short_title} ({unit})" if unit else short_title


def format_date(value: object, *, missing: str = "", month: str = "%B") -> str:
    """'2023-09-01' or a timestamp -> '1 September 2023' (``month="%b"``: '1 Sep 2023');
    ``missing`` when there is no date. One rule for dates on pages, exports and board papers."""
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return missing
    return missing if pd.isna(stamp) else f"{stamp.day} {stamp.strftime(month)} {stamp.year}"


def format_change(value: float, decimals: int = 1, unit_label: str = "") -> str:
    """A signed change, '+1,902.0' / '-3.5', and '0.0' (no sign) when it rounds to zero: a
    '-0.0' tells a reader something moved when nothing did. With ``unit_label`` the change says
    its unit (``format_difference``): '+3.6 percentage points', '+1,902.0 per 100,000'."""
    text = f"{value:+,.{decimals}f}"
    text = text[1:] if float(text.replace(",", "")) == 0 else text
    return _with_difference_unit(text, unit_label) if unit_label else text


def format_difference(value: float, unit_label: str = "", decimals: int = 1) -> str:
    """A gap or difference with its unit, unsigned: '22.7 percentage points' (a difference of two
    percentages is in percentage points, not per cent), '£12.5 per week', '530.4 per 100,000'."""
    return _with_difference_unit(format_number(value, decimals), unit_label)


def _with_difference_unit(number: str, unit_label: str) -> str:
    unit = (unit_label or "").strip()
    if unit == "%":
        return f"{number} percentage points"
    if unit.startswith("£"):
        sign = number[0] if number[:1] in "+-" else ""
        return f"{sign}£{number.lstrip('+-')} {unit[1:].strip()}".rstrip()
    return f"{number} {unit}".rstrip()
