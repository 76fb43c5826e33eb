"""Find an option of an open Dash drop-down list by its label, as a user reads it.

Why: an open list is a dialog of native radio buttons or checkboxes, each inside its label
(dashboard/assets/a11y.js drops Dash's listbox/option roles, which wrapped one control in another);
the label is what a user sees and clicks, so tests find and click the label.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

OPTION = ".dash-dropdown-option"


def option(page: Page, name: str | re.Pattern[str], *, exact: bool = True) -> Locator:
    """The open list's option whose label text is ``name`` (exactly, or matching the pattern)."""
    return page.locator(OPTION).filter(has=page.get_by_text(name, exact=exact))
