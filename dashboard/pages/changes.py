"""What changed (path "/changes"): the newest releases' revised values, new periods, indicators
added or removed, and the verdicts that changed since the previous build; all of it as a workbook.

Why: publishers revise earlier years with each release (the September 2023 CPOP release revised
child poverty back to 2014/15); silent revisions are what users of national tools complain of.
State in the URL (?since=&council=) so the view is a link. The lists and words come from
``dashboard/logic/changes.py``; the page shows the largest revisions and the workbook every one.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import ids
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.components.html_table import frame_table
from dashboard.data.changes import releases
from dashboard.data.context import get_queries
from dashboard.data.queries import MartUnavailable
from dashboard.data.reader import WarehouseUnavailable
from dashboard.exports.changes import changes_filename, changes_xlsx
from dashboard.labels import singular_labels
from dashboard.logic.changes import NOT_KNOWN, ReleaseChanges, build_release_changes, number
from dashboard.urlstate import clean_arg, query_string

dash.register_page(__name__, path="/changes", name="What changed", order=8, title="cpop – what changed")

SHOWN_ROWS = 200
EACH = "__each__"  # the default comparison: each indicator's release before its newest one


def _options() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    queries = get_queries()
    since = [{"label": "Each indicator's release before its newest", "value": EACH}] + [
        {"label": f"Release {r}", "value": r} for r in releases(queries)]
    councils = queries.search_areas("council", None, limit=100)
    return since, [{"label": r.area_name, "value": r.area_code} for r in councils.itertuples()]


def layout(since: Any = None, council: Any = None, **_: Any) -> dbc.Container:
    try:
        since_options, council_options = _options()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    except MartUnavailable:
        return dbc.Container(dbc.Alert("This warehouse was built before cpop kept what changed between releases: "
                                       "rebuild it (`cpop build`) to see this page.", color="warning"), fluid="lg")
    since = clean_arg(since) if clean_arg(since) in {o["value"] for o in since_options} else EACH
    council = clean_arg(council) if clean_arg(council) in {o["value"] for o in council_options} else None
    return dbc.Container([
        dcc.Location(id=ids.CHANGES_URL, refresh=False),
        html.H1("What changed in this release", className="h3"),
        html.P(glossary_text("Publishers re-publish their series every year, often revising earlier years. This page "
                             "lists, for the newest release of each indicator, the values that were revised (old, new "
                             "and the difference), the periods added, the indicators added or removed, and which "
                             "verdicts (statistical trend, improvement RAG, CPOP rating, deprivation gap) changed "
                             "since the previous build of this warehouse.", "intro")),
        dbc.Row([
            dbc.Col([dbc.Label("Compared with", html_for=ids.CHANGES_SINCE),
                     dcc.Dropdown(id=ids.CHANGES_SINCE, options=since_options, value=since, clearable=False)], md=6),
            dbc.Col([dbc.Label("Council (optional)", html_for=ids.CHANGES_COUNCIL),
                     dcc.Dropdown(id=ids.CHANGES_COUNCIL, options=council_options, value=council,
                                  placeholder="All of Scotland")], md=6),
        ], className="mb-2"),
        html.P(id=ids.CHANGES_HEADLINE, className="lead", role="status"),
        dbc.Button("Download every change (Excel)", id=ids.CHANGES_XLSX, color="primary", className="mb-3"),
        dcc.Download(id=ids.CHANGES_DOWNLOAD),
        dcc.Loading(html.Div(id=ids.CHANGES_BODY), delay_show=300),
    ], fluid="lg")


def _since(value: str | None) -> str | None:
    return None if value in (None, EACH) else value


def _valid(since: str | None, council: str | None) -> tuple[str | None, str | None]:
    """Only releases and councils the warehouse has (the browser's payload is never trusted)."""
    since_options, council_options = _options()
    since = since if since in {o["value"] for o in since_options} else EACH
    council = council if council in {o["value"] for o in council_options} else None
    return _since(since), council


def _with_type_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """``area_type`` as the reader knows it ("Intermediate zone", not "intermediate_zone")."""
    if "area_type" not in frame.columns:
        return frame
    labels = singular_labels(get_queries().area_type_labels())
    return frame.assign(area_type=[labels.get(t) or str(t).replace("_", " ") for t in frame.area_type])


def _council_name(council: str | None) -> str | None:
    row = get_queries().area("council", council) if council else None
    return str(row["area_name"]) if row else None


@callback(Output(ids.CHANGES_HEADLINE, "children"), Output(ids.CHANGES_BODY, "children"), Output(ids.CHANGES_URL, "search"),
          Input(ids.CHANGES_SINCE, "value"), Input(ids.CHANGES_COUNCIL, "value"))
def show(since: str | None, council: str | None) -> tuple[str, Any, str]:
    try:
        since, council = _valid(since, council)
        result = build_release_changes(get_queries(), since)
        name = _council_name(council)
    except (WarehouseUnavailable, MartUnavailable):
        return "The warehouse is not available.", None, ""
    search = query_string([("since", since), ("council", council)])
    return result.headline(council, name), body(result, council, name), search


def body(result: ReleaseChanges, council: str | None, council_name: str | None) -> list[Any]:
    """The sections of the page for one comparison (and optionally one council)."""
    sections: list[Any] = []
    summary = result.summary()
    if summary.empty:
        sections.append(dbc.Alert("Nothing changed: no value was revised and no period or indicator added.",
                                  color="info"))
    else:
        shown = summary.assign(largest_difference=summary.largest_difference.map(number),
            verdicts_changed=summary.verdicts_changed.map(lambda v: "not known" if v is None or pd.isna(v) else int(v)))
        sections += [html.H2("Indicators that changed", className="h5 mt-3"),
                     frame_table(shown.drop(columns=["indicator_id"]).rename(columns=lambda c: c.replace("_", " ")),
                            "Indicators that changed")]
    sections += _verdict_section(result, council, council_name)
    sections += _revision_section(result, council, council_name)
    periods = result.new_periods_brief()
    if not periods.empty:
        sections += [html.H2("New periods", className="h5 mt-3"),
                     html.P("Periods no earlier release had ('first published': the areas had no figure for the "
                            "indicator before); the workbook lists them period by period.", className="small"),
                     frame_table(_with_type_labels(periods).drop(columns=["indicator_id"])
                            .rename(columns=lambda c: c.replace("_", " ")),
                            "New periods")]
    if not result.indicators.empty:
        sections += [html.H2("Indicators added or removed", className="h5 mt-3"),
                     html.Ul([html.Li(f"{r.change}: {r.title} ({r.basis})") for r in result.indicators.itertuples()])]
    return sections


def _verdict_section(result: ReleaseChanges, council: str | None, council_name: str | None) -> list[Any]:
    heading = html.H2("Verdicts that changed since the previous build", className="h5 mt-3")
    if not result.verdicts_known:
        return [heading, dbc.Alert(NOT_KNOWN, color="secondary")]
    rows = result.verdict_rows()
    if council:
        rows = rows[rows.council_code == council]
    if rows.empty:
        where = f" in {council_name}" if council_name else ""
        return [heading, html.P(f"No verdict changed{where}.")]
    shown = _with_type_labels(rows.head(SHOWN_ROWS))[["title", "area_name", "area_type", "verdict_kind", "verdict_before",
                                                      "verdict_now"]]
    note = f"The first {SHOWN_ROWS:,} of {len(rows):,}; the workbook has them all." if len(rows) > SHOWN_ROWS else ""
    return [heading, html.P(note, className="small"), frame_table(shown.rename(columns=lambda c: c.replace("_", " ")),
                                                             "Verdicts that changed")]


def _revision_section(result: ReleaseChanges, council: str | None, council_name: str | None) -> list[Any]:
    revised = result.revisions_in(council)
    if revised.empty:
        return []
    top = _with_type_labels(result.largest_revisions(SHOWN_ROWS, council))
    shown = pd.DataFrame({
        "indicator": top.title, "area": top.area_name.fillna(top.area_code), "area type": top.area_type,
        "period": top.period_label,
        "old": [f"{number(v) or 'none'} ({r})" for v, r in zip(top.old_value, top.old_release, strict=True)],
        "new": [f"{number(v) or 'none'} ({r})" for v, r in zip(top.new_value, top.new_release, strict=True)],
        "difference": top.difference.map(lambda v: ("+" if v > 0 else "") + number(v)),
        "verdicts changed": top.verdicts_changed.fillna("" if result.verdicts_known else "not known"),
    })
    where = f" in {council_name}" if council_name else ""
    return [html.H2(f"Revised values{where}", className="h5 mt-3"),
            html.P(f"{len(revised):,} values revised{where}; the {len(top):,} largest (relative to the old value) "
                   "are shown, the workbook has every one.", className="small"),
            frame_table(shown, "Revised values")]


@callback(Output(ids.CHANGES_DOWNLOAD, "data"), Input(ids.CHANGES_XLSX, "n_clicks"),
          State(ids.CHANGES_SINCE, "value"), State(ids.CHANGES_COUNCIL, "value"), prevent_initial_call=True)
def download(_clicks: int | None, since: str | None, council: str | None) -> Any:
    try:
        since, council = _valid(since, council)
        result = build_release_changes(get_queries(), since)
        content = changes_xlsx(result, council, _council_name(council))
    except (WarehouseUnavailable, MartUnavailable):
        return dash.no_update
    return dcc.send_bytes(content, changes_filename(result))
