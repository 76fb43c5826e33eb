"""Every component id in the dashboard, in one place (CONVENTIONS 9).

Why: layouts, callbacks and browser tests must agree on ids; a typo in a literal string
fails silently in Dash, a typo in a constant fails at import.
"""

from __future__ import annotations

# App shell
NAVBAR = "app-navbar"

# Home page (Quick Profile): URL state, picker, profile, trend
HOME_URL = "home-url"
HOME_STATUS = "home-status"
AREA_TYPE = "home-area-type"
AREA = "home-area"
AREA_HEADING = "home-area-heading"
LATEST = "home-latest"
LATEST_LOADING = "home-latest-loading"
INDICATOR = "home-indicator"
TREND = "home-trend"
TREND_GRAPH = "home-trend-graph"
TREND_LOADING = "home-trend-loading"
BUILD_FOOTER = "home-build-footer"

