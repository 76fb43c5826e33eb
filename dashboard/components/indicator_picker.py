"""The indicator dropdown for the trend chart: only indicators with data for the area.

Why: offering an indicator with no data for the chosen area is a common complaint with
existing tools (DOMAIN); the options come from the area's latest values.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc

from dashboard import ids
from dashboard.tables.latest_values import LatestRow

Option = dict[str, str]


def indicator_options(groups: Sequence[tuple[str, Sequence[LatestRow]]]) -> list[Option]:
    """Options '<short title> (<priority>)' in the order of the latest-values cards."""
    return [
        {"label": f"{row.title} ({label})", "value": row.indicator_id}
        for label, rows in groups
        for row in rows
    ]


def choose_indicator(options: Sequence[Option], requested: str | None) -> str | None:
    """The requested indicator when offered, else the first option, else None."""
    values = [o["value"] for o in options]
    if requested in values:
        return requested
    return values[0] if values else None


def indicator_dropdown(options: Sequence[Option], value: str | None) -> dcc.Dropdown:
    """A non-clearable dropdown (the chart always shows one indicator)."""
    return dcc.Dropdown(id=ids.INDICATOR, options=list(options), value=value,
                        clearable=False, searchable=True,
                        placeholder="Choose an area first")
