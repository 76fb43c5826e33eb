"""Advanced Tables (path "/tables"): indicators × areas × periods; pivot, filter, sort, download.

Why: officers build their own tables for reports. The grid (dash-ag-grid, community edition)
filters and sorts in the browser; pivoting (periods or indicators as columns) is done on the
server because ag-grid's pivot mode is an Enterprise feature. The downloads are made on the
server from the grid's own ``virtualRowData`` (the rows as filtered and sorted on screen), its
column definitions and its column state (order, hidden), so the file holds exactly what is
shown. State in the URL (?indicators=&area_type=&council=&periods=&layout=&columns=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.clear_button import clear_button
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.data.context import get_queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.labels import plural_labels
from dashboard.logic.provenance import demo_line
from dashboard.logic.records import row_tuples
from dashboard.logic.tables import (
    COLUMNS,
    DEFAULT_COLUMNS,
    LAYOUTS,
    describe_rows,
    filter_periods,
    grid_content,
    grid_frame,
    mark_local,
    no_rows_reasons,
    to_csv,
    to_xlsx,
)
from dashboard.tables.keyboard import keyboard_grid_options
from dashboard.urlstate import clean_arg, query_string, split_arg

dash.register_page(__name__, path="/tables", name="Advanced tables", order=5, title="cpop – advanced tables")


GRID_KEYS = ("Keyboard: the table is one Tab stop. Arrow keys move between cells and headings, Enter on a heading "
             "sorts by it, Enter on a filter cell starts typing a filter (Escape returns), Tab leaves the table.")


def _options() -> tuple[list[dict], list[dict], list[dict]]:
    queries = get_queries()
    indicators = queries.indicators()
    areas = queries.area_types()
    councils = queries.search_areas("council", None, limit=100)
    return (
        [{"label": r.short_title, "value": r.indicator_id} for r in row_tuples(indicators)],
        [{"label": r.label, "value": r.area_type} for r in row_tuples(areas)],
        [{"label": r.area_name, "value": r.area_code} for r in row_tuples(councils)],
    )


def layout(indicators: Any = None, area_type: Any = None, council: Any = None, periods: Any = None,
           layout: Any = None, columns: Any = None, **_: Any) -> html.Div:
    try:
        indicator_options, type_options, council_options = _options()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    known = {o["value"] for o in indicator_options}
    chosen = [i for i in split_arg(indicators) if i in known] or [indicator_options[0]["value"]]
    area_type = clean_arg(area_type) or "council"
    council = clean_arg(council)
    shape = clean_arg(layout) if clean_arg(layout) in LAYOUTS else "long"
    picked = [c for c in split_arg(columns) if c in COLUMNS] or DEFAULT_COLUMNS
    try:
        period_options = get_queries().table_periods(tuple(chosen), area_type)
    except WarehouseUnavailable:
        period_options = []
    chosen_periods = [p for p in split_arg(periods) if p in period_options]
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
                                  placeholder="All councils"),
                     clear_button(ids.TABLES_COUNCIL, "Clear council (all councils)")], md=4),
        ], className="mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label("Periods (only periods with data)", html_for=ids.TABLES_PERIODS),
                     dcc.Dropdown(id=ids.TABLES_PERIODS, options=period_options, value=chosen_periods, multi=True,
                                  placeholder="All periods")], md=6),
            dbc.Col([dbc.Label("Layout (pivot)", html_for=ids.TABLES_PIVOT),
                     dcc.Dropdown(id=ids.TABLES_PIVOT, value=shape, clearable=False, searchable=False,
                                  options=[{"label": v, "value": k} for k, v in LAYOUTS.items()])], md=6),
        ], className="mb-2"),
        html.Fieldset([
            html.Legend("Columns (one row per indicator, area and period layout)", className="form-label fs-6"),
            dbc.Checklist(id=ids.TABLES_COLUMNS, options=[{"label": v, "value": k} for k, v in COLUMNS.items()],
                          value=picked, inline=True),
        ]),
        html.Div(id=ids.TABLES_STATUS, className="text-muted small my-1", role="status"),
        html.P(GRID_KEYS, id=ids.TABLES_GRID_HELP, className="small text-muted mb-1"),
        dag.AgGrid(id=ids.TABLES_GRID, rowData=[], columnDefs=[],
                   defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
                   dashGridOptions=keyboard_grid_options({"pagination": True, "paginationPageSize": 50,
                                                          "enableCellTextSelection": True}),
                   columnSize="autoSize", style={"height": "560px"}),
        html.Div([dbc.Button("Download CSV", id=ids.TABLES_CSV, color="primary", className="me-2"),
                  dbc.Button("Download Excel", id=ids.TABLES_XLSX, color="secondary")], className="my-2"),
        dcc.Download(id=ids.TABLES_DOWNLOAD),
    ], fluid="lg")


@callback(Output(ids.TABLES_PERIODS, "options"), Output(ids.TABLES_PERIODS, "value"),
          Input(ids.TABLES_INDICATORS, "value"), Input(ids.TABLES_AREA_TYPE, "value"),
          State(ids.TABLES_PERIODS, "value"), prevent_initial_call=True)
def period_choices(indicators: list[str] | None, area_type: str, chosen: list[str] | None) -> tuple[list, list]:
    """Only periods with rows for the chosen indicators and area type; keep what still applies."""
    try:
        options = get_queries().table_periods(tuple(indicators or ()), area_type) if indicators else []
    except WarehouseUnavailable:
        options = []
    return options, [p for p in chosen or [] if p in options]


@callback(Output(ids.TABLES_GRID, "rowData"), Output(ids.TABLES_GRID, "columnDefs"), Output(ids.TABLES_STATUS, "children"),
          Output(ids.TABLES_URL, "search"),
          Input(ids.TABLES_INDICATORS, "value"), Input(ids.TABLES_AREA_TYPE, "value"), Input(ids.TABLES_COUNCIL, "value"),
          Input(ids.TABLES_PERIODS, "value"), Input(ids.TABLES_PIVOT, "value"), Input(ids.TABLES_COLUMNS, "value"))
def fill_grid(indicators: list[str] | None, area_type: str, council: str | None, periods: list[str] | None,
              shape: str, columns: list[str] | None) -> tuple[list[dict], list[dict], Any, str]:
    search = query_string([("indicators", indicators or []), ("area_type", area_type), ("council", council),
                           ("periods", periods or []), ("layout", shape if shape != "long" else None),
                           ("columns", columns if columns != DEFAULT_COLUMNS else None)])
    if not indicators:
        return [], [], "Choose at least one indicator.", search
    try:
        queries = get_queries()
        frame = mark_local(describe_rows(filter_periods(queries.table_rows(tuple(indicators), area_type, council),
                                                        periods)), queries.local_labels())
        shown = set(frame["indicator_id"].unique()) if "indicator_id" in frame else set()  # not a walk of every row
        reasons = no_rows_reasons(queries.explorer_indicators(), indicators, shown, area_type,
                                  plural_labels(queries.area_type_labels()))
    except WarehouseUnavailable:
        return [], [], "The warehouse is not available.", search
    rows, defs = grid_content(frame, shape, columns or [])
    status = (f"{len(rows):,} rows. Suppressed values are blank: they are withheld to protect confidentiality."
              + ("" if shape == "long" else " Pivot layouts show values; use the first layout for numerators, "
                                            "denominators, intervals and flags.")
              + "".join(f" {r}" for r in reasons))
    return rows, defs, glossary_text(status, "status"), search


@callback(Output(ids.TABLES_DOWNLOAD, "data"), Input(ids.TABLES_CSV, "n_clicks"), Input(ids.TABLES_XLSX, "n_clicks"),
          State(ids.TABLES_GRID, "virtualRowData"), State(ids.TABLES_GRID, "columnDefs"),
          State(ids.TABLES_GRID, "columnState"), prevent_initial_call=True)
def download(_csv: int | None, _xlsx: int | None, rows: list[dict] | None, defs: list[dict] | None,
             state: list[dict] | None) -> Any:
    """Exactly the grid's rows (filtered, sorted) and visible columns, as CSV or Excel."""
    frame = grid_frame(rows, defs, state)
    try:
        note = demo_line(get_queries().build_info())
    except WarehouseUnavailable:
        note = None
    if ctx.triggered_id == ids.TABLES_XLSX:
        return dcc.send_bytes(to_xlsx(frame, note), "cpop-table.xlsx")
    return dcc.send_bytes(to_csv(frame, note), "cpop-table.csv")
