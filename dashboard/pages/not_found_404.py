"""The page for an address that is not one of cpop's (Dash uses a module of this name for 404s).

Why: a mistyped or outdated link (a board paper quoting an old URL) should say what happened
and offer the way on, in the app's layout, instead of Dash's bare "404 - Page not found".
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, path="/404", name="Page not found", title="cpop – page not found", order=99)



def layout(**_: Any) -> dbc.Container:
    pages = [p for p in dash.page_registry.values()
             if not p["module"].endswith("not_found_404") and p.get("nav", True)]
    return dbc.Container([
        html.H1("Page not found", className="h3 mt-2"),
        html.P("There is no cpop page at this address: the link may be mistyped or from an older version. "
               "Shared links to a view (an area, indicator and period) start with one of these pages:",
               className="cpop-intro"),
        html.Ul([html.Li(dbc.NavLink(p["name"], href=p["relative_path"], className="p-0 d-inline")) for p in pages]),
    ], fluid="lg")
