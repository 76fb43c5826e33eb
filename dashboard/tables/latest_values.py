"""Shape ``Queries.latest_values`` rows for display, grouped by the six SOA priorities.

Why: the formatting, ordering and the comparison with Scotland are decisions that need
unit tests; keeping them out of the component leaves the component a thin renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from dashboard.formatting import format_ci, format_value, is_missing
from dashboard.logic.provenance import (
    CpopRating,
    cpop_rating,
    provenance_line,
    trend_reason,
    value_labels,
)
from dashboard.logic.provenance import (
    is_missing as text_missing,
)

# The usual order of the six national priorities (meta.indicators.soa_priority slugs).
PRIORITY_ORDER = (
    "economy", "employment", "early_years", "safer_communities", "health", "older_people",
)

Comparison = Literal["better", "worse", "similar", "not compared"]


@dataclass(frozen=True)
class LatestRow:
    """One indicator's latest value, ready to render (all strings)."""

    indicator_id: str
    title: str
    polarity_text: str
    period: str
    value: str
    ci: str
    council: str
    scotland: str
    vs_scotland: Comparison
    is_suppressed: bool
    trend: str = "cannot be calculated"
    as_of: str = ""
    value_type: str = "raw"
    labels: tuple[str, ...] = ()  # 'projected by the publisher', 'estimated', 'revised' (empty: observed)
    source: str = ""  # 'Improvement Service, CPOP September 2023'
    note: str = ""  # the warehouse's plain-words note on the value (an estimate, a count above its base)
    projection: str = ""  # 'projected 27.3% in 2024/25' when the publisher projects beyond the latest value
    has_interval: bool = True
    trend_reason: str = ""  # why the trend cannot be calculated, in words
    cpop: CpopRating | None = None
    updated: str = ""  # 'catalogue updated 1 Sep 2023'


def compare(
    lower: Any, upper: Any, comparator: Any, polarity: str, *, suppressed: bool = False
) -> Comparison:
    """Better/worse when the area's 95 % CI excludes the comparator's value, else similar.

    Notes: polarity 'high_is_good' makes an interval wholly above the comparator
    'better'; 'low_is_good' makes it 'worse'. Missing inputs give 'not compared'.
    """
    if suppressed or is_missing(lower) or is_missing(upper) or is_missing(comparator):
        return "not compared"
    lo, hi, c = float(lower), float(upper), float(comparator)
    if lo <= c <= hi:
        return "similar"
    above = lo > c
    if polarity == "high_is_good":
        return "better" if above else "worse"
    if polarity == "low_is_good":
        return "worse" if above else "better"
    return "not compared"


def polarity_text(polarity: str) -> str:
    """Plain words for the direction of good."""
    return {"high_is_good": "higher is better", "low_is_good": "lower is better"}.get(
        polarity, ""
    )


def latest_row(row: dict[str, Any]) -> LatestRow:
    """Format one row of ``latest_values`` (suppressed values become 'suppressed')."""
    unit = str(row.get("unit_label") or "")
    suppressed = bool(row.get("is_suppressed"))
    has_interval = not (is_missing(row.get("ci_lower")) or is_missing(row.get("ci_upper")))
    projected = row.get("projected_value")
    projection = "" if is_missing(projected) else \
        f"projected {format_value(projected, unit, compact=True)} in {row.get('projected_period_label')}"
    return LatestRow(
        indicator_id=str(row["indicator_id"]),
        title=str(row.get("short_title") or row.get("title") or row["indicator_id"]),
        polarity_text=polarity_text(str(row.get("polarity") or "")),
        period=str(row.get("period_label") or ""),
        value=format_value(row.get("value"), unit, suppressed=suppressed),
        ci=format_ci(row.get("ci_lower"), row.get("ci_upper"), suppressed=suppressed),
        council=format_value(row.get("council_value"), unit, compact=True,
                             suppressed=bool(row.get("council_is_suppressed"))),
        scotland=format_value(row.get("scotland_value"), unit, compact=True,
                              suppressed=bool(row.get("scotland_is_suppressed"))),
        vs_scotland=compare(row.get("ci_lower"), row.get("ci_upper"),
                            row.get("scotland_value"), str(row.get("polarity") or ""),
                            suppressed=suppressed),
        is_suppressed=suppressed,
        trend=str(row.get("trend_verdict") or "cannot be calculated"),
        as_of=_as_of(row.get("last_update"), row.get("source_release")),
        value_type=str(row.get("value_type") or "raw"),
        labels=tuple(value_labels(row.get("value_type"), row.get("value_source"), row.get("is_revised"))),
        source=provenance_line(row.get("value_source"), row.get("publisher"), row.get("dataset"),
                               row.get("source_release")) if "value_source" in row else "",
        note="" if text_missing(row.get("note")) else str(row.get("note")),
        projection=projection,
        has_interval=has_interval or suppressed,
        trend_reason=trend_reason(row.get("trend_verdict") or "cannot be calculated", has_interval=has_interval,
                                  has_counts=not is_missing(row.get("numerator")), points=row.get("trend_points")),
        cpop=cpop_rating(row),
        updated=_updated(row.get("last_update")),
    )


def _updated(last_update: Any) -> str:
    """'updated 1 Sep 2023' (the catalogue's date of the source's last update), '' when unknown."""
    if last_update is None or is_missing_date(last_update):
        return ""
    stamp = pd.Timestamp(last_update)
    return f"updated {stamp.day} {stamp:%b %Y}"


def _as_of(last_update: Any, release: Any) -> str:
    """'updated 15 Sep 2025 (release 2025-09)' from the catalogue date and source release."""
    parts = []
    if last_update is not None and not is_missing_date(last_update):
        parts.append(f"updated {pd.Timestamp(last_update):%d %b %Y}")
    if isinstance(release, str) and release:
        parts.append(f"release {release}")
    return "; ".join(parts)


def is_missing_date(value: Any) -> bool:
    """True for None/NaT/NaN."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def priority_groups(df: pd.DataFrame) -> list[tuple[str, list[LatestRow]]]:
    """(priority label, rows) in the national priority order; unknown priorities last."""
    if df.empty:
        return []
    rank = {slug: i for i, slug in enumerate(PRIORITY_ORDER)}
    known = df[df["soa_priority"].notna()]  # as groupby: a row without a priority is in no group
    labels: dict[str, str] = {}
    for slug, label in zip(known["soa_priority"], known["soa_priority_label"], strict=True):
        labels.setdefault(str(slug), str(label or slug))  # the first row's label, in the frame's order
    # one sort and one conversion for the whole frame (a stable sort keeps each priority's order)
    rows: dict[str, list[LatestRow]] = {}
    for record in known.sort_values(["short_title", "indicator_id"], kind="stable").to_dict("records"):
        rows.setdefault(str(record["soa_priority"]), []).append(latest_row(record))
    ordered = sorted(rows, key=lambda slug: (rank.get(slug, len(rank)), slug))
    return [(labels[slug], rows[slug]) for slug in ordered]
