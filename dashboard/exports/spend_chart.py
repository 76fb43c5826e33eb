"""The spend-and-need scatter as a vector drawing for the PDFs (the board report and a council's
Quick profile).

Why: the page's chart (``dashboard.figures.spend_need``) is plotly, which needs a browser or
kaleido to print; the PDFs draw with ReportLab, so this draws the same view: spend per head up,
the need measure across (reversed when higher is better, so higher need is always to the right),
the council-wide lines dividing it into quarters whose names are written in the corners, and a
marker shape per quarter (not colour alone). Areas not placed in a quarter are not drawn (the
ranked table lists them).
"""

from __future__ import annotations

import math
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from dashboard.exports.charts import nice_ticks
from dashboard.figures.spend_need import MARKERS
from dashboard.logic.records import row_tuples
from dashboard.logic.spend_need import money, need_text, per_head_label
from dashboard.safe_cells import clean_text
from etl.spend.need import (
    HIGH_NEED_HIGH_SPEND,
    HIGH_NEED_LOW_SPEND,
    LOW_NEED_HIGH_SPEND,
    LOW_NEED_LOW_SPEND,
)

LEFT, RIGHT, TOP, BOTTOM = 40.0, 10.0, 12.0, 30.0
MARKER = 3.2
LINE_COLOUR = colors.HexColor("#333333")
#: where each quarter's name is written: (right side?, top?)
CORNERS = {HIGH_NEED_HIGH_SPEND: (True, True), HIGH_NEED_LOW_SPEND: (True, False),
           LOW_NEED_HIGH_SPEND: (False, True), LOW_NEED_LOW_SPEND: (False, False)}


def _finite(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _tick(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (2.5 apart: ``7.5``, ``10.0``)."""
    decimals = 0 if float(step).is_integer() else max(1, -math.floor(math.log10(step % 1 or step)))
    return f"{value:,.{min(decimals, 3)}f}"


def _marker(symbol: str, x: float, y: float, colour: Any) -> Any:
    """One point in the quarter's shape (diamond, circle, square, triangle), outlined in black."""
    r = MARKER
    style = {"fillColor": colour, "strokeColor": colors.black, "strokeWidth": 0.4}
    if symbol == "circle":
        return Circle(x, y, r, **style)
    if symbol == "square":
        return Rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, **style)
    if symbol == "diamond":
        return Polygon([x, y + r * 1.2, x + r, y, x, y - r * 1.2, x - r, y], **style)
    return Polygon([x, y + r * 1.1, x + r, y - r * 0.8, x - r, y - r * 0.8], **style)


def spend_need_drawing(view: Any, width: float = 480, height: float = 240) -> Drawing:
    """The scatter of ``view`` (a ``dashboard.data.spend.SpendView``) as a ReportLab Drawing."""
    result, units = view.result, view.meta.units
    placed = result.areas[result.areas.quadrant.isin(list(MARKERS))]
    xs = [v for v in (_finite(x) for x in placed.need_value) if v is not None]
    ys = [v for v in (_finite(y) for y in placed.spend_per_head) if v is not None]
    council_x, council_y = _finite(result.council_need_value), _finite(result.council_spend_per_head)
    xs += [council_x] if council_x is not None else []
    ys += [council_y] if council_y is not None else []
    d = Drawing(width, height)
    lo, hi = min(xs, default=0.0), max(xs, default=1.0)
    pad = (hi - lo) * 0.06 or 1.0  # points off the frame, labels inside it
    x_ticks = nice_ticks(lo - pad, hi + pad, 5)
    y_ticks = nice_ticks(0.0, max(ys, default=1.0) * 1.12, 5)
    x_lo, x_hi, y_hi = x_ticks[0], x_ticks[-1], y_ticks[-1] or 1.0
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    reversed_x = result.polarity == "high_is_good"

    def px(value: float) -> float:
        share = (value - x_lo) / ((x_hi - x_lo) or 1.0)
        return LEFT + plot_w * (1 - share if reversed_x else share)

    def py(value: float) -> float:
        return BOTTOM + plot_h * value / y_hi

    d.add(Rect(LEFT, BOTTOM, plot_w, plot_h, fillColor=None, strokeColor=colors.HexColor("#999999"),
               strokeWidth=0.5))
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    for tick in x_ticks:
        d.add(String(px(tick), BOTTOM - 9, _tick(tick, x_step), fontSize=6.5, textAnchor="middle"))
    for tick in y_ticks:
        d.add(Line(LEFT, py(tick), LEFT + plot_w, py(tick), strokeColor=colors.HexColor("#E5E5E5"), strokeWidth=0.3))
        d.add(String(LEFT - 3, py(tick) - 2, _tick(tick, y_step), fontSize=6.5, textAnchor="end"))
    if council_y is not None:
        d.add(Line(LEFT, py(council_y), LEFT + plot_w, py(council_y), strokeColor=LINE_COLOUR, strokeWidth=0.7,
                   strokeDashArray=(4, 2)))
        d.add(String(LEFT + 3, py(council_y) + 2, f"Council: {money(council_y, units)} per head", fontSize=6.5))
    if council_x is not None:
        d.add(Line(px(council_x), BOTTOM, px(council_x), BOTTOM + plot_h, strokeColor=LINE_COLOUR, strokeWidth=0.7,
                   strokeDashArray=(1, 2)))
        d.add(String(px(council_x) + 2, BOTTOM + plot_h - 16,
                     f"Council: {need_text(council_x, view.unit_label)}", fontSize=6.5))
    for name, (right, top) in CORNERS.items():
        d.add(String(LEFT + plot_w - 3 if right else LEFT + 3, BOTTOM + plot_h - 8 if top else BOTTOM + 3, name,
                     fontSize=7, fontName="Helvetica-Bold", textAnchor="end" if right else "start"))
    for row in row_tuples(placed):
        x, y = _finite(row.need_value), _finite(row.spend_per_head)
        if x is None or y is None:
            continue
        symbol, colour = MARKERS[row.quadrant]
        d.add(_marker(symbol, px(x), py(y), colors.HexColor(colour)))
        d.add(String(px(x), py(y) + MARKER + 2, clean_text(str(row.area_name))[:28], fontSize=5.5,
                     textAnchor="middle"))
    direction = "higher need to the right" + (" (axis reversed: higher is better)" if reversed_x else "")
    unit = f" ({view.unit_label})" if view.unit_label else ""
    d.add(String(LEFT + plot_w / 2, 4, clean_text(f"{view.indicator_title}{unit}, {view.need_period}: {direction}"),
                 fontSize=7, textAnchor="middle"))
    d.add(String(LEFT, BOTTOM + plot_h + 3, clean_text(f"{per_head_label(view)}, {view.meta.period_label(view.year)}"),
                 fontSize=7))
    return d
