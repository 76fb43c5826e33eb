"""Page 1 of the PDF profile: every indicator on one page, with the board's two answers.

Why: a board member reads the first page and maybe nothing else. It must say, for every
indicator, the latest value, how it compares with Scotland, whether it is improving and whether
the gap between the most and least deprived is narrowing, using the same verdicts as every
other page (the profile data; the gap verdict is the headline one, dashboard.logic.gap_verdict).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from dashboard.exports.charts import map_drawing
from dashboard.exports.fmt import number_text, value_text
from dashboard.exports.pdf_style import FRAME_W, cell_verdict, esc, para
from dashboard.exports.profile import IndicatorProfile, ProfileData
from dashboard.logic.gap_verdict import GAP_SHORT_WORDS

HEADER = ("Indicator", "Latest", "vs Scotland", "Trend (last 5 points)", "Deprivation gap")
COLUMN_WIDTHS = (50 * mm, 52 * mm, 18 * mm, 27 * mm)  # the gap column takes the rest


def summary_page(data: ProfileData) -> list[Any]:
    """The flowables of page 1 (title block with a small map, the all-indicator table, changes)."""
    out: list[Any] = [_title_block(data), Spacer(1, 3 * mm)]
    out.append(para(esc(
        "Every indicator at a glance: the latest value; whether it is better or worse than Scotland "
        "(95 % confidence); whether it is improving or worsening (a statistically significant trend over "
        f"the last five points); and whether the {GAP_SHORT_WORDS} is narrowing or widening. "
        "A dash means not tested: no interval to compare, or no breakdown by deprivation. "
        "Details follow, a page per priority; methods and sources are last."), "small"))
    out.append(Spacer(1, 2 * mm))
    out.append(para(esc(headline_counts(data)), "body"))
    out.append(Spacer(1, 2 * mm))
    out.append(_summary_table(data))
    changes = _changes_line(data)
    if changes:
        out += [Spacer(1, 2 * mm), para(changes, "small")]
    return out


def headline_counts(data: ProfileData) -> str:
    """'Of 36 indicators with a trend verdict, 9 are improving and 4 worsening; the gap is ...'"""
    if data.improving is None:
        return f"{data.area_name}: trend verdicts are not available in this build."
    trend = Counter(i.trend_verdict for i in data.indicators)
    gaps = Counter(i.inequality_verdict for i in data.indicators if i.inequality is not None)
    tested = trend["improving"] + trend["worsening"] + trend["no significant change"]
    text = (f"{data.area_name}: of {tested} indicators whose trend could be tested, {trend['improving']} "
            f"{'is' if trend['improving'] == 1 else 'are'} improving, {trend['worsening']} worsening and "
            f"{trend['no significant change']} show no significant change.")
    if gaps:
        parent = next(i.inequality.parent_name for i in data.indicators if i.inequality is not None)
        tested_gaps = gaps["narrowing"] + gaps["widening"] + gaps["no significant change"]
        if tested_gaps:
            text += (f" Of {tested_gaps} deprivation gaps in {parent} that could be tested, {gaps['narrowing']} "
                     f"{'is' if gaps['narrowing'] == 1 else 'are'} narrowing and {gaps['widening']} widening.")
        else:
            text += (f" No deprivation gap in {parent} can be tested for a trend yet (too few periods with "
                     "data-zone figures).")
    return text


def _title_block(data: ProfileData) -> Table:
    where = data.area_type_label
    if data.council_name and data.area_type not in ("council", "scotland"):
        where += f" in {data.council_name}"
    lines = [para("Community planning outcomes profile", "small"), para(esc(data.area_name), "h1"),
             para(esc(where), "body")]
    if data.demo_line:
        lines.append(para(f'<font color="#B2182B"><b>{esc(data.demo_line)}</b></font>', "body"))
    facts = [f"Data as at {data.as_of}"]
    if data.population is not None:
        facts.append(f"population {number_text(data.population, 0)}")
    if data.datazone_count is not None:
        facts.append(f"{number_text(data.datazone_count, 0)} data zones")
    lines.append(para(esc("; ".join(facts) + "."), "small"))
    drawing = map_drawing(data.boundary, data.context_boundary, width=40 * mm, height=28 * mm)
    block = Table([[lines, drawing or ""]], colWidths=[FRAME_W - 46 * mm, 46 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return block


def summary_row(ind: IndicatorProfile) -> tuple[str, str, str, str, str]:
    """One indicator's line as text: (title, latest, vs Scotland, trend, gap). Verdicts are words."""
    p = ind.latest
    latest = "no value" if p is None else \
        f"{value_text(p.value, ind.unit_label, suppressed=p.is_suppressed)} ({p.period_label})"
    scotland = ind.comparison("scotland")
    vs = "–" if scotland is None or scotland.verdict in ("not available", "not comparable") else scotland.verdict
    gap = ind.inequality_verdict if ind.inequality is not None else "–"
    return ind.short_title, latest, vs, ind.trend_verdict if p is not None else "–", gap


def _summary_table(data: ProfileData) -> Table:
    rows: list[list[Any]] = [[para(f"<b>{h}</b>", "tiny") for h in HEADER]]
    spans = []
    for _pid, label, members in data.by_priority():
        spans.append(len(rows))
        rows.append([para(f"<b>{esc(label)}</b>", "tiny"), "", "", "", ""])
        for ind in members:
            title, latest, vs, trend, gap = summary_row(ind)
            local = f"<br/><b>{esc(ind.local_label)}</b>" if ind.local_label else ""
            rows.append([para(esc(title) + local, "tiny"), para(esc(latest), "tiny"), cell_verdict(vs),
                         cell_verdict(trend), cell_verdict(gap)])
    widths = [*COLUMN_WIDTHS, FRAME_W - sum(COLUMN_WIDTHS)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 0.8), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for r in spans:
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F4F6F8"))]
    table.setStyle(TableStyle(style))
    return table


def _changes_line(data: ProfileData) -> str:
    """'Getting better: A, B. Getting worse: C.' (the top five each, by improvement since the baseline year)."""
    if data.improving is None or data.worsening is None:
        return ""
    parts = []
    for title, changes in (("Getting better", data.improving), ("Getting worse", data.worsening)):
        names = ", ".join(c.short_title for c in changes) or "none significant"
        parts.append(f"<b>{title}</b>: {esc(names)}.")
    return " ".join(parts)
