"""AG Grid options that make a grid one Tab stop, moved through with the arrow keys.

Why: by default AG Grid moves Tab from cell to cell, so a 50-row page of 9 columns is ~500 Tab
stops before the pagination and the Download buttons (WCAG 2.1.1, 2.4.3). The ARIA grid pattern
is one Tab stop: Tab enters the grid (its header), the arrow keys, Home/End and Page Up/Down move
inside it, Enter on a header sorts, and the next Tab leaves it. Returning ``false`` from AG Grid's
``tabToNextCell``/``tabToNextHeader`` hands Tab back to the browser (AG Grid 31+).
"""

from __future__ import annotations

from typing import Any

ONE_TAB_STOP: dict[str, Any] = {
    "tabToNextCell": {"function": "false"},
    "tabToNextHeader": {"function": "false"},
}


def keyboard_grid_options(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` (dashGridOptions) with the grid made one Tab stop."""
    return {**options, **ONE_TAB_STOP}
