"""The board-ready PDF profile: A4, vector charts and map, page numbers (pure: data in, bytes out).

Why: boards read printed packs. ReportLab writes the PDF directly in pure Python (no
browser, no system libraries), charts and the map are vector drawings, so they stay crisp
when printed, and a profile takes well under a second on the demo warehouse.

Layout: page 1 is every indicator on one page with the board's two answers (pdf_summary);
then a page per SOA priority with, for each indicator, its definition, the latest value and
CI, comparisons and verdicts, and the trend chart; methods and sources last, in plain words
(publisher, release, date: no file hashes or internal table names). A suppressed value is the
word "suppressed", never a number.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.exports.charts import trend_chart, trend_drawing
from dashboard.exports.fmt import ci_text, number_text, value_text
from dashboard.exports.pdf_methods import methods_section
from dashboard.exports.pdf_style import FRAME_W, MARGIN, NumberedCanvas, verdict_markup
from dashboard.exports.pdf_style import esc as _e
from dashboard.exports.pdf_style import para as _p
from dashboard.exports.pdf_summary import summary_page
from dashboard.exports.profile import NOT_AVAILABLE, IndicatorProfile, ProfileData
from dashboard.exports.spend_need import spend_pdf_story
from dashboard.formatting import format_difference
from dashboard.logic.gap_verdict import GAP_SHORT_WORDS
from dashboard.logic.provenance import DEMO_SHORT, NO_INTERVAL
from dashboard.safe_cells import clean_text

POLARITY_WORDS = {"low_is_good": "lower is better", "high_is_good": "higher is better"}


def profile_pdf(data: ProfileData, spend: Sequence[Any] = ()) -> bytes:
    """The profile as an A4 PDF (bytes); ``spend`` the council's spend-and-need views
    (``dashboard.data.spend.council_spend_views``), drawn as in the board report before the methods."""
    data = dataclasses.replace(data, area_name=clean_text(data.area_name))  # ReportLab cannot encode a lone surrogate
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=f"Outcomes profile: {data.area_name}",
                            author="cpop", subject=f"{data.area_type_label} {data.area_code}",
                            creator="cpop", invariant=1)
    story: list[Any] = summary_page(data)
    for _pid, label, members in data.by_priority():
        story.append(PageBreak())
        story.append(_p(_e(label), "h1"))
        for indicator in members:
            story.append(KeepTogether(_indicator_block(data, indicator)))
    if spend:
        story.append(PageBreak())
        story.append(_p("Spend alongside need", "h1"))
        story += spend_pdf_story(tuple(spend), FRAME_W)
    story.append(PageBreak())
    story += methods_section(data)

    footer = f"cpop outcomes profile: {data.area_name} ({data.area_type_label}) | data as at {data.as_of}"
    if data.demo_line:
        footer = f"{DEMO_SHORT} | {footer}"

    class Canvas(NumberedCanvas):
        pass

    Canvas.footer = footer
    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()


def _indicator_block(data: ProfileData, ind: IndicatorProfile) -> list[Any]:
    out: list[Any] = [CondPageBreak(70 * mm), _p(_e(ind.title), "h2")]
    if ind.local_label:
        out.append(_p(f"<b>{_e(ind.local_label)}</b>", "small"))
    if ind.definition:
        out.append(_p(_e(ind.definition), "small"))
    latest = ind.latest
    if latest is None:
        out.append(_p(_e(f"No value for this area: {ind.note or NOT_AVAILABLE}."), "body"))
        return out
    unit = ind.unit_label
    kind = f" – {', '.join(latest.labels)}" if latest.labels else ""
    rows: list[list[Any]] = [
        ["Latest value", f"{value_text(latest.value, unit, suppressed=latest.is_suppressed)} "
                         f"({latest.period_label}){kind}"],
        ["95% confidence interval", ci_text(latest.ci_lower, latest.ci_upper, suppressed=latest.is_suppressed)
         if latest.has_interval or latest.is_suppressed else NO_INTERVAL],
        ["Source", ind.source_line or ind.source],
    ]
    if latest.note:
        rows.append(["Note", latest.note])
    if (projected := ind.projection) is not None:
        rows.append(["Publisher's projection", f"{value_text(projected.value, unit)} ({projected.period_label})"])
    if latest.is_suppressed and latest.suppression_reason:
        rows.append(["Why suppressed", latest.suppression_reason])
    for c in ind.comparisons:
        label = f"Compared with {c.label}" if c.comparator != "baseline" else "Compared with baseline"
        verdict = c.verdict
        if verdict == "not comparable" and not latest.has_interval and not latest.is_suppressed:
            verdict = f"not tested ({NO_INTERVAL})"
        if c.value is None and not c.is_suppressed:
            rows.append([label, f"{{verdict:{verdict}}}"])
            continue
        value = value_text(c.value, unit, suppressed=c.is_suppressed)
        rows.append([label, f"{value} ({c.period_label or '-'}): {{verdict:{verdict}}}"])
    t = ind.trend
    if t is None:
        rows.append(["Trend (last 5 points)", f"{{verdict:{NOT_AVAILABLE}}}"])
    else:
        change = "" if t.improvement_since_baseline_pct is None else \
            f"; improvement {number_text(t.improvement_since_baseline_pct, 1, suffix='%')} since {t.baseline_period_label} " \
            "(positive = improving)"
        why = f" ({ind.trend_reason})" if ind.trend_reason else ""
        rows.append(["Trend (last 5 points)", f"{{verdict:{t.verdict}}}{why}{change}"])
        if t.cpop is not None and data.area_type == "council":
            rows.append(["CPOP rating (Improvement Service)", t.cpop.sentence().removeprefix("CPOP rating ")
                         .removeprefix(": ")])
    q = ind.inequality
    if q is None:
        rows.append(["Inequality", f"{{verdict:{NOT_AVAILABLE}}}"])
    else:
        gap = "" if q.absolute_gap is None else f" {format_difference(q.absolute_gap, unit)} in {q.period_label}"
        sii = "" if q.sii is None else \
            f"; SII {format_difference(q.sii, unit)} ({ci_text(q.sii_lower, q.sii_upper)}) in {q.period_label}"
        rows.append([f"Inequality within {q.parent_name}",
                     f"{{verdict:{q.verdict}}} ({GAP_SHORT_WORDS}{gap}){sii}"])
    flags = latest.flags.replace("suppressed", "").strip("; ")
    if flags:
        rows.append(["Flags", flags])
    cells = [[_p(_e(k), "cell"), _p(_fill_verdicts(v), "cell")] for k, v in rows]
    table = Table(cells, colWidths=[48 * mm, FRAME_W - 48 * mm])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#DDDDDD")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    out.append(table)
    out.append(Spacer(1, 2 * mm))
    out.append(trend_drawing(trend_chart(ind), width=FRAME_W, height=58 * mm))
    source = f"Source: {ind.source}; release {latest.source_release or '-'}; catalogue updated " \
             f"{ind.last_update or '-'}. {POLARITY_WORDS.get(ind.polarity, '').capitalize()}."
    out.append(_p(_e(source), "small"))
    return out


def _fill_verdicts(text: str) -> str:
    """Escape ``text`` and colour every ``{verdict:...}`` marker."""
    out, rest = [], text
    while "{verdict:" in rest:
        before, _, after = rest.partition("{verdict:")
        verdict, _, rest = after.partition("}")
        out.append(_e(before))
        out.append(verdict_markup(verdict))
    out.append(_e(rest))
    return "".join(out)
