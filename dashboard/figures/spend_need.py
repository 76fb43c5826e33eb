"""The spend-and-need scatter: spend per head (up) against a need measure (right = higher need),
with the council-wide lines dividing it into four quarters named in words.

Why: a board reads "where is need high and spend low" at a glance; the quarters carry their names
as text in each corner (not colour alone), each point is labelled with its area, and the x axis is
reversed for a measure where higher is better so that higher need is always to the right.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.logic.spend_need import money, need_text, per_head_label
from etl.spend.need import (
    HIGH_NEED_HIGH_SPEND,
    HIGH_NEED_LOW_SPEND,
    LOW_NEED_HIGH_SPEND,
    LOW_NEED_LOW_SPEND,
)

#: quarter → (marker symbol, colour): shape and colour both differ, and the words name it anyway
MARKERS = {HIGH_NEED_LOW_SPEND: ("diamond", "#b2182b"), HIGH_NEED_HIGH_SPEND: ("circle", "#2166ac"),
           LOW_NEED_HIGH_SPEND: ("square", "#762a83"), LOW_NEED_LOW_SPEND: ("triangle-up", "#4d4d4d")}
CORNERS = {HIGH_NEED_HIGH_SPEND: (0.99, 0.99, "right", "top"), HIGH_NEED_LOW_SPEND: (0.99, 0.01, "right", "bottom"),
           LOW_NEED_HIGH_SPEND: (0.01, 0.99, "left", "top"), LOW_NEED_LOW_SPEND: (0.01, 0.01, "left", "bottom")}


def spend_need_figure(view: Any) -> go.Figure:
    """The scatter of ``view`` (a ``dashboard.data.spend.SpendView``); areas not placed in a quarter are left out."""
    areas = view.result.areas
    units = view.meta.units
    fig = go.Figure()
    for name, (symbol, colour) in MARKERS.items():
        part = areas[areas.quadrant == name]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part.need_value.round(2).tolist(), y=part.spend_per_head.round(2).tolist(), mode="markers+text",
            name=name, text=part.area_name.tolist(), textposition="top center",
            marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 1, "color": "#000"}},
            customdata=[[money(s, units), need_text(n, view.unit_label)] for s, n in
                        zip(part.spend_per_head, part.need_value, strict=True)],
            hovertemplate="%{text}<br>%{customdata[0]} per head<br>" + view.indicator_title
                          + " %{customdata[1]}<extra>" + name + "</extra>"))
    result = view.result
    if result.council_spend_per_head is not None:
        fig.add_hline(y=result.council_spend_per_head, line={"dash": "dash", "color": "#333"},
                      annotation_text=f"Council: {money(result.council_spend_per_head, units)} per head",
                      annotation_position="bottom left")
    if result.council_need_value is not None:
        fig.add_vline(x=result.council_need_value, line={"dash": "dot", "color": "#333"},
                      annotation_text=f"Council: {need_text(result.council_need_value, view.unit_label)}",
                      annotation_position="top left")
    for name, (x, y, xanchor, yanchor) in CORNERS.items():
        fig.add_annotation(text=f"<b>{name}</b>", x=x, y=y, xref="paper", yref="paper", xanchor=xanchor,
                           yanchor=yanchor, showarrow=False, font={"size": 12, "color": "#222"},
                           bgcolor="rgba(255,255,255,0.85)")
    direction = "higher need →" if result.polarity == "low_is_good" else "higher need → (axis reversed: higher is better)"
    unit = f" ({view.unit_label})" if view.unit_label else ""
    fig.update_layout(
        title={"text": f"{view.meta.title}: {per_head_label(view)} against {view.indicator_title}, "
                       f"{view.council_name}", "font": {"size": 15}},
        xaxis={"title": {"text": f"{view.indicator_title}{unit}, {view.need_period}: {direction}"},
               "autorange": "reversed" if result.polarity == "high_is_good" else True, "zeroline": False},
        yaxis={"title": {"text": f"{per_head_label(view)}, {view.meta.period_label(view.year)}"}, "rangemode": "tozero"},
        legend={"title": {"text": "Quarter"}, "orientation": "h", "y": -0.25},
        margin={"l": 70, "r": 20, "t": 60, "b": 40}, plot_bgcolor="white", height=520,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5", linecolor="#999")
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5", linecolor="#999")
    return fig
