"""Plain-English captions that state each chart's verdict (a chart must never need decoding)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def trend_caption(name: str, title: str, trend: dict[str, Any]) -> str:
    if not trend:
        return f"No trend is available for {title.lower()} in {name}."
    verdict = trend.get("trend_verdict", "cannot be calculated")
    change = trend.get("change_abs")
    since = trend.get("baseline_period_label")
    moved = (f" It has changed by {change:+,.1f} since {since}." if change is not None and not pd.isna(change)
             and since else "")
    sentence = {
        "improving": "is improving: the change over the last five periods is statistically significant.",
        "worsening": "is getting worse: the change over the last five periods is statistically significant.",
        "no significant change": "shows no statistically significant change over the last five periods.",
    }.get(verdict, "has too few recent values to test for a trend.")
    return f"{title} in {name} {sentence}{moved}"


def rank_caption(frame: pd.DataFrame, chosen: str, name: str, polarity: str) -> str:
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=(polarity == "low_is_good"))
    if chosen not in set(data.area_code):
        return f"{name} has no published value in this period, so it is not ranked."
    position = list(data.area_code).index(chosen) + 1
    return f"{name} ranks {position} of {len(data)} (1 = best) among these areas."


def inequality_caption(groups: pd.DataFrame, parent_name: str) -> str:
    if groups.empty:
        return f"No deprivation breakdown is available for {parent_name}."
    row = groups.iloc[0]
    gap = row.get("absolute_gap")
    verdict = row.get("gap_verdict") or "cannot be calculated"
    gap_text = (f"The gap between the most and least deprived fifth is {gap:,.1f}" if gap is not None
                and not pd.isna(gap) else "The gap cannot be calculated (a group is suppressed)")
    trend = {"narrowing": "and it is narrowing.", "widening": "and it is widening.",
             "no significant change": "with no significant change over the last five periods."}.get(
        verdict, "(too few periods to test whether it is narrowing).")
    return f"In {parent_name}: {gap_text} {trend} A positive SII means worse outcomes in more deprived areas."
