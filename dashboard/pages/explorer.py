"""Data Explorer (path "/explorer"): search indicators by keyword or SOA priority.

Why: officers and researchers need to know what is measured, from where, for which years
and areas, and with which methods and caveats, before they trust a number. Each result
links to its chart (Quick Profile) and its table (Advanced Tables). State in the URL
(?q=&priority=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.data.context import get_queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.labels import PRIORITY_LABELS
from dashboard.logic.explorer import search_indicators
from dashboard.tables.latest_values import PRIORITY_ORDER
from dashboard.urlstate import area_profile_href, quick_profile_href

dash.register_page(__name__, path="/explorer", name="Data explorer", order=2, title="cpop – data explorer")

AREA_LABELS = {"datazone": "data zones", "intermediate_zone": "intermediate zones", "ward": "wards",
               "locality": "localities", "council": "councils", "hscp": "HSCPs", "health_board": "health boards",
               "scotland": "Scotland"}


def layout(q: str | None = None, priority: str | None = None, **_: Any) -> html.Div:
    chosen = [p for p in (priority or "").split(",") if p in PRIORITY_LABELS]
    return dbc.Container([
        dcc.Location(id=ids.EXPLORER_URL, refresh=False),
        html.H1("Data explorer", className="h3"),
        html.P("Search every indicator by keyword or theme: what it measures, where the data come from, "
               "which years and areas have data, how it is calculated and what to watch out for."),
        dbc.Row([
            dbc.Col([dbc.Label("Keyword", html_for=ids.EXPLORER_SEARCH),
                     dbc.Input(id=ids.EXPLORER_SEARCH, type="search", value=q or "", debounce=True,
                               placeholder="e.g. poverty, hospital, school")], md=5),
            dbc.Col([dbc.Label("SOA priority", html_for=ids.EXPLORER_PRIORITY),
                     dcc.Dropdown(id=ids.EXPLORER_PRIORITY, multi=True, value=chosen,
                                  options=[{"label": PRIORITY_LABELS[p], "value": p} for p in PRIORITY_ORDER],
                                  placeholder="All priorities")], md=7),
        ], className="mb-3"),
        dcc.Loading(html.Div(id=ids.EXPLORER_RESULTS), delay_show=300),
    ], fluid="lg")


def _card(row: Any) -> dbc.Card:
    area_types = [] if row.area_types is None or (isinstance(row.area_types, float)) else list(row.area_types)
    areas = ", ".join(AREA_LABELS.get(a, a) for a in area_types)
    years = (f"{row.first_period} to {row.last_period} ({int(row.periods)} periods)"
             if isinstance(row.first_period, str) else "no data in this warehouse")
    facts = [
        ("Definition", row.definition), ("Numerator", row.numerator_definition),
        ("Denominator", row.denominator_definition), ("Source", row.source), ("Periods with data", years),
        ("Geographies where it is available", areas or "none"),
        ("Method", f"{row.measure_type.replace('_', ' ')}, {row.unit_label}; 95% CI: {row.ci_method}; "
                   f"{'higher' if row.polarity == 'high_is_good' else 'lower'} is better"),
        ("Disclosure control", row.disclosure_rule), ("Caveats", row.caveats or "none"),
        ("Updates", f"{row.update_frequency}; last {row.last_update:%d %b %Y}, next {row.next_update:%d %b %Y}"),
    ]
    return html.Div(dbc.Card([
        dbc.CardHeader([html.H2(row.title, className="h5 mb-0"),
                        html.Small(row.soa_priority_label, className="text-muted")]),
        dbc.CardBody([
            html.Dl([item for label, text in facts for item in (html.Dt(label), html.Dd(str(text)))],
                    className="cpop-facts mb-2"),
            dbc.Button("Open chart", href=quick_profile_href("scotland", "S92000003", row.indicator_id),
                       color="primary", size="sm", className="me-2"),
            dbc.Button("Open map", href=area_profile_href("council", "", row.soa_priority, row.indicator_id),
                       color="primary", size="sm", className="me-2"),
            dbc.Button("Open table", href=f"/tables?indicators={row.indicator_id}&area_type=council",
                       color="secondary", size="sm"),
        ]),
    ], className="mb-3"), **{"data-indicator": row.indicator_id})


@callback(Output(ids.EXPLORER_RESULTS, "children"), Output(ids.EXPLORER_URL, "search"),
          Input(ids.EXPLORER_SEARCH, "value"), Input(ids.EXPLORER_PRIORITY, "value"))
def show_results(text: str | None, priorities: list[str] | None) -> tuple[Any, str]:
    search = "?" + "&".join(f"{k}={v}" for k, v in (("q", text or ""), ("priority", ",".join(priorities or []))) if v)
    try:
        found = search_indicators(get_queries().explorer_indicators(), text, priorities)
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), search
    if found.empty:
        return dbc.Alert("No indicator matches. Try fewer or different words.", color="info"), search
    header = html.P(f"{len(found)} indicator{'s' if len(found) != 1 else ''} found.", className="text-muted")
    return [header, *[_card(r) for r in found.itertuples(index=False)]], search
