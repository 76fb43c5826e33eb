"""Plain-English captions that state each chart's verdict (a chart must never need decoding)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.formatting import format_change, format_difference, format_value
from dashboard.logic.gap_verdict import GAP_MEASURE_WORDS, NOT_TESTED, gap_verdict_sentence


def trend_caption(name: str, title: str, trend: dict[str, Any], reason: str = "", unit: str = "") -> str:
    """The trend chart's verdict in words; ``reason`` says why a trend cannot be calculated
    (``dashboard.logic.provenance.trend_reason``); the change is given in ``unit`` (percentage
    points for a percentage)."""
    if not trend:
        return f"No trend is available for {title.lower()} in {name}."
    verdict = trend.get("trend_verdict", "cannot be calculated")
    change = trend.get("change_abs")
    since = trend.get("baseline_period_label")
    latest = trend.get("latest_period_label")
    span = f"between {since} and {latest}" if latest else f"since {since}"
    moved = (f" It has changed by {format_change(change, unit_label=unit)} {span}." if change is not None and not pd.isna(change)
             and since else "")
    sentence = {
        "improving": "is improving: the change over the last five periods is statistically significant.",
        "worsening": "is getting worse: the change over the last five periods is statistically significant.",
        "no significant change": "shows no statistically significant change over the last five periods.",
    }.get(verdict, f"cannot be tested for a trend: {reason}." if reason else
          "has too few recent values to test for a trend.")
    return f"{title} in {name} {sentence}{moved}"


TARGET_STATUS_WORDS = {
    "on track": "On track: if the recent trend continues, the chance of meeting it is 80% or more.",
    "at risk": "At risk: if the recent trend continues, it is more likely than not to be met, but not safely "
               "(a 50% to 80% chance).",
    "off track": "Off track: if the recent trend continues, it is less likely than not to be met "
                 "(under a 50% chance).",
}


def target_caption(target: dict[str, Any], unit: str) -> str:
    """The target and its status in words, with the projection and the trajectory's value now."""
    year = int(target["target_year"])
    who = f" (set by {target['set_by']})" if target.get("set_by") else ""
    text = f"Target: {format_value(target['target_value'], unit)} by {year}{who}. "
    status = target.get("status")
    text += TARGET_STATUS_WORDS.get(status or "", "Its status cannot be calculated: fewer than three published "
                                                    "values since the baseline.")
    projected, low, high = (target.get(k) for k in ("projected_value", "projection_lower", "projection_upper"))
    if status in TARGET_STATUS_WORDS and not pd.isna(projected):
        text += (f" The recent trend projects {format_value(projected, unit)} in {year} (95% interval "
                 f"{format_value(low, unit)} to {format_value(high, unit)}).")
    on_line, latest = target.get("trajectory_value_latest"), target.get("latest_value")
    if on_line is not None and not pd.isna(on_line) and latest is not None and not pd.isna(latest):
        text += (f" On the trajectory from {target['baseline_period_label']} it would be "
                 f"{format_value(on_line, unit)} in {target['latest_period_label']}; it is "
                 f"{format_value(latest, unit)}.")
    return text


def rank_caption(frame: pd.DataFrame, chosen: str, name: str, polarity: str) -> str:
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=(polarity == "low_is_good"))
    if chosen not in set(data.area_code):
        return f"{name} has no published value in this period, so it is not ranked."
    position = list(data.area_code).index(chosen) + 1
    return f"{name} ranks {position} of {len(data)} (1 = best) among these areas."


def inequality_caption(groups: pd.DataFrame, parent_name: str, *, national: bool = True, unit: str = "") -> str:
    """The gap in the chosen basis, and the one headline verdict (dashboard.logic.gap_verdict).

    ``gap_verdict`` is the headline verdict whatever basis is drawn, so a page never shows two
    verdicts for one gap; with local fifths the sentence says which gap the verdict is about.
    """
    if groups.empty:
        return f"No deprivation breakdown is available for {parent_name}."
    row = groups.iloc[0]
    gap = row.get("absolute_gap")
    verdict = row.get("gap_verdict") or NOT_TESTED
    gap_text = (f"The gap between the most and least deprived fifth is {format_difference(gap, unit)}"
                if gap is not None
                and not pd.isna(gap) else "The gap cannot be calculated (a group is suppressed)")
    if national:
        trend = {"narrowing": "and it is narrowing.", "widening": "and it is widening.",
                 "no significant change": "with no significant change over the last five periods."}.get(
            verdict, "(too few periods to test whether it is narrowing).")
        return (f"In {parent_name}: {gap_text} {trend} A positive gap or SII means worse outcomes in the more "
                "deprived areas.")
    words = VERDICT_PHRASES.get(verdict, "cannot be tested (too few periods)")
    return (f"In {parent_name}: {gap_text} (fifths within the council). Judged on {GAP_MEASURE_WORDS}, "
            f"the gap {words}.")


VERDICT_PHRASES = {"narrowing": "is narrowing", "widening": "is widening",
                   "no significant change": "shows no significant change over the last five periods"}


def extremes_caption(extremes: pd.DataFrame, verdict: str | None, parent_name: str, unit: str, *,
                     national: bool = True) -> str:
    """The one headline gap verdict (``gap_verdict_sentence``), then the latest period's two ends in
    words; with local fifths or tenths it says the verdict is judged on national fifths."""
    sentence = gap_verdict_sentence(verdict, parent_name)
    if not national:
        sentence = sentence[:-1] + " (the verdict is judged on national fifths, whatever groups are drawn)."
    both = extremes.dropna(subset=["value"])
    both = both[~both.is_suppressed.fillna(False).astype(bool)]
    periods = both.groupby("period_label", sort=False).end.nunique()
    complete = [p for p in both.sort_values("period_year").period_label.unique() if periods.get(p) == 2]
    if not complete:
        return sentence
    last = both[both.period_label == complete[-1]].set_index("end").value
    return (f"{sentence} In {complete[-1]} the most deprived had {format_value(last['most'], unit)} and the "
            f"least deprived {format_value(last['least'], unit)}.")


def spine_caption(positions: pd.DataFrame, name: str) -> str:
    """How many of the theme's indicators are better, similar or worse than Scotland."""
    if positions.empty:
        return f"No indicator of this theme can be compared with Scotland for {name}."
    counts = positions.verdict.value_counts()
    parts = [f"{int(counts.get(v, 0))} {v}" for v in ("better", "similar", "worse") if counts.get(v, 0)]
    return f"Compared with Scotland, {name} is " + ", ".join(parts) + f" on {len(positions)} indicators of this theme."


def sii_caption(series: pd.DataFrame, parent_name: str, unit: str = "") -> str:
    """The latest SII in words. No verdict of its own: the gap's verdict is the headline one."""
    data = series.dropna(subset=["sii"])
    if data.empty:
        return f"The slope index of inequality cannot be calculated for {parent_name}."
    last = data.iloc[-1]
    direction = "worse" if last.sii > 0 else "better"
    return (f"In {parent_name} in {last.period_label}, outcomes are {direction} in more deprived areas "
            f"(SII {format_change(last.sii, unit_label=unit)}, the gap across all five fifths). The verdict on the gap (narrowing or "
            f"widening) is judged on {GAP_MEASURE_WORDS}, shown above.")


def _community_count(series: pd.DataFrame) -> int:
    """The council's number of communities (intermediate zones) with rows for the indicator; 0 when
    the indicator is not published for communities at all."""
    if "duncan_iz_count" not in series:
        return 0
    counts = pd.to_numeric(series.duncan_iz_count, errors="coerce").dropna()
    return int(counts.max()) if len(counts) else 0


def _withheld_words(count: int) -> str:
    return (f"it needs a published value for each of the {count:,} communities (intermediate zones), and in "
            "every period some are withheld because their numbers are small")


def duncan_caption(series: pd.DataFrame, parent_name: str) -> str:
    """The latest Duncan index in words (its chart shows the change; the gap verdict is above); when
    there is none, why: not published for communities, or some communities withheld (issue 13: a
    council with 66 communities was told it 'needs community-level values')."""
    data = series.dropna(subset=["duncan_index"])
    if data.empty:
        count = _community_count(series)
        if count:
            return f"No Duncan index for this indicator in {parent_name}: {_withheld_words(count)}."
        return (f"No Duncan index for this indicator in {parent_name}: it is calculated only for "
                "indicators published for intermediate zones (communities).")
    last = data.iloc[-1]
    fare = "fare worse" if last.duncan_index > 0 else "do not fare worse"
    return (f"Duncan index {last.duncan_index:.2f} in {last.period_label}: income-deprived people in {parent_name} "
            f"{fare} across its communities.")


def best_worst_caption(series: pd.DataFrame, parent_name: str, unit: str) -> str:
    """The latest best and worst community; they are named only in periods when every community's
    value is published (a withheld one may be the best or the worst), and the caption says so."""
    data = series.dropna(subset=["best_iz_value", "worst_iz_value"])
    if data.empty:
        count = _community_count(series)
        if count:
            return (f"The best and worst community in {parent_name} cannot be named for this indicator: "
                    f"{_withheld_words(count)}, and a withheld one may be the best or the worst.")
        return f"No community-level values for {parent_name}."
    last = data.iloc[-1]
    text = (f"In {last.period_label} the best community in {parent_name} ({last.best_iz_name}) had "
            f"{format_value(last.best_iz_value, unit)} and the worst ({last.worst_iz_name}) "
            f"{format_value(last.worst_iz_value, unit)}.")
    with_rows = series[series.duncan_iz_count.notna()] if "duncan_iz_count" in series else series
    left_out = with_rows.period_label.nunique() - data.period_label.nunique()
    if left_out:
        text += (f" {left_out} period{'s are' if left_out > 1 else ' is'} left out: some communities' values "
                 "are withheld there because their numbers are small.")
    return text


def communities_caption(frame: pd.DataFrame, council_name: str) -> str:
    flagged = frame[frame.is_most_vulnerable.fillna(False).astype(bool)]
    if frame.empty:
        return f"No communities in the round for {council_name}."
    names = ", ".join(str(n) for n in flagged.area_name.head(5))
    return (f"{len(frame)} communities in {council_name}; the most vulnerable (lowest combined outcomes): "
            f"{names or 'none flagged'}.")
