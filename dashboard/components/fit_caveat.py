"""The best-fit caveat banner shown above a ward's or community council's figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.logic.fit_caveat import fit_caveat_text, fit_is_rough


def fit_caveat(area: Mapping[str, Any] | None, element_id: str | None = None) -> dbc.Alert | None:
    """An alert stating the best-fit caveat, or None for areas built from whole data zones."""
    row = area or {}
    text = fit_caveat_text(row)
    if text is None:
        return None
    kwargs = {"id": element_id} if element_id else {}
    return dbc.Alert([html.Strong("Best-fit area. "), text], color="warning" if fit_is_rough(row) else "info",
                     className="small py-2 cpop-fit-caveat", **kwargs)
