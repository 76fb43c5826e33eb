"""Pure plotly builders for Area Profiles: rank chart, choropleth map, deprivation bars.

Why: built with ``go`` objects (fast) and tile-less maps (``map_style='white-bg'``), so the
page works offline; colours follow polarity (better / worse), not high / low, from a
colour-blind-safe sequential scale, and every figure has a text alternative in its caption.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.trend import AREA_COLOUR, empty_figure

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion
OTHER = "#9DB9D3"
# Blues (colour-blind safe); reversed for low-is-good so darker always means worse
WORSE_DARK = [[0, "#eff3ff"], [0.5, "#6baed6"], [1, "#08519c"]]


def rank_figure(frame: pd.DataFrame, chosen: str, unit: str, polarity: str) -> go.Figure:
    """Horizontal bars of every area, best at the top, the chosen area highlighted."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return empty_figure("No values to rank (suppressed or not published at this level).")
    data = data.sort_values("value", ascending=(polarity == "high_is_good"))
    colours = [HIGHLIGHT if c == chosen else OTHER for c in data.area_code]
    fig = go.Figure(go.Bar(x=data.value, y=data.area_name, orientation="h", marker_color=colours,
                           hovertemplate="%{y}: %{x:,.1f} " + unit + "<extra></extra>"))
    fig.update_layout(height=max(260, 18 * len(data) + 80), margin=dict(l=10, r=10, t=10, b=40),
                      xaxis_title=unit, yaxis=dict(automargin=True), plot_bgcolor="white")
    return fig


def map_figure(frame: pd.DataFrame, boundaries: pd.DataFrame, chosen: str, unit: str, polarity: str) -> go.Figure:
    """Choropleth of the areas (darker = worse, by polarity), no tiles: works offline."""
    if boundaries.empty:
        return empty_figure("No boundaries in this warehouse (add data/raw/boundaries and rebuild).")
    features = [{"type": "Feature", "id": r.area_code, "properties": {"area_code": r.area_code},
                 "geometry": json.loads(r.geojson)} for r in boundaries.itertuples(index=False)]
    data = frame.merge(boundaries[["area_code"]], on="area_code")
    scale = WORSE_DARK if polarity == "low_is_good" else [[1 - p, c] for p, c in reversed(WORSE_DARK)]
    lons, lats = [], []
    for feature in features:
        coords = feature["geometry"]["coordinates"]
        ring = coords[0][0] if feature["geometry"]["type"] == "MultiPolygon" else coords[0]
        lons += [p[0] for p in ring]
        lats += [p[1] for p in ring]
    fig = go.Figure(go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": features}, locations=data.area_code,
        z=data.value, text=data.area_name, colorscale=scale, marker_line_width=0.4,
        marker_line_color="#555", colorbar_title=unit,
        hovertemplate="%{text}: %{z:,.1f}<extra></extra>"))
    chosen_rows = data[data.area_code == chosen]
    if len(chosen_rows):
        fig.add_trace(go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": [f for f in features if f["id"] == chosen]},
            locations=chosen_rows.area_code, z=[1], showscale=False, marker_line_width=3,
            marker_line_color=HIGHLIGHT, colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            hoverinfo="skip"))
    centre = {"lon": (min(lons) + max(lons)) / 2, "lat": (min(lats) + max(lats)) / 2} if lons else None
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.8) if lons else 1
    zoom = 9.6 - math.log2(max(span, 0.01) / 0.3)
    fig.update_layout(map={"style": "white-bg", "center": centre, "zoom": max(4, min(12, zoom))},
                      margin=dict(l=0, r=0, t=0, b=0), height=420)
    return fig


def deprivation_figure(groups: pd.DataFrame, unit: str) -> go.Figure:
    """Bars by deprivation group (1 = most deprived) with 95 % CIs; suppressed groups marked."""
    if groups.empty:
        return empty_figure("No deprivation breakdown for this indicator and area.")
    labels = [f"{'Q' if len(groups) <= 5 else 'D'}{g}" + (" (most deprived)" if g == 1 else
              " (least deprived)" if g == groups.group_number.max() else "") for g in groups.group_number]
    error = dict(type="data", symmetric=False, array=(groups.ci_upper - groups.value).tolist(),
                 arrayminus=(groups.value - groups.ci_lower).tolist(), color="#333")
    fig = go.Figure(go.Bar(x=labels, y=groups.value, marker_color=AREA_COLOUR, error_y=error,
                           text=["suppressed" if s else "" for s in groups.is_suppressed],
                           hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra></extra>"))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=10, b=60), yaxis_title=unit, plot_bgcolor="white")
    return fig


def selection_map(boundaries: pd.DataFrame, selected: list[str], names: dict[str, str]) -> go.Figure:
    """Data zones to click (or lasso) into a user-made area; chosen ones filled, others outlined."""
    if boundaries.empty:
        return empty_figure("No data zone boundaries in this warehouse: paste or upload codes instead.")
    features = [{"type": "Feature", "id": r.area_code, "properties": {"area_code": r.area_code},
                 "geometry": json.loads(r.geojson)} for r in boundaries.itertuples(index=False)]
    codes = list(boundaries.area_code)
    chosen = set(selected)
    fig = go.Figure(go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": features}, locations=codes,
        z=[1 if c in chosen else 0 for c in codes], zmin=0, zmax=1, showscale=False,
        colorscale=[[0, "rgba(240,240,240,0.6)"], [1, HIGHLIGHT]], marker_line_width=0.5, marker_line_color="#555",
        text=[names.get(c, c) for c in codes], customdata=codes,
        hovertemplate="%{text} (%{customdata})<extra></extra>"))
    lons = [p[0] for f in features for p in (f["geometry"]["coordinates"][0][0] if f["geometry"]["type"] == "MultiPolygon"
                                              else f["geometry"]["coordinates"][0])]
    lats = [p[1] for f in features for p in (f["geometry"]["coordinates"][0][0] if f["geometry"]["type"] == "MultiPolygon"
                                              else f["geometry"]["coordinates"][0])]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.8)
    fig.update_layout(map={"style": "white-bg", "center": {"lon": (min(lons) + max(lons)) / 2,
                                                           "lat": (min(lats) + max(lats)) / 2},
                           "zoom": max(4, min(13, 9.6 - math.log2(max(span, 0.01) / 0.3)))},
                      margin=dict(l=0, r=0, t=0, b=0), height=480, clickmode="event+select", dragmode="lasso",
                      uirevision="keep")
    return fig
