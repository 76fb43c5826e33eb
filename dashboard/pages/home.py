"""Home (path "/"): what cpop is, pick an area, six priority tiles with verdicts.

Why: the front door for a board member: two sentences on what the tool is, an area picker
that searches every area as you type (including the user's saved areas), and one tile per
national priority saying in words whether things are improving and whether gaps are
widening. State in the URL (?area_type=&area=), so a tile view is a link.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.area_picker import area_label, area_type_options, default_area_type
from dashboard.components.clear_button import clear_button
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.fit_caveat import fit_caveat
from dashboard.components.glossary_text import glossary_text
from dashboard.components.local_badge import local_badge
from dashboard.components.release_note import release_note
from dashboard.components.symbol_legend import symbol_legend
from dashboard.data.context import get_queries, get_user_dir
from dashboard.data.reader import WarehouseUnavailable
from dashboard.data.user_store import UserAreaStore
from dashboard.exports import ProfileError
from dashboard.home_state import Tile, TileMeasure, home_tiles, profile_tiles, search_options
from dashboard.logic.area_profile import parent_area
from dashboard.logic.home import USER_TYPE, saved_area_options
from dashboard.logic.quick_profile import (
    SPARK_H,
    SPARK_W,
    gap_area_name,
    sparkline_alt,
    sparkline_src,
)
from dashboard.logic.symbols import trend_symbol
from dashboard.saved_profiles import user_area_profile_data
from dashboard.urlstate import build_search, clean_arg, quick_profile_href

dash.register_page(__name__, path="/", name="Home", order=0, title="cpop – community outcomes profile")

INTRO = ("cpop shows whether outcomes are improving in each community of a Community Planning Partnership, on the "
         "measures agreed for Scotland's six national priorities. Every figure carries its confidence interval, "
         "so noise is not read as change, and every view is a link you can share.")
TONE_WORDS = {"success": "mostly improving", "danger": "mostly worsening", "secondary": "mixed or unchanged"}



def _tile(tile: Tile) -> dbc.Col:
    return dbc.Col(html.Div(dbc.Card(dbc.CardBody([
        html.H2([html.Span(tile.symbol, className="me-1", **{"aria-hidden": "true"}), tile.label], className="h6"),
        html.P(tile.sentence, className="mb-2 small fw-semibold"),
        html.Span(f"Overall: {TONE_WORDS.get(tile.tone, 'mixed')}", className="visually-hidden"),
        html.Ul([_measure(m) for m in tile.measures], className="list-unstyled cpop-tile-measures mb-2")
        if tile.measures else None,
        html.P(glossary_text(tile.gap_line, f"{tile.priority}-gap"), className="small mb-2 cpop-tile-gap")
        if tile.gap_line else None,
        dcc.Link(f"Open the {tile.label.lower()} profile", href=tile.href, className="small"),
    ]), color=tile.tone, outline=True, className="h-100 cpop-tile"), className="h-100",
        **{"data-priority": tile.priority}), md=6, xl=4, className="mb-3")


def _measure(m: TileMeasure) -> html.Li:
    """'Child poverty  23.2% (2021/22)  [sparkline]  ● no significant change'."""
    return html.Li([
        html.Span([m.title, local_badge(m.local)] if m.local else m.title, className="cpop-tile-title"),
        html.Span([html.Strong(m.value), f" ({m.period})"], className="cpop-tile-value"),
        html.Img(src=sparkline_src(m.values), alt=sparkline_alt(m.title, m.values, m.periods),
                 className="cpop-tile-spark", width=SPARK_W, height=SPARK_H),
        html.Span([html.Span(trend_symbol(m.trend), **{"aria-hidden": "true"}), f" {m.trend}"],
                  className=f"cpop-tile-trend cpop-trend-{m.trend.replace(' ', '-')}"),
    ], className="cpop-tile-measure")


def tiles_view(queries: Any, area_type: str | None, area_code: str | None) -> Any:
    """The tiles for an area (a saved one's computed on demand), or a prompt."""
    if not (area_type and area_code):
        return html.P("Choose an area to see how it is doing on each national priority.", className="text-muted")
    if area_type == USER_TYPE:
        return _saved_area_tiles(queries, area_code)
    tiles = home_tiles(queries, area_type, area_code)
    if tiles is None:
        return dbc.Alert("That area is not in the warehouse.", color="warning")
    area = queries.area(area_type, area_code) or {}
    link = dcc.Link("See every indicator in the Quick profile", href=quick_profile_href(area_type, area_code))
    return _tiles_section(str(area.get("area_name", area_code)), "this area's", area, link, [fit_caveat(area)],
                          tiles)


def _saved_area_tiles(queries: Any, area_id: str) -> Any:
    """The six tiles for a saved user-made area, computed on demand (the My areas page's profile)."""
    store = UserAreaStore(get_user_dir())
    saved = store.get(area_id)
    if saved is None:
        return dbc.Alert("That saved area no longer exists (it may have been deleted).", color="warning")
    href = f"/areas?id={saved.area_id}"
    try:
        data = user_area_profile_data(queries, store, saved.datazones, saved.area_id)
    except ProfileError as exc:
        return dbc.Alert(str(exc), color="warning")
    area = {"area_type": USER_TYPE, "area_code": saved.area_id, "council_code": data.council_code,
            "council_name": data.council_name}
    tiles = profile_tiles(data.indicators, queries.tile_gaps(*parent_area(area)), href, area)
    warnings = [dbc.Alert(w, color="warning", className="small py-2") for w in data.warnings]
    return _tiles_section(saved.name, "this saved area's", area, dcc.Link("See its profile on My areas", href=href),
                          warnings, tiles)


def _tiles_section(name: str, whose: str, area: dict, link: Any, notes: list[Any], tiles: list[Tile]) -> html.Section:
    """The heading, what the tiles count (a ward's gap is its council's: ``gap_area_name``), notes, tiles."""
    where = gap_area_name(area)
    return html.Section([
        html.H2(f"{name}: is it improving?", className="h5"),
        html.P([f"Each tile shows {whose} measures: the latest figure, its recent values, and whether its "
                "statistical trend over the last five periods is improving or worsening; then whether the gap "
                f"between the most and least deprived fifths {f'of {where} ' if where else ''}is narrowing or "
                "widening. ", link, "."], className="small"),
        symbol_legend(),
        *notes,
        dbc.Row([_tile(t) for t in tiles]),
    ], className="cpop-tiles", **{"aria-label": "Summary by national priority"})


def _saved(text: str | None = None) -> list[dict[str, str]]:
    return saved_area_options(UserAreaStore(get_user_dir()).list(), text)


def layout(area_type: Any = None, area: Any = None, **_: Any) -> dbc.Container:
    area_type, area = clean_arg(area_type), clean_arg(area)
    panel, body = None, None
    type_options: list[dict[str, str]] = []
    options: list[dict[str, str]] = []
    try:
        queries = get_queries()
        type_options = [*area_type_options(queries.area_types()), {"label": "My saved areas", "value": USER_TYPE}]
        area_type = area_type if area_type == USER_TYPE else default_area_type(type_options, area_type)
        if area_type == USER_TYPE:
            options = _saved()
        else:
            keep = None
            if area and (row := queries.area(area_type, area)):
                keep = {"label": area_label(row), "value": area}
            options = search_options(queries, area_type, "", keep)
        body = tiles_view(queries, area_type, area)
    except WarehouseUnavailable as exc:
        panel = warehouse_unavailable_panel(exc)
    return dbc.Container([
        dcc.Location(id=ids.HOME_PAGE_URL, refresh=False),
        html.Header([html.H1("cpop – community outcomes profile", className="h3"),
                     html.P(INTRO, className="lead cpop-intro")], className="my-3"),
        html.Div(panel, id=ids.HOME_PAGE_STATUS),
        html.Div(id=ids.HOME_CHANGES, role="status"),
        dbc.Row([
            dbc.Col([dbc.Label("Area type", html_for=ids.HOME_TYPE),
                     dcc.Dropdown(id=ids.HOME_TYPE, options=type_options, value=area_type, clearable=False,
                                  searchable=False, disabled=panel is not None)], md=4),
            dbc.Col([dbc.Label("Area: type part of a name or code", html_for=ids.HOME_AREA),
                     dcc.Dropdown(id=ids.HOME_AREA, options=options, value=area, searchable=True,
                                  placeholder="Start typing, e.g. a ward or council name",
                                  disabled=panel is not None),
                     clear_button(ids.HOME_AREA, "Clear area")], md=8),
        ], className="g-3 cpop-picker mb-3"),
        dcc.Loading(html.Div(body, id=ids.HOME_TILES), delay_show=300),
    ], fluid="lg", className="cpop-home")


@callback(Output(ids.HOME_AREA, "options"), Input(ids.HOME_AREA, "search_value"), Input(ids.HOME_TYPE, "value"),
          State(ids.HOME_AREA, "value"), State(ids.HOME_AREA, "options"), prevent_initial_call=True)
def home_area_options(search: str | None, area_type: str | None, value: str | None,
                      options: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Type-ahead over every area of the type (or the saved areas), keeping the selection."""
    keep = None if ctx.triggered_id == ids.HOME_TYPE else next(
        (o for o in options or [] if o.get("value") == value), None)
    if area_type == USER_TYPE:
        found = _saved(search)
        return found if keep is None or keep in found else [keep, *found]
    try:
        return search_options(get_queries(), area_type, search, keep)
    except WarehouseUnavailable:
        return [keep] if keep else []


@callback(Output(ids.HOME_AREA, "value"), Input(ids.HOME_TYPE, "value"), prevent_initial_call=True)
def home_clear_area(_area_type: str | None) -> None:
    """A code belongs to one area type: changing the type clears the area."""
    return None


@callback(Output(ids.HOME_TILES, "children"), Output(ids.HOME_PAGE_URL, "search"),
          Input(ids.HOME_AREA, "value"), State(ids.HOME_TYPE, "value"), prevent_initial_call=True)
def home_show_tiles(area_code: str | None, area_type: str | None) -> tuple[Any, str]:
    """The six tiles for the chosen area, and the URL that reproduces them."""
    search = build_search(area_type=area_type, area=area_code)
    try:
        return tiles_view(get_queries(), area_type, area_code), search
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), search


@callback(Output(ids.HOME_CHANGES, "children"), Input(ids.HOME_PAGE_URL, "search"))
def home_release_note(search: str | None) -> Any:
    """What the newest releases changed (for the chosen area's council), after the page has drawn."""
    try:
        return release_note(get_queries(), search)
    except WarehouseUnavailable:
        return None
