"""About / Methods (path "/about"): what the tool is, the build, its sources and checks, methods.

Why: a board member or analyst must be able to see where every number comes from and how it
was made; everything here is read from the warehouse (meta.*) and docs/methods.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.data.context import get_queries
from dashboard.data.queries import STATS_MARTS
from dashboard.data.reader import WarehouseUnavailable
from dashboard.logic.markdown import demote_headings

dash.register_page(__name__, path="/about", name="About & methods", order=9, title="cpop – about and methods")

METHODS = Path(__file__).resolve().parents[2] / "docs" / "methods.md"


def _table(frame: Any, label: str) -> html.Div:
    """A table that scrolls sideways on a phone inside a region keyboard users can focus."""
    return html.Div(dbc.Table.from_dataframe(frame, size="sm", striped=True), className="table-responsive",
                    tabIndex="0", role="region", **{"aria-label": label})


INDICATOR_COLUMNS = {"short_title": "indicator", "publisher": "published by", "source": "source",
                     "measure_type": "measure", "ci_method": "95% CI method", "polarity": "polarity",
                     "disclosure_rule": "disclosure control", "last_update": "last update",
                     "next_update": "next update"}


def _indicator_table(frame: Any) -> Any:
    """The catalogue's methods, one row per indicator (the columns this warehouse has)."""
    columns = [c for c in INDICATOR_COLUMNS if c in frame.columns]
    return frame[columns].rename(columns=INDICATOR_COLUMNS)


def layout(**_: Any) -> html.Div:
    try:
        queries = get_queries()
        info = queries.build_info()
        sources = queries.sources()
        checks = queries.checks()
        present = queries.tables_present()
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    sources = sources.assign(sha256=sources.sha256.str[:12] + "…")
    methods = METHODS.read_text(encoding="utf-8") if METHODS.exists() else "docs/methods.md is not available."
    return dbc.Container([
        html.H1("About cpop and its methods", className="h3"),
        html.P("cpop brings national and local data on the six national outcome priorities together at data zone "
               "level, aggregates them to every area a partnership works with, and shows whether outcomes are "
               "improving and whether gaps between communities are narrowing — with confidence intervals, "
               "significance tests and disclosure control."),
        html.H2("This build", className="h5"),
        html.Ul([html.Li(f"Build {info.get('build_id')} made {info.get('built_at')}"),
                 html.Li(f"Code version {info.get('code_version')}, warehouse schema {info.get('schema_version')}"),
                 html.Li("Built from the fictional demo data: invented places and figures, not real Scotland"
                         if info.get("demo") else "Built from the publishers' files (the committed snapshot of real "
                         "published data, and any files added to data/raw)")]),
        html.H2("Statistics marts in this warehouse", className="h5"),
        html.Ul([html.Li(f"{t}: {'available' if t in present else 'not available in this warehouse'}")
                 for t in STATS_MARTS]),
        html.H2("Indicators and their methods", className="h5"),
        _table(_indicator_table(queries.explorer_indicators()), "Indicators and their methods"),
        html.H2("Sources", className="h5"), _table(sources, "Sources"),
        html.H2("Data checks", className="h5"), _table(checks, "Data checks"),
        html.H2("Methods", className="h5"),
        dcc.Markdown(demote_headings(methods, levels=2), className="cpop-methods", mathjax=False),
    ], fluid="lg")
