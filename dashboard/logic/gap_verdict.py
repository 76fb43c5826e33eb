"""The one deprivation-gap verdict per indicator and area that every page and export shows.

Why: the web once judged the gap by the most-vs-least-deprived fifths and the PDF by the SII,
so one gap got two verdicts on one board paper. The build marks the headline rows of
``marts.inequality_trend`` (``is_headline``: the absolute gap between the most and least
deprived fifths of Scotland's data zones); every reader goes through this module.
"""
from __future__ import annotations

import pandas as pd

from dashboard.logic.records import row_tuples
from etl.marts.inequality import HEADLINE_BASIS, HEADLINE_MEASURE

NOT_TESTED = "cannot be calculated"
GAP_MEASURE_WORDS = "the gap between the most and least deprived fifths of Scotland's data zones"
GAP_SHORT_WORDS = "gap between the most and least deprived fifths"


def headline_rows(verdicts: pd.DataFrame | None) -> pd.DataFrame:
    """The headline rows of an ``inequality_trend`` frame (empty when there is none)."""
    if verdicts is None or verdicts.empty:
        return pd.DataFrame(columns=["indicator_id", "verdict"])
    if "is_headline" in verdicts:
        return verdicts[verdicts.is_headline.fillna(False).astype(bool)]
    return verdicts[(verdicts.basis == HEADLINE_BASIS) & (verdicts.measure == HEADLINE_MEASURE)]


def headline_gap_verdicts(verdicts: pd.DataFrame | None) -> dict[str, str]:
    """indicator_id -> narrowing / widening / no significant change / cannot be calculated."""
    rows = headline_rows(verdicts)
    return {str(r.indicator_id): str(r.verdict) if isinstance(r.verdict, str) else NOT_TESTED
            for r in row_tuples(rows)}


def headline_gap_verdict(verdicts: pd.DataFrame | None, indicator_id: str) -> str | None:
    """The indicator's headline verdict, or None when the parent has no deprivation breakdown."""
    return headline_gap_verdicts(verdicts).get(indicator_id)


VERDICT_WORDS = {"narrowing": "is narrowing", "widening": "is widening",
                 "no significant change": "shows no statistically significant change over the last five periods"}


def gap_verdict_sentence(verdict: str | None, place: str) -> str:
    """The headline verdict as the sentence every chart of the gap uses: 'In Fife, the gap between
    the most and least deprived fifths of Scotland's data zones is widening.'"""
    words = VERDICT_WORDS.get(verdict or "", "cannot be tested for a trend (too few periods with both values)")
    return f"In {place}, {GAP_MEASURE_WORDS} {words}."
