"""The panel shown instead of a traceback when the warehouse cannot be read: it says which of
five things is true (not built yet, first build running, in use by another program, damaged,
its two files from different builds) and the command that fixes it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.data.reader import BUILDING, BUSY, CORRUPT, MISMATCH, MISSING, WarehouseUnavailable

DEMO_COMMANDS = "cpop demo && cpop build --raw-dir data/demo/raw --warehouse data/warehouse/demo.duckdb"
#: kind → (title, what to do, Bootstrap colour)
PANELS: dict[str, tuple[str, list, str]] = {
    MISSING: ("The warehouse is not built yet",
              ["Run ", html.Code("cpop build"), " (real Scotland), or for the fictional demo ",
               html.Code(DEMO_COMMANDS), " and serve that file; then reload this page."], "warning"),
    BUILDING: ("The warehouse is being built",
               ["The first build is running. Wait for it to finish, then reload this page: the data appears "
                "without restarting the dashboard."], "info"),
    BUSY: ("The warehouse is in use by another program",
           ["Another program has the warehouse file open for writing (a build never does: it writes its "
            "own file and swaps it in). Close that program, then reload this page."], "warning"),
    CORRUPT: ("The warehouse file is damaged",
              ["It cannot be read (it may be truncated or overwritten). Run ", html.Code("cpop build"),
               " to rebuild it from the raw files (the build replaces the damaged file), then reload this page. "
               "The error has been written to the server's log."], "danger"),
    MISMATCH: ("The warehouse's two files are from different builds",
               ["The warehouse and its internal file (beside it, ", html.Code("cpop.internal.duckdb"),
                ") must come from the same build, and they do not, so nothing is shown from either. If a build "
                "has just finished, reload this page. Otherwise run ", html.Code("cpop build"),
                " to publish a matching pair (the error has been written to the server's log)."], "danger"),
}
#: The title before any warehouse problem is known (kept for callers that show a generic panel).
TITLE = PANELS[MISSING][0]


def warehouse_unavailable_panel(exc: WarehouseUnavailable | None = None) -> dbc.Alert:
    """An alert saying why the warehouse cannot be read, what to do and, quietly, the details."""
    kind = exc.kind if exc is not None else MISSING
    title, advice, colour = PANELS.get(kind, PANELS[MISSING])
    detail = [html.Small(f"Details: {exc.reason} ({exc.path})", className="text-muted")] if exc else []
    return dbc.Alert([html.H2(title, className="h5 alert-heading"), html.P(advice), *detail],
                     color=colour, className=f"cpop-unavailable cpop-unavailable-{kind}")
