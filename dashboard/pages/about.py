"""About / Methods (path "/about"): what the tool is, how up to date it is, each indicator's method,
where the data come from, what the build checked, and the full methods for analysts.

Why: a board member or officer must be able to see where every number comes from and how it was
made, in words (dashboard/logic/about.py); an analyst gets the full methods (docs/methods.md) one
click away, behind a collapsed section, and the file-level detail in the warehouse itself.
Everything is read from the warehouse (meta.*) and docs/methods.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.data.context import get_queries
from dashboard.data.reader import WarehouseUnavailable
from dashboard.exports.pdf_methods import HOW_FIGURES_ARE_MADE
from dashboard.exports.profile import data_as_of
from dashboard.formatting import format_date
from dashboard.logic.about import (
    ATTRIBUTION,
    RESEARCHERS_SOURCES,
    checks_summary,
    method_rows,
    other_files,
    source_rows,
)
from dashboard.logic.markdown import demote_headings
from dashboard.logic.provenance import demo_line

dash.register_page(__name__, path="/about", name="About & methods", order=9, title="cpop – about and methods")

METHODS = Path(__file__).resolve().parents[2] / "docs" / "methods.md"
#: the class of the analysts' methods text (the jargon test reads the page without it)
METHODS_CLASS = "cpop-methods"
INTRO = ("cpop brings national and local data on the six national outcome priorities together for every area a "
         "partnership works with, from small neighbourhoods (data zones) up to Scotland. It shows whether outcomes "
         "are improving and whether the gaps between communities are narrowing, and says how sure we can be.")
RESEARCHERS = ("Researchers can open the warehouse file itself (with DuckDB, from Python or R, or with the "
               "notebooks that come with cpop); every table and column in it is described in the warehouse "
               "reference in cpop's documentation.")


def _table(frame: pd.DataFrame, label: str) -> html.Div:
    """A table that scrolls sideways on a phone inside a region keyboard users can focus."""
    return html.Div(dbc.Table.from_dataframe(frame, size="sm", striped=True, className="cpop-about-table"),
                    className="table-responsive",
                    tabIndex="0", role="region", **{"aria-label": label})


def _up_to_date(info: dict[str, Any], indicators: pd.DataFrame) -> html.Ul:
    as_of = data_as_of(list(indicators.get("last_update", [])), info.get("built_at"))
    built = format_date(info.get("built_at"), missing="on a date not recorded")
    origin = ("Built from the fictional demo data: invented places and figures, not real Scotland"
              if demo_line(info) else "Built from the publishers' files (cpop's copy of the real published data, "
              "and any newer files added to it)")
    return html.Ul([html.Li(f"Data as at {as_of}: the newest update of the publishers' figures in this build."),
                    html.Li(f"Built on {built}."), html.Li(f"{origin}.")])


def _sources(info: dict[str, Any], indicators: pd.DataFrame, sources: pd.DataFrame) -> list[Any]:
    files = other_files(sources)
    terms = "This is fictional demo data: no licence applies." if demo_line(info) else ATTRIBUTION
    return [html.H2("Where the data come from", className="h5"),
            _table(source_rows(indicators), "Where each indicator comes from"),
            *([html.P("Every source read for this build, with its releases:", className="mb-1"),
               html.Ul([html.Li(f) for f in files])] if files else []),
            html.P(terms), html.P(RESEARCHERS_SOURCES, className="small text-muted")]


def _checks(checks: pd.DataFrame) -> list[Any]:
    summary = checks_summary(checks)
    return [html.H2("Data checks", className="h5"),
            html.P(summary.headline + (" The checks that did not pass:" if summary.others else "")),
            *([html.Ul([html.Li(line) for line in summary.others])] if summary.others else [])]


def _for_analysts(info: dict[str, Any]) -> html.Details:
    methods = METHODS.read_text(encoding="utf-8") if METHODS.exists() else "The full methods are not available."
    return html.Details([
        html.Summary("Full methods, for analysts", className="cpop-details-summary h5"),
        html.P(RESEARCHERS),
        html.P(f"Build {info.get('build_id')}, cpop version {info.get('code_version')}, warehouse schema "
               f"{info.get('schema_version')}.", className="small text-muted"),
        dcc.Markdown(demote_headings(methods, levels=2), className=METHODS_CLASS, mathjax=False),
    ], className="cpop-details mt-3")


def layout(**_: Any) -> html.Div:
    try:
        queries = get_queries()
        info = queries.build_info()
        indicators = queries.explorer_indicators()
        sources = queries.sources()
        checks = queries.checks()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    return dbc.Container([
        html.H1("About cpop and its methods", className="h3"),
        html.P(INTRO),
        html.H2("How up to date this is", className="h5"), _up_to_date(info, indicators),
        html.H2("How the figures are made", className="h5"), html.P(glossary_text(HOW_FIGURES_ARE_MADE, "about")),
        html.H2("Indicators and their methods", className="h5"),
        _table(method_rows(indicators), "Indicators and their methods"),
        *_sources(info, indicators, sources),
        *_checks(checks),
        _for_analysts(info),
    ], fluid="lg")
