"""Vector trend charts and area maps as ReportLab drawings; PNG and SVG downloads of them.

Why: a board pack is printed, so charts must be vector in the PDF (crisp at any zoom) and
a downloaded image must be sharp (PNG at 300 dpi) or scalable (SVG). One chart model
(``TrendChart``) serves all three, so the PDF, the PNG and the SVG show the same series. ReportLab draws natively in
pure Python for the PDF; the PNG and SVG downloads are drawn from the same chart model by
matplotlib's Agg and SVG backends (self-contained wheels). ReportLab's own bitmap renderer
now needs the system cairo library, and plotly's static export needs a browser: neither is
used. No browser and no system libraries are needed at run time.

Suppressed periods are gaps in the lines (never zero) and are marked with a grey dashed
line labelled in the legend; colours are Okabe-Ito and each line has its own dash pattern,
so the chart reads in greyscale too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from dashboard.exports.profile import IndicatorProfile, SeriesPoint
from dashboard.logic.provenance import VALUE_TYPE_LABELS, VALUE_TYPE_SHORT

AREA_COLOUR = colors.HexColor("#0072B2")
AREA_BAND = colors.Color(0, 114 / 255, 178 / 255, alpha=0.18)
COUNCIL_COLOUR = colors.HexColor("#D55E00")
SCOTLAND_COLOUR = colors.black
SUPPRESSED_COLOUR = colors.HexColor("#999999")
GRID_COLOUR = colors.HexColor("#DDDDDD")
FONT = "Helvetica"
PNG_DPI = 300


@dataclass(frozen=True)
class ChartLine:
    """One line of a trend chart; ``values`` align with the chart's periods (None = gap)."""

    label: str
    values: tuple[float | None, ...]
    colour: Any
    dash: tuple[float, ...] | None = None
    width: float = 1.2
    lower: tuple[float | None, ...] | None = None  # CI band (the area only)
    upper: tuple[float | None, ...] | None = None
    suppressed: tuple[bool, ...] | None = None
    marker: str | None = None  # 'filled', 'open' (a value the publisher did not observe) or None (the default)
    marked: tuple[bool, ...] | None = None  # which points carry the marker (None: every point)


@dataclass(frozen=True)
class TrendChart:
    """What a trend chart shows, independent of the output format."""

    title: str
    y_title: str
    periods: tuple[str, ...]
    lines: tuple[ChartLine, ...]
    projected: tuple[int, int] | None = None  # first and last index of the area's projected periods
    note: str = ""  # a line under the title (the fictional demo's label)


#: How a value the publisher did not observe is drawn in the exports: dash pattern of its stretch
TYPE_DASHES = {"imputed": (1, 1.5), "projected": (5, 2.5), "modelled": (1, 1.5)}


def trend_chart(indicator: IndicatorProfile, *, note: str = "") -> TrendChart:
    """The chart of an indicator's area series with its CI, against council and Scotland.

    The area's imputed and projected values (as the publisher labels them) are lines of their own:
    dotted (imputed) or dashed (projected) with open markers, joined to the observed line, and the
    projected periods are shaded. ``note`` is printed under the title (the demo's label).
    """
    periods: dict[str, int] = {}
    for p in sorted(indicator.series, key=lambda p: (p.period_year, p.period_label)):
        periods.setdefault(p.period_label, p.period_year)
    labels = tuple(periods)
    styles = {
        "area": (AREA_COLOUR, None, 1.8),
        "council": (COUNCIL_COLOUR, (4, 2), 1.2),
        "scotland": (SCOTLAND_COLOUR, (1, 2), 1.2),
    }
    lines = []
    projected = None
    for role in ("area", "council", "scotland"):
        pts = indicator.role_series(role)
        if not pts:
            continue
        by_label: dict[str, SeriesPoint] = {p.period_label: p for p in pts}
        colour, dash, width = styles[role]

        def col(attr: str, by_label: dict[str, SeriesPoint] = by_label) -> tuple[float | None, ...]:
            return tuple(getattr(by_label[lab], attr) if lab in by_label else None for lab in labels)

        name = pts[0].area_name or role.title()
        values = col("value")
        kinds = tuple((by_label[lab].value_type or "raw") if lab in by_label else "raw" for lab in labels)
        typed = role == "area" and any(k in TYPE_DASHES for k in kinds)
        lines.append(ChartLine(
            label=name, values=tuple(v if k not in TYPE_DASHES else None for v, k in zip(values, kinds, strict=True))
            if typed else values, colour=colour, dash=dash, width=width,
            lower=col("ci_lower") if role == "area" else None,
            upper=col("ci_upper") if role == "area" else None,
            suppressed=tuple(bool(by_label.get(lab) and by_label[lab].is_suppressed) for lab in labels)
            if role == "area" else None,
        ))
        if not typed:
            continue
        for kind, pattern in TYPE_DASHES.items():
            members = {i for i, k in enumerate(kinds) if k == kind}
            if not members:
                continue
            keep = members | {j for i in members for j in (i - 1, i + 1) if 0 <= j < len(kinds)}
            lines.append(ChartLine(
                label=f"{name} ({VALUE_TYPE_SHORT[kind]})", colour=colour, dash=pattern, width=1.4, marker="open",
                values=tuple(v if i in keep else None for i, v in enumerate(values)),
                marked=tuple(i in members for i in range(len(values)))))
            if kind == "projected":
                projected = (min(members), max(members))
    unit = indicator.unit_label.strip()
    y_title = f"{indicator.short_title} ({unit})" if unit else indicator.short_title
    return TrendChart(indicator.title, y_title, labels, tuple(lines), projected, note)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 × a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt_tick(value: float, step: float) -> str:
    decimals = 0 if step >= 1 else min(3, max(0, -math.floor(math.log10(step))))
    return f"{value:,.{decimals}f}"


PROJECTION_FILL = colors.Color(0, 0, 0, alpha=0.06)


def _legend_rows(chart: TrendChart, width: float, left: float, any_suppressed: bool) -> list[list[tuple]]:
    """The legend's entries (label, colour, dash, marker) in rows that fit ``width``."""
    entries = [(ln.label[:34], ln.colour, ln.dash, ln.marker) for ln in chart.lines]
    if any_suppressed:
        entries.append(("suppressed", SUPPRESSED_COLOUR, (2, 2), None))
    rows: list[list[tuple]] = [[]]
    x = left
    for entry in entries:
        need = 19 + len(entry[0]) * 3.6 + 12
        if rows[-1] and x + need > width:
            rows.append([])
            x = left
        rows[-1].append(entry)
        x += need
    return rows


def trend_drawing(chart: TrendChart, width: float = 480, height: float = 200, *,
                  title: bool = False) -> Drawing:
    """A ReportLab vector drawing of ``chart`` (points; embed in a PDF or render to PNG/SVG)."""
    d = Drawing(width, height)
    any_suppressed = any(line.suppressed and any(line.suppressed) for line in chart.lines)
    legend = _legend_rows(chart, width, 52, any_suppressed)
    top_pad = (34 if title else 20) + 9 * (len(legend) - 1) + (10 if title and chart.note else 0)
    left, right, bottom, top = 52, 10, 34, height - top_pad
    plot_w, plot_h = width - left - right, top - bottom
    if title:
        d.add(String(left, height - 14, chart.title[:90], fontName=FONT + "-Bold", fontSize=10))
        if chart.note:
            d.add(String(left, height - 25, chart.note[:110], fontName=FONT + "-Bold", fontSize=7.5,
                         fillColor=colors.HexColor("#B2182B")))
    values: list[float] = []
    for line in chart.lines:
        for seq in (line.values, line.lower or (), line.upper or ()):
            values.extend(v for v in seq if v is not None)
    n = len(chart.periods)
    if not values or n == 0:
        d.add(String(width / 2, height / 2, "no published values to chart", fontName=FONT, fontSize=9,
                     textAnchor="middle", fillColor=SUPPRESSED_COLOUR))
        return d
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    ticks = nice_ticks(lo - pad, hi + pad)
    y0, y1 = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return bottom + plot_h * (v - y0) / (y1 - y0)

    if chart.projected is not None:
        first, last = chart.projected
        x0, x1 = x(first) - plot_w / n / 2, x(last) + plot_w / n / 2
        d.add(Rect(x0, bottom, x1 - x0, plot_h, fillColor=PROJECTION_FILL, strokeColor=None, strokeWidth=0))
        d.add(String((x0 + x1) / 2, top - 8, "projected by the publisher", fontName=FONT, fontSize=6.5,
                     textAnchor="middle", fillColor=colors.HexColor("#444444")))
    for t in ticks:
        d.add(Line(left, y(t), left + plot_w, y(t), strokeColor=GRID_COLOUR, strokeWidth=0.4))
        d.add(String(left - 4, y(t) - 3, _fmt_tick(t, step), fontName=FONT, fontSize=7, textAnchor="end"))
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.black, strokeWidth=0.6))
    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(chart.periods):
        if i % every == 0 or i == n - 1:
            d.add(Line(x(i), bottom, x(i), bottom - 3, strokeColor=colors.black, strokeWidth=0.5))
            d.add(String(x(i), bottom - 12, label, fontName=FONT, fontSize=6.5, textAnchor="middle"))
    y_label = Group(String(0, 0, chart.y_title[:60], fontName=FONT, fontSize=7, textAnchor="middle"))
    y_label.transform = (0, 1, -1, 0, 10, bottom + plot_h / 2)
    d.add(y_label)

    for line in chart.lines:
        if line.lower is not None and line.upper is not None:
            for run in _runs([(i, lo_, hi_) for i, (lo_, hi_) in enumerate(zip(line.lower, line.upper, strict=True))
                              if lo_ is not None and hi_ is not None]):
                if len(run) == 1:
                    i, lo_, hi_ = run[0]
                    d.add(Line(x(i), y(lo_), x(i), y(hi_), strokeColor=AREA_COLOUR, strokeWidth=2.5,
                               strokeOpacity=0.3))
                    continue
                pts = [c for i, _, hi_ in run for c in (x(i), y(hi_))]
                pts += [c for i, lo_, _ in reversed(run) for c in (x(i), y(lo_))]
                d.add(Polygon(pts, fillColor=AREA_BAND, strokeColor=None, strokeWidth=0))
        if line.suppressed:
            for i, hidden in enumerate(line.suppressed):
                if hidden:
                    d.add(Line(x(i), bottom, x(i), top, strokeColor=SUPPRESSED_COLOUR, strokeWidth=0.8,
                               strokeDashArray=[2, 2]))
    for line in reversed(chart.lines):
        for run in _runs([(i, v, v) for i, v in enumerate(line.values) if v is not None]):
            pts = [c for i, v, _ in run for c in (x(i), y(v))]
            if len(run) > 1:
                d.add(PolyLine(pts, strokeColor=line.colour, strokeWidth=line.width,
                               strokeDashArray=list(line.dash) if line.dash else None))
            for i, v, _ in run:
                if line.marker == "open":
                    if line.marked is None or line.marked[i]:
                        d.add(Circle(x(i), y(v), 2.2, fillColor=colors.white, strokeColor=line.colour,
                                     strokeWidth=0.9))
                elif line.colour == AREA_COLOUR or len(run) == 1:
                    d.add(Circle(x(i), y(v), 1.8, fillColor=line.colour, strokeColor=line.colour))
    # legend, in as many rows as it needs (above the plot)
    for r, row in enumerate(legend):
        lx = left
        ly = height - top_pad + 8 + 9 * (len(legend) - 1 - r)
        for label, colour, dash, marker in row:
            d.add(Line(lx, ly + 2.5, lx + 16, ly + 2.5, strokeColor=colour, strokeWidth=1.4,
                       strokeDashArray=list(dash) if dash else None))
            if marker == "open":
                d.add(Circle(lx + 8, ly + 2.5, 2.2, fillColor=colors.white, strokeColor=colour, strokeWidth=0.9))
            d.add(String(lx + 19, ly, label, fontName=FONT, fontSize=7))
            lx += 19 + len(label) * 3.6 + 12
    return d


def _runs(points: Sequence[tuple[int, float, float]]) -> list[list[tuple[int, float, float]]]:
    """Consecutive-index runs (a gap breaks a line or a band)."""
    runs: list[list[tuple[int, float, float]]] = []
    for p in points:
        if runs and runs[-1][-1][0] == p[0] - 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _mpl_figure(chart: TrendChart, width_in: float, height_in: float) -> Any:
    """The chart as a matplotlib Figure (object API: no pyplot global state, thread-safe)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    n = len(chart.periods)
    xs = list(range(n))
    if chart.projected is not None:
        first, last = chart.projected
        ax.axvspan(first - 0.5, last + 0.5, color="#000000", alpha=0.06, linewidth=0,
                   label=VALUE_TYPE_LABELS["projected"] + " (shaded)")
    for line in chart.lines:
        colour = _hex(line.colour)
        if line.lower is not None and line.upper is not None and any(v is not None for v in line.lower):
            lo = [math.nan if v is None else v for v in line.lower]
            hi = [math.nan if v is None else v for v in line.upper]
            ax.fill_between(xs, lo, hi, color=colour, alpha=0.18, linewidth=0, label="95% confidence interval")
        if line.suppressed and any(line.suppressed):
            for i, hidden in enumerate(line.suppressed):
                if hidden:
                    ax.axvline(i, color=_hex(SUPPRESSED_COLOUR), linestyle=(0, (2, 2)), linewidth=0.9,
                               label="suppressed" if i == line.suppressed.index(True) else None)
        ys = [math.nan if v is None else v for v in line.values]
        dash = (0, tuple(line.dash)) if line.dash else "-"
        if line.marker == "open":
            marked = [i for i in xs if line.marked is None or line.marked[i]]
            ax.plot(xs, ys, color=colour, linestyle=dash, linewidth=line.width, marker="o", markersize=4,
                    markerfacecolor="white", markevery=marked, label=line.label)
            continue
        ax.plot(xs, ys, color=colour, linestyle=dash, linewidth=line.width,
                marker="o" if line.colour == AREA_COLOUR else None, markersize=3, label=line.label)
    every = max(1, math.ceil(n / 8))
    ticks = [i for i in xs if i % every == 0 or i == n - 1]
    ax.set_xticks(ticks, [chart.periods[i] for i in ticks], fontsize=8)
    ax.set_ylabel(chart.y_title, fontsize=9)
    title = chart.title + (f"\n{chart.note}" if chart.note else "")
    ax.set_title(title, fontsize=10, loc="left", color="#222222")
    ax.grid(axis="y", color=_hex(GRID_COLOUR), linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=8)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, frameon=False, loc="outside lower center", ncols=min(4, len(labels)))
    return fig


def _hex(colour: Any) -> str:
    return "#" + colour.hexval()[2:] if hasattr(colour, "hexval") else str(colour)


def _as_chart(chart: TrendChart | IndicatorProfile) -> TrendChart:
    """The chart model; an indicator's carries the demo's label when it comes from the fictional demo,
    and a local dataset's its 'Local data: <organisation> (<restriction>)' line (a chart file travels alone)."""
    if not isinstance(chart, IndicatorProfile):
        return chart
    return trend_chart(chart, note=" | ".join(n for n in (chart.local_label, chart.demo_note) if n))


def chart_svg(chart: TrendChart | IndicatorProfile, width_in: float = 8.0, height_in: float = 4.0) -> bytes:
    """An SVG (vector, text kept as text) of the chart with its title, for downloads and slides."""
    import io

    buf = io.BytesIO()
    _mpl_figure(_as_chart(chart), width_in, height_in).savefig(buf, format="svg",
                                                               metadata={"Date": None})
    return buf.getvalue()


def chart_png(chart: TrendChart | IndicatorProfile, width_in: float = 8.0, height_in: float = 4.0,
              dpi: int = PNG_DPI) -> bytes:
    """A high-resolution PNG of the chart (300 dpi by default: 2,400 × 1,200 pixels)."""
    import io

    buf = io.BytesIO()
    _mpl_figure(_as_chart(chart), width_in, height_in).savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# ---------------------------------------------------------------- maps


def _rings(geometry: Mapping[str, Any] | None) -> list[list[tuple[float, float]]]:
    if not geometry:
        return []
    coords = geometry.get("coordinates") or []
    polygons = coords if geometry.get("type") == "MultiPolygon" else [coords]
    # outer rings only: a hole (an enclave of another area) is filled, which a location map can afford
    return [[(float(p[0]), float(p[1])) for p in polygon[0]] for polygon in polygons if polygon and polygon[0]]


def map_drawing(area: Mapping[str, Any] | None, context: Mapping[str, Any] | None = None,
                width: float = 300, height: float = 260) -> Drawing | None:
    """The area's outline (filled) inside its council (grey), as vector, or None without geometry.

    Coordinates are WGS84 longitude/latitude projected equirectangularly around the
    area's mean latitude (distortion is negligible at council scale).
    """
    own, around = _rings(area), _rings(context)
    if not own:
        return None
    everything = [p for ring in own + around for p in ring]
    lats = [p[1] for p in everything]
    lat0 = math.radians((min(lats) + max(lats)) / 2)
    k = math.cos(lat0)
    xs = [p[0] * k for p in everything]
    x_min, x_max, y_min, y_max = min(xs), max(xs), min(lats), max(lats)
    span_x, span_y = (x_max - x_min) or 1e-6, (y_max - y_min) or 1e-6
    margin = 6
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    ox = (width - span_x * scale) / 2
    oy = (height - span_y * scale) / 2

    def flat(ring: list[tuple[float, float]]) -> list[float]:
        return [c for lon, lat in ring for c in (ox + (lon * k - x_min) * scale, oy + (lat - y_min) * scale)]

    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=GRID_COLOUR, strokeWidth=0.5))
    for ring in around:
        d.add(Polygon(flat(ring), fillColor=colors.HexColor("#EEEEEE"), strokeColor=SUPPRESSED_COLOUR,
                      strokeWidth=0.4))
    for ring in own:
        d.add(Polygon(flat(ring), fillColor=colors.Color(0, 114 / 255, 178 / 255, alpha=0.55),
                      strokeColor=AREA_COLOUR, strokeWidth=0.8))
    return d
