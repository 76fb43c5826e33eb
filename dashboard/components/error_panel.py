"""The friendly panel shown instead of a traceback when the warehouse cannot be read."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.data.reader import WarehouseUnavailable

TITLE = "The warehouse is not built yet, or is being rebuilt"


def warehouse_unavailable_panel(exc: WarehouseUnavailable | None = None) -> dbc.Alert:
    """An alert telling the user what to do (``cpop build``) and, quietly, why."""
    detail = [html.Small(f"Details: {exc.reason} ({exc.path})", className="text-muted")] if exc else []
    return dbc.Alert(
        [
            html.H2(TITLE, className="h5 alert-heading"),
            html.P([
                "Run ", html.Code("cpop build"), " (or ", html.Code("cpop build --demo"),
                " for synthetic demo data), then reload this page. If a build is running, "
                "wait for it to finish: the new data appears without restarting the dashboard.",
            ]),
            *detail,
        ],
        color="warning",
        className="cpop-unavailable",
    )
