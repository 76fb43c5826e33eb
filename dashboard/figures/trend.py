"""Trend chart: an area's series with its 95 % CI band against its council and Scotland.

Why: "is it improving, and is it different from the comparators?" is the first question a
board asks. Built as plain plotly figure dicts (``{"data": [...], "layout": {...}}``): a
``go.Figure`` validates and deep-copies every property, ~10 ms a chart, and plotly.express
costs far more; dcc.Graph takes the dict as it is.
Suppressed periods are gaps, never zeros, and are labelled so a gap is not read as
missing data. Colours are Okabe-Ito (colour-blind safe) and each line also has its own
dash pattern, so the chart reads in greyscale too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.data.queries import IndicatorMeta
from dashboard.formatting import SUPPRESSED_TEXT, axis_title, format_ci, format_value, is_missing

AREA_COLOUR = "#0072B2"  # Okabe-Ito blue
AREA_BAND = "rgba(0, 114, 178, 0.18)"
COUNCIL_COLOUR = "#D55E00"  # Okabe-Ito vermillion
SCOTLAND_COLOUR = "#000000"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def period_order(frames: Sequence[pd.DataFrame | None]) -> list[str]:
    """All period labels in the frames, ordered by period_year then label."""
    parts = [f[["period_label", "period_year"]] for f in frames if f is not None and not f.empty]
    if not parts:
        return []
    periods = pd.concat(parts).drop_duplicates("period_label")
    periods = periods.sort_values(["period_year", "period_label"], kind="stable")
    return periods["period_label"].astype(str).tolist()


def _display_values(df: pd.DataFrame) -> list[float | None]:
    """Values with suppressed or missing points as None (a gap, never zero)."""
    out: list[float | None] = []
    for value, suppressed in zip(df["value"], df["is_suppressed"], strict=True):
        out.append(None if bool(suppressed) or is_missing(value) else float(value))
    return out


def _band_polygon(df: pd.DataFrame) -> tuple[list[str | None], list[float | None]]:
    """One closed polygon per run of periods that have a CI, separated by None gaps."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    run: list[tuple[str, float, float]] = []

    def flush() -> None:
        if run:
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend([p for p, _, _ in run] + [p for p, _, _ in reversed(run)])
            ys.extend([hi for _, _, hi in run] + [lo for _, lo, _ in reversed(run)])
            run.clear()

    for label, lo, hi, suppressed in zip(
        df["period_label"], df["ci_lower"], df["ci_upper"], df["is_suppressed"], strict=True
    ):
        if bool(suppressed) or is_missing(lo) or is_missing(hi):
            flush()
        else:
            run.append((str(label), float(lo), float(hi)))
    flush()
    return xs, ys


def _hover_text(df: pd.DataFrame, unit: str, name: str) -> list[str]:
    texts = []
    for row in df.itertuples(index=False):
        suppressed = bool(row.is_suppressed)
        value = format_value(row.value, unit, suppressed=suppressed)
        ci = format_ci(row.ci_lower, row.ci_upper, suppressed=suppressed)
        texts.append(f"{name}<br>{row.period_label}: {value}<br>95% CI: {ci}")
    return texts


def _error_bars(df: pd.DataFrame) -> dict[str, object]:
    """Asymmetric CI whiskers, so an isolated point (no band around it) still shows its CI."""
    values = _display_values(df)
    plus: list[float | None] = []
    minus: list[float | None] = []
    for v, lo, hi in zip(values, df["ci_lower"], df["ci_upper"], strict=True):
        ok = v is not None and not is_missing(lo) and not is_missing(hi)
        plus.append(float(hi) - v if ok else None)  # type: ignore[operator]
        minus.append(v - float(lo) if ok else None)  # type: ignore[operator]
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
            "color": AREA_COLOUR, "thickness": 1, "width": 3}


Figure = dict[str, Any]  #: a plotly figure as a plain dict: {"data": [traces], "layout": {...}}


def _line(df: pd.DataFrame, name: str, colour: str, dash: str, unit: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": df["period_label"].astype(str).tolist(),
        "y": _display_values(df),
        "name": name,
        "mode": "lines+markers",
        "connectgaps": False,
        "line": {"color": colour, "width": 2.5 if dash == "solid" else 2, "dash": dash},
        "marker": {"size": 7 if dash == "solid" else 5, "color": colour},
        "hovertext": _hover_text(df, unit, name),
        "hoverinfo": "text",
    }


def modelled_mask(df: pd.DataFrame) -> list[bool]:
    """True for rows whose value is modelled rather than observed (value_type column)."""
    if "value_type" not in df:
        return [False] * len(df)
    return [str(v) == "modelled" for v in df["value_type"]]


def empty_figure(message: str) -> Figure:
    """A blank chart carrying a message (no data, no selection)."""
    return {"data": [], "layout": {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "height": 360,
        "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        "annotations": [{
            "text": message, "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0.5, "y": 0.5, "font": {"size": 14, "color": "#555"},
        }],
    }}


def trend_figure(
    area: pd.DataFrame | None,
    indicator: IndicatorMeta,
    council: pd.DataFrame | None = None,
    scotland: pd.DataFrame | None = None,
) -> Figure:
    """Line chart of ``area`` (with CI band) against ``council`` and ``scotland``.

    Each frame has period_label, period_year, value, ci_lower, ci_upper, is_suppressed,
    area_name (the rows of ``Queries.series`` for one role). Comparators may be None or
    empty. Returns a figure with a message when the area has no rows.
    """
    if area is None or area.empty:
        return empty_figure("No data for this indicator in this area.")
    unit = indicator.unit_label
    order = period_order([area, council, scotland])
    area = area.sort_values(["period_year", "period_label"], kind="stable")
    area_name = str(area["area_name"].iloc[0])

    traces: list[dict[str, Any]] = []
    band_x, band_y = _band_polygon(area)
    if band_x:
        traces.append({
            "type": "scatter", "x": band_x, "y": band_y, "fill": "toself", "fillcolor": AREA_BAND,
            "line": {"width": 0, "color": AREA_BAND}, "mode": "lines", "hoverinfo": "skip",
            "name": f"{area_name} 95% CI", "showlegend": True,
        })
    area_line = _line(area, area_name, AREA_COLOUR, "solid", unit)
    area_line["error_y"] = _error_bars(area)
    modelled = modelled_mask(area)
    if any(modelled):
        # raw (observed) values are filled dots, modelled estimates open circles
        area_line["marker"]["symbol"] = ["circle-open" if m else "circle" for m in modelled]
        area_line["marker"]["size"] = [10 if m else 7 for m in modelled]
    traces.append(area_line)
    if any(modelled):
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                       "name": "open circle = modelled estimate",
                       "marker": {"symbol": "circle-open", "size": 10, "color": AREA_COLOUR}, "hoverinfo": "skip"})
    for frame, colour, dash in ((council, COUNCIL_COLOUR, "dash"),
                                (scotland, SCOTLAND_COLOUR, "dot")):
        if frame is not None and not frame.empty:
            traces.append(_line(frame, str(frame["area_name"].iloc[0]), colour, dash, unit))

    suppressed_periods = [str(p) for p, s in zip(area["period_label"], area["is_suppressed"],
                                                  strict=True) if bool(s)]
    # On a category axis an annotation's x is the category's index, not its label
    # (a label like "2020" would be read as position 2020 and wreck the autorange).
    annotations = [{
        "x": order.index(period), "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom",
        "text": SUPPRESSED_TEXT, "showarrow": False, "textangle": -90,
        "font": {"size": 11, "color": "#444"},
    } for period in suppressed_periods]

    return {"data": traces, "layout": {
        "title": {"text": indicator.title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": "#222"},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": order,
                  "title": {"text": "Period"}, "showgrid": False, "linecolor": "#888"},
        "yaxis": {"title": {"text": axis_title(indicator.short_title or indicator.title, unit)},
                  "gridcolor": "#e5e5e5", "zeroline": False, "rangemode": "tozero"},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 90},
        "height": 420,
        "hovermode": "closest",
        "annotations": annotations,
    }}
