"""Dashboard (path "/dashboard"): RAG matrix and exception report for a council or a locality.

Why: the one-page report a theme board reviews each quarter — for every indicator, in the
council (or locality) itself and in every community of it (wards, intermediate zones or
localities; intermediate zones or data zones of a locality), is it improving and, where a
target is set, is it on track (the matrix); then what is off track or
worsening, by how much, against which target and trajectory, with the responsible officer's
commentary (kept outside the warehouse, so it survives rebuilds). The same report downloads
as PDF or Excel. State in the URL (?council=&area=&area_type=; ``area`` is the locality,
absent for the whole council; ``area_type`` the communities shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids, payloads
from dashboard.auth.server import SIGN_IN_PAGE, audit_log, signed_in_officer
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.exception_table import attention_table, going_well_table
from dashboard.components.glossary_text import glossary_text
from dashboard.components.provenance import why_they_differ
from dashboard.components.radio_group import radio_group
from dashboard.components.rag_matrix import matrix_table
from dashboard.data.commentary import MAX_CHARS, CommentaryStore
from dashboard.data.context import get_queries, get_user_dir
from dashboard.data.queries import MartUnavailable, Queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.exports.board_report import BoardReportError, board_report_file
from dashboard.labels import plural_labels
from dashboard.logic.rag import (
    LOCALITY,
    LOCALITY_TYPES,
    MATRIX_KEY,
    Scope,
    child_type_options,
    council_localities,
    exception_items,
    pick_council,
    resolve_scope,
    scope_options,
    scope_title,
)
from dashboard.logic.records import row_tuples

dash.register_page(__name__, path="/dashboard", name="Dashboard", order=4, title="cpop – dashboard")

REPORT_FORMATS = {ids.RAG_REPORT_PDF: "pdf", ids.RAG_REPORT_XLSX: "xlsx"}
EXCEPTION_NOTE = ("An indicator needs attention when it is worsening (a statistically significant trend), worse than "
                  "Scotland, its deprivation gap is widening, it is at risk or off track against its target, or its "
                  "CPOP rating is red; it is going well when none of those holds and it is improving, better than "
                  "Scotland, narrowing its gap or on track. Values are in each indicator's own units; a change in a "
                  "percentage is in percentage points.")


def _councils(queries: Queries) -> list[dict]:
    councils = queries.search_areas("council", None, limit=100)
    return [{"label": r.area_name, "value": r.area_code} for r in row_tuples(councils)]


class _Controls(NamedTuple):
    # (a NamedTuple: Dash imports page modules outside sys.modules, where dataclasses fail)
    scope: Scope
    scopes: list[dict]  # the whole council, then its localities
    types: list[dict]  # community types offered for the scope
    labels: dict[str, str]  # area type -> plural label
    council_name: str
    area_name: str


def _state(queries: Queries, council: str | None, area: str | None, child_type: str | None) -> _Controls:
    """The valid scope for what was asked, with everything the controls and headings show."""
    councils = _councils(queries)
    council = pick_council([o["value"] for o in councils], council)
    kind, localities = council_localities(queries, council, list(queries.area_types().area_type)) if council \
        else (LOCALITY, None)
    codes = [] if localities is None else list(localities.area_code)
    scope = resolve_scope(council, codes, area, child_type, kind)
    labels = plural_labels(queries.area_type_labels())
    council_name = next((o["label"] for o in councils if o["value"] == council), council or "")
    area_name = council_name if localities is None or scope.area_type not in LOCALITY_TYPES else \
        str(localities.set_index("area_code").area_name[scope.area_code])
    options = scope_options(council, council_name, localities, kind) if localities is not None else []
    return _Controls(scope, options, child_type_options(scope.area_type, labels, bool(codes), kind), labels,
                     council_name, area_name)


def layout(council: str | None = None, area: str | None = None, area_type: str | None = None,
           **_: Any) -> html.Div:
    try:
        queries = get_queries()
        councils = _councils(queries)
        state = _state(queries, council, area, area_type)
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    officer = signed_in_officer()
    return dbc.Container([
        dcc.Location(id=ids.RAG_URL, refresh=False),
        dcc.Store(id=ids.RAG_COMMENT_SAVED),
        html.H1("Dashboard", className="h3"),
        html.P("For a council or one of its localities: is each indicator improving in the whole area and in each "
               "community (statistical trend over the last five periods), is it on track for its target where one "
               "is set, and what needs the board's attention."),
        dbc.Row([
            dbc.Col([dbc.Label("Council", html_for=ids.RAG_COUNCIL),
                     dcc.Dropdown(id=ids.RAG_COUNCIL, options=councils, value=state.scope.council,
                                  clearable=False)],
                    md=4),
            dbc.Col([dbc.Label("Council or locality", html_for=ids.RAG_SCOPE),
                     dcc.Dropdown(id=ids.RAG_SCOPE, options=state.scopes, value=state.scope.area_code,
                                  clearable=False)], md=4),
            dbc.Col(radio_group(ids.RAG_AREA_TYPE, "Communities", state.types, state.scope.child_type), md=4),
        ], className="mb-3 g-2"),
        html.H2(id=ids.RAG_HEADING, className="h4"),
        html.Div([
            dbc.Button("Download report (PDF)", id=ids.RAG_REPORT_PDF, color="primary", size="sm"),
            dbc.Button("Download report (Excel)", id=ids.RAG_REPORT_XLSX, color="secondary", size="sm"),
            dcc.Loading(html.Span(id=ids.RAG_REPORT_STATUS, className="ms-2 small", role="status"), type="dot",
                        delay_show=300),
            dcc.Download(id=ids.RAG_REPORT_DOWNLOAD),
        ], className="mb-3 d-flex flex-wrap align-items-center gap-2"),
        html.H2("Exception report", className="h5"),
        html.P(glossary_text(EXCEPTION_NOTE, "exceptions"), className="small text-muted mb-1"),
        dcc.Loading(html.Div(id=ids.RAG_EXCEPTIONS), delay_show=300),
        dbc.Card(dbc.CardBody([
            html.H3("Officer commentary", className="h6"),
            dbc.Label("Indicator", html_for=ids.RAG_COMMENT_INDICATOR),
            dcc.Dropdown(id=ids.RAG_COMMENT_INDICATOR, placeholder="Choose an indicator to comment on"),
            dbc.Label("What is happening and what is being done", html_for=ids.RAG_COMMENT_TEXT, className="mt-2"),
            dbc.Textarea(id=ids.RAG_COMMENT_TEXT, rows=3, maxLength=MAX_CHARS, readonly=not officer),
            dbc.Button("Save commentary", id=ids.RAG_COMMENT_SAVE, color="primary", className="mt-2",
                       disabled=not officer),
            html.Span(id=ids.RAG_COMMENT_STATUS, className="ms-2 small", role="status"),
            *([] if officer else [html.P(["Officers ", html.A("sign in", href=f"{SIGN_IN_PAGE}?next=/dashboard"),
                                          " to write commentary."], className="small text-muted mt-1 mb-0")]),
        ]), className="my-3"),
        html.H2("Trend in each community and status against targets", className="h5"),
        dcc.Loading(html.Div(id=ids.RAG_MATRIX, className="table-responsive", tabIndex="0", role="region",
                             **{"aria-label": "Trend in each community and status against targets (scrolls sideways)"}), delay_show=300),
    ], fluid="lg")


@callback(Output(ids.RAG_SCOPE, "options"), Output(ids.RAG_SCOPE, "value"),
          Output(ids.RAG_AREA_TYPE, "options"), Output(ids.RAG_AREA_TYPE, "value"),
          Input(ids.RAG_COUNCIL, "value"), Input(ids.RAG_SCOPE, "value"), State(ids.RAG_AREA_TYPE, "value"),
          prevent_initial_call=True)
def update_controls(council: str | None, area: str | None, child_type: str | None) -> tuple[list, Any, list, Any]:
    """A new council offers its localities (and starts at the whole council); a new scope its communities."""
    try:
        state = _state(get_queries(), council, area if ctx.triggered_id == ids.RAG_SCOPE else None, child_type)
    except WarehouseUnavailable:
        return [], None, [], None
    return state.scopes, state.scope.area_code, state.types, state.scope.child_type


def _matrix_view(frame: Any, scope: Scope, caveat: str | None, local: Mapping[str, str] | None = None) -> Any:
    table = matrix_table(frame, local)
    if table is None:
        return dbc.Alert("No community-level values for this area and type of community.", color="info")
    notes = [html.P(glossary_text(MATRIX_KEY, "matrix-key"), className="small text-muted mb-1")]
    if caveat:
        notes.append(html.P(caveat, className="small text-muted mb-1"))
    return html.Div([*notes, table])


@callback(Output(ids.RAG_MATRIX, "children"), Output(ids.RAG_COMMENT_INDICATOR, "options"),
          Output(ids.RAG_URL, "search"), Output(ids.RAG_HEADING, "children"),
          Input(ids.RAG_COUNCIL, "value"), Input(ids.RAG_SCOPE, "value"), Input(ids.RAG_AREA_TYPE, "value"))
def show_matrix(council: str | None, area: str | None, child_type: str | None) -> tuple[Any, list[dict], str, str]:
    """The RAG matrix of the chosen scope and communities (reads only the warehouse)."""
    try:
        queries = get_queries()
        state = _state(queries, council, area, child_type)
        scope = state.scope
        if not scope.council:
            return "", [], scope.search, ""
        heading = scope_title(state.area_name, scope.area_type, state.council_name,
                              state.labels.get(scope.child_type, scope.child_type))
        frame = queries.rag_matrix(str(scope.area_code), scope.child_type, scope.area_type)
        types = queries.area_type_labels()
        caveat_rows = types[types.area_type == scope.child_type] if "caveat" in types.columns else types.iloc[:0]
        caveat = caveat_rows.caveat.iloc[0] if len(caveat_rows) and isinstance(caveat_rows.caveat.iloc[0], str) \
            else None
        indicators = queries.indicators()
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), [], "", ""
    except MartUnavailable as exc:
        return dbc.Alert(f"The dashboard needs statistics marts that are not available in this warehouse: {exc}.",
                         color="warning"), [], scope.search, heading
    options = [{"label": r.short_title, "value": r.indicator_id} for r in row_tuples(indicators)]
    return _matrix_view(frame, scope, caveat, queries.local_labels()), options, scope.search, heading


@callback(Output(ids.RAG_EXCEPTIONS, "children"),
          Input(ids.RAG_COUNCIL, "value"), Input(ids.RAG_SCOPE, "value"), Input(ids.RAG_COMMENT_SAVED, "data"))
def show_exceptions(council: str | None, area: str | None, _saved: Any) -> Any:
    """The exception report with each officer's commentary (redrawn as soon as a note is saved)."""
    try:
        queries = get_queries()
        state = _state(queries, council, area, None)
        scope = state.scope
        if not scope.council:
            return ""
        status = queries.area_status(str(scope.area_code), scope.area_type)
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc)
    except MartUnavailable as exc:
        return dbc.Alert(f"The exception report needs statistics marts that are not available in this warehouse: "
                         f"{exc}.", color="warning")
    notes = CommentaryStore(get_user_dir()).for_area(scope.area_type, str(scope.area_code))
    frame = status[status.needs_attention].reset_index(drop=True)
    going_well = status[status.going_well].reset_index(drop=True)
    items = exception_items(frame, notes, state.council_name)
    local = queries.local_labels()
    attention: list[Any] = [html.H3("Needs attention", className="h6 mt-2")]
    attention.append(attention_table(items, local) if items else
                     dbc.Alert(glossary_text("Nothing is worsening, worse than Scotland, widening or off track.",
                                             "nothing"), color="success"))
    if any(reason.startswith("CPOP rating") for item in items for reason in item.reasons):
        attention.append(html.Details([html.Summary("CPOP rating beside cpop's trend verdict: why they can differ"),
                                       html.P(why_they_differ(), className="small mb-0")], className="small mb-2"))
    well: list[Any] = [html.H3("Going well", className="h6 mt-3")]
    well.append(going_well_table(going_well, local) if len(going_well) else
                html.P("No indicator is improving, better than Scotland, narrowing its gap or on track without "
                       "also needing attention.", className="small text-muted"))
    return html.Div([*attention, *well])


@callback(Output(ids.RAG_COMMENT_TEXT, "value"), Input(ids.RAG_COMMENT_INDICATOR, "value"),
          Input(ids.RAG_SCOPE, "value"), State(ids.RAG_COUNCIL, "value"))
def load_commentary(indicator: str | None, area: str | None, council: str | None) -> str:
    indicator, area, council = (payloads.optional_text(v, "choice") for v in (indicator, area, council))
    if not (indicator and council):
        return ""
    try:
        scope = _state(get_queries(), council, area, None).scope
    except WarehouseUnavailable:
        return ""
    return CommentaryStore(get_user_dir()).get(str(scope.area_code), indicator, area_type=scope.area_type)


@callback(Output(ids.RAG_COMMENT_STATUS, "children"), Output(ids.RAG_COMMENT_SAVED, "data"),
          Input(ids.RAG_COMMENT_SAVE, "n_clicks"),
          State(ids.RAG_COUNCIL, "value"), State(ids.RAG_SCOPE, "value"), State(ids.RAG_COMMENT_INDICATOR, "value"),
          State(ids.RAG_COMMENT_TEXT, "value"), prevent_initial_call=True)
def save_commentary(_: int | None, council: str | None, area: str | None, indicator: str | None,
                    text: str | None) -> tuple[str, Any]:
    """Save an officer's note: officers only (checked here, not just by the disabled button), on a
    known indicator, at most ``MAX_CHARS`` characters; audited."""
    officer = signed_in_officer()
    if officer is None:
        return "Only a signed-in officer can write commentary: sign in first.", dash.no_update
    try:
        council, area = payloads.optional_text(council, "council"), payloads.optional_text(area, "area")
        text = payloads.text(text, "commentary", MAX_CHARS)
        if not (council and indicator):
            return "Choose an indicator first.", dash.no_update
        queries = get_queries()
        indicator = payloads.one_of(indicator, queries.indicators().indicator_id, "indicator")
        scope = _state(queries, council, area, None).scope
    except payloads.PayloadError as exc:
        return f"Not saved: {exc}.", dash.no_update
    except WarehouseUnavailable:
        return "The warehouse is not available.", dash.no_update
    if not scope.council or scope.council != council or (area and scope.area_code != area):
        # the controls only offer real councils and their localities: anything else is forged or outdated
        return "Not saved: that is not a council or locality of this warehouse; reload the page.", dash.no_update
    note = CommentaryStore(get_user_dir()).save(str(scope.area_code), indicator, text, area_type=scope.area_type)
    audit_log().append(officer, "save commentary", f"{note.area_type}/{note.area_code}", indicator_id=indicator,
                       characters=len(note.text))
    return "Saved.", {"area_type": note.area_type, "area_code": note.area_code, "indicator_id": note.indicator_id,
                      "saved_at": note.saved_at}


@callback(Output(ids.RAG_REPORT_DOWNLOAD, "data"), Output(ids.RAG_REPORT_STATUS, "children"),
          Input(ids.RAG_REPORT_PDF, "n_clicks"), Input(ids.RAG_REPORT_XLSX, "n_clicks"),
          State(ids.RAG_COUNCIL, "value"), State(ids.RAG_SCOPE, "value"), State(ids.RAG_AREA_TYPE, "value"),
          prevent_initial_call=True)
def download_report(_pdf: int | None, _xlsx: int | None, council: str | None, area: str | None,
                    child_type: str | None) -> tuple[Any, str]:
    """The board report (exception report with commentary, RAG matrix) as a PDF or Excel file."""
    fmt = REPORT_FORMATS.get(ctx.triggered_id or "", "")
    if not council or not fmt:
        return dash.no_update, "Choose a council first."
    try:
        name, content = board_report_file(get_queries(), council, area, child_type, fmt,
                                          store=CommentaryStore(get_user_dir()))
    except WarehouseUnavailable:
        return dash.no_update, "The warehouse is not available."
    except MartUnavailable as exc:
        return dash.no_update, f"Report not available: {exc}."
    except BoardReportError as exc:  # a council or locality this warehouse does not have
        return dash.no_update, f"Report not available: {exc}."
    return dcc.send_bytes(content, name), f"{name} ready."
