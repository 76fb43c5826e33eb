"""Radio buttons as one named group in a fieldset with a legend.

Why: dbc.RadioItems gives its inputs no ``name``, so each radio button is its own Tab stop and a
screen reader announces no group (WCAG 1.3.1, 2.4.3). Radio buttons sharing a name are one Tab
stop, moved through with the arrow keys, and the fieldset's legend names the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html


def radio_group(component_id: str, legend: str, options: Sequence[dict[str, Any]], value: Any, *,
                inline: bool = True, legend_class: str = "form-label fs-6 mb-1", class_name: str = "") -> html.Fieldset:
    """A fieldset whose legend names the group and whose radio buttons share one name."""
    return html.Fieldset([
        html.Legend(legend, className=legend_class),
        dbc.RadioItems(id=component_id, name=component_id, options=list(options), value=value, inline=inline),
    ], className=class_name)
