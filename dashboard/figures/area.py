"""Pure plotly builders for Area Profiles: rank chart, choropleth map, deprivation bars.

Why: built as plain figure dicts (see ``dashboard.figures.trend``) and maps without tiles (SVG maps of
our own boundaries, the Area profile's and the My areas selection map alike: ``svg_geo``), so the
page works offline; colours follow polarity (better / worse), not high / low, from a
colour-blind-safe sequential scale, and every figure has a text alternative in its caption.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from dashboard.figures.trend import AREA_COLOUR, Figure, empty_figure
from dashboard.formatting import SUPPRESSED_TEXT
from dashboard.logic.records import row_tuples

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion
OTHER = "#9DB9D3"
# Blues (colour-blind safe); reversed for low-is-good so darker always means worse
WORSE_DARK = [[0, "#eff3ff"], [0.5, "#6baed6"], [1, "#08519c"]]


def svg_geo() -> dict:
    """A plain frame for an SVG map (plotly ``choropleth``) that fits the areas drawn: no land,
    coast or tiles (a new dict for each figure)."""
    return {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}, "bgcolor": "white"}


def rank_figure(frame: pd.DataFrame, chosen: str, unit: str, polarity: str) -> Figure:
    """Horizontal bars of every area, best at the top, the chosen area highlighted."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return empty_figure("No values to rank (suppressed or not published at this level).")
    data = data.sort_values("value", ascending=(polarity == "high_is_good"))
    colours = [HIGHLIGHT if c == chosen else OTHER for c in data.area_code]
    bar: dict = {"type": "bar", "x": data.value.astype(float).tolist(), "y": data.area_name.tolist(),
                 "orientation": "h", "marker": {"color": colours},
                 "hovertemplate": "%{y}: %{x:,.1f} " + unit + "<extra></extra>"}
    if {"ci_lower", "ci_upper"} <= set(data) and data[["ci_lower", "ci_upper"]].notna().any(axis=None):
        # 95 % intervals as whiskers: neighbouring ranks whose intervals overlap are not really different
        value = data.value.astype(float)
        bar["error_x"] = {"type": "data", "symmetric": False, "color": "#333333", "thickness": 1.2, "width": 3,
                          "array": (data.ci_upper.astype(float) - value).fillna(0).clip(lower=0).tolist(),
                          "arrayminus": (value - data.ci_lower.astype(float)).fillna(0).clip(lower=0).tolist()}
        bar["customdata"] = data[["ci_lower", "ci_upper"]].astype(float).to_numpy().tolist()
        bar["hovertemplate"] = ("%{y}: %{x:,.1f} " + unit + " (95% interval %{customdata[0]:,.1f} to "
                                "%{customdata[1]:,.1f})<extra></extra>")
    return {"data": [bar],
            "layout": {"height": max(260, 18 * len(data) + 80), "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
                       "xaxis": {"title": {"text": unit}}, "yaxis": {"automargin": True}, "plot_bgcolor": "white"}}


def _signed_area(ring: list) -> float:
    """Twice the ring's signed area in degrees (shoelace): positive when it runs anticlockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False))


def _wound_for_svg(geometry: dict) -> dict:
    """The polygon with outer rings clockwise and holes anticlockwise, as d3-geo (plotly's SVG maps) reads them.

    Why: GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo reads such a ring as the whole
    globe except the area, and plotly then draws nothing. WebGL maps (maplibre) ignore the winding.
    """
    def wind(polygon: list) -> list:
        return [ring if (_signed_area(ring) < 0) == (i == 0) else ring[::-1] for i, ring in enumerate(polygon)]

    if geometry.get("type") == "Polygon":
        return {**geometry, "coordinates": wind(geometry["coordinates"])}
    if geometry.get("type") == "MultiPolygon":
        return {**geometry, "coordinates": [wind(polygon) for polygon in geometry["coordinates"]]}
    return geometry


def boundary_collection(boundaries: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection (feature id = area_code) from ``Queries.area_boundaries`` rows,
    wound for SVG maps (``_wound_for_svg``)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.area_code, "properties": {"area_code": r.area_code},
         "geometry": _wound_for_svg(json.loads(r.geojson))} for r in row_tuples(boundaries)]}


def map_figure(frame: pd.DataFrame, boundaries: pd.DataFrame | dict, chosen: str, unit: str,
               polarity: str) -> dict:
    """Choropleth of the areas (darker = worse, by polarity), no tiles: works offline.

    Drawn as SVG paths on a plain map frame (plotly ``choropleth`` with a GeoJSON), not as a
    WebGL map: starting a WebGL map (maplibre) took 0.7-1.0 s of an Area profile's first render,
    more than any other chart, and a tile-less map gains nothing from it. The frame fits the
    areas drawn. Built as a plain dict: plotly's ``go`` validation deep-copies the whole GeoJSON.
    ``boundaries`` is the query frame or an already parsed FeatureCollection (``boundary_collection``).
    """
    collection = boundaries if isinstance(boundaries, dict) else boundary_collection(boundaries)
    if not collection["features"]:
        return empty_figure("No boundaries in this warehouse (add data/raw/boundaries and rebuild).")
    data = frame.merge(pd.DataFrame({"area_code": [f["id"] for f in collection["features"]]}), on="area_code")
    scale = WORSE_DARK if polarity == "low_is_good" else [[1 - p, c] for p, c in reversed(WORSE_DARK)]
    values = [None if pd.isna(v) else float(v) for v in data.value]
    traces = [{
        "type": "choropleth", "geojson": collection, "locations": list(data.area_code), "z": values,
        "featureidkey": "id", "text": list(data.area_name), "colorscale": scale,
        "marker": {"line": {"width": 0.4, "color": "#555"}},
        "colorbar": {"title": {"text": unit}}, "hovertemplate": "%{text}: %{z:,.1f}<extra></extra>"}]
    if chosen in set(data.area_code):
        own = {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] == chosen]}
        traces.append({
            "type": "choropleth", "geojson": own, "locations": [chosen], "z": [1], "showscale": False,
            "featureidkey": "id", "marker": {"line": {"width": 3, "color": HIGHLIGHT}},
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "hoverinfo": "skip"})
    return {"data": traces, "layout": {"geo": svg_geo(), "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": 420}}


def deprivation_figure(groups: pd.DataFrame, unit: str) -> Figure:
    """Bars by deprivation group (1 = most deprived) with 95 % CIs; a withheld group says "suppressed".

    Why an annotation: a bar's own text is drawn only where there is a bar, so a withheld group (no
    value) showed an empty place a reader could take for zero; the word stands at the foot of its
    place instead, as the most-vs-least-deprived chart marks a withheld period.
    """
    if groups.empty:
        return empty_figure("No deprivation breakdown for this indicator and area.")
    labels = [f"{'Q' if len(groups) <= 5 else 'D'}{g}" + (" (most deprived)" if g == 1 else
              " (least deprived)" if g == groups.group_number.max() else "") for g in groups.group_number]
    withheld = [False if pd.isna(s) else bool(s) for s in groups.is_suppressed]

    def values(column: pd.Series) -> list[float | None]:  # a withheld group's value is never drawn
        return [None if hide or pd.isna(v) else float(v) for v, hide in zip(column, withheld, strict=True)]

    error = {"type": "data", "symmetric": False, "array": values(groups.ci_upper - groups.value),
             "arrayminus": values(groups.value - groups.ci_lower), "color": "#333"}
    annotations = [{"x": label, "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom", "text": SUPPRESSED_TEXT,
                    "showarrow": False, "textangle": -90, "font": {"size": 11, "color": "#444"}}
                   for label, hide in zip(labels, withheld, strict=True) if hide]
    return {"data": [{"type": "bar", "x": labels, "y": values(groups.value), "marker": {"color": AREA_COLOUR},
                      "error_y": error, "text": [SUPPRESSED_TEXT if hide else "" for hide in withheld],
                      "hovertemplate": "%{x}: %{y:,.1f} " + unit + "<extra></extra>"}],
            "layout": {"height": 320, "margin": {"l": 10, "r": 10, "t": 10, "b": 60},
                       # the words under the bars on a second line: one line of "Q1 (most deprived)" was
                       # turned on end and cut off on a phone
                       "xaxis": {"tickangle": 0, "automargin": True, "tickvals": labels,
                                 "ticktext": [label.replace(" (", "<br>(") for label in labels]},
                       "yaxis": {"title": {"text": unit}, "automargin": True}, "plot_bgcolor": "white",
                       "annotations": annotations}}


@dataclass(frozen=True)
class SelectionLayer:
    """The zones the My areas map draws (data zones or intermediate zones of one council):
    their parsed GeoJSON (wound for SVG) and codes in drawing order.

    Why: parsing the GeoJSON costs more than building the figure and does not change within a
    build, so one layer is kept per build, area type and council (``Queries.parsed``) while each
    click only changes the shading.
    """

    collection: dict
    codes: tuple[str, ...]


def selection_layer(boundaries: pd.DataFrame) -> SelectionLayer:
    """A SelectionLayer from ``Queries.area_boundaries`` rows."""
    collection = boundary_collection(boundaries)
    return SelectionLayer(collection, tuple(f["id"] for f in collection["features"]))


# unselected zones light grey; partly selected intermediate zones pale, whole ones vermillion
PARTLY_SELECTED = "#F6C9AB"
SELECTION_SCALE = [[0, "rgba(240,240,240,0.6)"], [0.001, PARTLY_SELECTED], [0.999, PARTLY_SELECTED], [1, HIGHLIGHT]]


def selection_map(layer: SelectionLayer, shares: list[float], texts: list[str], revision: str | None,
                  empty_message: str = "No data zone boundaries in this warehouse: paste or upload codes instead.",
                  ) -> dict:
    """Zones to click (or lasso) into a user-made area: selected ones vermillion, intermediate
    zones with only some of their data zones selected pale, the rest light grey.

    An SVG map (plotly ``choropleth`` in ``svg_geo``), as the Area profile's: the WebGL map
    (``choroplethmap``) it used to be took 0.4-0.5 s more of the page's first render to start
    (issue 13), and clicks, the lasso (a zone is in when its centre is) and the pan tool work the
    same. The toolbar's + and − zoom in every mode; plotly's SVG maps zoom with the mouse wheel
    only in pan mode, so ``assets/map_wheel_zoom.js`` turns a wheel turn over the map into a press
    of those buttons while the lasso is on.

    A plain dict (``go`` validation deep-copies the GeoJSON). Dragging draws a lasso and a click
    toggles one zone (``clickmode='event'``: a click does not also count as a lasso selection);
    plotly's own dimming of unselected points is switched off because the shading already shows
    the selection. ``revision`` (the council) is the figure's ``uirevision``; plotly does not count a
    geo zoom as the reader's (``_preGUI`` stays empty), so ``assets/map_keep_view.js`` puts the
    reader's view back after each redraw with the same ``uirevision`` (the WebGL map lost it too).
    """
    if not layer.codes:
        return empty_figure(empty_message)
    trace = {
        "type": "choropleth", "geojson": layer.collection, "featureidkey": "id", "locations": list(layer.codes),
        "z": shares,
        "zmin": 0, "zmax": 1, "showscale": False, "colorscale": SELECTION_SCALE,
        "marker": {"line": {"width": 0.5, "color": "#555"}},
        "selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 1}},
        "text": texts, "hovertemplate": "%{text}<extra></extra>"}
    return {"data": [trace], "layout": {
        "geo": svg_geo(), "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": 480,
        "clickmode": "event", "dragmode": "lasso", "hovermode": "closest", "uirevision": revision or "map"}}
