"""The plotly ``config`` every dcc.Graph in the dashboard uses.

Why: plotly.js 3 shows a "Share chart..." modebar button that uploads the chart to Plotly
Cloud; the dashboard is offline by construction and its data must not leave the machine,
so that button (and the legacy "send data to cloud" one) is removed everywhere. The camera button
is replaced by the "Download PNG" and "Download SVG" buttons of assets/chart_download.js, which
label the fictional demo's images as such. Box and lasso select do nothing on a chart (only the My
areas map reads a selection, with ``SELECT_CONFIG``) and widened the toolbar over chart titles, so they go.
The toolbar itself sits in a strip of its own above each chart (``.modebar-container`` in
assets/app.css), never over a title or a colour-bar label.
"""

from __future__ import annotations

from typing import Any

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "toImage", "select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 4},
    # SVG maps (plotly geo) load a base-map file before drawing, by default from a CDN; ours is
    # an empty one served with the app (the maps draw only our own boundaries, no coastline)
    "topojsonURL": "/assets/topojson/",
}
#: The My areas map, where a lasso or a box selects the zones of a new area.
SELECT_CONFIG: dict[str, Any] = {**GRAPH_CONFIG, "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud",
                                                                            "toImage"]}
