"""Every figure builder returns a plain dict that plotly accepts as a valid figure.

Why: the builders skip plotly's ``go`` objects for speed, so nothing validates their output at
run time; ``go.Figure(d)`` here raises on any misspelt property or bad value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

import dashboard
from dashboard.figures.area import boundary_collection, deprivation_figure, map_figure, rank_figure
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.profile import best_worst_figure, duncan_figure, sii_figure

SERIES = pd.DataFrame({
    "period_label": ["2021", "2022", "2023"], "period_year": [2021, 2022, 2023],
    "sii": [4.0, 5.0, None], "sii_lower": [3.0, 4.1, None], "sii_upper": [5.0, 5.9, None],
    "rii": [0.2, 0.25, None], "rii_lower": [0.1, 0.2, None], "rii_upper": [0.3, 0.3, None],
    "duncan_index": [0.1, 0.12, 0.11], "duncan_index_lower": [0.05, 0.07, 0.06],
    "duncan_index_upper": [0.15, 0.17, 0.16],
    "best_iz_value": [10.0, 11.0, 12.0], "best_iz_name": ["A", "A", "B"],
    "worst_iz_value": [40.0, 42.0, None], "worst_iz_name": ["C", "C", None],
})


def _valid(figure: dict) -> go.Figure:
    assert isinstance(figure, dict) and set(figure) == {"data", "layout"}
    return go.Figure(figure)


def test_inequality_figures_are_valid_and_keep_gaps() -> None:
    sii = _valid(sii_figure(SERIES, "%"))
    assert [t.name for t in sii.data] == ["SII (%)", "RII (SII ÷ overall rate)"] and sii.data[1].yaxis == "y2"
    assert list(sii.data[0].y) == [4.0, 5.0]  # a missing SII is left out, never drawn as zero
    assert list(_valid(duncan_figure(SERIES)).data[0].error_y.array) == pytest.approx([0.05, 0.05, 0.05])
    best_worst = _valid(best_worst_figure(SERIES, "%"))
    assert list(best_worst.data[1].y) == [40.0, 42.0]
    assert _valid(sii_figure(SERIES.assign(sii=None), "%")).layout.annotations[0].text.startswith("The slope")


def test_rank_and_deprivation_figures_are_valid() -> None:
    ranks = pd.DataFrame({"area_code": ["a", "b", "c"], "area_name": ["A", "B", "C"], "value": [3.0, None, 1.0]})
    rank = _valid(rank_figure(ranks, "c", "%", "high_is_good"))
    assert list(rank.data[0].y) == ["C", "A"]  # best at the top, suppressed left out
    assert rank.data[0].error_x.array is None  # no interval, no whiskers
    ranked = _valid(rank_figure(ranks.assign(ci_lower=[2.0, None, 0.5], ci_upper=[4.5, None, 1.2]), "c", "%",
                                "high_is_good"))
    assert list(ranked.data[0].error_x.array) == pytest.approx([0.2, 1.5])  # C then A: upper − value
    assert list(ranked.data[0].error_x.arrayminus) == pytest.approx([0.5, 1.0])
    groups = pd.DataFrame({"group_number": [1, 2, 3, 4, 5], "value": [30.0, 25.0, None, 15.0, 10.0],
                           "ci_lower": [28.0, 23.0, None, 13.0, 8.0], "ci_upper": [32.0, 27.0, None, 17.0, 12.0],
                           "is_suppressed": [False, False, True, False, False]})
    bars = _valid(deprivation_figure(groups, "%"))
    assert bars.data[0].x[0] == "Q1 (most deprived)" and bars.data[0].text[2] == "suppressed"
    # issue 13: a bar's text is drawn only on a bar, so the withheld Q3 showed nothing at all; the word
    # stands at its place
    assert [(a.x, a.text) for a in bars.layout.annotations] == [("Q3", "suppressed")]
    assert bars.data[0].y[2] is None and bars.data[0].error_y.array[2] is None
    # issue 13, finding 8: with a 10 px left margin and no automargin, "40" on the y axis was cut to "ł0"
    assert bars.layout.yaxis.automargin is True
    # ... and the x axis for its group labels: at 390 px "Q1 (most deprived)" is slanted and ran off the
    # bottom of the chart (seen in Chromium: its box lay outside the chart's svg)
    assert bars.layout.xaxis.automargin is True


def test_sii_and_rii_each_have_a_panel_of_their_own() -> None:
    """Issue 13, finding 8: the RII shared the plot with the SII on a second, overlaid y axis whose
    free ticks read like 1.635 / 2.019. Now each has its own panel, title and tick format."""
    sii = _valid(sii_figure(SERIES, "%"))
    sii_axis, rii_axis = sii.layout.yaxis, sii.layout.yaxis2
    assert rii_axis.overlaying is None and rii_axis.side != "right"
    assert sii_axis.domain[0] > rii_axis.domain[1]  # SII above, RII below, not drawn over each other
    assert (sii.data[1].xaxis, sii.data[1].yaxis) == ("x2", "y2") and sii.layout.xaxis2.matches == "x"
    assert rii_axis.title.text == "RII" and sii_axis.title.text == "SII (%)"
    assert sii_axis.tickformat == rii_axis.tickformat == ",.2~f"  # at most two decimals on a tick


def test_legends_sit_at_the_foot_and_labels_are_laid_out_for_a_phone() -> None:
    """What the screenshots at 390 px showed (issue 13): legends over "Period", "Q1 (most deprived)" turned
    on end and cut off, RII ticks like 1.635 synced to the SII's grid, the toolbar's selection tools on
    charts that select nothing. tests/e2e/test_e2e_layout.py measures the result in a browser."""
    from dashboard.figures.config import GRAPH_CONFIG, SELECT_CONFIG

    for figure in (sii_figure(SERIES, "%"), duncan_figure(SERIES), best_worst_figure(SERIES, "%")):
        legend = _valid(figure).layout.legend
        assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0)
    groups = pd.DataFrame({"group_number": [1, 2, 3], "value": [3.0, 2.0, 1.0], "ci_lower": [2.0, 1.0, 0.5],
                           "ci_upper": [4.0, 3.0, 1.5], "is_suppressed": [False] * 3})
    axis = _valid(deprivation_figure(groups, "%")).layout.xaxis
    assert list(axis.ticktext) == ["Q1<br>(most deprived)", "Q2", "Q3<br>(least deprived)"] and axis.tickangle == 0
    assert {"select2d", "lasso2d"} <= set(GRAPH_CONFIG["modeBarButtonsToRemove"])
    assert not {"select2d", "lasso2d"} & set(SELECT_CONFIG["modeBarButtonsToRemove"])  # the My areas map


def _ring_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def test_area_map_is_an_svg_choropleth_wound_as_d3_reads_it_and_offline() -> None:
    """The Area profile map is plotly's SVG choropleth (a WebGL map's start was the slowest part of the
    page's first render). d3-geo reads an anticlockwise outer ring (GeoJSON's winding) as the globe minus
    the area, and plotly then drew nothing; its base-map file comes from the app, not plotly's CDN."""
    outer = [[-4.0, 56.0], [-3.0, 56.0], [-3.0, 57.0], [-4.0, 57.0], [-4.0, 56.0]]  # anticlockwise
    hole = [[-3.8, 56.2], [-3.8, 56.8], [-3.2, 56.8], [-3.2, 56.2], [-3.8, 56.2]]  # clockwise
    boundaries = pd.DataFrame({"area_code": ["a", "b"], "geojson": [
        json.dumps({"type": "Polygon", "coordinates": [outer, hole]}),
        json.dumps({"type": "MultiPolygon", "coordinates": [[[[x + 2, y] for x, y in outer]]]})]})
    collection = boundary_collection(boundaries)
    a, b = (f["geometry"]["coordinates"] for f in collection["features"])
    assert _ring_area(a[0]) < 0 < _ring_area(a[1])  # outer clockwise, hole anticlockwise
    assert _ring_area(b[0][0]) < 0
    ranks = pd.DataFrame({"area_code": ["a", "b"], "area_name": ["A", "B"], "value": [3.0, None]})
    figure = _valid(map_figure(ranks, collection, "a", "%", "high_is_good"))
    assert {t.type for t in figure.data} == {"choropleth"}
    assert figure.layout.geo.fitbounds == "locations" and figure.layout.geo.visible is False
    assert list(figure.data[1].locations) == ["a"]  # the chosen area outlined on top
    base_map = Path(dashboard.__file__).parent / "assets" / GRAPH_CONFIG["topojsonURL"].removeprefix("/assets/")
    assert json.loads((base_map / "world_110m.json").read_text())["type"] == "Topology"
