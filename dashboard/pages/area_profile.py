"""Area Profiles (path "/area"): a thematic profile of one area.

Why: the KnowFife "Area Profiles" view — for one SOA priority and one area: the trend with
CIs and comparators, where the area ranks among its neighbours, a map, and the gap between
the most and least deprived communities (national or local quintiles) — each chart with a
plain-English caption of its verdict and a "how to read this" note. State in the URL
(?area_type=&area=&theme=&indicator=&basis=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.data.context import get_queries
from dashboard.data.queries import split_series
from dashboard.data.reader import WarehouseUnavailable
from dashboard.figures.area import deprivation_figure, map_figure, rank_figure
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.trend import trend_figure
from dashboard.labels import PRIORITY_LABELS
from dashboard.logic.captions import inequality_caption, rank_caption, trend_caption
from dashboard.tables.latest_values import PRIORITY_ORDER

dash.register_page(__name__, path="/area", name="Area profiles", order=1, title="cpop – area profiles")

BASES = [("national_quintile", "National quintiles"), ("local_quintile", "Local quintiles (within the council)"),
         ("national_decile", "National deciles")]
HOW_TO_READ = {
    "trend": "The line is the area; the shaded band is its 95% confidence interval; dashed and dotted lines are "
             "its council and Scotland. A gap in the line is a suppressed or missing value.",
    "rank": "Bars are the areas of the same type in the same council, best at the top; the highlighted bar is "
            "this area. Overlapping confidence intervals mean neighbouring ranks may not really differ.",
    "map": "Darker shading is worse (by the indicator's direction, not simply higher). The outlined area is this "
           "area. No map tiles are used, so the map works offline.",
    "inequality": "Bars are rates for fifths (or tenths) of the population from most to least deprived by SIMD; "
                  "lines are 95% confidence intervals. National quintiles compare with all of Scotland; local "
                  "quintiles split this council's own population into fifths.",
}


def _area_options(area_type: str, text: str | None = None, keep: str | None = None) -> list[dict]:
    """Up to 200 areas matching ``text`` (type-ahead), always including the chosen one."""
    queries = get_queries()
    frame = queries.search_areas(area_type, text, limit=200)
    options = [{"label": r.area_name, "value": r.area_code} for r in frame.itertuples(index=False)]
    if keep and keep not in {o["value"] for o in options} and (chosen := queries.area(area_type, keep)):
        options.insert(0, {"label": chosen["area_name"], "value": keep})
    return options


def layout(area_type: str | None = None, area: str | None = None, theme: str | None = None,
           indicator: str | None = None, basis: str | None = None, **_: Any) -> html.Div:
    try:
        queries = get_queries()
        types = queries.area_types()
        area_type = area_type if area_type in set(types.area_type) else "council"
        options = _area_options(area_type, keep=area)
        indicators = queries.indicators()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    area = area if area in {o["value"] for o in options} else (options[0]["value"] if options else None)
    theme = theme if theme in PRIORITY_LABELS else "early_years"
    in_theme = indicators[indicators.soa_priority == theme]
    indicator = indicator if indicator in set(in_theme.indicator_id) else (
        in_theme.indicator_id.iloc[0] if len(in_theme) else None)
    return dbc.Container([
        dcc.Location(id=ids.PROFILE_URL, refresh=False),
        html.H1("Area profiles", className="h3"),
        html.P("A thematic profile of one area: how it is changing, how it compares with its neighbours, and how "
               "outcomes differ between more and less deprived communities."),
        dbc.Row([
            dbc.Col([dbc.Label("Area type", html_for=ids.PROFILE_AREA_TYPE),
                     dcc.Dropdown(id=ids.PROFILE_AREA_TYPE, value=area_type, clearable=False,
                                  options=[{"label": r.label, "value": r.area_type}
                                           for r in types.itertuples(index=False)])], md=3),
            dbc.Col([dbc.Label("Area", html_for=ids.PROFILE_AREA),
                     dcc.Dropdown(id=ids.PROFILE_AREA, options=options, value=area, clearable=False)], md=3),
            dbc.Col([dbc.Label("Theme (SOA priority)", html_for=ids.PROFILE_THEME),
                     dcc.Dropdown(id=ids.PROFILE_THEME, value=theme, clearable=False,
                                  options=[{"label": PRIORITY_LABELS[p], "value": p} for p in PRIORITY_ORDER])], md=3),
            dbc.Col([dbc.Label("Indicator", html_for=ids.PROFILE_INDICATOR),
                     dcc.Dropdown(id=ids.PROFILE_INDICATOR, value=indicator, clearable=False,
                                  options=[{"label": r.short_title, "value": r.indicator_id}
                                           for r in in_theme.itertuples(index=False)])], md=3),
        ], className="mb-2"),
        dbc.Label("Deprivation groups", html_for=ids.PROFILE_BASIS),
        dbc.RadioItems(id=ids.PROFILE_BASIS, value=basis or "national_quintile", inline=True,
                       options=[{"label": label, "value": value} for value, label in BASES]),
        dcc.Loading(html.Div(id=ids.PROFILE_BODY, className="mt-3"), delay_show=300),
    ], fluid="lg")


def _section(title: str, caption: str, graph: Any, key: str) -> dbc.Card:
    return dbc.Card([
        dbc.CardHeader(html.H2(title, className="h6 mb-0")),
        dbc.CardBody([html.P(caption, className="fw-semibold"), graph,
                      html.Details([html.Summary("How to read this"), html.P(HOW_TO_READ[key], className="small")])]),
    ], className="mb-3")


@callback(Output(ids.PROFILE_AREA, "options"), Output(ids.PROFILE_AREA, "value"),
          Input(ids.PROFILE_AREA_TYPE, "value"), prevent_initial_call=True)
def change_area_type(area_type: str) -> tuple[list[dict], str | None]:
    options = _area_options(area_type)
    return options, options[0]["value"] if options else None


@callback(Output(ids.PROFILE_AREA, "options", allow_duplicate=True), Input(ids.PROFILE_AREA, "search_value"),
          Input(ids.PROFILE_AREA, "value"), Input(ids.PROFILE_AREA_TYPE, "value"), prevent_initial_call=True)
def search_area(text: str | None, value: str | None, area_type: str) -> list[dict]:
    return _area_options(area_type, text, keep=value)


@callback(Output(ids.PROFILE_INDICATOR, "options"), Output(ids.PROFILE_INDICATOR, "value"),
          Input(ids.PROFILE_THEME, "value"), prevent_initial_call=True)
def change_theme(theme: str) -> tuple[list[dict], str | None]:
    frame = get_queries().indicators()
    frame = frame[frame.soa_priority == theme]
    return ([{"label": r.short_title, "value": r.indicator_id} for r in frame.itertuples(index=False)],
            frame.indicator_id.iloc[0] if len(frame) else None)


@callback(Output(ids.PROFILE_BODY, "children"), Output(ids.PROFILE_URL, "search"),
          Input(ids.PROFILE_AREA_TYPE, "value"), Input(ids.PROFILE_AREA, "value"), Input(ids.PROFILE_THEME, "value"),
          Input(ids.PROFILE_INDICATOR, "value"), Input(ids.PROFILE_BASIS, "value"))
def show_profile(area_type: str, area_code: str | None, theme: str, indicator_id: str | None,
                 basis: str) -> tuple[Any, str]:
    search = f"?area_type={area_type}&area={area_code or ''}&theme={theme}&indicator={indicator_id or ''}&basis={basis}"
    if not (area_code and indicator_id):
        return dbc.Alert("Choose an area and an indicator.", color="info"), search
    try:
        queries = get_queries()
        area = queries.area(area_type, area_code) or {}
        meta = queries.indicator(indicator_id)
        series = split_series(queries.series(indicator_id, area_type, area_code))
        trend = queries.area_trend(indicator_id, area_type, area_code)
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), search
    if meta is None:
        return dbc.Alert("Unknown indicator.", color="warning"), search
    name = area.get("area_name", area_code)
    council = area.get("council_code") if area_type not in ("council", "scotland", "health_board", "hscp") else None
    sections = [_section("Trend", trend_caption(name, meta.title, trend),
                         dcc.Graph(figure=trend_figure(series.get("area"), meta, series.get("council"),
                                                       series.get("scotland")), config=GRAPH_CONFIG), "trend")]
    period = trend.get("latest_period_label")
    if period:
        ranks = queries.area_rank(indicator_id, area_type, period, council)
        sections.append(_section(f"Rank among {'areas in the council' if council else 'areas of this type'}, {period}",
                                 rank_caption(ranks, area_code, name, meta.polarity),
                                 dcc.Graph(figure=rank_figure(ranks, area_code, meta.unit_label, meta.polarity),
                                           config=GRAPH_CONFIG), "rank"))
        boundaries = queries.area_boundaries(area_type, council)
        sections.append(_section(f"Map, {period}", f"{name} is outlined; darker shading is worse.",
                                 dcc.Graph(figure=map_figure(ranks, boundaries, area_code, meta.unit_label,
                                                             meta.polarity), config=GRAPH_CONFIG), "map"))
    parent_type, parent_code = ("council", area.get("council_code")) if area.get("council_code") else (
        "scotland", "S92000003")
    groups = queries.inequality_groups(indicator_id, parent_type, parent_code)
    groups = groups[groups.basis == basis]
    if len(groups):
        groups = groups[groups.period_year == groups.period_year.max()]
    parent_name = (queries.area(parent_type, parent_code) or {}).get("area_name", "Scotland")
    sections.append(_section(f"Deprivation gap in {parent_name}", inequality_caption(groups, parent_name),
                             dcc.Graph(figure=deprivation_figure(groups, meta.unit_label), config=GRAPH_CONFIG),
                             "inequality"))
    return sections, search
