"""A chart drawn when the reader scrolls to it: its figure travels with the page, plotly draws it
on first sight (``assets/lazy_charts.js``).

Why: the Area profile draws up to six plotly charts, and only the trend is on the first screen.
Drawing the other five cost about 450 ms of the browser's time before the page stopped changing
(real Scotland, a ward of Fife: ~1.1 s in all), while the reader looked at the trend. A chart
below the fold now draws when it comes within a few hundred pixels of the window (about 50-100 ms
each, as the reader scrolls); its slot keeps the chart's height, so nothing on the page moves.

The figure is in the slot's ``data-lazy-chart`` attribute, serialised as Dash serialises a
``dcc.Graph``'s figure; the script hands it to Dash (``dash_clientside.set_props``) as the
slot's child, a ``dcc.Graph`` with the same figure and configuration an eager chart has.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dash import html
from plotly.io.json import to_json_plotly

#: the slot's id type (``{"type": LAZY_CHART, "key": ...}``); keys are unique within a page
LAZY_CHART = "lazy-chart"
#: dcc.Graph's height when the figure's layout gives none
GRAPH_HEIGHT = 450
#: what a drawn chart has beside its figure: the toolbar's strip above it (``.dash-graph``'s padding,
#: assets/app.css) and the line of download buttons under it (assets/chart_download.js, small buttons)
AROUND_FIGURE_PX = 28 + 31


def lazy_graph(figure: Mapping[str, Any], config: Mapping[str, Any], key: str) -> html.Div:
    """A slot the height of ``figure`` that becomes ``dcc.Graph(figure=figure, config=config)`` when seen."""
    height = ((figure.get("layout") or {}).get("height") or GRAPH_HEIGHT) + AROUND_FIGURE_PX
    spec = f'{{"figure": {to_json_plotly(figure)}, "config": {json.dumps(dict(config))}}}'
    return html.Div(id={"type": LAZY_CHART, "key": key}, className="cpop-lazy-chart",
                    style={"minHeight": f"{height}px"}, **{"data-lazy-chart": spec})
