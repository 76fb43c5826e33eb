"""Area Profiles (path "/area"): a thematic profile (one SOA priority) of one area.

Why: the KnowFife "Area Profiles" view. For one area and one national priority: the trend
of an indicator with its CI and comparators (raw and modelled values styled differently),
where the area ranks among its neighbours, a map, a spine chart of every indicator of the
theme against all areas of the same type, the deprivation gap (quintile bars with a
national/local switch, SII/RII and the Duncan index over time, best vs worst community) and,
for a council, its communities "in the round". Each chart has a caption stating its verdict
and a "how to read this" note. State in the URL (?area_type=&area=&theme=&indicator=&basis=&compare=),
the trend chart's comparator areas included (``dashboard.logic.comparators``); choosing another area
starts again from its own comparators (its council and Scotland).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.area_profile_view import (
    BASES,
    more_inequality,
    profile_inequality,
    profile_main,
    profile_spine,
)
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.radio_group import radio_group
from dashboard.data.context import get_queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.labels import PRIORITY_LABELS, plural_labels
from dashboard.logic import comparators
from dashboard.logic.area_profile import area_choices, choose_type, geographies, type_options
from dashboard.logic.explorer import as_list
from dashboard.logic.provenance import published_for
from dashboard.logic.records import row_tuples
from dashboard.tables.latest_values import PRIORITY_ORDER
from dashboard.urlstate import clean_arg, query_string, split_arg

dash.register_page(__name__, path="/area", name="Area profiles", order=3, title="cpop – area profiles")

def _indicators(queries: Any, theme: str) -> Any:
    frame = queries.explorer_indicators()
    return frame[frame.soa_priority == theme]


def _stand_in(queries: Any, asked_type: str, asked_area: str, area_type: str | None) -> str | None:
    """The area to show instead of one of a type the indicator is not published for: its council
    (or Scotland) when that is the type shown."""
    found = queries.area(asked_type, asked_area)
    if found is None:
        return None
    if area_type == "council" and isinstance(found.get("council_code"), str):
        return str(found["council_code"])
    return "S92000003" if area_type == "scotland" else None


def _notice(queries: Any, in_theme: Any, indicator: str | None, asked: tuple[str | None, str | None],
            area_type: str | None, shown: str | None) -> Any:
    """Why the link's area type was replaced ('… is published for council areas (CPPs) and Scotland only:
    showing Fife, the council Kirkcaldy Central is in')."""
    asked_type, asked_area = asked
    if not (asked_type and indicator) or asked_type == area_type:
        return None
    hit = in_theme[in_theme.indicator_id == indicator]
    if hit.empty:
        return None
    row = hit.iloc[0]
    having = [str(t) for t in as_list(row.area_types)] or geographies(in_theme, indicator)
    sentence = f"{row.short_title} is {published_for(having, plural_labels(queries.area_type_labels()))}"
    found = queries.area(asked_type, asked_area) if asked_area else None
    place = queries.area(area_type, shown) if (area_type and shown) else None
    if found is not None and place is not None:
        sentence += f": showing {place['area_name']}, the {'council' if area_type == 'council' else 'area'} " \
                    f"{found['area_name']} is in."
    else:
        sentence += "."
    return dbc.Alert(sentence, color="info", className="small py-2")


def layout(area_type: Any = None, area: Any = None, theme: Any = None, indicator: Any = None,
           basis: Any = None, compare: Any = None, **_: Any) -> html.Div:
    area_type, area, theme = clean_arg(area_type), clean_arg(area), clean_arg(theme)
    indicator, basis = clean_arg(indicator), clean_arg(basis)
    compare = split_arg(compare) if compare is not None else None
    theme = theme if theme in PRIORITY_LABELS else "early_years"
    try:
        queries = get_queries()
        in_theme = _indicators(queries, theme)
        indicator = indicator if indicator in set(in_theme.indicator_id) else (
            in_theme.indicator_id.iloc[0] if len(in_theme) else None)
        types = type_options(queries.area_types(), geographies(in_theme, indicator),
                             plural_labels(queries.area_type_labels()))
        asked = (area_type, area)
        area_type = choose_type(types, area_type)
        if asked[0] and asked[1] and area_type != asked[0]:  # e.g. a ward's link to a council-only indicator
            area = _stand_in(queries, asked[0], asked[1], area_type) or area
        options, _reason = area_choices(queries, indicator, area_type, keep=area) if indicator and area_type \
            else ([], None)
        notice = _notice(queries, in_theme, indicator, asked, area_type, area if area in
                         {o["value"] for o in options} else None)
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    area = area if area in {o["value"] for o in options} else (options[0]["value"] if options else None)
    chosen, compare_options, problems = _comparators(area_type, area, indicator, compare)
    return dbc.Container([
        dcc.Location(id=ids.PROFILE_URL, refresh=False),
        html.H1("Area profiles", className="h3"),
        html.P("A thematic profile of one area: how it is changing, how it compares with its neighbours and with "
               "Scotland, and how outcomes differ between more and less deprived communities."),
        dbc.Row([
            dbc.Col([dbc.Label("Theme (SOA priority)", html_for=ids.PROFILE_THEME),
                     dcc.Dropdown(id=ids.PROFILE_THEME, value=theme, clearable=False,
                                  options=[{"label": PRIORITY_LABELS[p], "value": p} for p in PRIORITY_ORDER])],
                    md=6, xl=3),
            dbc.Col([dbc.Label("Indicator", html_for=ids.PROFILE_INDICATOR),
                     dcc.Dropdown(id=ids.PROFILE_INDICATOR, value=indicator, clearable=False,
                                  options=[{"label": r.short_title, "value": r.indicator_id}
                                           for r in row_tuples(in_theme)])], md=6, xl=3),
            dbc.Col([dbc.Label("Area type", html_for=ids.PROFILE_AREA_TYPE),
                     dcc.Dropdown(id=ids.PROFILE_AREA_TYPE, value=area_type, clearable=False, options=types)],
                    md=6, xl=3),
            dbc.Col([dbc.Label("Area (only areas with data)", html_for=ids.PROFILE_AREA),
                     dcc.Dropdown(id=ids.PROFILE_AREA, options=options, value=area, clearable=False)], md=6, xl=3),
        ], className="mb-2 g-2"),
        html.Div(notice, id=ids.PROFILE_NOTICE),
        dbc.Row(dbc.Col([
            dbc.Label("Compare the trend with (type to find any area)", html_for=ids.PROFILE_COMPARATORS),
            dcc.Dropdown(id=ids.PROFILE_COMPARATORS, multi=True, value=chosen, options=compare_options,
                         placeholder="No comparator areas: type a name to add one"),
            html.Div(dbc.Alert(" ".join(problems), color="warning", className="small py-2 mt-1 mb-0")
                     if problems else None, id=ids.PROFILE_COMPARATOR_NOTICE),
        ], xl=6, className="cpop-comparators"), className="mb-2"),
        radio_group(ids.PROFILE_BASIS, "Deprivation groups", [{"label": label, "value": value} for value, label in BASES],
                    basis if basis in dict(BASES) else "national_quintile"),
        # three parts filled by three callbacks, so each stays quick and a change of deprivation
        # basis or theme redraws only the part it affects
        html.Div([dcc.Loading(html.Div(id=ids.PROFILE_MAIN), delay_show=300),
                  dcc.Loading(html.Div(id=ids.PROFILE_SPINE), delay_show=300),
                  dcc.Loading(html.Div(id=ids.PROFILE_INEQUALITY), delay_show=300)],
                 id=ids.PROFILE_BODY, className="mt-3"),
    ], fluid="lg")


def _comparators(area_type: str | None, area_code: str | None, indicator: str | None,
                 compare: list[str] | None) -> tuple[list[str], list[dict], list[str]]:
    """The link's comparators (checked; the defaults when it names none), the dropdown's options and
    why any comparator of the link was left out."""
    if not (area_type and area_code and indicator):
        return [], [], []
    queries = get_queries()
    area = queries.area(area_type, area_code)
    if area is None:
        return [], [], []
    checked = comparators.from_url(queries, compare, area)
    return checked.keys, comparators.options(queries, indicator, area, checked.keys, None), checked.problems


@callback(Output(ids.PROFILE_COMPARATORS, "value"), Output(ids.PROFILE_COMPARATORS, "options"),
          Output(ids.PROFILE_COMPARATOR_NOTICE, "children"),
          Input(ids.PROFILE_AREA, "value"), State(ids.PROFILE_AREA_TYPE, "value"),
          State(ids.PROFILE_INDICATOR, "value"), prevent_initial_call=True)
def reset_comparators(area_code: str | None, area_type: str | None, indicator: str | None) -> tuple[list, list, None]:
    """A new area starts from its own defaults (its council and Scotland); the link's notice goes."""
    chosen, options, _ = _comparators(area_type, area_code, indicator, None)
    return chosen, options, None


@callback(Output(ids.PROFILE_COMPARATORS, "options", allow_duplicate=True),
          Input(ids.PROFILE_COMPARATORS, "search_value"), State(ids.PROFILE_COMPARATORS, "value"),
          State(ids.PROFILE_AREA, "value"), State(ids.PROFILE_AREA_TYPE, "value"),
          State(ids.PROFILE_INDICATOR, "value"), prevent_initial_call=True)
def search_comparators(text: str | None, chosen: list[str] | None, area_code: str | None, area_type: str | None,
                       indicator: str | None) -> Any:
    """Areas of every type with values for the indicator matching the typed text (the chosen ones stay)."""
    if not (area_type and area_code and indicator):
        return dash.no_update
    queries = get_queries()
    area = queries.area(area_type, area_code)
    if area is None:
        return dash.no_update
    kept = comparators.check_keys(queries, chosen, area).keys
    return comparators.options(queries, indicator, area, kept, (text or "")[:100])


@callback(Output(ids.PROFILE_INDICATOR, "options"), Output(ids.PROFILE_INDICATOR, "value"),
          Input(ids.PROFILE_THEME, "value"), State(ids.PROFILE_INDICATOR, "value"), prevent_initial_call=True)
def change_theme(theme: str, current: str | None) -> tuple[list[dict], str | None]:
    frame = _indicators(get_queries(), theme)
    values = list(frame.indicator_id)
    return ([{"label": r.short_title, "value": r.indicator_id} for r in row_tuples(frame)],
            current if current in values else (values[0] if values else None))


@callback(Output(ids.PROFILE_AREA_TYPE, "options"), Output(ids.PROFILE_AREA_TYPE, "value"),
          Input(ids.PROFILE_INDICATOR, "value"), State(ids.PROFILE_AREA_TYPE, "value"), prevent_initial_call=True)
def change_indicator(indicator: str | None, area_type: str | None) -> tuple[list[dict], str | None]:
    """Area types for the indicator (unpublished ones disabled), keeping the current type if possible."""
    queries = get_queries()
    options = type_options(queries.area_types(), geographies(queries.explorer_indicators(), indicator),
                           plural_labels(queries.area_type_labels()))
    chosen = choose_type(options, area_type)
    return options, chosen if chosen != area_type else dash.no_update


@callback(Output(ids.PROFILE_AREA, "options"), Output(ids.PROFILE_AREA, "value"),
          Output(ids.PROFILE_NOTICE, "children"),
          Input(ids.PROFILE_AREA_TYPE, "value"), Input(ids.PROFILE_INDICATOR, "value"),
          Input(ids.PROFILE_AREA, "search_value"), State(ids.PROFILE_AREA, "value"), prevent_initial_call=True)
def change_area_options(area_type: str | None, indicator: str | None, text: str | None,
                        value: str | None) -> tuple[list[dict], Any, Any]:
    """Only areas with data for the indicator; the chosen area stays (with a reason if empty). A choice
    made on the page replaces the notice about the link's area."""
    notice = dash.no_update if ctx.triggered_id == ids.PROFILE_AREA else None
    if not (area_type and indicator):
        return [], None, notice
    type_changed = ctx.triggered_id == ids.PROFILE_AREA_TYPE
    options, _ = area_choices(get_queries(), indicator, area_type, text, keep=None if type_changed else value)
    if type_changed:
        return options, options[0]["value"] if options else None, notice
    return options, dash.no_update, notice


@callback(Output(ids.PROFILE_MAIN, "children"), Output(ids.PROFILE_URL, "search"),
          Input(ids.PROFILE_AREA, "value"), Input(ids.PROFILE_INDICATOR, "value"),
          Input(ids.PROFILE_BASIS, "value"), Input(ids.PROFILE_COMPARATORS, "value"),
          State(ids.PROFILE_AREA_TYPE, "value"), State(ids.PROFILE_THEME, "value"))
def show_profile(area_code: str | None, indicator_id: str | None, basis: str, compare: list[str] | None,
                 area_type: str | None, theme: str) -> tuple[Any, str]:
    compare = list(compare or [])  # the guard has checked it is a list of strings; profile_main checks each
    search = query_string([("area_type", area_type), ("area", area_code), ("theme", theme),
                           ("indicator", indicator_id), ("basis", basis),
                           ("compare", comparators.url_value(compare))])
    if not (area_type and area_code and indicator_id):
        return dbc.Alert("Choose an indicator and an area with data.", color="info"), search
    if ctx.triggered_id == ids.PROFILE_BASIS:
        return dash.no_update, search  # the basis changes only the inequality part
    try:
        return profile_main(get_queries(), area_type, area_code, indicator_id,
                            compare or [comparators.NONE]), search
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), search


@callback(Output(ids.PROFILE_SPINE, "children"),
          Input(ids.PROFILE_AREA, "value"), Input(ids.PROFILE_THEME, "value"), State(ids.PROFILE_AREA_TYPE, "value"))
def show_spine(area_code: str | None, theme: str, area_type: str | None) -> Any:
    if not (area_type and area_code and theme):
        return None
    try:
        return profile_spine(get_queries(), area_type, area_code, theme)
    except WarehouseUnavailable:
        return None  # the main part shows the warehouse panel


@callback(Output(ids.PROFILE_INEQUALITY, "children"),
          Input(ids.PROFILE_AREA, "value"), Input(ids.PROFILE_INDICATOR, "value"),
          Input(ids.PROFILE_BASIS, "value"), State(ids.PROFILE_AREA_TYPE, "value"))
def show_inequality(area_code: str | None, indicator_id: str | None, basis: str, area_type: str | None) -> Any:
    if not (area_type and area_code and indicator_id):
        return None
    try:
        return profile_inequality(get_queries(), area_type, area_code, indicator_id, basis)
    except WarehouseUnavailable:
        return None


@callback(Output(ids.PROFILE_MORE_INEQUALITY_BODY, "children"),
          Input(ids.PROFILE_MORE_INEQUALITY, "n_clicks"),
          State(ids.PROFILE_AREA, "value"), State(ids.PROFILE_INDICATOR, "value"),
          State(ids.PROFILE_BASIS, "value"), State(ids.PROFILE_AREA_TYPE, "value"), prevent_initial_call=True)
def show_more_inequality(clicks: int | None, area_code: str | None, indicator_id: str | None, basis: str,
                         area_type: str | None) -> Any:
    """Draw the further inequality measures when their summary opens them (an odd click: the
    summary is made afresh, closed, whenever the area, indicator or basis changes)."""
    if not clicks or clicks % 2 == 0 or not (area_type and area_code and indicator_id):
        return dash.no_update
    try:
        return more_inequality(get_queries(), area_type, area_code, indicator_id, basis)
    except WarehouseUnavailable:
        return None
