"""Quick Profile (path "/"): choose an area, see its latest values and a trend chart.

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
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.indicator_card import latest_values_view
from dashboard.components.indicator_picker import indicator_dropdown
from dashboard.data.context import get_queries
from dashboard.data.queries import split_series
from dashboard.data.reader import WarehouseUnavailable
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.trend import empty_figure, trend_figure
from dashboard.home_state import (
    HomeState,
    Profile,
    load_profile,
    resolve_home_state,
    search_options,
)
from dashboard.logic.tiles import tile_sentence, tile_tone
from dashboard.urlstate import build_search, clean_arg

dash.register_page(__name__, path="/", name="Quick profile", order=0,
                   title="cpop – community outcomes profile")

INTRO = (
    "cpop shows how the communities in a Community Planning Partnership are doing on the "
    "outcome measures agreed for the six national priorities, with 95% confidence "
    "intervals so that noise is not read as change. Choose an area type and start typing "
    "an area's name or code to see its latest values and how they compare over time with "
    "its council and with Scotland."
)
CHOOSE_AREA = "Choose an area to see its profile."


def _area_heading(profile: Profile | None) -> Any:
    if profile is None:
        return html.P(CHOOSE_AREA, className="text-muted")
    area = profile.area
    council = area.get("council_name")
    extra = f" in {council}" if isinstance(council, str) and council else ""
    population = area.get("population")
    pop_text = f" · population {int(population):,}" if population == population and population else ""
    return html.Div([
        html.H2(area["area_name"], className="h4 mb-0"),
        html.P(f"{area['area_code']}{extra}{pop_text}", className="text-muted small"),
    ])


def _tiles(profile: Profile) -> Any:
    """Six priority tiles: is this area improving, at a glance (words, not colour alone)."""
    cards = [
        dbc.Col(dbc.Card(dbc.CardBody([html.H2(label, className="h6 mb-1"),
                                       html.P(tile_sentence(rows), className="mb-0 small")]),
                         color=tile_tone(rows), outline=True, className="h-100"), md=4, className="mb-2")
        for label, rows in profile.groups
    ]
    return html.Section([html.H2("At a glance: is it improving?", className="h6"), dbc.Row(cards)],
                        className="cpop-tiles mb-2", **{"aria-label": "Summary by national priority"})


def _latest(profile: Profile | None) -> Any:
    if profile is None:
        return None
    return html.Div([_tiles(profile), latest_values_view(profile.groups, profile.area.get("council_name"))])


def _graph(figure: Any) -> dcc.Graph:
    return dcc.Graph(id=ids.TREND_GRAPH, figure=figure, config=GRAPH_CONFIG,
                     className="cpop-trend")


def _footer() -> Any:
    try:
        info = get_queries().build_info()
    except WarehouseUnavailable:
        return None
    if not info:
        return None
    demo = " · synthetic demo data" if info.get("demo") else ""
    return html.Small(f"Data build {info.get('build_id')}, built {info.get('built_at')}{demo}",
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
    return dbc.Container(
        [
            dcc.Location(id=ids.HOME_URL, refresh=False),
            html.Header([html.H1("cpop – community outcomes profile", className="h3"),
                         html.P(INTRO, className="lead cpop-intro")], className="my-3"),
            html.Div(panel, id=ids.HOME_STATUS),
            area_picker(state.type_options, state.area_type, state.area_options,
                        state.area_code, disabled=panel is not None),
            html.Div(_area_heading(profile), id=ids.AREA_HEADING, className="mt-4"),
            html.Div([
                html.Span("Export this profile: ", className="me-2"),
                dbc.Button("PDF", id=ids.EXPORT_PDF, color="primary", size="sm", className="me-1"),
                dbc.Button("Excel", id=ids.EXPORT_XLSX, color="secondary", size="sm", className="me-1"),
                dbc.Button("CSV", id=ids.EXPORT_CSV, color="secondary", size="sm"),
                dcc.Loading(html.Span(id=ids.EXPORT_STATUS, className="ms-2 small", role="status"), type="dot"),
                dcc.Download(id=ids.EXPORT_DOWNLOAD),
            ], className="my-2"),
            dbc.Row([
                dbc.Col(dcc.Loading(html.Div(_latest(profile), id=ids.LATEST),
                                    id=ids.LATEST_LOADING, type="dot"), lg=7),
                dbc.Col([
                    dbc.Label("Indicator for the trend chart", html_for=ids.INDICATOR),
                    indicator_dropdown(profile.indicator_options if profile else [],
                                       profile.indicator if profile else None),
                    dcc.Loading(html.Div(id=ids.TREND, className="mt-2"),
                                id=ids.TREND_LOADING, type="dot"),
                    html.Div([html.Span("Download this chart: ", className="small me-1"),
                              dbc.Button("PNG (print quality)", id=ids.CHART_PNG, size="sm", color="secondary",
                                         className="me-1"),
                              dbc.Button("SVG", id=ids.CHART_SVG, size="sm", color="secondary"),
                              dcc.Download(id=ids.CHART_DOWNLOAD)], className="mt-1"),
                ], lg=5),
            ], className="g-4"),
            html.Footer(_footer(), id=ids.BUILD_FOOTER, className="my-4"),
        ],
        fluid="lg",
        className="cpop-home",
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
        return _graph(empty_figure("Choose an area and an indicator to see the trend."))
    try:
        queries = get_queries()
        meta = queries.indicator(indicator)
        parts = split_series(queries.series(indicator, area_type, area_code))
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc)
    if meta is None:
        return _graph(empty_figure("Unknown indicator."))
    return _graph(trend_figure(parts.get("area"), meta, parts.get("council"),
                               parts.get("scotland")))


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
    from dashboard.exports import profile_file

    if not (area_type and area_code):
        return dash.no_update, "Choose an area first."
    try:
        filename, content = profile_file(get_queries(), area_type, area_code, EXPORT_FORMATS[ctx.triggered_id])
    except WarehouseUnavailable:
        return dash.no_update, "The warehouse is not available."
    return dcc.send_bytes(content, filename), f"{filename} ready."


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
    from dashboard.exports import chart_file
    from dashboard.exports.profile import profile_data

    if not (indicator and area_type and area_code):
        return dash.no_update
    data = profile_data(get_queries(), area_type, area_code)
    chosen = next((i for i in data.indicators if i.indicator_id == indicator), None)
    if chosen is None:
        return dash.no_update
    fmt = "svg" if ctx.triggered_id == ids.CHART_SVG else "png"
    filename, content = chart_file(chosen, fmt, area_name=data.area_name)
    return dcc.send_bytes(content, filename)
