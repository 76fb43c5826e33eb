"""Dashboard (path "/dashboard"): RAG matrix and exception report for one council.

Why: the one-page report a theme board reviews each quarter — for every indicator and every
ward (or intermediate zone, or locality) of the council, is it improving; then what is off
track or worsening, by how much, against which target and trajectory, with the responsible
officer's commentary (kept outside the warehouse, so it survives rebuilds). State in the URL
(?council=&area_type=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.html_table import html_table
from dashboard.data.commentary import CommentaryStore
from dashboard.data.context import get_queries, get_user_dir
from dashboard.data.queries import MartUnavailable
from dashboard.data.reader import WarehouseUnavailable
from dashboard.logic.rag import exception_lines, matrix

dash.register_page(__name__, path="/dashboard", name="Dashboard", order=4, title="cpop – dashboard")

CHILD_TYPES = [("ward", "Wards"), ("intermediate_zone", "Intermediate zones"), ("locality", "Localities")]


def layout(council: str | None = None, area_type: str | None = None, **_: Any) -> html.Div:
    try:
        councils = get_queries().search_areas("council", None, limit=100)
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    options = [{"label": r.area_name, "value": r.area_code} for r in councils.itertuples(index=False)]
    council = council if council in {o["value"] for o in options} else (options[0]["value"] if options else None)
    return dbc.Container([
        dcc.Location(id=ids.RAG_URL, refresh=False),
        html.H1("Dashboard", className="h3"),
        html.P("For a council: is each indicator improving in each community (statistical trend over the last five "
               "periods), and what needs the board's attention."),
        dbc.Row([
            dbc.Col([dbc.Label("Council", html_for=ids.RAG_COUNCIL),
                     dcc.Dropdown(id=ids.RAG_COUNCIL, options=options, value=council, clearable=False)], md=5),
            dbc.Col([dbc.Label("Communities", html_for=ids.RAG_AREA_TYPE),
                     dbc.RadioItems(id=ids.RAG_AREA_TYPE, options=[{"label": label, "value": v} for v, label in CHILD_TYPES],
                                    value=area_type or "ward", inline=True)], md=7),
        ], className="mb-3"),
        html.H2("Exception report", className="h5"),
        dcc.Loading(html.Div(id=ids.RAG_EXCEPTIONS), delay_show=300),
        dbc.Card(dbc.CardBody([
            html.H3("Officer commentary", className="h6"),
            dbc.Label("Indicator", html_for=ids.RAG_COMMENT_INDICATOR),
            dcc.Dropdown(id=ids.RAG_COMMENT_INDICATOR),
            dbc.Label("What is happening and what is being done", html_for=ids.RAG_COMMENT_TEXT, className="mt-2"),
            dbc.Textarea(id=ids.RAG_COMMENT_TEXT, rows=3),
            dbc.Button("Save commentary", id=ids.RAG_COMMENT_SAVE, color="primary", className="mt-2"),
            html.Span(id=ids.RAG_COMMENT_STATUS, className="ms-2 small", role="status"),
        ]), className="my-3"),
        html.H2("Trend in each community", className="h5"),
        dcc.Loading(html.Div(id=ids.RAG_MATRIX, className="table-responsive", tabIndex="0", role="region",
                             **{"aria-label": "Trend in each community (scrolls sideways)"}), delay_show=300),
    ], fluid="lg")


def _matrix_view(frame: Any) -> Any:
    areas, rows = matrix(frame)
    if not rows:
        return dbc.Alert("No community-level values for this council and area type.", color="info")
    return html_table(["Indicator", *areas], [(title, [(c.text, c.colour, c.value) for c in cells])
                                              for title, cells in rows],
                      caption="Statistical trend of each indicator in each community, with its latest value",
                      class_name="table table-sm table-bordered cpop-rag")


@callback(Output(ids.RAG_MATRIX, "children"), Output(ids.RAG_EXCEPTIONS, "children"),
          Output(ids.RAG_COMMENT_INDICATOR, "options"), Output(ids.RAG_URL, "search"),
          Input(ids.RAG_COUNCIL, "value"), Input(ids.RAG_AREA_TYPE, "value"))
def show_dashboard(council: str | None, area_type: str) -> tuple[Any, Any, list[dict], str]:
    search = f"?council={council or ''}&area_type={area_type}"
    if not council:
        return "", "", [], search
    try:
        queries = get_queries()
        frame = queries.rag_matrix(council, area_type)
        exceptions = queries.exceptions(council)
        indicators = queries.indicators()
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), "", [], search
    except MartUnavailable as exc:
        note = dbc.Alert(f"The dashboard needs statistics marts that are not available in this warehouse: {exc}.",
                         color="warning")
        return note, note, [], search
    store = CommentaryStore(get_user_dir())
    items = []
    for line, row in zip(exception_lines(exceptions), exceptions.itertuples(index=False), strict=True):
        note = store.get(council, row.indicator_id)
        items.append(html.Li([line, html.Div(f"Commentary: {note}", className="small fst-italic")] if note else line))
    report = html.Ol(items) if items else dbc.Alert("Nothing is worsening, worse than Scotland or off track.",
                                                    color="success")
    options = [{"label": r.short_title, "value": r.indicator_id} for r in indicators.itertuples(index=False)]
    return _matrix_view(frame), report, options, search


@callback(Output(ids.RAG_COMMENT_TEXT, "value"), Input(ids.RAG_COMMENT_INDICATOR, "value"),
          State(ids.RAG_COUNCIL, "value"))
def load_commentary(indicator: str | None, council: str | None) -> str:
    return CommentaryStore(get_user_dir()).get(council, indicator) if indicator and council else ""


@callback(Output(ids.RAG_COMMENT_STATUS, "children"), Input(ids.RAG_COMMENT_SAVE, "n_clicks"),
          State(ids.RAG_COUNCIL, "value"), State(ids.RAG_COMMENT_INDICATOR, "value"),
          State(ids.RAG_COMMENT_TEXT, "value"), prevent_initial_call=True)
def save_commentary(_: int | None, council: str | None, indicator: str | None, text: str | None) -> str:
    if not (council and indicator):
        return "Choose an indicator first."
    CommentaryStore(get_user_dir()).save(council, indicator, text or "")
    return "Saved."
