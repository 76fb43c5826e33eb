"""The plotly ``config`` every dcc.Graph in the dashboard uses.

Why: plotly.js 3 shows a "Share chart..." modebar button that uploads the chart to Plotly
Cloud; the dashboard is offline by construction and its data must not leave the machine,
so that button (and the legacy "send data to cloud" one) is removed everywhere. The camera button
is replaced by the "Download PNG" and "Download SVG" buttons of assets/chart_download.js, which
label the fictional demo's images as such.
"""

from __future__ import annotations

from typing import Any

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "toImage"],
    "toImageButtonOptions": {"format": "png", "scale": 4},
}
