"""A chart drawn when it scrolls into view, not with the rest of the page.

Why: the Area profile's map is plotly's WebGL map (maplibre); starting it is the slowest single
thing the page draws (about half a second of a first render measured by `make bench`, more on a
machine without a graphics card), and at a laptop's height it sits below the fold. Its data table
(the text alternative) is on the page at once; only the drawing waits until the reader scrolls
near it (``assets/lazy_charts.js`` sets the "seen" store; links to ``#map`` scroll to it, so it
is drawn at once there). The figure travels with the page in a store, so drawing it needs no
further request.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from dashboard import ids
from dashboard.components.chart_alternative import chart_with_alternative
from dashboard.figures.config import GRAPH_CONFIG

WAITING = "The map is drawn when you scroll to it; its values are in the table below."


def lazy_chart(figure: dict[str, Any], caption: str, height_px: int) -> html.Div:
    """The chart (drawn on first view) named by ``caption``, then its data table."""
    holder = html.Div([
        dcc.Store(id=ids.LAZY_FIGURE, data={"figure": figure, "config": GRAPH_CONFIG}),
        dcc.Store(id=ids.LAZY_SEEN, data=False),
        html.Div(html.P(WAITING, className="small text-muted"), id=ids.LAZY_HOLDER,
                 style={"minHeight": f"{height_px}px"}),
    ], **{"data-lazy-chart": ids.LAZY_SEEN})
    return chart_with_alternative(holder, figure, caption)


DRAW_WHEN_SEEN = """function (seen, stored) {
    if (!seen || !stored) return window.dash_clientside.no_update;
    return {type: "Graph", namespace: "dash_core_components",
            props: {figure: stored.figure, config: stored.config}};
}"""


def register_lazy_charts(app: dash.Dash) -> None:
    """Wire the lazy chart of ``app`` (called by ``create_app``, not at import: Dash gives
    import-time clientside callbacks to the first app only, see ``clear_button``)."""
    app.clientside_callback(DRAW_WHEN_SEEN, Output(ids.LAZY_HOLDER, "children"),
                            Input(ids.LAZY_SEEN, "data"), State(ids.LAZY_FIGURE, "data"))
