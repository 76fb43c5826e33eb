"""Quick Profile rows: latest value, comparisons, sparkline, trend and inequality verdicts.

Why: a one-page profile of every indicator must put, side by side and in words, whether the
area is better, similar or worse than Scotland, its council and its family group
(marts.comparisons), whether it is improving (marts.trend), whether the deprivation gap is
narrowing (marts.inequality_trend) and how current the data is. These are decisions, so they
live here, unit-tested; the page only renders them.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.logic.area_profile import parent_area
from dashboard.logic.gap_verdict import headline_gap_verdicts
from dashboard.logic.provenance import published_for
from dashboard.logic.records import row_tuples
from dashboard.safe_cells import csv_row
from dashboard.tables.latest_values import LatestRow

COMPARATORS = ("scotland", "council", "family_group")
VERDICT_WORDS = {"better": "better", "similar": "similar", "worse": "worse", "not comparable": "not compared"}
NOT_AVAILABLE = "not available"
SPARK_W, SPARK_H, SPARK_PAD = 96, 28, 3


@dataclass(frozen=True)
class QuickRow:
    """One indicator's line of the Quick Profile (strings and a small series)."""

    latest: LatestRow
    verdicts: dict[str, str] = field(default_factory=dict)
    series: tuple[float | None, ...] = ()
    periods: tuple[str, ...] = ()
    gap: str = NOT_AVAILABLE
    local: str = ""  # 'Local data: <organisation> (<restriction>)' for a local dataset (Queries.local_labels)


def comparison_verdicts(comparisons: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(indicator_id, comparator) -> 'better' / 'similar' / 'worse' / 'not compared'."""
    if comparisons is None or comparisons.empty:
        return {}
    return {(str(r.indicator_id), str(r.comparator)): VERDICT_WORDS.get(str(r.verdict_95), "not compared")
            for r in row_tuples(comparisons)}


def gap_words(verdicts: pd.DataFrame | None, indicator_id: str) -> str:
    """The headline deprivation-gap verdict for an indicator (dashboard.logic.gap_verdict), as words."""
    return _gap_words(None if verdicts is None else headline_gap_verdicts(verdicts), indicator_id)


def _gap_words(headline: Mapping[str, str] | None, indicator_id: str) -> str:
    """``gap_words`` from the headline verdicts already read (``headline_gap_verdicts``)."""
    if headline is None:
        return NOT_AVAILABLE
    verdict = headline.get(indicator_id)
    if verdict is None:
        return "no deprivation breakdown"
    return {"narrowing": "gap narrowing", "widening": "gap widening",
            "no significant change": "gap: no significant change"}.get(verdict, "gap: cannot be tested")


def quick_rows(
    groups: Sequence[tuple[str, Sequence[LatestRow]]],
    comparisons: pd.DataFrame | None,
    sparklines: pd.DataFrame,
    gap_verdicts: pd.DataFrame | None,
    local_labels: Mapping[str, str] | None = None,
) -> list[tuple[str, list[QuickRow]]]:
    """Combine the latest values with the statistics marts (None where a mart is absent).

    Without marts.comparisons the Scotland verdict falls back to the CI-overlap test done
    on the latest values; council and family group then say 'not available'.
    """
    verdicts = comparison_verdicts(comparisons)
    headline = None if gap_verdicts is None else headline_gap_verdicts(gap_verdicts)  # once, not per row
    series = {str(k): part for k, part in sparklines.groupby("indicator_id", sort=False)} if len(sparklines) else {}
    out = []
    for label, rows in groups:
        quick = []
        for row in rows:
            found = {c: verdicts.get((row.indicator_id, c)) for c in COMPARATORS}
            if comparisons is None:
                found = {"scotland": row.vs_scotland, "council": NOT_AVAILABLE, "family_group": NOT_AVAILABLE}
            words = {c: (v or "–") for c, v in found.items()}
            part = series.get(row.indicator_id)
            values: tuple[float | None, ...] = ()
            periods: tuple[str, ...] = ()
            if part is not None:
                values = tuple(None if bool(s) or pd.isna(v) else float(v)
                               for v, s in zip(part.value, part.is_suppressed, strict=True))
                periods = tuple(str(p) for p in part.period_label)
            quick.append(QuickRow(row, words, values, periods, _gap_words(headline, row.indicator_id),
                                  (local_labels or {}).get(row.indicator_id, "")))
        out.append((label, quick))
    return out


def sparkline_svg(values: Sequence[float | None], colour: str = "#0072B2") -> str:
    """A tiny SVG line (gaps for missing values) with the last point marked."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}"></svg>')
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (SPARK_W - 2 * SPARK_PAD) / max(1, len(values) - 1)
    runs: list[list[tuple[float, float]]] = [[]]
    last: tuple[float, float] | None = None
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
            continue
        point = (SPARK_PAD + i * step, SPARK_H - SPARK_PAD - (v - lo) / span * (SPARK_H - 2 * SPARK_PAD))
        runs[-1].append(point)
        last = point
    paths = "".join(
        f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in run) + '"/>'
        for run in runs if len(run) > 1)
    dot = f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.4" fill="{colour}"/>' if last else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}" '
            f'viewBox="0 0 {SPARK_W} {SPARK_H}">{paths}{dot}</svg>')


def sparkline_src(values: Sequence[float | None]) -> str:
    """The sparkline as a data: URI for an <img> (no request leaves the page)."""
    return "data:image/svg+xml;base64," + base64.b64encode(sparkline_svg(values).encode()).decode()


def sparkline_alt(title: str, values: Sequence[float | None], periods: Sequence[str]) -> str:
    """Alt text stating what the sparkline shows: first and last known values and periods."""
    known = [(p, v) for p, v in zip(periods, values, strict=False) if v is not None]
    if len(known) < 2:
        return f"{title}: too few values for a trend line"
    (p0, v0), (p1, v1) = known[0], known[-1]
    return f"{title} from {v0:,.1f} in {p0} to {v1:,.1f} in {p1}"


CSV_HEADER = ["Priority", "Indicator", "Direction", "Latest period", "Value", "Value type", "95% CI", "vs Scotland",
              "vs council", "vs family group", "Trend (last 5 periods)", "CPOP rating (Improvement Service)",
              "Deprivation gap", "Source", "Data as of", "Local data"]


def table_csv(groups: Sequence[tuple[str, Sequence[QuickRow]]], area_name: str, demo: str | None = None) -> bytes:
    """The Quick Profile table exactly as shown, as CSV (the page's own download); ``demo`` is the fictional
    demo's line, written first when the warehouse is the demo."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if demo:
        writer.writerow(csv_row([demo]))
    writer.writerow(csv_row([f"Quick profile: {area_name}"]))
    writer.writerow(CSV_HEADER)
    for label, rows in groups:
        for q in rows:
            r = q.latest
            writer.writerow(csv_row([label, r.title, r.polarity_text, r.period, r.value, ", ".join(r.labels) or "observed",
                             r.ci, q.verdicts.get("scotland", ""), q.verdicts.get("council", ""),
                             q.verdicts.get("family_group", ""), r.trend, r.cpop.sentence() if r.cpop else "", q.gap,
                             r.source, r.as_of, q.local]))
    return out.getvalue().encode("utf-8")


def comparator_names(area: Mapping[str, object]) -> dict[str, str]:
    """Column headings of the comparators that apply to the area, in table order.

    A council is compared with Scotland and with the other councils of its LGBF family group
    (family groups are defined for councils only); an area inside a council with Scotland and
    its council ('vs Fife'); Scotland with nothing.
    """
    area_type = area.get("area_type")
    if area_type == "scotland":
        return {}
    if area_type == "council":
        return {"scotland": "vs Scotland", "family_group": "vs family group"}
    council = area.get("council_name")
    return {"scotland": "vs Scotland",
            "council": f"vs {council}" if isinstance(council, str) and council else "vs council"}


def area_subtitle(area: Mapping[str, Any]) -> str:
    """'S13009055 in Strathmorven · population 10,963' (a council is not said to be in itself)."""
    council = area.get("council_name")
    inside = isinstance(council, str) and council and area.get("area_type") != "council"
    population = area.get("population")
    known = isinstance(population, (int, float)) and population == population and population > 0
    return (f"{area.get('area_code', '')}{f' in {council}' if inside else ''}"
            f"{f' · population {int(population):,}' if known else ''}")


def gap_area_name(area: Mapping[str, Any]) -> str | None:
    """The name of the area whose deprivation gap applies, when it is not the area itself.

    Why: a ward or data zone has no most and least deprived fifth of its own; the verdict shown
    is its parent's (``parent_area``: its council, or Scotland for an area across councils such
    as a health board), and the page must say so.
    """
    parent_type, parent_code = parent_area(area)
    if (parent_type, parent_code) == (area.get("area_type"), area.get("area_code")):
        return None
    return str(area.get("council_name") or parent_code) if parent_type == "council" else "Scotland"


def gap_heading(area: Mapping[str, Any]) -> str:
    """The deprivation-gap column's heading: 'Deprivation gap in Auchenfudge' for a ward in it."""
    where = gap_area_name(area)
    return f"Deprivation gap in {where}" if where else "Deprivation gap"


def missing_indicators(catalogue: pd.DataFrame, present: set[str], area_type: str,
                       labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """(short title, reason) of every catalogued indicator the area has no value for, in catalogue order.

    The reason says where the indicator is published when the area's type is not among its
    geographies ('published for council areas (CPPs) and Scotland only'), else that this area has no
    value ('no value for this area in this build'). ``labels`` are plural area type labels
    (``plural_labels``), in display order.
    """
    out = []
    for row in catalogue.to_dict("records"):
        if str(row["indicator_id"]) in present:
            continue
        geos = [str(g) for g in _as_list(row.get("geographies"))]
        having = [str(t) for t in _as_list(row.get("area_types"))] or geos
        title = str(row.get("short_title") or row["indicator_id"])
        if area_type not in having:
            out.append((title, published_for(having, labels)))
        else:
            out.append((title, "no value for this area in this build"))
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None or isinstance(value, float | str):
        return [] if not isinstance(value, str) else [value]
    try:
        return list(value)
    except TypeError:
        return []
