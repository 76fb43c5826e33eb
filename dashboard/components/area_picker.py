"""Area picker: an area-type dropdown and a type-ahead area dropdown (Quick Profile).

Why: with ~7,000 data zones the area list cannot be sent to the browser; the area
dropdown's options are filled server-side from what the user types (``search_value``),
and the chosen area is always kept among the options so its label never disappears.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc

from dashboard import ids
from dashboard.components.clear_button import clear_button

Option = dict[str, str]
DEFAULT_AREA_TYPE = "council"


def area_type_options(df: pd.DataFrame) -> list[Option]:
    """Dropdown options from ``Queries.area_types()`` (label, value)."""
    return [{"label": str(r.label), "value": str(r.area_type)} for r in df.itertuples()]


def default_area_type(options: Sequence[Option], requested: str | None) -> str | None:
    """The requested type if offered, else 'council', else the first type, else None."""
    values = [o["value"] for o in options]
    for candidate in (requested, DEFAULT_AREA_TYPE):
        if candidate in values:
            return candidate
    return values[0] if values else None


def area_label(row: Mapping[str, Any]) -> str:
    """``'Kirkcaldy Central (S13002883), Fife'``: the code disambiguates equal names."""
    label = f"{row['area_name']} ({row['area_code']})"
    council = row.get("council_name")
    if isinstance(council, str) and council and council != row["area_name"]:
        label += f", {council}"
    return label


def area_options(rows: pd.DataFrame, keep: Option | None = None) -> list[Option]:
    """Options from ``Queries.search_areas`` rows, with ``keep`` (the selection) first."""
    options = [{"label": area_label(r), "value": str(r["area_code"])}
               for r in rows.to_dict("records")]
    if keep is not None and all(o["value"] != keep["value"] for o in options):
        options.insert(0, keep)
    return options


def area_picker(
    type_options: Sequence[Option],
    area_type: str | None,
    options: Sequence[Option],
    area_code: str | None,
    *,
    disabled: bool = False,
) -> dbc.Row:
    """Two labelled dropdowns side by side (stacked on small screens)."""
    return dbc.Row(
        [
            dbc.Col([
                dbc.Label("Area type", html_for=ids.AREA_TYPE),
                dcc.Dropdown(
                    id=ids.AREA_TYPE, options=list(type_options), value=area_type,
                    clearable=False, searchable=False, disabled=disabled,
                ),
            ], md=4),
            dbc.Col([
                dbc.Label("Area: type part of a name or code", html_for=ids.AREA),
                dcc.Dropdown(
                    id=ids.AREA, options=list(options), value=area_code,
                    placeholder="Start typing, e.g. Kirkcaldy or S13…",
                    clearable=True, searchable=True, disabled=disabled,
                ),
                clear_button(ids.AREA, "Clear area"),
            ], md=8),
        ],
        className="g-3 cpop-picker",
    )
