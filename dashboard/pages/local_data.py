"""Local data (path "/local"): the local partner datasets, and for signed-in officers, adding one
(upload, the tool's guess of the columns corrected in a form, the metadata form, the validation
report), publishing it and rolling it back.

Why: issue 15: an officer adds a council service's spreadsheet beside the national measures
without a developer. The page is the same path as ``cpop local``: it reads and checks the file
with ``etl.local.service`` and publishes with its functions, which audit each change. Every
change is refused on the server to anyone but a signed-in officer (the controls are not even
drawn for a viewer, but a request can be sent without them).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids, payloads
from dashboard.auth.server import SIGN_IN_PAGE, signed_in_officer
from dashboard.components.build_status import build_view
from dashboard.components.html_table import html_table
from dashboard.data.build_runner import current_progress, start_build
from dashboard.data.context import (
    get_app_settings,
    get_request_limit,
    get_upload_limit,
    get_user_dir,
)
from dashboard.data.local import read_and_guess, uploaded_file
from dashboard.guard import PayloadError
from dashboard.logic.area_upload import UploadError
from dashboard.logic.local_data import (
    DATASET_COLUMNS,
    FIELDS,
    dataset_rows,
    reason_lines,
    validate_metadata,
)
from dashboard.tables.keyboard import keyboard_grid_options
from etl.errors import InputError
from etl.local.guess import LEVEL_LABELS
from etl.local.service import add_upload, check_upload, publish_dataset, roll_back_dataset
from etl.local.store import LocalStore, revised_rows
from etl.local.validate import QUARANTINE_COLUMNS

dash.register_page(__name__, path="/local", name="Local data", order=7, title="cpop – local data")

WIDE = "(one column per period)"  # the period choice of a wide file
SHOWN_REVISED = 50  # revised values listed when a new version is kept
SHOWN_QUARANTINE = 1000  # rows of the quarantine in the grid; the CSV download has them all
NOT_OFFICER = "Only a signed-in officer can do that: sign in first. Nothing was changed."
BUILD_NOTE = ("The dashboard and the warehouse change after the next build (press 'Build now' below, or run "
              "`cpop build` on the server); until then they show what was built last.")
POLL_MS = 1000  # how often the page reads the build's progress file while a build runs
FORM = [State(ids.LOCAL_UPLOAD, "contents"), State(ids.LOCAL_UPLOAD, "filename"), State(ids.LOCAL_SHEET, "value"),
        State(ids.LOCAL_GEOGRAPHY, "value"), State(ids.LOCAL_PERIOD, "value"), State(ids.LOCAL_VALUE, "value"),
        *[State(ids.LOCAL_META_PREFIX + f.name, "value") for f in FIELDS]]


def _store() -> LocalStore:
    return LocalStore(get_user_dir())


def _options(values: list[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in values]


def _datasets_table() -> Any:
    rows = dataset_rows(_store())
    if not rows:
        return dbc.Alert("No local datasets yet.", color="info")
    return html_table(DATASET_COLUMNS, rows, caption="Local datasets, their versions and which one is published",
                      class_name="table table-sm table-bordered small")


def _dataset_options() -> list[dict[str, str]]:
    return [{"label": f"{s.title} ({s.id})", "value": s.id} for s in _store().states()]


def layout(**_: Any) -> dbc.Container:
    officer = signed_in_officer()
    return dbc.Container([
        html.H1("Local data", className="h3"),
        html.P("Data held by the partnership's own partners (council services, the NHS board, Police and Fire, "
               "colleges, the third sector), beside the national measures. Once published and built, a local "
               "dataset is an indicator like any other, marked local with its organisation and sharing "
               "restriction."),
        html.H2("Local datasets", className="h4"),
        html.Div(_datasets_table(), id=ids.LOCAL_DATASETS),
        *(_officer_sections() if officer else [html.P([
            "Officers ", html.A("sign in", href=f"{SIGN_IN_PAGE}?next=/local"),
            " to add, check, publish or roll back local data."], className="text-muted")]),
    ], fluid="lg")


def _field(field: Any) -> dbc.Col:
    box_id = ids.LOCAL_META_PREFIX + field.name
    if field.kind == "choice":
        box = dcc.Dropdown(id=box_id, options=[{"label": label, "value": value} for value, label in field.options],
                           value=field.default or None, clearable=False)
    elif field.kind == "area":
        box = dbc.Textarea(id=box_id, value=field.default, rows=2)
    else:
        box = dbc.Input(id=box_id, value=field.default, type="text")
    help_text = [dbc.FormText(field.help)] if field.help else []
    return dbc.Col([dbc.Label(field.label, html_for=box_id), box, *help_text], md=6 if field.kind == "area" else 3)


def _officer_sections() -> list[Any]:
    limit_mb = get_upload_limit() // (1024 * 1024)
    column = {"clearable": False, "placeholder": "choose a file first"}
    return [
        dbc.Card(dbc.CardBody([
            html.H2("Add a local dataset", className="h4"),
            html.P("A CSV or Excel workbook (.xlsx), one row per area and year or one row per area with a column per "
                   "year, by data zone, intermediate zone, council or postcode. Values are counts. See the officers' "
                   "guide (docs/local-data.md) for the details.", className="small"),
            dcc.Upload(id=ids.LOCAL_UPLOAD, max_size=get_request_limit() * 3 // 4,
                       children=html.Div(f"Drop or choose the file (CSV or .xlsx, up to {limit_mb} MB)"),
                       className="border rounded p-2 my-2 text-center"),
            html.Div(id=ids.LOCAL_FILE_STATUS, className="small", role="status"),
            html.H3("The columns (the tool's guess: correct it if it is wrong)", className="h5 mt-3"),
            html.Ul(id=ids.LOCAL_GUESS, className="small"),
            dbc.Row([
                dbc.Col([dbc.Label("Sheet", html_for=ids.LOCAL_SHEET),
                         dcc.Dropdown(id=ids.LOCAL_SHEET, **column)], md=3),
                dbc.Col([dbc.Label("Geography column", html_for=ids.LOCAL_GEOGRAPHY),
                         dcc.Dropdown(id=ids.LOCAL_GEOGRAPHY, **column)], md=3),
                dbc.Col([dbc.Label("Period column", html_for=ids.LOCAL_PERIOD),
                         dcc.Dropdown(id=ids.LOCAL_PERIOD, **column)], md=3),
                dbc.Col([dbc.Label("Value column (counts)", html_for=ids.LOCAL_VALUE),
                         dcc.Dropdown(id=ids.LOCAL_VALUE, **column)], md=3),
            ], className="g-2"),
            html.H3("About the data", className="h5 mt-3"),
            dbc.Row([_field(f) for f in FIELDS], className="g-2"),
            html.Div([dbc.Button("Check", id=ids.LOCAL_CHECK, color="primary", className="me-2"),
                      dbc.Button("Keep as a new version", id=ids.LOCAL_KEEP, color="secondary", className="me-2"),
                      dbc.Button("Download the quarantined rows (CSV)", id=ids.LOCAL_QUARANTINE, color="link"),
                      dcc.Download(id=ids.LOCAL_DOWNLOAD)], className="my-3"),
            html.Div(id=ids.LOCAL_STATUS, role="status"),
            html.Div(id=ids.LOCAL_REPORT),
            dag.AgGrid(id=ids.LOCAL_QUARANTINE_GRID, rowData=[],
                       columnDefs=[{"field": c, "headerName": c.capitalize()} for c in QUARANTINE_COLUMNS],
                       defaultColDef={"sortable": True, "filter": True, "resizable": True},
                       dashGridOptions=keyboard_grid_options({"domLayout": "autoHeight",
                                                              "enableCellTextSelection": True,
                                                              "pagination": True, "paginationPageSize": 20}),
                       columnSize="responsiveSizeToFit"),
        ]), className="my-4"),
        dbc.Card(dbc.CardBody([
            html.H2("Publish or roll back", className="h4"),
            html.P(["Publishing makes the version chosen (the newest unless you choose another) part of the next build; rolling back publishes the version "
                    "before the published one (before the first, the dataset is withdrawn). Versions are never "
                    "deleted. ", html.Strong(BUILD_NOTE)], className="small"),
            dbc.Row([dbc.Col([dbc.Label("Dataset", html_for=ids.LOCAL_DATASET),
                              dcc.Dropdown(id=ids.LOCAL_DATASET, options=_dataset_options(), clearable=False)],
                             md=6),
                     dbc.Col([dbc.Label("Version to publish", html_for=ids.LOCAL_VERSION),
                              dcc.Dropdown(id=ids.LOCAL_VERSION, options=[], placeholder="the newest")], md=6)],
                    className="g-2"),
            html.Div([dbc.Button("Publish", id=ids.LOCAL_PUBLISH, color="primary", className="me-2"),
                      dbc.Button("Roll back", id=ids.LOCAL_ROLLBACK, color="danger")], className="my-2"),
            html.Div(id=ids.LOCAL_PUBLISH_STATUS, role="status"),
        ]), className="my-4"),
        _build_card(),
    ]


def _published_indicator(dataset: str | None) -> str | None:
    """``local_<id>`` when ``dataset`` is a local dataset with a published version (for the Quick profile link)."""
    try:
        state = _store().state(dataset) if dataset else None
    except InputError:
        return None
    return f"local_{state.id}" if state is not None and state.published_version else None


def _build_card() -> dbc.Card:
    """Build now: the rebuild in a separate process, its progress read from a file (so a reload finds it)."""
    progress = current_progress(get_app_settings())
    running = progress is not None and not progress.is_finished()
    return dbc.Card(dbc.CardBody([
        html.H2("Build", className="h4"),
        html.P("Publishing and rolling back change what the next build reads. 'Build now' rebuilds the warehouse "
               "this dashboard serves, on the server, in the background (a few minutes for real Scotland); pages "
               "keep working meanwhile and show the new build as soon as it is complete. One build runs at a time.",
               className="small"),
        dbc.Button("Build now", id=ids.LOCAL_BUILD, color="primary", className="mb-2"),
        dcc.Interval(id=ids.LOCAL_BUILD_POLL, interval=POLL_MS, disabled=not running),
        html.Div(build_view(progress), id=ids.LOCAL_BUILD_STATUS, role="status"),
    ]), className="my-4")


def _columns_form(table: Any, guess: Any) -> tuple:
    """The sheet, column choices and guessed values for the form (wide files: no period or value column)."""
    columns = table.columns
    period_options = [{"label": WIDE, "value": WIDE}, *_options(columns)]
    wide = guess.layout == "wide"
    return (_options(table.sheets), table.sheet, _options(columns), guess.geography_column, period_options,
            WIDE if wide else guess.period_column, _options(columns), None if wide else guess.value_column,
            _options(columns))


NO_FILE = ([], None, [], None, [], None, [], None, [])


@callback(Output(ids.LOCAL_FILE_STATUS, "children"), Output(ids.LOCAL_GUESS, "children"),
          Output(ids.LOCAL_SHEET, "options"), Output(ids.LOCAL_SHEET, "value"),
          Output(ids.LOCAL_GEOGRAPHY, "options"), Output(ids.LOCAL_GEOGRAPHY, "value"),
          Output(ids.LOCAL_PERIOD, "options"), Output(ids.LOCAL_PERIOD, "value"),
          Output(ids.LOCAL_VALUE, "options"), Output(ids.LOCAL_VALUE, "value"),
          Output(ids.LOCAL_META_PREFIX + "denominator_column", "options"),
          Input(ids.LOCAL_UPLOAD, "contents"), Input(ids.LOCAL_SHEET, "value"), State(ids.LOCAL_UPLOAD, "filename"),
          prevent_initial_call=True)
def guess_columns(contents: str | None, sheet: str | None, filename: str | None) -> tuple:
    """Read the uploaded file (or the sheet chosen) and show the tool's guess of its columns, to correct."""
    if signed_in_officer() is None:
        return NOT_OFFICER, [], *NO_FILE
    try:
        filename = payloads.text(filename, "file name", payloads.MAX_FILENAME_CHARS, required=True)
        contents = payloads.text(contents, "upload", get_request_limit(), required=True)
        sheet = payloads.optional_text(sheet, "sheet") if ctx.triggered_id == ids.LOCAL_SHEET else None
        with uploaded_file(contents, filename, get_upload_limit()) as path:
            table, guess = read_and_guess(path, sheet)
    except (PayloadError, UploadError, InputError) as exc:
        return f"Cannot use that file: {exc}", [], *NO_FILE
    where = f", sheet '{table.sheet}'" if table.sheet else ""
    status = (f"{filename}{where}: {len(table.frame):,} rows; {LEVEL_LABELS[guess.geography_level]} level, "
              f"{'one column per period' if guess.layout == 'wide' else 'one row per area and period'}.")
    return status, [html.Li(r) for r in guess.reasons], *_columns_form(table, guess)


def _form(values: tuple) -> dict[str, Any]:
    """The form's values, each checked as text (a forged request gets a message, not a 500)."""
    contents, filename, sheet, geography, period, value, *meta = values
    return {
        "filename": payloads.text(filename, "file name", payloads.MAX_FILENAME_CHARS, required=True),
        "contents": payloads.text(contents, "upload", get_request_limit(), required=True),
        "sheet": payloads.optional_text(sheet, "sheet"),
        "geography": payloads.optional_text(geography, "geography column"),
        "period": payloads.optional_text(period, "period column"),
        "value": payloads.optional_text(value, "value column"),
        "meta": {f.name: payloads.optional_text(v, f.label, 2000) for f, v in zip(FIELDS, meta, strict=True)},
    }


def _check(form: dict[str, Any], meta: Any, keep_as: str | None = None) -> tuple[Any, str, Any]:
    """The upload checked with the columns the form says (a wide file: no period or value column), its file
    name, and when ``keep_as`` names the officer, the version it was kept as (else None)."""
    wide = form["period"] in (None, WIDE)
    settings = get_app_settings()
    with uploaded_file(form["contents"], form["filename"], get_upload_limit()) as path:
        checked = check_upload(path, meta, settings, sheet=form["sheet"], geography_column=form["geography"],
                               period_column=None if wide else form["period"],
                               value_column=None if wide else form["value"])
        info = add_upload(checked, meta, settings, keep_as) if keep_as else None
        return checked, path.name, info


def _report(report: Any) -> html.Div:
    """Rows read = accepted + quarantined, the reasons, the periods and areas."""
    wide = " (a file with a column per period counts one row per area and period)" if report.layout == "wide" else ""
    lines = [html.H3("Validation report", className="h5"),
             html.P(f"Rows read {report.rows_read:,} = accepted {report.accepted:,} + quarantined "
                    f"{report.quarantined:,}{wide}.", className="mb-1"),
             html.P(f"Periods: {', '.join(report.periods) or 'none'}; areas: {report.areas:,}"
                    + (f"; values revised since the previous version: {report.revised:,}" if report.revised else "")
                    + ".", className="small mb-1")]
    if report.reasons:
        lines += [html.P("Quarantined, by reason:", className="small mb-0"),
                  html.Ul([html.Li(line) for line in reason_lines(report.reasons)], className="small")]
    return html.Div(lines)


@callback(Output(ids.LOCAL_STATUS, "children"), Output(ids.LOCAL_REPORT, "children"),
          Output(ids.LOCAL_QUARANTINE_GRID, "rowData"), Output(ids.LOCAL_DATASETS, "children"),
          Output(ids.LOCAL_DATASET, "options"),
          Input(ids.LOCAL_CHECK, "n_clicks"), Input(ids.LOCAL_KEEP, "n_clicks"), *FORM, prevent_initial_call=True)
def check_or_keep(_check_clicks: int | None, _keep_clicks: int | None, *values: Any) -> tuple:
    """Check the upload with the form's columns and metadata (keeps nothing), or keep it as a new version."""
    nothing = (dash.no_update,) * 3
    officer = signed_in_officer()
    if officer is None:
        return NOT_OFFICER, "", [], *nothing[:2]
    try:
        form = _form(values)
    except PayloadError as exc:
        return f"Not done: {exc}.", "", [], *nothing[:2]
    meta, problems = validate_metadata(form["meta"])
    if meta is None:
        return html.Div([html.P("Correct the metadata first:", className="mb-0"),
                         html.Ul([html.Li(p) for p in problems])], className="text-danger"), "", [], *nothing[:2]
    try:
        checked, name, info = _check(form, meta, officer if ctx.triggered_id == ids.LOCAL_KEEP else None)
    except (UploadError, InputError) as exc:
        return f"Not done: {exc}", "", [], *nothing[:2]
    if info is not None:
        status = (f"Kept as version {info.version} of '{meta.id}' (not published yet: publish it below). "
                  + (f"Values revised since the previous version: {info.revised:,}." if info.version > 1 else ""))
        if info.revised:
            status = html.Div([html.P(status, className="mb-1"), _revised_table(meta.id, info.version)])
        return status, _report(checked.validation.report), _grid_rows(checked), _datasets_table(), _dataset_options()
    return (f"Checked {name}: nothing is kept until you press 'Keep as a new version'.",
            _report(checked.validation.report), _grid_rows(checked), *nothing[:2])


def _revised_table(dataset: str, version: int) -> Any:
    """Which values ``version`` revises: area, period, the count before and now (the first SHOWN_REVISED)."""
    store = _store()
    rows = revised_rows(store.tidy(dataset, version - 1), store.tidy(dataset, version))

    def count(value: Any) -> str:
        return "none" if pd.isna(value) else f"{value:,.0f}"

    columns = ["numerator_before", "numerator_after"]
    headings = ["Area", "Period", "Count before", "Count now"]
    if rows[["denominator_before", "denominator_after"]].notna().any(axis=None):  # a denominator from the file
        columns += ["denominator_before", "denominator_after"]
        headings += ["Denominator before", "Denominator now"]
    shown = [(str(r["FeatureCode"]), [str(r["DateCode"]), *[count(r[c]) for c in columns]])
             for _, r in rows.head(SHOWN_REVISED).iterrows()]
    more = f" (the first {SHOWN_REVISED:,} of {len(rows):,})" if len(rows) > SHOWN_REVISED else ""
    return html.Div([html.P(f"The values revised{more}:", className="small mb-0"),
                     html_table(headings, shown, caption="The values this version revises",
                                class_name="table table-sm table-bordered small")])


def _grid_rows(checked: Any) -> list[dict[str, Any]]:
    return checked.validation.quarantine.head(SHOWN_QUARANTINE).astype(str).to_dict("records")


@callback(Output(ids.LOCAL_DOWNLOAD, "data"), Input(ids.LOCAL_QUARANTINE, "n_clicks"), *FORM,
          prevent_initial_call=True)
def download_quarantine(_clicks: int | None, *values: Any) -> Any:
    """Every quarantined row of the upload as checked with the form (officers only)."""
    if signed_in_officer() is None:
        return dash.no_update
    try:
        form = _form(values)
        meta, _ = validate_metadata(form["meta"])
        if meta is None:
            return dash.no_update
        checked, name, _ = _check(form, meta)
    except (PayloadError, UploadError, InputError):
        return dash.no_update
    stem = name.rsplit(".", 1)[0]
    return dcc.send_string(checked.validation.quarantine.to_csv(index=False), f"quarantine-{stem}.csv")


@callback(Output(ids.LOCAL_VERSION, "options"), Output(ids.LOCAL_VERSION, "value"),
          Input(ids.LOCAL_DATASET, "value"), prevent_initial_call=True)
def version_options(dataset: str | None) -> tuple[list[dict[str, str]], None]:
    """The chosen dataset's versions, newest first, each with who added it and its check."""
    dataset = payloads.optional_text(dataset, "dataset")
    try:
        state = _store().state(dataset) if dataset else None
    except InputError:
        state = None
    if state is None or signed_in_officer() is None:
        return [], None
    return [{"label": f"version {v.version}: {v.file}, added {v.added_at[:10]} by {v.added_by} "
                      f"({v.accepted:,} accepted, {v.quarantined:,} quarantined)"
                      + (" (published)" if v.version == state.published_version else ""),
             "value": str(v.version)} for v in reversed(state.versions)], None


@callback(Output(ids.LOCAL_PUBLISH_STATUS, "children"),
          Output(ids.LOCAL_DATASETS, "children", allow_duplicate=True),
          Input(ids.LOCAL_PUBLISH, "n_clicks"), Input(ids.LOCAL_ROLLBACK, "n_clicks"),
          State(ids.LOCAL_DATASET, "value"), State(ids.LOCAL_VERSION, "value"), prevent_initial_call=True)
def publish_or_roll_back(_publish: int | None, _rollback: int | None, dataset: str | None,
                         version: str | None) -> tuple[str, Any]:
    """Publish the version chosen (default the newest), or roll back, through the CLI's service functions
    (audited)."""
    officer = signed_in_officer()
    if officer is None:
        return NOT_OFFICER, dash.no_update
    try:
        dataset = payloads.text(dataset, "dataset", required=True)
        if ctx.triggered_id == ids.LOCAL_ROLLBACK:
            state = roll_back_dataset(get_app_settings(), dataset, officer)
            done = (f"'{dataset}' now publishes version {state.published_version}." if state.published_version
                    else f"'{dataset}' is withdrawn: no version is published.")
        else:
            version = payloads.optional_text(version, "version")
            if version is not None and not version.isdigit():
                raise PayloadError(f"'{version[:20]}' is not a version number")
            state = publish_dataset(get_app_settings(), dataset, officer, int(version) if version else None)
            done = f"Published version {state.published_version} of '{dataset}' (indicator local_{dataset})."
    except (PayloadError, InputError) as exc:
        return f"Not done: {exc}", dash.no_update
    return f"{done} {BUILD_NOTE}", _datasets_table()


@callback(Output(ids.LOCAL_BUILD_STATUS, "children"), Output(ids.LOCAL_BUILD_POLL, "disabled"),
          Input(ids.LOCAL_BUILD, "n_clicks"), Input(ids.LOCAL_BUILD_POLL, "n_intervals"),
          State(ids.LOCAL_DATASET, "value"), prevent_initial_call=True)
def build_now(_clicks: int | None, _ticks: int | None, dataset: str | None) -> tuple[Any, bool]:
    """Start a build (the button), or show how the running one is doing (the interval); officers only."""
    if signed_in_officer() is None:
        return NOT_OFFICER, True
    settings = get_app_settings()
    note = None
    if ctx.triggered_id == ids.LOCAL_BUILD:
        note = start_build(settings).message
    progress = current_progress(settings)
    try:
        indicator = _published_indicator(payloads.optional_text(dataset, "dataset"))
    except PayloadError:
        indicator = None
    return build_view(progress, indicator, note), progress is None or progress.is_finished()
