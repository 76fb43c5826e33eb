"""Quick Profile (path "/profile"): choose an area, see every indicator on one page.

Why: the KnowFife "Quick Profile" journey (choose an area type, type a keyword, get a
profile) is the front door. State is in the query string (?area_type=&area=&indicator=),
so every view is a shareable link. Callbacks only unpack inputs and call
``home_state``/``figures``/``components``; a missing or rebuilding warehouse becomes a
friendly panel, never a traceback.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.area_picker import area_picker
from dashboard.components.area_profile_view import latest_row_of
from dashboard.components.chart_alternative import chart_with_alternative
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.fit_caveat import fit_caveat
from dashboard.components.indicator_picker import indicator_dropdown
from dashboard.components.local_badge import local_badge
from dashboard.components.quick_table import quick_view
from dashboard.data.context import get_queries, get_user_dir
from dashboard.data.queries import MartUnavailable, split_series
from dashboard.data.reader import WarehouseUnavailable
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.trend import empty_figure, trend_figure
from dashboard.formatting import format_date
from dashboard.guard import PayloadError
from dashboard.home_state import (
    HomeState,
    Profile,
    load_profile,
    resolve_home_state,
    search_options,
)
from dashboard.logic.captions import trend_caption
from dashboard.logic.provenance import demo_line
from dashboard.logic.quick_profile import area_subtitle, comparator_names, gap_heading, table_csv
from dashboard.urlstate import build_search, clean_arg
from etl.spend.store import SpendStore

try:  # the export files are built by dashboard.exports (another module): the page works without it
    from dashboard.exports import profile_file
except ImportError:  # pragma: no cover - exercised by monkeypatching in the unit tests
    profile_file = None

dash.register_page(__name__, path="/profile", name="Quick profile", order=1,
                   title="cpop – quick profile")

INTRO = (
    "Every indicator for one area on one page: the latest value with its 95% confidence interval, "
    "whether it is better, similar or worse than Scotland, its council and its family group, "
    "whether it is improving (its statistical trend over the last five periods) and whether the gap between the "
    "most and least deprived is narrowing. "
    "Choose an area type and start typing an area's name or code."
)
CHOOSE_AREA = "Choose an area to see its profile."


def _area_heading(profile: Profile | None) -> Any:
    if profile is None:
        return html.P(CHOOSE_AREA, className="text-muted")
    area = profile.area
    return html.Div([
        html.H2(area["area_name"], className="h4 mb-0"),
        html.P(area_subtitle(area), className="text-muted small"),
        fit_caveat(area),
    ])


def _latest(profile: Profile | None) -> Any:
    if profile is None:
        return None
    return quick_view(profile.quick, comparator_names(profile.area), profile.notes, gap_heading(profile.area),
                      with_cpop=profile.area.get("area_type") == "council", missing=profile.missing)


def _graph(figure: Any) -> dcc.Graph:
    # cpop-own-downloads: the page's own PNG/SVG buttons below serve this chart (the same drawing
    # as the PDF's), so assets/chart_download.js adds no second pair ("Download SVG" twice)
    return dcc.Graph(id=ids.TREND_GRAPH, figure=figure, config=GRAPH_CONFIG,
                     className="cpop-trend cpop-own-downloads")


NO_TREND_YET = "Choose an area and an indicator to see the trend."


def export_disabled(area_code: str | None, indicator: str | None) -> tuple[bool, bool]:
    """(profile exports disabled, chart downloads disabled): nothing to export before an area is
    chosen, no chart before an indicator is too (issue 13: an empty page offered live buttons)."""
    return not area_code, not (area_code and indicator)


def _footer() -> Any:
    try:
        info = get_queries().build_info()
    except WarehouseUnavailable:
        return None
    if not info:
        return None
    demo = " · fictional demo data, not real Scotland" if info.get("demo") else ""
    return html.Small(f"Data build {info.get('build_id')}, built {format_date(info.get('built_at'))}{demo}",
                      className="text-muted")


def layout(area_type: Any = None, area: Any = None, indicator: Any = None,
           **_: Any) -> dbc.Container:
    """The page for the URL's ?area_type=&area=&indicator= (all optional)."""
    panel = None
    try:
        state = resolve_home_state(get_queries(), clean_arg(area_type), clean_arg(area),
                                   clean_arg(indicator))
    except WarehouseUnavailable as exc:
        state, panel = HomeState(), warehouse_unavailable_panel(exc)
    profile = state.profile
    no_export, no_chart = export_disabled(state.area_code if profile else None,
                                          profile.indicator if profile else None)
    return dbc.Container(
        [
            dcc.Location(id=ids.HOME_URL, refresh=False),
            html.Header([html.H1("Quick profile", className="h3"),
                         html.P(INTRO, className="lead cpop-intro")], className="my-3"),
            html.Div(panel, id=ids.HOME_STATUS),
            area_picker(state.type_options, state.area_type, state.area_options,
                        state.area_code, disabled=panel is not None),
            html.Div(_area_heading(profile), id=ids.AREA_HEADING, className="mt-4"),
            html.Div([
                html.Span("Export this profile: ", className="me-2"),
                dbc.Button("PDF", id=ids.EXPORT_PDF, color="primary", size="sm", className="me-1",
                           disabled=no_export),
                dbc.Button("Excel", id=ids.EXPORT_XLSX, color="secondary", size="sm", className="me-1",
                           disabled=no_export),
                dbc.Button("CSV", id=ids.EXPORT_CSV, color="secondary", size="sm", className="me-3",
                           disabled=no_export),
                dbc.Button("Download this table (CSV)", id=ids.QP_TABLE_CSV, color="link", size="sm",
                           disabled=no_export),
                dcc.Loading(html.Span(id=ids.EXPORT_STATUS, className="ms-2 small", role="status"), type="dot",
                            delay_show=300),
                dcc.Download(id=ids.EXPORT_DOWNLOAD),
                dcc.Download(id=ids.QP_TABLE_DOWNLOAD),
            ], className="my-2"),
            dbc.Row([
                dbc.Col(dcc.Loading(html.Div(_latest(profile), id=ids.LATEST),
                                    id=ids.LATEST_LOADING, type="dot", delay_show=300), width=12),
                dbc.Col([
                    dbc.Label("Indicator for the trend chart", html_for=ids.INDICATOR),
                    indicator_dropdown(profile.indicator_options if profile else [],
                                       profile.indicator if profile else None),
                    dcc.Loading(html.Div(id=ids.TREND, className="mt-2"),
                                id=ids.TREND_LOADING, type="dot", delay_show=300),
                    html.Div([html.Span("Download this chart: ", className="small me-1"),
                              dbc.Button("PNG (print quality)", id=ids.CHART_PNG, size="sm", color="secondary",
                                         className="me-1", disabled=no_chart),
                              dbc.Button("SVG", id=ids.CHART_SVG, size="sm", color="secondary",
                                         disabled=no_chart),
                              dcc.Download(id=ids.CHART_DOWNLOAD)], className="mt-1"),
                ], xxl=6, lg=8),
            ], className="g-4"),
            html.Footer(_footer(), id=ids.BUILD_FOOTER, className="my-4"),
        ],
        fluid=True,
        className="cpop-home cpop-wide",
    )


@callback(
    Output(ids.AREA, "options"),
    Input(ids.AREA, "search_value"),
    Input(ids.AREA_TYPE, "value"),
    State(ids.AREA, "value"),
    State(ids.AREA, "options"),
    prevent_initial_call=True,
)
def update_area_options(search: str | None, area_type: str | None, value: str | None,
                        options: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Type-ahead: options matching what was typed, keeping the current selection."""
    keep = None
    if ctx.triggered_id != ids.AREA_TYPE:
        keep = next((o for o in options or [] if o.get("value") == value), None)
    try:
        return search_options(get_queries(), area_type, search, keep)
    except WarehouseUnavailable:
        return [keep] if keep else []


@callback(Output(ids.AREA, "value"), Input(ids.AREA_TYPE, "value"), prevent_initial_call=True)
def clear_area_on_type_change(_area_type: str | None) -> None:
    """A code belongs to one area type: changing the type clears the area."""
    return None


@callback(
    Output(ids.AREA_HEADING, "children"),
    Output(ids.LATEST, "children"),
    Output(ids.INDICATOR, "options"),
    Output(ids.INDICATOR, "value"),
    Output(ids.HOME_STATUS, "children"),
    Input(ids.AREA, "value"),
    State(ids.AREA_TYPE, "value"),
    State(ids.INDICATOR, "value"),
    # the layout already renders the URL's area (the same function), so the first call would
    # only compute the whole profile a second time
    prevent_initial_call=True,
)
def show_profile(area_code: str | None, area_type: str | None,
                 indicator: str | None) -> tuple[Any, Any, list[dict[str, str]], str | None, Any]:
    """The chosen area's heading, latest values and indicator choices."""
    if not area_code or not area_type:  # leave any warehouse panel from the layout in place
        return _area_heading(None), None, [], None, dash.no_update
    try:
        profile = load_profile(get_queries(), area_type, area_code, indicator)
    except WarehouseUnavailable as exc:
        return _area_heading(None), None, [], None, warehouse_unavailable_panel(exc)
    if profile is None:
        return html.P("That area is not in the warehouse.", className="text-danger"), \
            None, [], None, None
    return (_area_heading(profile), _latest(profile), profile.indicator_options,
            profile.indicator, None)


@callback(
    Output(ids.TREND, "children"),
    Input(ids.INDICATOR, "value"),
    Input(ids.AREA, "value"),
    State(ids.AREA_TYPE, "value"),
)
def show_trend(indicator: str | None, area_code: str | None, area_type: str | None) -> Any:
    """The trend chart of the chosen indicator for the area, its council and Scotland."""
    if not (indicator and area_code and area_type):
        return html.P(NO_TREND_YET, className="text-muted")  # a sentence, never a blank chart
    try:
        queries = get_queries()
        meta = queries.indicator(indicator)
        parts = split_series(queries.series(indicator, area_type, area_code))
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc)
    if meta is None:
        return _graph(empty_figure("Unknown indicator."))
    figure = trend_figure(parts.get("area"), meta, parts.get("council"), parts.get("scotland"))
    chart = chart_with_alternative(_graph(figure), figure, _trend_summary(queries, meta, area_type, area_code),
                                   show_summary=True)
    return [local_badge(meta.local_label), chart] if meta.local_label else chart


def _trend_summary(queries: Any, meta: Any, area_type: str, area_code: str) -> str:
    """The trend chart in one sentence: the Area profile's verdict sentence (one source for both)."""
    area = queries.area(area_type, area_code)
    name = str(area["area_name"]) if area else area_code
    try:
        trend = queries.area_trend(meta.indicator_id, area_type, area_code)
    except MartUnavailable:
        trend = {}
    latest = latest_row_of(queries, area_type, area_code, meta.indicator_id)
    return trend_caption(name, meta.title, trend, latest.trend_reason if latest else "", meta.unit_label)


@callback(
    Output(ids.EXPORT_PDF, "disabled"),
    Output(ids.EXPORT_XLSX, "disabled"),
    Output(ids.EXPORT_CSV, "disabled"),
    Output(ids.QP_TABLE_CSV, "disabled"),
    Output(ids.CHART_PNG, "disabled"),
    Output(ids.CHART_SVG, "disabled"),
    Input(ids.AREA, "value"),
    Input(ids.INDICATOR, "value"),
    prevent_initial_call=True,
)
def enable_exports(area_code: str | None, indicator: str | None) -> tuple[bool, ...]:
    """Export and chart buttons live only once there is something to export (``export_disabled``)."""
    no_export, no_chart = export_disabled(area_code, indicator)
    return (no_export,) * 4 + (no_chart,) * 2


@callback(
    Output(ids.HOME_URL, "search"),
    Input(ids.AREA_TYPE, "value"),
    Input(ids.AREA, "value"),
    Input(ids.INDICATOR, "value"),
    prevent_initial_call=True,
)
def sync_url(area_type: str | None, area_code: str | None, indicator: str | None) -> str:
    """Write the selection into the query string (no reload) so the view can be shared."""
    return build_search(area_type=area_type, area=area_code,
                        indicator=indicator if area_code else None)


EXPORT_FORMATS = {ids.EXPORT_PDF: "pdf", ids.EXPORT_XLSX: "xlsx", ids.EXPORT_CSV: "csv"}


@callback(
    Output(ids.EXPORT_DOWNLOAD, "data"),
    Output(ids.EXPORT_STATUS, "children"),
    Input(ids.EXPORT_PDF, "n_clicks"),
    Input(ids.EXPORT_XLSX, "n_clicks"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    State(ids.AREA_TYPE, "value"),
    State(ids.AREA, "value"),
    prevent_initial_call=True,
)
def export_profile(_pdf: int | None, _xlsx: int | None, _csv: int | None, area_type: str | None,
                   area_code: str | None) -> tuple[Any, str]:
    """The board-ready profile of the chosen area as a file (built by dashboard.exports)."""
    return export_file(EXPORT_FORMATS.get(ctx.triggered_id, ""), area_type, area_code)


def export_file(fmt: str, area_type: str | None, area_code: str | None) -> tuple[Any, str]:
    """(download data, status) for one export format; 'export not available' without the module."""
    if profile_file is None:
        return dash.no_update, "Export not available in this installation (use 'Download this table')."
    if not (area_type and area_code):
        return dash.no_update, "Choose an area first."
    try:
        filename, content = profile_file(get_queries(), area_type, area_code, fmt,
                                         spend_store=SpendStore(get_user_dir()))
    except WarehouseUnavailable:
        return dash.no_update, "The warehouse is not available."
    except Exception as exc:  # noqa: BLE001 - a failed export must not break the page
        return dash.no_update, f"Export not available: {type(exc).__name__}."
    return dcc.send_bytes(content, filename), f"{filename} ready."


@callback(
    Output(ids.QP_TABLE_DOWNLOAD, "data"),
    Input(ids.QP_TABLE_CSV, "n_clicks"),
    State(ids.AREA_TYPE, "value"),
    State(ids.AREA, "value"),
    prevent_initial_call=True,
)
def download_table(_n: int | None, area_type: str | None, area_code: str | None) -> Any:
    """The profile table exactly as shown, as CSV (independent of dashboard.exports)."""
    if not (area_type and area_code):
        return dash.no_update
    try:
        profile = load_profile(get_queries(), area_type, area_code)
    except WarehouseUnavailable:
        return dash.no_update
    if profile is None:
        return dash.no_update
    name = str(profile.area["area_name"])
    demo = demo_line(get_queries().build_info())
    return dcc.send_bytes(table_csv(profile.quick, name, demo), f"cpop-quick-profile-{area_type}-{area_code}.csv")


@callback(
    Output(ids.CHART_DOWNLOAD, "data"),
    Input(ids.CHART_PNG, "n_clicks"),
    Input(ids.CHART_SVG, "n_clicks"),
    State(ids.INDICATOR, "value"),
    State(ids.AREA_TYPE, "value"),
    State(ids.AREA, "value"),
    prevent_initial_call=True,
)
def download_chart(_png: int | None, _svg: int | None, indicator: str | None, area_type: str | None,
                   area_code: str | None) -> Any:
    """The trend chart as a 300 dpi PNG or an SVG (vector), drawn on the server."""
    if not (indicator and area_type and area_code):
        return dash.no_update
    try:
        from dashboard.exports import chart_file
        from dashboard.exports.profile import ProfileError, profile_data
    except ImportError:
        return dash.no_update
    try:
        data = profile_data(get_queries(), area_type, area_code)
    except ProfileError as exc:  # a forged or outdated area: said in the page's alert
        raise PayloadError(str(exc)) from None
    chosen = next((i for i in data.indicators if i.indicator_id == indicator), None)
    if chosen is None:
        return dash.no_update
    fmt = "svg" if ctx.triggered_id == ids.CHART_SVG else "png"
    filename, content = chart_file(chosen, fmt, area_name=data.area_name)
    return dcc.send_bytes(content, filename)
