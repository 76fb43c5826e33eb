"""Advanced Tables (path "/tables"): indicators × areas × periods, filter, sort, download.

Why: officers build their own tables for reports. The grid (dash-ag-grid) filters and sorts
in the browser; the downloads are made on the server from the grid's own ``virtualRowData``
(the rows as filtered and sorted on screen) and the chosen columns, so the file holds exactly
what is shown. State in the URL (?indicators=&area_type=&council=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.data.context import get_queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.logic.tables import COLUMNS, DEFAULT_COLUMNS, shown_frame, to_csv, to_xlsx

dash.register_page(__name__, path="/tables", name="Advanced tables", order=4, title="cpop – advanced tables")

NUMERIC = {"numerator", "denominator", "value", "ci_lower", "ci_upper"}


def _options() -> tuple[list[dict], list[dict], list[dict]]:
    queries = get_queries()
    indicators = queries.indicators()
    areas = queries.area_types()
    councils = queries.search_areas("council", None, limit=100)
    return (
        [{"label": r.short_title, "value": r.indicator_id} for r in indicators.itertuples(index=False)],
        [{"label": r.label, "value": r.area_type} for r in areas.itertuples(index=False)],
        [{"label": r.area_name, "value": r.area_code} for r in councils.itertuples(index=False)],
    )


def layout(indicators: str | None = None, area_type: str | None = None, council: str | None = None,
           **_: Any) -> html.Div:
    try:
        indicator_options, type_options, council_options = _options()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    chosen = [i for i in (indicators or "").split(",") if i] or [indicator_options[0]["value"]]
    return dbc.Container([
        dcc.Location(id=ids.TABLES_URL, refresh=False),
        html.H1("Advanced tables", className="h3"),
        html.P("Choose indicators, an area type and (optionally) a council. Filter and sort in the table; "
               "the downloads contain exactly the rows and columns shown."),
        dbc.Row([
            dbc.Col([dbc.Label("Indicators", html_for=ids.TABLES_INDICATORS),
                     dcc.Dropdown(id=ids.TABLES_INDICATORS, options=indicator_options, value=chosen, multi=True)],
                    md=5),
            dbc.Col([dbc.Label("Area type", html_for=ids.TABLES_AREA_TYPE),
                     dcc.Dropdown(id=ids.TABLES_AREA_TYPE, options=type_options, value=area_type or "council",
                                  clearable=False)], md=3),
            dbc.Col([dbc.Label("Within council", html_for=ids.TABLES_COUNCIL),
                     dcc.Dropdown(id=ids.TABLES_COUNCIL, options=council_options, value=council,
                                  placeholder="All councils")], md=4),
        ], className="mb-2"),
        dbc.Label("Columns", html_for=ids.TABLES_COLUMNS),
        dbc.Checklist(id=ids.TABLES_COLUMNS, options=[{"label": v, "value": k} for k, v in COLUMNS.items()],
                      value=DEFAULT_COLUMNS, inline=True),
        html.Div(id=ids.TABLES_STATUS, className="text-muted small my-1", role="status"),
        dag.AgGrid(id=ids.TABLES_GRID, rowData=[], columnDefs=[],
                   defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
                   dashGridOptions={"pagination": True, "paginationPageSize": 50}, style={"height": "560px"}),
        html.Div([dbc.Button("Download CSV", id=ids.TABLES_CSV, color="primary", className="me-2"),
                  dbc.Button("Download Excel", id=ids.TABLES_XLSX, color="secondary")], className="my-2"),
        dcc.Download(id=ids.TABLES_DOWNLOAD),
    ], fluid="lg")


def column_defs(columns: list[str]) -> list[dict]:
    """ag-grid column definitions for the chosen columns (numbers right-aligned, 1 dp)."""
    defs = []
    for key in columns:
        col: dict[str, Any] = {"field": key, "headerName": COLUMNS[key]}
        if key in NUMERIC:
            col |= {"type": "numericColumn", "filter": "agNumberColumnFilter",
                    "valueFormatter": {"function": "params.value == null ? '' : d3.format(',.1f')(params.value)"}}
        defs.append(col)
    return defs


@callback(Output(ids.TABLES_GRID, "rowData"), Output(ids.TABLES_GRID, "columnDefs"), Output(ids.TABLES_STATUS, "children"),
          Output(ids.TABLES_URL, "search"),
          Input(ids.TABLES_INDICATORS, "value"), Input(ids.TABLES_AREA_TYPE, "value"), Input(ids.TABLES_COUNCIL, "value"),
          Input(ids.TABLES_COLUMNS, "value"))
def fill_grid(indicators: list[str] | None, area_type: str, council: str | None,
              columns: list[str] | None) -> tuple[list[dict], list[dict], str, str]:
    search = f"?indicators={','.join(indicators or [])}&area_type={area_type}" + (f"&council={council}" if council else "")
    if not indicators:
        return [], column_defs(columns or []), "Choose at least one indicator.", search
    try:
        rows = get_queries().table_rows(tuple(indicators), area_type, council)
    except WarehouseUnavailable:
        return [], [], "The warehouse is not available.", search
    rows = rows.astype(object).where(rows.notna(), None)
    status = f"{len(rows):,} rows. Suppressed values are blank: they are withheld to protect confidentiality."
    return rows.to_dict("records"), column_defs(columns or []), status, search


@callback(Output(ids.TABLES_DOWNLOAD, "data"), Input(ids.TABLES_CSV, "n_clicks"), Input(ids.TABLES_XLSX, "n_clicks"),
          State(ids.TABLES_GRID, "virtualRowData"), State(ids.TABLES_COLUMNS, "value"), prevent_initial_call=True)
def download(_csv: int | None, _xlsx: int | None, rows: list[dict] | None, columns: list[str] | None) -> Any:
    frame = shown_frame(rows, columns or [])
    if ctx.triggered_id == ids.TABLES_XLSX:
        return dcc.send_bytes(to_xlsx(frame), "cpop-table.xlsx")
    return dcc.send_bytes(to_csv(frame), "cpop-table.csv")
