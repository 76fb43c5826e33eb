"""Pure plotly builders for Area Profiles: rank chart, choropleth map, deprivation bars.

Why: built as plain figure dicts (see ``dashboard.figures.trend``) and tile-less maps (``map_style='white-bg'``), so the
page works offline; colours follow polarity (better / worse), not high / low, from a
colour-blind-safe sequential scale, and every figure has a text alternative in its caption.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.trend import AREA_COLOUR, Figure, empty_figure

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion
OTHER = "#9DB9D3"
# Blues (colour-blind safe); reversed for low-is-good so darker always means worse
WORSE_DARK = [[0, "#eff3ff"], [0.5, "#6baed6"], [1, "#08519c"]]


def rank_figure(frame: pd.DataFrame, chosen: str, unit: str, polarity: str) -> Figure:
    """Horizontal bars of every area, best at the top, the chosen area highlighted."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return empty_figure("No values to rank (suppressed or not published at this level).")
    data = data.sort_values("value", ascending=(polarity == "high_is_good"))
    colours = [HIGHLIGHT if c == chosen else OTHER for c in data.area_code]
    return {"data": [{"type": "bar", "x": data.value.astype(float).tolist(), "y": data.area_name.tolist(),
                      "orientation": "h", "marker": {"color": colours},
                      "hovertemplate": "%{y}: %{x:,.1f} " + unit + "<extra></extra>"}],
            "layout": {"height": max(260, 18 * len(data) + 80), "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
                       "xaxis": {"title": {"text": unit}}, "yaxis": {"automargin": True}, "plot_bgcolor": "white"}}


def boundary_collection(boundaries: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection (feature id = area_code) from ``Queries.area_boundaries`` rows."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.area_code, "properties": {"area_code": r.area_code},
         "geometry": json.loads(r.geojson)} for r in boundaries.itertuples(index=False)]}


def _bounds(collection: dict) -> tuple[float, float, float, float] | None:
    lons: list[float] = []
    lats: list[float] = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            lons += [p[0] for p in polygon[0]]
            lats += [p[1] for p in polygon[0]]
    return (min(lons), max(lons), min(lats), max(lats)) if lons else None


def map_figure(frame: pd.DataFrame, boundaries: pd.DataFrame | dict, chosen: str, unit: str,
               polarity: str) -> dict:
    """Choropleth of the areas (darker = worse, by polarity), no tiles: works offline.

    Built as a plain dict: plotly's ``go`` validation deep-copies the whole GeoJSON, which cost
    more than everything else on the Area Profiles page. ``boundaries`` is the query frame or
    an already parsed FeatureCollection (``boundary_collection``).
    """
    collection = boundaries if isinstance(boundaries, dict) else boundary_collection(boundaries)
    if not collection["features"]:
        return empty_figure("No boundaries in this warehouse (add data/raw/boundaries and rebuild).")
    data = frame.merge(pd.DataFrame({"area_code": [f["id"] for f in collection["features"]]}), on="area_code")
    scale = WORSE_DARK if polarity == "low_is_good" else [[1 - p, c] for p, c in reversed(WORSE_DARK)]
    values = [None if pd.isna(v) else float(v) for v in data.value]
    traces = [{
        "type": "choroplethmap", "geojson": collection, "locations": list(data.area_code), "z": values,
        "text": list(data.area_name), "colorscale": scale, "marker": {"line": {"width": 0.4, "color": "#555"}},
        "colorbar": {"title": {"text": unit}}, "hovertemplate": "%{text}: %{z:,.1f}<extra></extra>"}]
    if chosen in set(data.area_code):
        own = {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] == chosen]}
        traces.append({
            "type": "choroplethmap", "geojson": own, "locations": [chosen], "z": [1], "showscale": False,
            "marker": {"line": {"width": 3, "color": HIGHLIGHT}},
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "hoverinfo": "skip"})
    bounds = _bounds(collection)
    centre, zoom = None, 6
    if bounds:
        west, east, south, north = bounds
        centre = {"lon": (west + east) / 2, "lat": (south + north) / 2}
        span = max(east - west, (north - south) * 1.8)
        zoom = max(4, min(12, 9.6 - math.log2(max(span, 0.01) / 0.3)))
    return {"data": traces, "layout": {"map": {"style": "white-bg", "center": centre, "zoom": zoom},
                                       "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": 420}}


def deprivation_figure(groups: pd.DataFrame, unit: str) -> Figure:
    """Bars by deprivation group (1 = most deprived) with 95 % CIs; suppressed groups marked."""
    if groups.empty:
        return empty_figure("No deprivation breakdown for this indicator and area.")
    labels = [f"{'Q' if len(groups) <= 5 else 'D'}{g}" + (" (most deprived)" if g == 1 else
              " (least deprived)" if g == groups.group_number.max() else "") for g in groups.group_number]
    def values(column: pd.Series) -> list[float | None]:
        return [None if pd.isna(v) else float(v) for v in column]

    error = {"type": "data", "symmetric": False, "array": values(groups.ci_upper - groups.value),
             "arrayminus": values(groups.value - groups.ci_lower), "color": "#333"}
    return {"data": [{"type": "bar", "x": labels, "y": values(groups.value), "marker": {"color": AREA_COLOUR},
                      "error_y": error, "text": ["suppressed" if s else "" for s in groups.is_suppressed],
                      "hovertemplate": "%{x}: %{y:,.1f} " + unit + "<extra></extra>"}],
            "layout": {"height": 320, "margin": {"l": 10, "r": 10, "t": 10, "b": 60},
                       "yaxis": {"title": {"text": unit}}, "plot_bgcolor": "white"}}


def selection_map(boundaries: pd.DataFrame, selected: list[str], names: dict[str, str]) -> go.Figure:
    """Data zones to click (or lasso) into a user-made area; chosen ones filled, others outlined."""
    if boundaries.empty:
        return empty_figure("No data zone boundaries in this warehouse: paste or upload codes instead.")
    features = [{"type": "Feature", "id": r.area_code, "properties": {"area_code": r.area_code},
                 "geometry": json.loads(r.geojson)} for r in boundaries.itertuples(index=False)]
    codes = list(boundaries.area_code)
    chosen = set(selected)
    lons = [p[0] for f in features for p in (f["geometry"]["coordinates"][0][0] if f["geometry"]["type"] == "MultiPolygon"
                                              else f["geometry"]["coordinates"][0])]
    lats = [p[1] for f in features for p in (f["geometry"]["coordinates"][0][0] if f["geometry"]["type"] == "MultiPolygon"
                                              else f["geometry"]["coordinates"][0])]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.8)
    return go.Figure(go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": features}, locations=codes,
        z=[1 if c in chosen else 0 for c in codes], zmin=0, zmax=1, showscale=False,
        colorscale=[[0, "rgba(240,240,240,0.6)"], [1, HIGHLIGHT]], marker_line_width=0.5, marker_line_color="#555",
        text=[names.get(c, c) for c in codes], customdata=codes,
        hovertemplate="%{text} (%{customdata})<extra></extra>"),
        layout={"map": {"style": "white-bg", "center": {"lon": (min(lons) + max(lons)) / 2,
                                                        "lat": (min(lats) + max(lats)) / 2},
                        "zoom": max(4, min(13, 9.6 - math.log2(max(span, 0.01) / 0.3)))},
                "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": 480, "clickmode": "event+select",
                "dragmode": "lasso", "uirevision": "keep"})
