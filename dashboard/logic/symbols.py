"""One symbol vocabulary for the whole product, so a symbol means one thing everywhere.

Why: a review found ▲ meaning "improving" on the Home tiles but "better than Scotland" on the
profile. Arrows now only ever mean change over time; comparisons with another area use ticks
and crosses; the gap uses converging and diverging arrows. Words always stand beside a symbol
(it is never the only cue) and ``LEGEND`` is printed wherever symbols appear.
"""

from __future__ import annotations

#: trend over time (marts.trend.trend_verdict)
TREND_SYMBOLS = {"improving": "▲", "worsening": "▼", "no significant change": "●"}
#: an area against a comparator (Scotland, its council, its family group)
COMPARISON_SYMBOLS = {"better": "✔", "similar": "≈", "worse": "✖"}
#: the gap between the most and least deprived (the headline gap verdict)
GAP_SYMBOLS = {"narrowing": "→←", "widening": "←→"}
NOT_TESTED_SYMBOL = "–"

LEGEND: tuple[tuple[str, str], ...] = (
    ("▲", "improving"), ("▼", "worsening"), ("●", "no significant change"),
    ("✔", "better than"), ("≈", "similar to"), ("✖", "worse than"),
    ("→←", "gap narrowing"), ("←→", "gap widening"), ("–", "not tested"),
)


def trend_symbol(verdict: str) -> str:
    return TREND_SYMBOLS.get(verdict, NOT_TESTED_SYMBOL)


def comparison_symbol(verdict: str) -> str:
    return COMPARISON_SYMBOLS.get(verdict, NOT_TESTED_SYMBOL)


def gap_symbol(verdict: str) -> str:
    return GAP_SYMBOLS.get(verdict, NOT_TESTED_SYMBOL)
