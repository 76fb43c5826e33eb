"""The board-ready PDF profile: A4, vector charts and map, page numbers (pure: data in, bytes out).

Why: boards read printed packs. ReportLab writes the PDF directly in pure Python (no
browser, no system libraries), charts and the map are vector drawings, so they stay crisp
when printed, and a profile takes well under a second on the demo warehouse.

Layout: a cover (area, map, as-of date, build provenance); what is getting better and worse
(top five each, from marts.trend); one section per SOA priority with, for each indicator,
the latest value and CI, comparisons and verdicts, and the trend chart; an appendix of
methods and sources from meta. A suppressed value is the word "suppressed", never a number.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.exports.charts import map_drawing, trend_chart, trend_drawing
from dashboard.exports.fmt import ci_text, number_text, value_text, verdict_text
from dashboard.exports.profile import NOT_AVAILABLE, Change, IndicatorProfile, ProfileData
from dashboard.logic.provenance import DEMO_SHORT, NO_INTERVAL, VALUES_EXPLAINED, WHY_THEY_DIFFER

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN
VERDICT_COLOURS = {
    "better": "#1B7837", "improving": "#1B7837", "narrowing": "#1B7837",
    "worse": "#B2182B", "worsening": "#B2182B", "widening": "#B2182B",
}

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("cpop-title", parent=_base["Title"], fontSize=24, leading=29, spaceAfter=6),
    "subtitle": ParagraphStyle("cpop-sub", parent=_base["Normal"], fontSize=12, leading=16,
                               alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
    "h1": ParagraphStyle("cpop-h1", parent=_base["Heading1"], fontSize=16, leading=20, spaceBefore=4,
                         spaceAfter=6, textColor=colors.HexColor("#0B3C5D")),
    "h2": ParagraphStyle("cpop-h2", parent=_base["Heading2"], fontSize=11.5, leading=14, spaceBefore=8,
                         spaceAfter=3),
    "body": ParagraphStyle("cpop-body", parent=_base["Normal"], fontSize=9, leading=12),
    "small": ParagraphStyle("cpop-small", parent=_base["Normal"], fontSize=7.5, leading=9.5,
                            textColor=colors.HexColor("#444444")),
    "cell": ParagraphStyle("cpop-cell", parent=_base["Normal"], fontSize=8, leading=10),
}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, STYLES[style])


def _e(text: Any) -> str:
    return escape("" if text is None else str(text))


def _verdict(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict)
    text = _e(verdict_text(verdict))
    return f'<font color="{colour}"><b>{text}</b></font>' if colour else text


class _NumberedCanvas(pdfcanvas.Canvas):
    """Adds "Page n of N" and a footer to every page (two-pass: pages are kept until save)."""

    footer = ""
    footer_chars = 120

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            # the canvas's own page width, so a landscape document (the board report) numbers its pages too
            self.drawRightString(self._pagesize[0] - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
            self.drawString(MARGIN, 10 * mm, self.footer[:self.footer_chars])
            super().showPage()
        super().save()


def profile_pdf(data: ProfileData) -> bytes:
    """The profile as an A4 PDF (bytes)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=f"Outcomes profile: {data.area_name}",
                            author="cpop", subject=f"{data.area_type_label} {data.area_code}",
                            creator="cpop", invariant=1)
    story: list[Any] = []
    story += _cover(data)
    story.append(PageBreak())
    story += _changes_section(data)
    for _pid, label, members in data.by_priority():
        story.append(PageBreak())
        story.append(_p(_e(label), "h1"))
        for indicator in members:
            story.append(KeepTogether(_indicator_block(data, indicator)))
    story.append(PageBreak())
    story += _appendix(data)

    footer = f"cpop outcomes profile: {data.area_name} ({data.area_type_label}) | data as at {data.as_of}"
    if data.demo_line:
        footer = f"{DEMO_SHORT} | {footer}"

    class Canvas(_NumberedCanvas):
        pass

    Canvas.footer = footer
    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()


def _cover(data: ProfileData) -> list[Any]:
    out: list[Any] = [Spacer(1, 18 * mm), _p("Community planning outcomes profile", "subtitle"), Spacer(1, 4 * mm),
                      _p(_e(data.area_name), "title")]
    if data.demo_line:
        out.append(_p(f'<font color="#B2182B"><b>{_e(data.demo_line)}</b></font>', "subtitle"))
    where = data.area_type_label
    if data.council_name and data.area_type not in ("council", "scotland"):
        where += f" in {data.council_name}"
    out.append(_p(_e(f"{where} ({data.area_code})" if data.area_type != "user" else where), "subtitle"))
    out.append(Spacer(1, 8 * mm))
    drawing = map_drawing(data.boundary, data.context_boundary, width=FRAME_W * 0.75, height=95 * mm)
    if drawing is not None:
        drawing.hAlign = "CENTER"
        out.append(drawing)
        caption = "The area (blue)" + (f" within {data.context_name} (grey)" if data.context_name else "")
        out.append(_p(_e(caption) + ". Boundaries simplified; contains OS data © Crown copyright.", "small"))
    else:
        out.append(_p("Map not available: no boundary for this area in the warehouse.", "small"))
    out.append(Spacer(1, 8 * mm))
    facts = [
        ["Data as at", data.as_of],
        ["Population (latest year)", number_text(data.population, 0)],
        ["Data zones", number_text(data.datazone_count, 0)],
        ["Warehouse build", f"{data.build.get('build_id', NOT_AVAILABLE)} "
                            f"(schema {data.build.get('schema_version', NOT_AVAILABLE)})"],
    ]
    if data.demo_line:
        facts.append(["Note", data.demo_line])
    table = Table([[_p(f"<b>{_e(k)}</b>", "cell"), _p(_e(v), "cell")] for k, v in facts],
                  colWidths=[55 * mm, 95 * mm], hAlign="CENTER")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out.append(table)
    for warning in data.warnings:
        out += [Spacer(1, 3 * mm), _p(_e(warning), "small")]
    return out


def _change_rows(changes: tuple[Change, ...]) -> list[list[Any]]:
    rows: list[list[Any]] = [[_p(f"<b>{h}</b>", "cell") for h in
                              ("Indicator", "Baseline", "Latest", "Improvement since baseline")]]
    for c in changes:
        rows.append([
            _p(_e(c.short_title), "cell"),
            _p(_e(f"{value_text(c.baseline_value, c.unit_label)} ({c.baseline_period_label or '-'})"), "cell"),
            _p(_e(f"{value_text(c.latest_value, c.unit_label)} ({c.latest_period_label or '-'})"), "cell"),
            _p(_e(number_text(c.improvement_since_baseline_pct, 1, suffix="%")), "cell"),
        ])
    return rows


def _changes_section(data: ProfileData) -> list[Any]:
    out: list[Any] = [_p("What is getting better, what is getting worse", "h1"),
                      _p("Indicators whose trend over the last five points is statistically significant "
                         "(95 %), ranked by improvement since the baseline year ((latest / baseline - 1) × 100, signed so "
                         "that positive means improving; not CPOP's improvement rate, which starts from the first "
                         "value of its series and keeps the raw sign). Top five each.", "small")]
    if data.improving is None or data.worsening is None:
        out.append(_p("Trend verdicts: not available in this warehouse build (marts.trend is absent).", "body"))
        return out
    for title, changes in (("Getting better", data.improving), ("Getting worse", data.worsening)):
        out.append(_p(title, "h2"))
        if not changes:
            out.append(_p("No indicator shows a significant change in this direction.", "body"))
            continue
        table = Table(_change_rows(changes), colWidths=[70 * mm, 35 * mm, 35 * mm, 32 * mm], repeatRows=1)
        table.setStyle(_grid_style())
        out.append(table)
    return out


def _grid_style() -> TableStyle:
    return TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _indicator_block(data: ProfileData, ind: IndicatorProfile) -> list[Any]:
    out: list[Any] = [CondPageBreak(70 * mm), _p(_e(ind.title), "h2")]
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
        sii = "" if q.sii is None else \
            f"; SII {number_text(q.sii, 1)} ({ci_text(q.sii_lower, q.sii_upper)}) in {q.period_label}"
        rows.append([f"Inequality within {q.parent_name}",
                     f"{{verdict:{q.verdict}}} ({q.measure.replace('_', ' ')}, {q.basis.replace('_', ' ')}s){sii}"])
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
             f"{ind.last_update or '-'}. Polarity: {ind.polarity.replace('_', ' ')}."
    out.append(_p(_e(source), "small"))
    return out


def _fill_verdicts(text: str) -> str:
    """Escape ``text`` and colour every ``{verdict:...}`` marker."""
    out, rest = [], text
    while "{verdict:" in rest:
        before, _, after = rest.partition("{verdict:")
        verdict, _, rest = after.partition("}")
        out.append(_e(before))
        out.append(_verdict(verdict))
    out.append(_e(rest))
    return "".join(out)


def _appendix(data: ProfileData) -> list[Any]:
    out: list[Any] = [_p("Methods and sources", "h1"), _p(
        "Rates are ratios of summed numerators and denominators over member data zones (never averages of "
        "rates). 95 % confidence intervals: Wilson (percentages), Byar with exact Poisson limits below 10 "
        "events (crude rates), Dobson (age-standardised rates, ESP2013). Comparisons: better or worse only "
        "when the area's interval excludes the comparator's value, polarity applied. Trend: chi-square test "
        "for trend (counts), weighted least squares (rates), or ordinary least squares with a t test for "
        "measures published without intervals, over the last five points, significant at 95 % and "
        "surviving the removal of any one point. Inequality: slope index of inequality across national SIMD "
        "quintiles; positive means worse in deprived areas. Disclosure control: each indicator's rule, with "
        "complementary suppression; a suppressed value is shown as 'suppressed' and is never a number. "
        "Statistics that are not in this warehouse build are shown as 'not available'.", "body"),
        Spacer(1, 2 * mm), _p(_e(VALUES_EXPLAINED), "body")]
    if data.area_type == "council":
        out += [Spacer(1, 2 * mm), _p(_e("CPOP rating: the Improvement Service's own improvement rate and 2x2 "
                                         "rating against Scotland, shown beside cpop's trend verdict. "
                                         + WHY_THEY_DIFFER), "body")]
    out.append(Spacer(1, 3 * mm))
    marts = ", ".join(sorted(data.available_marts)) or "none"
    out.append(_p(_e(f"Marts in this build: {marts}."), "small"))
    for ind in data.indicators:
        parts = [f"<b>{_e(ind.title)}</b> ({_e(ind.indicator_id)}). {_e(ind.definition)}",
                 f"Source: {_e(ind.source)}. Measure: {_e(ind.measure_type.replace('_', ' '))}"
                 f" ({_e(ind.unit_label)}); interval: {_e(ind.ci_method)}; polarity: "
                 f"{_e(ind.polarity.replace('_', ' '))}. Disclosure: {_e(ind.disclosure_rule)}. "
                 f"Last updated {_e(ind.last_update or '-')}."]
        if ind.caveats:
            parts.append(f"Caveats: {_e(ind.caveats)}")
        out.append(_p(" ".join(parts), "small"))
        out.append(Spacer(1, 1.5 * mm))
    out.append(_p("Source files behind this build", "h2"))
    rows: list[list[Any]] = [[_p(f"<b>{h}</b>", "cell") for h in ("Source", "Release", "File", "sha256")]]
    for s in data.sources:
        rows.append([_p(_e(s.get("source")), "cell"), _p(_e(s.get("release")), "cell"),
                     _p(_e(s.get("file_name")), "cell"), _p(_e(str(s.get("sha256") or "")[:16]), "cell")])
    table = Table(rows, colWidths=[35 * mm, 25 * mm, 75 * mm, 39 * mm], repeatRows=1)
    table.setStyle(_grid_style())
    out.append(table)
    b = data.build
    out += [Spacer(1, 3 * mm), _p(_e(
        f"Build {b.get('build_id', '-')} at {b.get('built_at', '-')}, code {b.get('code_version', '-')}, "
        f"schema {b.get('schema_version', '-')}{', demo data' if b.get('demo') else ''}."), "small")]
    return out
