"""Home's one line on the newest releases: "12 indicators updated on 3 March 2026; 4 verdicts
changed for Fife. See what changed" (the council of the area chosen, when there is one).

Why: after a rebuild a board member should see at once that figures were revised, without
looking for the "What changed" page; the sentence is ``ReleaseChanges.headline``, the same as
the page's, the workbook's and ``cpop changes``'.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.data.queries import MartUnavailable
from dashboard.data.reader import WarehouseUnavailable
from dashboard.logic.changes import build_release_changes
from dashboard.logic.home import USER_TYPE
from dashboard.urlstate import query_string


def release_note(queries: Any, search: str | None) -> Any:
    """The line for the Home URL's area (``?area_type=&area=``); None when nothing changed or no warehouse."""
    args = parse_qs((search or "").lstrip("?"))
    area_type, area = (args.get("area_type") or [None])[0], (args.get("area") or [None])[0]
    try:
        result = build_release_changes(queries)
        row = queries.area(area_type, area) if area_type and area and area_type != USER_TYPE else None
    except (WarehouseUnavailable, MartUnavailable):
        return None
    council = None
    if row:
        council = (row.get("area_code"), row.get("area_name")) if area_type == "council" else \
            (row.get("council_code"), row.get("council_name"))
    if result.summary().empty:
        return None
    code, name = council if council and council[0] else (None, None)
    href = "/changes" + query_string([("council", code)])
    return dbc.Alert([html.Strong("What changed: "), result.headline(code, name) + " ",
                      dcc.Link("See what changed", href=href)], color="light", className="small py-2 mb-3")
