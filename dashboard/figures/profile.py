"""Pure plotly builders for Area Profiles: spine chart and inequality over time.

Why: a spine chart shows at a glance where an area sits among all areas of its type on every
indicator of a theme, polarity-aware (right is always better); the inequality charts show
whether the gap between more and less deprived communities is narrowing. Plain figure dicts
(see ``dashboard.figures.trend``), Okabe-Ito colours plus distinct marker symbols, so nothing
relies on colour alone.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures.trend import (
    AREA_COLOUR,
    BOTTOM_LEGEND,
    COUNCIL_COLOUR,
    FONT,
    Figure,
    empty_figure,
)
from dashboard.logic.records import row_tuples
from dashboard.tables.latest_values import compare

RANGE_GREY = "#d9d9d9"
IQR_GREY = "#969696"
SPINE_ROW_PX = 62  # height of one indicator's row: its name above, then its bar
SPINE_BAR = 0.42   # the bar's share of the row
# verdict -> (colour, marker symbol, legend words); symbols differ so colour is never alone
VERDICT_STYLE = {
    "better": ("#0072B2", "circle", "better than Scotland"),
    "similar": ("#F0E442", "diamond", "similar to Scotland"),
    "worse": ("#D55E00", "x", "worse than Scotland"),
    "not compared": ("#777777", "square-open", "not compared"),
}


def spine_positions(frame: pd.DataFrame) -> pd.DataFrame:
    """Scale each indicator so Scotland is 0 and the furthest area is ±1, right = better.

    Notes: t(v) = s · (v − v_Scotland) / max(|max − v_Scotland|, |v_Scotland − min|), with s = +1
    when high is good and −1 when low is good; worst, q1/q3 (oriented) and best follow.
    """
    rows = []
    for r in row_tuples(frame):
        scot = r.scotland_value
        if pd.isna(scot) or pd.isna(r.min_value):
            continue
        half = max(abs(r.max_value - scot), abs(scot - r.min_value)) or 1.0
        sign = -1.0 if r.polarity == "low_is_good" else 1.0

        def t(v: float, *, s: float = sign, c: float = scot, h: float = half) -> float | None:
            return None if pd.isna(v) else s * (v - c) / h

        ends = sorted([t(r.min_value), t(r.max_value)])
        iqr = sorted([t(r.q1_value), t(r.q3_value)])
        verdict = compare(r.ci_lower, r.ci_upper, scot, r.polarity, suppressed=bool(r.is_suppressed))
        rows.append({"indicator_id": r.indicator_id, "label": f"{r.short_title} ({r.period_label})",
                     "worst": ends[0], "best": ends[1], "q_low": iqr[0], "q_high": iqr[1],
                     "area": None if bool(r.is_suppressed) else t(r.value), "verdict": verdict,
                     "value": r.value, "scotland": scot, "unit": r.unit_label})
    return pd.DataFrame(rows)


def _values(column: pd.Series) -> list[Any]:
    """A column as a JSON-ready list (missing values as None)."""
    return [None if pd.isna(v) else v for v in column.tolist()]


def spine_figure(frame: pd.DataFrame, area_name: str) -> Figure:
    """Spine chart from ``Queries.spine`` rows (grey range, darker middle half, Scotland line).

    Each indicator's name sits above its bar, across the chart's full width, not as a y-axis
    label: on a phone the labels took two thirds of the width and squeezed the plot until
    'worse' ran into 'Scotland' and 'better' was dropped (issue 13).
    """
    pos = spine_positions(frame)
    if pos.empty:
        return empty_figure("No indicator of this theme can be compared with Scotland here.")
    labels = list(pos.label)
    traces: list[dict[str, Any]] = [
        {"type": "bar", "y": labels, "x": _values(pos.best - pos.worst), "base": _values(pos.worst),
         "orientation": "h", "marker": {"color": RANGE_GREY}, "name": "range of all areas (worst to best)",
         "hoverinfo": "skip", "width": SPINE_BAR},
        {"type": "bar", "y": labels, "x": _values(pos.q_high - pos.q_low), "base": _values(pos.q_low),
         "orientation": "h", "marker": {"color": IQR_GREY}, "name": "middle half of areas",
         "hoverinfo": "skip", "width": SPINE_BAR},
    ]
    for verdict, (colour, symbol, words) in VERDICT_STYLE.items():
        part = pos[(pos.verdict == verdict) & pos.area.notna()]
        if part.empty:
            continue
        traces.append({
            "type": "scatter", "y": list(part.label), "x": _values(part.area), "mode": "markers",
            "name": f"{area_name}: {words}",
            "marker": {"color": colour, "symbol": symbol, "size": 13, "line": {"color": "#222", "width": 1.2}},
            "customdata": [list(t) for t in zip(_values(part.value), _values(part.scotland), list(part.unit),
                                                strict=True)],
            "hovertemplate": "%{y}<br>" + area_name + ": %{customdata[0]:,.1f} %{customdata[2]}"
                             "<br>Scotland: %{customdata[1]:,.1f}<extra></extra>"})
    # each name above its bar from the left edge (on a white ground where it crosses the Scotland
    # line); the Scotland line is a shape at x = 0 across the plot, labelled above it
    # (y is the row's position on the category axis, at the top edge of its bar)
    names = [{"text": label, "x": 0, "xref": "paper", "xanchor": "left", "y": row - SPINE_BAR / 2, "yref": "y",
              "yanchor": "bottom", "yshift": 1, "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)"}
             for row, label in enumerate(labels)]
    return {"data": traces, "layout": {
        "barmode": "overlay", "height": max(220, SPINE_ROW_PX * len(labels) + 130),
        "font": {"family": FONT, "size": 12},
        # "worse" and "better" written above the ends of the axis, in line with "Scotland" above its line:
        # three tick labels under a phone's narrow plot were turned on end, cut off and run into the
        # legend, and the two words written under the plot sat under the legend's first and last items
        "xaxis": {"range": [-1.08, 1.08], "showticklabels": False, "showgrid": False, "zeroline": False},
        "yaxis": {"showticklabels": False, "autorange": "reversed"}, "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {**BOTTOM_LEGEND}, "margin": {"l": 10, "r": 10, "t": 38, "b": 40},
        "shapes": [{"type": "line", "x0": 0, "x1": 0, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                    "line": {"color": "#000", "width": 2}}],
        "annotations": [*names, {"text": "Scotland", "x": 0, "xref": "x", "y": 1, "yref": "y domain",
                                 "yanchor": "bottom", "yshift": 8, "showarrow": False},
                        *({"text": text, "x": x, "xref": "paper", "xanchor": side, "y": 1, "yref": "paper",
                           "yanchor": "bottom", "yshift": 8, "showarrow": False, "font": {"color": "#444"}}
                          for text, x, side in (("◀ worse", 0, "left"), ("better ▶", 1, "right")))],
    }}


def _ci_line(frame: pd.DataFrame, column: str, name: str, colour: str, dash: str) -> list[dict[str, Any]]:
    data = frame.dropna(subset=[column])
    lower, upper = f"{column}_lower", f"{column}_upper"
    trace: dict[str, Any] = {
        "type": "scatter", "x": data.period_label.astype(str).tolist(), "y": _values(data[column]), "name": name,
        "mode": "lines+markers", "line": {"color": colour, "dash": dash, "width": 2.2},
        "hovertemplate": "%{x}: %{y:,.2f}<extra>" + name + "</extra>"}
    if lower in data and upper in data and data[lower].notna().any():
        trace["error_y"] = {"type": "data", "symmetric": False, "array": _values(data[upper] - data[column]),
                            "arrayminus": _values(data[column] - data[lower]), "color": colour, "thickness": 1}
    return [trace]


def _time_figure(traces: list[dict[str, Any]], y_title: str, **extra: object) -> Figure:
    """A chart over periods."""
    return {"data": traces, "layout": {
        "height": 320, "font": {"family": FONT, "size": 12}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "xaxis": {"type": "category", "title": {"text": "Period"}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#e5e5e5", "zeroline": True, "zerolinecolor": "#888",
                  "automargin": True},
        "legend": {**BOTTOM_LEGEND}, "margin": {"l": 60, "r": 20, "t": 20, "b": 40},
        **extra}}


def sii_figure(series: pd.DataFrame, unit: str) -> Figure:
    """SII (with 95 % CI) over time and, in a panel of its own below, the RII; positive = worse in
    deprived areas.

    Why two panels and not a second y axis: two scales over one plot made readers match the RII
    line against the SII ticks, and the right axis's free ticks read like 1.635 / 2.019 (issue 13).
    Each panel has its own title and ticks of at most two decimals; both share the periods.
    """
    data = series.dropna(subset=["sii"])
    if data.empty:
        return empty_figure("The slope index of inequality cannot be calculated here (groups suppressed or absent).")
    traces = _ci_line(data, "sii", f"SII ({unit})", AREA_COLOUR, "solid")
    if not data.rii.notna().any():
        return _time_figure(traces, f"SII ({unit})")
    rii = _ci_line(data, "rii", "RII (SII ÷ overall rate)", COUNCIL_COLOUR, "dash")
    rii[-1].update(xaxis="x2", yaxis="y2")
    figure = _time_figure(traces + rii, f"SII ({unit})", height=440)
    layout = figure["layout"]
    layout["yaxis"].update(domain=[0.56, 1.0], tickformat=",.2~f", nticks=6)
    layout["xaxis"].update(anchor="y", title={"text": ""})
    layout["yaxis2"] = {"domain": [0.0, 0.40], "anchor": "x2", "title": {"text": "RII"}, "gridcolor": "#e5e5e5",
                        "zeroline": True, "zerolinecolor": "#888", "tickformat": ",.2~f", "nticks": 6}
    layout["xaxis2"] = {"type": "category", "anchor": "y2", "matches": "x", "title": {"text": "Period"},
                        "automargin": True}
    layout["margin"] = {**layout.get("margin", {}), "b": 100}  # the legend under the lower panel's periods
    layout["legend"] = {**BOTTOM_LEGEND}
    return figure


def duncan_figure(series: pd.DataFrame) -> Figure:
    """Duncan index across the council's communities over time (0 = equal, > 0 = deprived fare worse)."""
    data = series.dropna(subset=["duncan_index"])
    if data.empty:
        return empty_figure("No Duncan index: it is calculated for councils, from community (IZ) values.")
    return _time_figure(_ci_line(data, "duncan_index", "Duncan index", AREA_COLOUR, "solid"), "Duncan index")


def best_worst_figure(series: pd.DataFrame, unit: str) -> Figure:
    """The best and the worst community's values over time, and the gap between them."""
    data = series.dropna(subset=["best_iz_value", "worst_iz_value"])
    if data.empty:
        return empty_figure("No community (IZ) values to compare for this indicator.")
    x = data.period_label.astype(str).tolist()
    return _time_figure([
        {"type": "scatter", "x": x, "y": _values(data.best_iz_value), "name": "best community",
         "mode": "lines+markers", "line": {"color": AREA_COLOUR, "width": 2.2}, "marker": {"symbol": "circle", "size": 8},
         "text": data.best_iz_name.tolist(), "hovertemplate": "%{x}: %{y:,.1f} (%{text})<extra>best</extra>"},
        {"type": "scatter", "x": x, "y": _values(data.worst_iz_value), "name": "worst community",
         "mode": "lines+markers", "line": {"color": COUNCIL_COLOUR, "width": 2.2, "dash": "dash"},
         "marker": {"symbol": "x", "size": 8},
         "text": data.worst_iz_name.tolist(), "hovertemplate": "%{x}: %{y:,.1f} (%{text})<extra>worst</extra>"},
    ], unit)
