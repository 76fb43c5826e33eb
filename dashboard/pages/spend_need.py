"""Spend and need (path "/spend"): an officer's spend or resource data per head against a need
measure, by locality, ward, intermediate zone or data zone.

Why: KnowFife's second lesson: show where money is spent against where need is. Anyone can read
the view (a scatter with the council lines dividing it into quarters named in words, a ranked
table, the "higher need, lower spend" list and the reverse, an Excel download); only a signed-in
officer can add or remove a spend file, checked here on the server, and each change is audited.
State in the URL (?dataset=&council=&service=&year=&measure=).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from pydantic import ValidationError

from dashboard import ids, payloads
from dashboard.auth.server import SIGN_IN_PAGE, audit_log, signed_in_officer
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.components.html_table import html_table
from dashboard.data.context import get_queries, get_request_limit, get_upload_limit, get_user_dir
from dashboard.data.reader import WarehouseUnavailable
from dashboard.data.spend import (
    SpendViewError,
    add_upload,
    default_measure,
    need_measures,
    service_options,
    spend_areas,
    spend_view,
)
from dashboard.exports.spend_need import spend_need_xlsx
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.spend_need import spend_need_figure
from dashboard.guard import PayloadError
from dashboard.logic.provenance import demo_line
from dashboard.logic.records import row_tuples
from dashboard.logic.spend_need import (
    LIST_TITLES,
    RANKED_COLUMNS,
    list_items,
    money,
    need_text,
    notes,
    per_head_label,
    ranked_rows,
    summary,
)
from dashboard.tables.keyboard import keyboard_grid_options
from etl.errors import InputError
from etl.spend.store import MEASURE_WORDS, SpendMetadata, SpendStore

dash.register_page(__name__, path="/spend", name="Spend and need", order=7, title="cpop – spend and need")

SHOWN_QUARANTINE = 50


def _store() -> SpendStore:
    return SpendStore(get_user_dir())


def _options(items: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in items]


def _dataset_options(datasets: list[SpendMetadata]) -> list[dict[str, str]]:
    return _options([(m.dataset_id, f"{m.title} ({m.organisation})") for m in datasets])


def _choices(meta: SpendMetadata, council: str | None) -> dict[str, Any]:
    """Options and valid values of every control for ``meta`` (the council's need measures)."""
    council = council if council in meta.councils else meta.councils[0]
    queries = get_queries()
    names = spend_areas(queries).drop_duplicates("council_code").set_index("council_code").council_name
    measures = need_measures(queries, meta.area_type, council)
    return {
        "councils": _options([(c, str(names.get(c, c))) for c in meta.councils]), "council": council,
        "services": _options([(s, s) for s in service_options(meta)]),
        "years": _options([(str(y), meta.period_label(y)) for y in sorted(meta.years, reverse=True)]),
        "measures": _options([(r.indicator_id, r.short_title) for r in row_tuples(measures)]),
        "default_measure": default_measure(list(measures.indicator_id)) if len(measures) else None,
    }


def _pick(value: str | None, options: list[dict[str, str]]) -> str | None:
    """``value`` when it is one of ``options``, else the first option (None when there are none)."""
    values = [o["value"] for o in options]
    return value if value in values else (values[0] if values else None)


def layout(dataset: str | None = None, council: str | None = None, service: str | None = None,
           year: str | None = None, measure: str | None = None, **_: Any) -> html.Div:
    datasets = _store().list()
    officer = signed_in_officer()
    controls: dict[str, Any] = {"councils": [], "council": None, "services": [], "years": [], "measures": [],
                                "default_measure": None}
    chosen = next((m for m in datasets if m.dataset_id == dataset), datasets[0] if datasets else None)
    try:
        if chosen is not None:
            controls = _choices(chosen, council)
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    return dbc.Container([
        dcc.Location(id=ids.SPEND_URL, refresh=False),
        html.H1("Spend and need", className="h3"),
        html.P(glossary_text("Where money and staff time go, against where need is: an officer's spend or resource "
                             "figures by locality, ward, intermediate zone or data zone, per head of population, "
                             "against a need measure from the catalogue. The council-wide lines divide the areas into "
                             "four quarters.", "intro")),
        *([] if datasets else [dbc.Alert("No spend data yet. An officer adds a spend file below (or with "
                                         "`cpop spend add`).", color="info")]),
        dbc.Row([
            dbc.Col([dbc.Label("Spend data", html_for=ids.SPEND_DATASET),
                     dcc.Dropdown(id=ids.SPEND_DATASET, options=_dataset_options(datasets),
                                  value=chosen.dataset_id if chosen else None, clearable=False)], md=3),
            dbc.Col([dbc.Label("Council", html_for=ids.SPEND_COUNCIL),
                     dcc.Dropdown(id=ids.SPEND_COUNCIL, options=controls["councils"], value=controls["council"],
                                  clearable=False)], md=2),
            dbc.Col([dbc.Label("Service", html_for=ids.SPEND_SERVICE),
                     dcc.Dropdown(id=ids.SPEND_SERVICE, options=controls["services"],
                                  value=_pick(service, controls["services"]), clearable=False)], md=2),
            dbc.Col([dbc.Label("Year", html_for=ids.SPEND_YEAR),
                     dcc.Dropdown(id=ids.SPEND_YEAR, options=controls["years"], value=_pick(year, controls["years"]),
                                  clearable=False)], md=2),
            dbc.Col([dbc.Label("Need measure", html_for=ids.SPEND_MEASURE),
                     dcc.Dropdown(id=ids.SPEND_MEASURE, options=controls["measures"],
                                  value=_pick(measure or controls["default_measure"], controls["measures"]),
                                  clearable=False)], md=3),
        ], className="mb-3 g-2"),
        html.H2(id=ids.SPEND_HEADING, className="h4"),
        dcc.Loading(html.Div(id=ids.SPEND_VIEW), delay_show=300),
        html.H3("All areas, most spend per head first", className="h5 mt-3"),
        dag.AgGrid(id=ids.SPEND_GRID, rowData=[], columnDefs=_column_defs(),
                   # minWidth: on a phone the grid scrolls sideways instead of squeezing its headings to nothing
                   defaultColDef={"sortable": True, "filter": True, "resizable": True, "wrapHeaderText": True,
                                  "autoHeaderHeight": True, "wrapText": True, "autoHeight": True, "minWidth": 110},
                   dashGridOptions=keyboard_grid_options({"domLayout": "autoHeight", "enableCellTextSelection": True}),
                   columnSize="responsiveSizeToFit"),
        html.Div([dbc.Button("Download Excel", id=ids.SPEND_XLSX, color="primary", size="sm", className="me-2"),
                  dbc.Button("Download the rows not used (CSV)", id=ids.SPEND_QUARANTINE, color="secondary",
                             size="sm"),
                  dcc.Download(id=ids.SPEND_DOWNLOAD)], className="my-2"),
        _officer_card(officer),
    ], fluid="lg")


#: how the grid writes each number (d3-format, as dash-ag-grid offers it): thousands separated
GRID_FORMATS = {"Spend": ",.2f", "Spend per head": ",.2f", "Population": ",", "Need measure": ",.1f"}
NUMBER_COLUMNS = {"Rank (spend per head)", "Need rank", *GRID_FORMATS}


def _column_defs() -> list[dict[str, Any]]:
    defs = []
    for column in RANKED_COLUMNS:
        spec: dict[str, Any] = {"field": column, "headerName": column}
        if column in NUMBER_COLUMNS:
            spec["type"] = "numericColumn"
        if column in GRID_FORMATS:
            spec["valueFormatter"] = {"function": f"params.value == null ? 'withheld or not available' : "
                                                  f"d3.format('{GRID_FORMATS[column]}')(params.value)"}
        if column in ("Area", "Quarter"):
            spec["minWidth"] = 160
        defs.append(spec)
    return defs


def _officer_card(officer: str | None) -> dbc.Card:
    """Add a spend file or remove the one shown: officers only (viewers see why they cannot)."""
    limit_mb = get_upload_limit() // (1024 * 1024)
    disabled = officer is None
    return dbc.Card(dbc.CardBody([
        html.H2("Add or remove spend data (officers)", className="h5"),
        html.P("A CSV or Excel file with a column for the area (locality name or code, ward, intermediate zone or data "
               "zone code), the year (2023 or 2023/24) and the amount; optionally a service column, and a council "
               "column when localities are given by name. Every row is checked: rows that cannot be used are listed "
               "with the reason and kept aside, never dropped silently.", className="small"),
        dbc.Row([
            dbc.Col([dbc.Label("Title", html_for=ids.SPEND_TITLE),
                     dbc.Input(id=ids.SPEND_TITLE, placeholder="e.g. Youth work spend", disabled=disabled)], md=4),
            dbc.Col([dbc.Label("Organisation", html_for=ids.SPEND_ORGANISATION),
                     dbc.Input(id=ids.SPEND_ORGANISATION, placeholder="e.g. Glen Tannoch Council",
                               disabled=disabled)], md=4),
            dbc.Col([dbc.Label("Measure", html_for=ids.SPEND_KIND),
                     dcc.Dropdown(id=ids.SPEND_KIND, options=_options(list(MEASURE_WORDS.items())),
                                  value="expenditure", clearable=False, disabled=disabled)], md=2),
            dbc.Col([dbc.Label("Units", html_for=ids.SPEND_UNITS),
                     dbc.Input(id=ids.SPEND_UNITS, placeholder="£ or hours", disabled=disabled)], md=2),
        ], className="g-2"),
        dbc.Label("Licence or sharing restriction", html_for=ids.SPEND_LICENCE, className="mt-2"),
        dbc.Input(id=ids.SPEND_LICENCE, placeholder="e.g. Internal: CPP partners only", disabled=disabled),
        dcc.Upload(id=ids.SPEND_UPLOAD, max_size=get_request_limit() * 3 // 4, disabled=disabled,
                   children=html.Div(f"Drop or choose the spend file (CSV or .xlsx, up to {limit_mb} MB)"),
                   className="border rounded p-2 my-2 text-center"),
        html.Div([dbc.Button("Add spend data", id=ids.SPEND_ADD, color="primary", className="me-2", disabled=disabled),
                  dbc.Button("Remove the spend data shown", id=ids.SPEND_REMOVE, color="danger", disabled=disabled)]),
        *([html.P(["Officers ", html.A("sign in", href=f"{SIGN_IN_PAGE}?next=/spend"),
                   " to add or remove spend data."], className="small text-muted mt-1 mb-0")] if disabled else []),
        html.Div(id=ids.SPEND_STATUS, className="small my-2", role="status"),
        html.Div(id=ids.SPEND_REPORT),
    ]), className="my-4")


@callback(Output(ids.SPEND_COUNCIL, "options"), Output(ids.SPEND_COUNCIL, "value"),
          Output(ids.SPEND_SERVICE, "options"), Output(ids.SPEND_SERVICE, "value"),
          Output(ids.SPEND_YEAR, "options"), Output(ids.SPEND_YEAR, "value"),
          Output(ids.SPEND_MEASURE, "options"), Output(ids.SPEND_MEASURE, "value"),
          Input(ids.SPEND_DATASET, "value"), Input(ids.SPEND_COUNCIL, "value"),
          State(ids.SPEND_SERVICE, "value"), State(ids.SPEND_YEAR, "value"), State(ids.SPEND_MEASURE, "value"),
          prevent_initial_call=True)
def update_controls(dataset: str | None, council: str | None, service: str | None, year: str | None,
                    measure: str | None) -> tuple:
    """A new dataset or council offers its own services, years and need measures (keeping what still applies)."""
    dataset, council = payloads.optional_text(dataset, "dataset"), payloads.optional_text(council, "council")
    try:
        meta = _store().get(dataset) if dataset else None
    except KeyError:
        meta = None
    if meta is None:
        return [], None, [], None, [], None, [], None
    try:
        c = _choices(meta, council if ctx.triggered_id == ids.SPEND_COUNCIL else None)
    except WarehouseUnavailable:
        return [], None, [], None, [], None, [], None
    return (c["councils"], c["council"], c["services"], _pick(service, c["services"]), c["years"],
            _pick(year, c["years"]), c["measures"], _pick(measure or c["default_measure"], c["measures"]))


@callback(Output(ids.SPEND_VIEW, "children"), Output(ids.SPEND_GRID, "rowData"), Output(ids.SPEND_HEADING, "children"),
          Output(ids.SPEND_URL, "search"),
          Input(ids.SPEND_DATASET, "value"), Input(ids.SPEND_COUNCIL, "value"), Input(ids.SPEND_SERVICE, "value"),
          Input(ids.SPEND_YEAR, "value"), Input(ids.SPEND_MEASURE, "value"))
def show_view(dataset: str | None, council: str | None, service: str | None, year: str | None,
              measure: str | None) -> tuple[Any, list[dict], str, str]:
    """The chart with its text alternative, the two lists and the ranked table (reads only)."""
    values = [payloads.optional_text(v, "choice") for v in (dataset, council, service, year, measure)]
    dataset, council, service, year, measure = values
    search = "?" + urlencode({k: v for k, v in zip(("dataset", "council", "service", "year", "measure"), values,
                                                      strict=True) if v})
    if not dataset:
        return "", [], "", ""
    try:
        view = spend_view(get_queries(), _store(), dataset, council=council, service=service,
                          year=int(year) if year and year.isdigit() else None, indicator=measure)
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), [], "", search
    except SpendViewError as exc:
        return dbc.Alert(f"Cannot show that: {exc}.", color="warning"), [], "", search
    heading = f"{view.meta.title}: {per_head_label(view)} against {view.indicator_title}, {view.council_name}"
    return _view_body(view), ranked_rows(view), heading, search


def _view_body(view: Any) -> html.Div:
    """Summary, chart, its data as a table, notes and the two lists."""
    text = summary(view)
    figure = spend_need_figure(view)
    rows = [(r["area_name"], [money(r["spend_per_head"], view.meta.units),
                              need_text(r["need_value"], view.unit_label), r["quadrant"]])
            for r in view.result.areas.to_dict("records")]
    table = html_table(["Area", per_head_label(view), view.indicator_title, "Quarter"], rows,
                       caption=f"The chart's data: {per_head_label(view)} and {view.indicator_title} by area",
                       class_name="table table-sm table-bordered small")
    lists = list_items(view)
    return html.Div([
        html.P(text, className="mb-2"),
        html.Div(dcc.Graph(id=ids.SPEND_GRAPH, figure=figure, config=GRAPH_CONFIG), role="figure",
                 **{"aria-label": text}),
        html.Details([html.Summary("Show the chart's data as a table"), table], className="cpop-chart-data small mt-1"),
        *[html.P(glossary_text(note, f"note-{i}"), className="small text-muted mb-1")
          for i, note in enumerate(notes(view))],
        dbc.Row([dbc.Col([html.H3(LIST_TITLES[key], className="h5 mt-3"),
                          html.Ul([html.Li(item) for item in items]) if items else
                          html.P("None.", className="small text-muted")], md=6)
                 for key, items in lists.items()]),
    ])


@callback(Output(ids.SPEND_DOWNLOAD, "data"), Input(ids.SPEND_XLSX, "n_clicks"),
          Input(ids.SPEND_QUARANTINE, "n_clicks"),
          State(ids.SPEND_DATASET, "value"), State(ids.SPEND_COUNCIL, "value"), State(ids.SPEND_SERVICE, "value"),
          State(ids.SPEND_YEAR, "value"), State(ids.SPEND_MEASURE, "value"), prevent_initial_call=True)
def download(_xlsx: int | None, _quarantine: int | None, dataset: str | None, council: str | None,
             service: str | None, year: str | None, measure: str | None) -> Any:
    """The view as an Excel workbook (the same figures as the page), or the dataset's quarantined rows."""
    dataset, council, service, year, measure = (payloads.optional_text(v, "choice")
                                                for v in (dataset, council, service, year, measure))
    if not dataset:
        return dash.no_update
    if ctx.triggered_id == ids.SPEND_QUARANTINE:
        try:
            return dcc.send_bytes(_store().quarantine_csv(dataset), f"spend-not-used-{dataset}.csv")
        except KeyError:
            return dash.no_update
    try:
        queries = get_queries()
        view = spend_view(queries, _store(), dataset, council=council, service=service,
                          year=int(year) if year and year.isdigit() else None, indicator=measure)
        note = demo_line(queries.build_info())
    except (WarehouseUnavailable, SpendViewError):
        return dash.no_update
    return dcc.send_bytes(spend_need_xlsx(view, note), f"spend-and-need-{view.meta.dataset_id}-{view.year}.xlsx")


def _report(meta: SpendMetadata, checked: Any) -> Any:
    """The check's report: rows read = accepted + quarantined, and the quarantined rows."""
    lines = [html.P(f"Rows read {meta.rows_read:,} = accepted {meta.rows_accepted:,} + quarantined "
                    f"{meta.rows_quarantined:,}.", className="small mb-1")]
    if meta.rows_quarantined:
        quarantined = checked.quarantined.head(SHOWN_QUARANTINE)
        lines.append(html_table(["Row", "Column", "Why it was not used"],
                                [(str(r["_source_row"]), [str(r["column"]), str(r["reason"])])
                                 for r in quarantined.to_dict("records")],
                                caption=f"Quarantined rows of {meta.source_file} (kept beside the data)",
                                class_name="table table-sm table-bordered small"))
    return html.Div(lines)


@callback(Output(ids.SPEND_STATUS, "children"), Output(ids.SPEND_REPORT, "children"),
          Output(ids.SPEND_DATASET, "options"), Output(ids.SPEND_DATASET, "value"),
          Input(ids.SPEND_ADD, "n_clicks"), Input(ids.SPEND_REMOVE, "n_clicks"),
          State(ids.SPEND_UPLOAD, "contents"), State(ids.SPEND_UPLOAD, "filename"), State(ids.SPEND_TITLE, "value"),
          State(ids.SPEND_ORGANISATION, "value"), State(ids.SPEND_KIND, "value"), State(ids.SPEND_UNITS, "value"),
          State(ids.SPEND_LICENCE, "value"), State(ids.SPEND_DATASET, "value"), prevent_initial_call=True)
def change_datasets(_add: int | None, _remove: int | None, contents: str | None, filename: str | None,
                    title: str | None, organisation: str | None, kind: str | None, units: str | None,
                    licence: str | None, shown: str | None) -> tuple[str, Any, Any, Any]:
    """Add the uploaded file or remove the dataset shown: officers only, checked here (the controls are
    disabled for viewers, but a request can be sent without them); each change is audited."""
    officer = signed_in_officer()
    if officer is None:
        return "Only a signed-in officer can add or remove spend data: sign in first.", "", dash.no_update, \
            dash.no_update
    store = _store()
    try:
        if ctx.triggered_id == ids.SPEND_REMOVE:
            shown = payloads.text(shown, "dataset", required=True)
            meta = store.remove(shown)
            audit_log().append(officer, "remove spend dataset", meta.dataset_id, title=meta.title)
            left = store.list()
            return f"Removed '{meta.title}'.", "", _dataset_options(left), left[0].dataset_id if left else None
        filename = payloads.text(filename, "file name", payloads.MAX_FILENAME_CHARS, required=True)
        contents = payloads.text(contents, "upload", get_request_limit(), required=True)
        meta, checked = add_upload(
            store, get_queries(), contents, filename, get_upload_limit(),
            title=payloads.text(title, "title", 200, required=True),
            organisation=payloads.text(organisation, "organisation", 200, required=True),
            measure_kind=payloads.one_of(kind, MEASURE_WORDS, "measure"),
            units=payloads.text(units, "units", 40).strip() or None, licence=payloads.text(licence, "licence", 200),
            added_by=officer)
    except PayloadError as exc:
        return f"Not done: {exc}.", "", dash.no_update, dash.no_update
    except KeyError:
        return "That spend data is not kept (it may have been removed already).", "", dash.no_update, dash.no_update
    except (InputError, ValueError) as exc:  # UploadError is a ValueError
        message = "; ".join(e["msg"] for e in exc.errors()) if isinstance(exc, ValidationError) else str(exc)
        return f"Not added: {message}", "", dash.no_update, dash.no_update
    except WarehouseUnavailable:
        return "The warehouse is not available.", "", dash.no_update, dash.no_update
    audit_log().append(officer, "add spend dataset", meta.dataset_id, title=meta.title,
                       rows_accepted=meta.rows_accepted, rows_quarantined=meta.rows_quarantined)
    return (f"Added '{meta.title}' ({meta.dataset_id}), by {meta.area_type}.", _report(meta, checked),
            _dataset_options(store.list()), meta.dataset_id)
