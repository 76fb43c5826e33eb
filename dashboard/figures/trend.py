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
from dashboard.figures.target_lines import target_categories, target_traces
from dashboard.formatting import SUPPRESSED_TEXT, axis_title, format_ci, format_value, is_missing
from dashboard.logic.provenance import VALUE_TYPE_LABELS, value_labels
from dashboard.logic.records import records

AREA_COLOUR = "#0072B2"  # Okabe-Ito blue
AREA_BAND = "rgba(0, 114, 178, 0.18)"
COUNCIL_COLOUR = "#D55E00"  # Okabe-Ito vermillion
SCOTLAND_COLOUR = "#000000"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
#: A legend at the foot of the figure (container coordinates), below the tick labels and the axis title
#: however tall rotated labels grow on a phone; plotly widens the bottom margin to fit it. A legend placed
#: in plot coordinates (y = -0.3) sat on "Period" and the period labels at 390 px.
BOTTOM_LEGEND: dict[str, Any] = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0}


def period_order(frames: Sequence[pd.DataFrame | None]) -> list[str]:
    """All period labels in the frames, ordered by period_year then label."""
    # a label's first (label, year), as drop_duplicates keeps it; missing labels are one label
    first: dict[Any, tuple[Any, Any]] = {}
    for frame in frames:
        if frame is not None and not frame.empty:
            for label, year in zip(frame["period_label"].tolist(), frame["period_year"].tolist(), strict=True):
                first.setdefault(None if pd.isna(label) else label, (label, year))
    # pandas' stable sort by year then label, missing ones last (read as plain lists: on Arrow-backed
    # frames concat, drop_duplicates and sort_values cost ~2 ms a chart)
    ordered = sorted(first.items(), key=lambda item: (is_missing(item[1][1]), 0 if is_missing(item[1][1]) else item[1][1],
                                                      item[0] is None, "" if item[0] is None else item[0]))
    return [str(label) for _, (label, _year) in ordered]


def _display_values(df: pd.DataFrame) -> list[float | None]:
    """Values with suppressed or missing points as None (a gap, never zero)."""
    out: list[float | None] = []
    for value, suppressed in zip(df["value"].tolist(), df["is_suppressed"].tolist(), strict=True):
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
        *(df[column].tolist() for column in ("period_label", "ci_lower", "ci_upper", "is_suppressed")), strict=True
    ):
        if bool(suppressed) or is_missing(lo) or is_missing(hi):
            flush()
        else:
            run.append((str(label), float(lo), float(hi)))
    flush()
    return xs, ys


def _hover_text(df: pd.DataFrame, unit: str, name: str) -> list[str]:
    """Name, period, value and interval, and what kind of value it is (projected, estimated …)."""
    texts = []
    for row in records(df):
        suppressed = bool(row.get("is_suppressed"))
        value = format_value(row.get("value"), unit, suppressed=suppressed)
        lines = [name, f"{row['period_label']}: {value}"]
        if not suppressed and (is_missing(row.get("ci_lower")) or is_missing(row.get("ci_upper"))):
            lines.append("no interval published" if row.get("value_source") == "published" else "95% CI: –")
        else:
            lines.append(f"95% CI: {format_ci(row.get('ci_lower'), row.get('ci_upper'), suppressed=suppressed)}")
        labels = value_labels(row.get("value_type"), row.get("value_source"), row.get("is_revised"))
        if labels:
            lines.append(", ".join(labels))
        note = row.get("note")
        if isinstance(note, str) and note:
            lines.append(_wrap(note))
        texts.append("<br>".join(lines))
    return texts


def _wrap(text: str, width: int = 60) -> str:
    """A long note broken into hover lines."""
    out, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*out, line] if line else out)


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


#: How a value the publisher did not observe is drawn: its own dash and an open marker (never colour alone)
TYPE_STYLES = {
    "imputed": {"dash": "dot", "symbol": "circle-open"},
    "projected": {"dash": "dash", "symbol": "diamond-open"},
    "modelled": {"dash": "dot", "symbol": "circle-open"},
}
PROJECTION_FILL = "rgba(0, 0, 0, 0.05)"


def value_types(df: pd.DataFrame) -> list[str]:
    """Each row's value type ('raw' when the column is absent or empty)."""
    if "value_type" not in df:
        return ["raw"] * len(df)
    return [str(v) if isinstance(v, str) and v else "raw" for v in df["value_type"].tolist()]


def modelled_mask(df: pd.DataFrame) -> list[bool]:
    """True for rows whose value the publisher did not observe (imputed, projected or modelled)."""
    return [t != "raw" for t in value_types(df)]


def _typed_lines(area: pd.DataFrame, name: str, unit: str) -> list[dict[str, Any]]:
    """The area's imputed and projected stretches as lines of their own (dotted with open circles,
    dashed with open diamonds), each joined to the observed line at its ends; the observed line keeps
    only raw values."""
    kinds = value_types(area)
    values = _display_values(area)
    hover = _hover_text(area, unit, name)
    x = area["period_label"].astype(str).tolist()
    out = []
    for kind, style in TYPE_STYLES.items():
        members = {i for i, k in enumerate(kinds) if k == kind}
        if not members:
            continue
        keep = set(members)
        for i in members:  # join each stretch to the neighbouring values, so the line is unbroken
            keep.update(j for j in (i - 1, i + 1) if 0 <= j < len(kinds) and j not in members)
        ys = [values[i] if i in keep else None for i in range(len(values))]
        out.append({
            "type": "scatter", "x": x, "y": ys, "mode": "lines+markers", "connectgaps": False,
            "name": f"{name}: {VALUE_TYPE_LABELS[kind]}",
            "line": {"color": AREA_COLOUR, "width": 2, "dash": style["dash"]},
            "marker": {"size": [9 if i in members else 0 for i in range(len(values))], "color": AREA_COLOUR,
                       "symbol": style["symbol"], "line": {"width": 1.5, "color": AREA_COLOUR}},
            "hovertext": [hover[i] if i in members else "" for i in range(len(values))],
            "hoverinfo": "text", "meta": kind,
        })
    return out


def _projection_shapes(area: pd.DataFrame, order: list[str]) -> tuple[list[dict], list[dict]]:
    """A light band behind the periods the publisher projected, labelled, so a forecast is never read as
    an observation."""
    periods = [str(p) for p, k in zip(area["period_label"], value_types(area), strict=True) if k == "projected"]
    positions = sorted(order.index(p) for p in periods if p in order)
    if not positions:
        return [], []
    x0, x1 = positions[0] - 0.5, positions[-1] + 0.5
    shape = {"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
             "fillcolor": PROJECTION_FILL, "line": {"width": 0}, "layer": "below"}
    label = {"x": (x0 + x1) / 2, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
             "text": "projected by the publisher", "font": {"size": 11, "color": "#444"}}
    return [shape], [label]


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


#: Further comparator areas a user adds: Okabe-Ito colours not used above, each with its own dash and marker
EXTRA_STYLES = (("#E69F00", "dashdot", "square"), ("#CC79A7", "longdash", "triangle-up"),
                ("#56B4E9", "longdashdot", "diamond"), ("#7F7F7F", "dash", "cross"),
                ("#8C510A", "dot", "triangle-down"), ("#332288", "dashdot", "pentagon"))


def trend_figure(
    area: pd.DataFrame | None,
    indicator: IndicatorMeta,
    council: pd.DataFrame | None = None,
    scotland: pd.DataFrame | None = None,
    others: Sequence[pd.DataFrame] = (),
    target: dict[str, Any] | None = None,
) -> Figure:
    """Line chart of ``area`` (with CI band) against ``council``, ``scotland`` and ``others``.

    Each frame has period_label, period_year, value, ci_lower, ci_upper, is_suppressed,
    area_name (the rows of ``Queries.series`` for one role). Comparators may be None or
    empty; ``others`` are the comparator areas a user added (at most ``len(EXTRA_STYLES)``),
    drawn in their own colours, dashes and markers with their intervals in the hover.
    ``target`` (a ``Queries.target`` row) adds the target and the trajectory to it.
    Returns a figure with a message when the area has no rows.
    """
    if area is None or area.empty:
        return empty_figure("No data for this indicator in this area.")
    if len(others) > len(EXTRA_STYLES):
        raise ValueError(f"argument 'others': at most {len(EXTRA_STYLES)} further comparators, got {len(others)}")
    unit = indicator.unit_label
    order = period_order([area, council, scotland, *others])
    if target is not None:
        order = target_categories(order, area, target)
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
    kinds = value_types(area)
    typed = _typed_lines(area, area_name, unit)
    if typed:
        # the observed line keeps raw values only; imputed and projected stretches are drawn apart
        area_line["y"] = [v if k == "raw" else None for v, k in zip(area_line["y"], kinds, strict=True)]
    traces.append(area_line)
    traces.extend(typed)
    for frame, colour, dash in ((council, COUNCIL_COLOUR, "dash"),
                                (scotland, SCOTLAND_COLOUR, "dot")):
        if frame is not None and not frame.empty:
            line = _line(frame, str(frame["area_name"].iloc[0]), colour, dash, unit)
            if any(modelled_mask(frame)):  # the comparator's own imputed or projected values: open markers
                line["marker"]["symbol"] = [TYPE_STYLES.get(k, {}).get("symbol", "circle")
                                            for k in value_types(frame)]
            traces.append(line)
    for frame, (colour, dash, symbol) in zip(others, EXTRA_STYLES, strict=False):
        if not frame.empty:
            frame = frame.sort_values(["period_year", "period_label"], kind="stable")
            line = _line(frame, str(frame["area_name"].iloc[0]), colour, dash, unit)
            line["marker"]["symbol"] = symbol
            line["meta"] = "comparator"
            traces.append(line)
    if target is not None:
        traces.extend(target_traces(area, target, unit))

    suppressed_periods = [str(p) for p, s in zip(area["period_label"].tolist(), area["is_suppressed"].tolist(),
                                                  strict=True) if bool(s)]
    # On a category axis an annotation's x is the category's index, not its label
    # (a label like "2020" would be read as position 2020 and wreck the autorange).
    annotations = [{
        "x": order.index(period), "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom",
        "text": SUPPRESSED_TEXT, "showarrow": False, "textangle": -90,
        "font": {"size": 11, "color": "#444"},
    } for period in suppressed_periods]
    shapes, labels = _projection_shapes(area, order)
    annotations += labels
    title = _wrap(indicator.title, 42)

    return {"data": traces, "layout": {
        # wrapped, so a long title is not cut off on a phone (a figure cannot know its width)
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": "#222"},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": order,
                  "title": {"text": "Period"}, "showgrid": False, "linecolor": "#888", "automargin": True},
        "yaxis": {"title": {"text": axis_title(indicator.short_title or indicator.title, unit)},
                  "gridcolor": "#e5e5e5", "zeroline": False, "rangemode": "tozero"},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {**BOTTOM_LEGEND},
        "margin": {"l": 60, "r": 20, "t": 30 + 20 * title.count("<br>") + 20, "b": 40},
        "height": 420 + 30 * max(0, len(traces) - 4),  # room for legend rows on a phone
        "hovermode": "closest",
        "annotations": annotations,
        "shapes": shapes,
    }}
