"""Data Explorer (path "/explorer"): search indicators and datasets by keyword or SOA priority.

Why: officers and researchers need to know what is measured, from where, for which years
and areas, and with which methods and caveats, before they trust a number; and which
datasets (publisher and release) are behind the build. The page is a list to scan: each
indicator shows its title, theme, years, geographies and publisher, and its links to its chart
(Quick Profile), its map (Area Profiles, at a real area with data) and its table (Advanced
Tables); the full record opens on demand. File paths and checksums stay in the warehouse's meta
tables and on About & methods. State in the URL (?q=&priority=).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.components.local_badge import local_badge
from dashboard.data.context import get_queries
from dashboard.data.queries import MartUnavailable
from dashboard.data.reader import WarehouseUnavailable
from dashboard.labels import PRIORITY_LABELS, plural_labels
from dashboard.logic.explorer import (
    chart_area,
    dataset_facts,
    dataset_title,
    disclosure_text,
    geographies_text,
    indicator_summary,
    map_area_type,
    method_text,
    releases_line,
    releases_text,
    search_datasets,
    search_indicators,
    value_types_text,
    values_text,
)
from dashboard.logic.local_label import local_label
from dashboard.logic.provenance import organisation as organisation_of
from dashboard.logic.records import row_tuples
from dashboard.tables.latest_values import PRIORITY_ORDER
from dashboard.urlstate import area_profile_href, quick_profile_href

dash.register_page(__name__, path="/explorer", name="Data explorer", order=2, title="cpop – data explorer")

MAP_ANCHOR = "#map"  # dashboard/assets/scroll_to_section.js scrolls the Area Profile to its map
RECORD_TOGGLE = "Definition, source and method"


def layout(q: str | None = None, priority: str | None = None, **_: Any) -> html.Div:
    chosen = [p for p in (priority or "").split(",") if p in PRIORITY_LABELS]
    return dbc.Container([
        dcc.Location(id=ids.EXPLORER_URL, refresh=False),
        html.H1("Data explorer", className="h3"),
        html.P("Search every indicator and dataset by keyword or theme: what it measures, where the data come from, "
               "which years and areas have data, how it is calculated and what to watch out for."),
        dbc.Row([
            dbc.Col([dbc.Label("Keyword", html_for=ids.EXPLORER_SEARCH),
                     dbc.Input(id=ids.EXPLORER_SEARCH, type="search", value=q or "", debounce=True,
                               placeholder="e.g. poverty, hospital, school, population")], md=5),
            dbc.Col([dbc.Label("SOA priority", html_for=ids.EXPLORER_PRIORITY),
                     dcc.Dropdown(id=ids.EXPLORER_PRIORITY, multi=True, value=chosen,
                                  options=[{"label": PRIORITY_LABELS[p], "value": p} for p in PRIORITY_ORDER],
                                  placeholder="All priorities")], md=7),
        ], className="mb-3"),
        dcc.Loading(html.Div(id=ids.EXPLORER_RESULTS), delay_show=300),
    ], fluid="lg")


def _facts(pairs: list[tuple[str, Any]], scope: str = "record") -> html.Dl:
    # the method's statistical terms open their glossary definitions
    return html.Dl([item for label, text in pairs for item in (html.Dt(label), html.Dd(
        glossary_text(str(text), f"{scope}-method") if label == "Method" else str(text)))],
        className="cpop-facts mb-0")


def _card_header(row: Any, labels: dict[str, str]) -> html.Div:
    """An indicator's title and the few facts a reader scans for (theme, years, geographies, publisher)."""
    return html.Div([
        html.H2(row.title, className="h6 mb-1"), local_badge(local_label(row._asdict()), block=True),
        html.P(" · ".join(text for text in indicator_summary(row._asdict(), labels) if text),
               className="small text-muted mb-0 cpop-explorer-meta"),
    ], className="cpop-explorer-header")


def _indicator_facts(row: Any, labels: dict[str, str]) -> list[tuple[str, Any]]:
    """(label, text) of an indicator's full record: what it measures, from whom, where, how, caveats."""
    years = (f"{row.first_period} to {row.last_period} ({int(row.periods)} periods)"
             if isinstance(row.first_period, str) else "no data in this warehouse")
    record = row._asdict()
    publisher = getattr(row, "publisher", None)
    organisation = (organisation_of(publisher) or "the publisher") if isinstance(publisher, str) else "the publisher"
    return [
        ("Definition", row.definition), ("Numerator", row.numerator_definition),
        ("Denominator", row.denominator_definition), ("Source", row.source),
        *([("Published by", publisher)] if isinstance(publisher, str) and publisher else []),
        ("Releases", releases_text(getattr(row, "releases", None), publisher)),
        ("Periods with data", years),
        ("Geographies where it is available", geographies_text(row.area_types, labels)),
        ("How areas get their values", values_text(record, labels, organisation)),
        ("Imputed and projected values", value_types_text(record)),
        ("Method", method_text(record)),
        ("Disclosure control", disclosure_text(record)), ("Caveats", row.caveats or "none"),
        ("Updates", f"{row.update_frequency}; last {row.last_update:%d %b %Y}, next {row.next_update:%d %b %Y}"),
    ]


def _card(row: Any, labels: dict[str, str], map_area: tuple[str, str] | None) -> html.Li:
    """One indicator's row: its header and links, and its full record behind a toggle.

    Why the record is drawn only when first opened (``show_record``): the browser's work grows with every
    component on the page, and 34 records of 14 facts each (about a thousand components) were most of the
    explorer's first render on real Scotland.
    """
    buttons = [dbc.Button("Open chart", href=quick_profile_href(*chart_area(row), row.indicator_id),
                          color="primary", size="sm", className="me-2 mb-1")]
    if map_area is not None:
        buttons.append(dbc.Button("Open map", href=area_profile_href(*map_area, row.soa_priority, row.indicator_id)
                                  + MAP_ANCHOR, color="primary", size="sm", className="me-2 mb-1"))
    buttons.append(dbc.Button("Open table", href=f"/tables?indicators={row.indicator_id}&area_type=council",
                              color="secondary", size="sm", className="mb-1"))
    record = html.Details([
        html.Summary(RECORD_TOGGLE, id=ids.explorer_summary(row.indicator_id), className="cpop-details-summary"),
        html.Div(id=ids.explorer_record(row.indicator_id), className="pt-2"),
    ], className="cpop-details")
    return html.Li([
        html.Div([_card_header(row, labels), html.Div(buttons, className="cpop-explorer-actions")],
                 className="cpop-explorer-row"),
        record,
    ], className="list-group-item cpop-explorer-item", **{"data-indicator": row.indicator_id})


@callback(Output(ids.explorer_record(MATCH), "children"), Input(ids.explorer_summary(MATCH), "n_clicks"),
          prevent_initial_call=True)
def show_record(_clicks: int | None) -> Any:
    """The full record of the indicator whose toggle was opened (a click, or Enter or Space on it)."""
    wanted = (dash.ctx.triggered_id or {}).get("indicator")
    try:
        queries = get_queries()
        catalogue = queries.explorer_indicators()
        rows = catalogue[catalogue.indicator_id == wanted] if isinstance(wanted, str) else catalogue.iloc[:0]
        if rows.empty:
            return html.P("This indicator is not in this build.", className="small mb-0")
        labels = plural_labels(queries.area_type_labels())
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc)
    return _facts(_indicator_facts(row_tuples(rows)[0], labels), str(wanted))


def _map_area(queries: Any, row: Any, labels: dict[str, str]) -> tuple[str, str] | None:
    """A real area with data to open the indicator's map at: the first council, else the first area of its
    largest area type below Scotland (one small query, only for an indicator without council values)."""
    if isinstance(row.first_council_code, str):
        return "council", row.first_council_code
    area_type = map_area_type(row.area_types, labels)
    if area_type is None:
        return None
    hit = queries.areas_with_data(row.indicator_id, area_type, "", 1)
    return (area_type, str(hit.area_code.iloc[0])) if len(hit) else None


def _dataset_card(row: dict[str, Any]) -> html.Li:
    """One line per dataset (its name and release); its publisher and use open on demand."""
    summary = [html.Span(dataset_title(row), className="fw-semibold"),
               html.Span(f" · release {releases_line(row)}", className="text-muted")]
    return html.Li(html.Details([html.Summary(summary, className="cpop-details-summary"),
                                 html.Div(_facts(dataset_facts(row)), className="pt-2")],
                                className="cpop-details cpop-dataset"),
                   className="list-group-item cpop-explorer-item", **{"data-dataset": f"{row['source']}/{row['dataset']}"})


def _found(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


@callback(Output(ids.EXPLORER_RESULTS, "children"), Output(ids.EXPLORER_URL, "search"),
          Input(ids.EXPLORER_SEARCH, "value"), Input(ids.EXPLORER_PRIORITY, "value"))
def show_results(text: str | None, priorities: list[str] | None) -> tuple[Any, str]:
    search = "?" + "&".join(f"{k}={v}" for k, v in (("q", text or ""), ("priority", ",".join(priorities or []))) if v)
    try:
        queries = get_queries()
        found = search_indicators(queries.explorer_indicators(), text, priorities)
        labels = plural_labels(queries.area_type_labels())
        found_rows = row_tuples(found)
        maps = {r.indicator_id: _map_area(queries, r, labels) for r in found_rows}
        try:
            datasets = search_datasets(queries.explorer_datasets(), text, priorities)
        except MartUnavailable:  # a warehouse without meta.indicator_mappings: indicators only
            datasets = None
    except WarehouseUnavailable as exc:
        return warehouse_unavailable_panel(exc), search
    n_datasets = 0 if datasets is None else len(datasets)
    if found.empty and not n_datasets:
        return dbc.Alert("No indicator or dataset matches. Try fewer or different words.", color="info"), search
    header = html.P(f"{_found(len(found), 'indicator')} and {_found(n_datasets, 'dataset')} found.",
                    className="text-muted")
    out: list[Any] = [header]
    if not found.empty:
        out.append(html.Ul([_card(r, labels, maps.get(r.indicator_id)) for r in found_rows],
                           className="list-group mb-4 cpop-explorer-list", **{"aria-label": "Indicators"}))
    if n_datasets:
        out += [html.H2("Datasets", className="h5 mt-4"),
                html.P("The publishers' datasets behind this build, with the release of each. Researchers find "
                       "every file and its checksum on the About & methods page.", className="small text-muted"),
                html.Ul([_dataset_card(r) for r in datasets.to_dict("records")],  # type: ignore[union-attr]
                        className="list-group cpop-explorer-list", **{"aria-label": "Datasets"})]
    return out, search
