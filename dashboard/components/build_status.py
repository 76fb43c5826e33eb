"""The Local data page's view of a build started with "Build now": a progress bar with the stage in
words, then "Built" with a link to the Quick profile, or the build's error in plain words.

Why: pure (a ``BuildProgress`` in, components out) so the words are unit-tested without a browser
or a build; the page's callback only reads the progress file and calls this.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from etl.build_progress import DONE, FAILED, BuildProgress

BUILT = "Built: the new indicator is live."
NO_BUILD = "No build has been started from this page since the server's user folder was created."


def quick_profile_href(indicator: str | None) -> str:
    """The Quick profile, with the indicator chosen for its trend chart when one is given."""
    return "/profile" + (f"?{urlencode({'indicator': indicator})}" if indicator else "")


def build_view(progress: BuildProgress | None, indicator: str | None = None, note: str | None = None) -> list[Any]:
    """What the page shows of the build: ``note`` first (e.g. "a build is already running"), then the
    bar and the stage while it runs, then the outcome."""
    parts: list[Any] = [dbc.Alert(note, color="info", className="py-2 small")] if note else []
    if progress is None:
        return [*parts, html.P(NO_BUILD, className="small text-muted")]
    if progress.state == DONE:
        return [*parts,
                dbc.Progress(value=100, label="100%", color="success", className="mb-2"),
                dbc.Alert([html.Strong(BUILT), f" {progress.message.capitalize()}, finished {progress.updated_at}. ",
                           html.A("Open the Quick profile", href=quick_profile_href(indicator),
                                  className="alert-link"),
                           " and choose an area to see it."], color="success")]
    if progress.state == FAILED:
        return [*parts,
                dbc.Progress(value=progress.percent, label=f"{progress.percent}%", color="danger", className="mb-2"),
                dbc.Alert([html.Strong("The build failed. "), progress.message,
                           html.Div("The dashboard keeps showing the last complete build.", className="small mt-1")],
                          color="danger")]
    step = f" ({progress.done:,} of {progress.total:,})" if progress.total > 1 else ""
    return [*parts,
            dbc.Progress(value=progress.percent, label=f"{progress.percent}%", striped=True, animated=True,
                         className="mb-2"),
            html.P(f"Building, started {progress.started_at}: {progress.stage_words}{step}…", className="small")]
