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
RUNNING_TEXT = "Building, started"
NO_BUILD = "No build has been started from this page since the server's user folder was created."


def quick_profile_href(indicator: str | None) -> str:
    """The Quick profile, with the indicator chosen for its trend chart when one is given."""
    return "/profile" + (f"?{urlencode({'indicator': indicator})}" if indicator else "")


def progress_bar(percent: int, colour: str | None = None, running: bool = False) -> html.Div:
    """Bootstrap's progress bar with an accessible name (``dbc.Progress`` cannot be given one)."""
    classes = ["progress-bar", *([f"bg-{colour}"] if colour else []),
               *(["progress-bar-striped", "progress-bar-animated"] if running else [])]
    return html.Div(html.Div(f"{percent}%", className=" ".join(classes), style={"width": f"{percent}%"}),
                    className="progress mb-2", role="progressbar",
                    **{"aria-label": "Build progress", "aria-valuenow": percent, "aria-valuemin": 0,
                       "aria-valuemax": 100})


def build_view(progress: BuildProgress | None, indicator: str | None = None, note: str | None = None) -> list[Any]:
    """What the page shows of the build: ``note`` first (e.g. "a build is already running"), then the
    bar and the stage while it runs, then the outcome."""
    parts: list[Any] = [dbc.Alert(note, color="info", className="py-2 small")] if note else []
    if progress is None:
        return [*parts, html.P(NO_BUILD, className="small text-muted")]
    if progress.state == DONE:
        return [*parts,
                progress_bar(100, "success"),
                dbc.Alert([html.Strong(BUILT), f" {progress.message.capitalize()}, finished {progress.updated_at}. ",
                           html.A("Open the Quick profile", href=quick_profile_href(indicator),
                                  className="alert-link"),
                           " and choose an area to see it."], color="success")]
    if progress.state == FAILED:
        return [*parts,
                progress_bar(progress.percent, "danger"),
                dbc.Alert([html.Strong("The build failed. "), progress.message,
                           html.Div("The dashboard keeps showing the last complete build.", className="small mt-1")],
                          color="danger")]
    step = f" ({progress.done:,} of {progress.total:,})" if progress.total > 1 else ""
    return [*parts,
            progress_bar(progress.percent, running=True),
            html.P(f"{RUNNING_TEXT} {progress.started_at}: {progress.stage_words}{step}…", className="small")]
