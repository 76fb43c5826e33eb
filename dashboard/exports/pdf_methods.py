"""The last pages of the PDF profile: how the figures are made and where they come from.

Why: a board paper must say where its numbers come from in words a board member can check
against the publisher (who published it, which release, when), not in file hashes or internal
table names; researchers have the warehouse and docs/methods.md for the detail.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from dashboard.exports.pdf_style import esc, grid_style, para
from dashboard.exports.profile import IndicatorProfile, ProfileData
from dashboard.formatting import format_date
from dashboard.logic.gap_verdict import GAP_MEASURE_WORDS
from dashboard.logic.provenance import VALUES_EXPLAINED, WHY_THEY_DIFFER

INTERVAL_WORDS = {
    "wilson": "Wilson score interval",
    "byar": "Byar's method (exact Poisson limits below 10 events)",
    "dobson": "Dobson's method for age-standardised rates",
    "none": "none (published without one)",
}
MEASURE_WORDS = {
    "percentage": "percentage", "crude_rate": "rate", "age_standardised_rate": "age-standardised rate",
    "mean": "average", "median": "median", "count": "count",
}

HOW_FIGURES_ARE_MADE = (
    "Where a publisher publishes a figure for an area, it is shown exactly as published. Areas nobody "
    "publishes (wards, localities, areas you draw) are built by adding up the counts of their data zones "
    "and dividing the sums, never by averaging rates. Each value has a 95 % confidence interval: the range "
    "the true value probably lies in, given chance variation. An area is better or worse than Scotland only "
    "when its interval excludes Scotland's value. An indicator is improving or worsening only when its "
    "change over the last five points is statistically significant at 95 % and does not hinge on any single "
    "point. Whether inequality is narrowing is judged on " + GAP_MEASURE_WORDS + ", in the indicator's own "
    "units. Small counts are withheld to protect people's privacy: a withheld value is shown as "
    "'suppressed', never as a number. Statistics this build does not have are shown as 'not available'."
)


def methods_section(data: ProfileData) -> list[Any]:
    """The flowables of the methods and sources pages."""
    out: list[Any] = [para("Methods and sources", "h1"), para(esc(HOW_FIGURES_ARE_MADE), "body"),
                      Spacer(1, 2 * mm), para(esc(VALUES_EXPLAINED), "body")]
    if data.area_type == "council":
        out += [Spacer(1, 2 * mm), para(esc("CPOP rating: the Improvement Service's own improvement rate and "
                                            "2x2 rating against Scotland, shown beside cpop's trend verdict. "
                                            + WHY_THEY_DIFFER), "body")]
    out += [para("Where each indicator comes from", "h2"), _sources_table(data), Spacer(1, 3 * mm),
            para("What each indicator measures", "h2")]
    for ind in data.indicators:
        out.append(para(_definition(ind), "small"))
        out.append(Spacer(1, 1.5 * mm))
    out += [Spacer(1, 3 * mm), para(esc(_build_line(data)), "small")]
    return out


def _sources_table(data: ProfileData) -> Table:
    rows: list[list[Any]] = [[para(f"<b>{h}</b>", "cell") for h in ("Indicator", "Published by", "Release",
                                                                     "Catalogue updated")]]
    for ind in data.indicators:
        release = (ind.latest.source_release if ind.latest is not None else None) or "–"
        rows.append([para(esc(ind.short_title), "cell"), para(esc(ind.source_line or ind.source), "cell"),
                     para(esc(release), "cell"), para(esc(_date(ind.last_update)), "cell")])
    table = Table(rows, colWidths=[48 * mm, 78 * mm, 22 * mm, 26 * mm], repeatRows=1)
    table.setStyle(grid_style())
    return table


def _definition(ind: IndicatorProfile) -> str:
    measure = MEASURE_WORDS.get(ind.measure_type, ind.measure_type.replace("_", " "))
    interval = INTERVAL_WORDS.get(ind.ci_method, ind.ci_method)
    parts = [f"<b>{esc(ind.title)}</b>. {esc(ind.definition)}",
             f"Measured as a {esc(measure)} ({esc(ind.unit_label)}); "
             f"{'lower' if ind.polarity == 'low_is_good' else 'higher'} is better; confidence interval: "
             f"{esc(interval)}. Small numbers: {esc(ind.disclosure_rule)}."]
    if ind.caveats:
        parts.append(f"Caveats: {esc(ind.caveats)}")
    return " ".join(parts)


def _build_line(data: ProfileData) -> str:
    b = data.build
    built = _date(b.get("built_at"))
    demo = " It uses the fictional demo data." if b.get("demo") else ""
    return (f"Data as at {data.as_of}. Produced by cpop {b.get('code_version', '')} on {built} from the "
            f"publishers' files listed above.{demo}").replace("cpop  on", "cpop on")


def _date(value: Any) -> str:
    return format_date(value, missing="–")
