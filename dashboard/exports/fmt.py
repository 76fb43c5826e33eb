"""Text for numbers in exports, shared by the PDF, the workbook and the CSV.

Why: one rule for decimals and units (the dashboard's ``formatting``), and one rule for
disclosure control: a suppressed value is the word "suppressed", never a number or zero.
"""

from __future__ import annotations

from dashboard.formatting import SUPPRESSED_TEXT, format_ci, format_number, format_value, is_missing

NOT_AVAILABLE_TEXT = "not available"


def value_text(value: float | None, unit_label: str = "", *, suppressed: bool = False, decimals: int = 1) -> str:
    """``'26.8%'``; suppressed -> 'suppressed'; missing -> an en dash."""
    return format_value(value, unit_label, suppressed=suppressed, decimals=decimals)


def ci_text(lower: float | None, upper: float | None, *, suppressed: bool = False, decimals: int = 1) -> str:
    """``'25.3 – 28.3'``; suppressed -> 'suppressed'; missing -> an en dash."""
    return format_ci(lower, upper, suppressed=suppressed, decimals=decimals)


def number_text(value: float | int | None, decimals: int = 1, *, suffix: str = "") -> str:
    """``1,234.5`` (with an optional suffix); missing -> an en dash."""
    text = format_number(value, decimals)
    return text if is_missing(value) else text + suffix


def verdict_text(verdict: str | None) -> str:
    """A verdict as shown: missing -> 'not available'."""
    return verdict or NOT_AVAILABLE_TEXT


__all__ = ["SUPPRESSED_TEXT", "NOT_AVAILABLE_TEXT", "value_text", "ci_text", "number_text", "verdict_text"]
