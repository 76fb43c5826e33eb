"""The navbar's account item: "Sign in" for a viewer, the officer's name and "Sign out" for an officer.

Why: an officer must see at a glance whether changes they make will be accepted; a viewer
needs one link to the sign-in page and nothing else. Sign-out is a POST with a CSRF token (a
link that signs out could be triggered by any other site).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.auth.server import (
    CSRF_FIELD,
    SIGN_IN_PAGE,
    SIGN_OUT_PATH,
    csrf_token,
    signed_in_officer,
)


def account_nav() -> object:
    """The right-hand navbar item for whoever is loading the page."""
    officer = signed_in_officer()
    if officer is None:
        return dbc.Nav(dbc.NavItem(dbc.NavLink("Sign in", href=SIGN_IN_PAGE, id=ids.NAV_SIGN_IN, external_link=True)),
                       navbar=True, className="ms-xl-auto")
    return html.Form([
        html.Span(f"Signed in as {officer}", className="navbar-text me-2 small"),
        dbc.Input(type="hidden", name=CSRF_FIELD, value=csrf_token()),
        dbc.Button("Sign out", id=ids.NAV_SIGN_OUT, type="submit", size="sm", color="light", outline=True),
    ], action=SIGN_OUT_PATH, method="post", className="d-flex align-items-center ms-xl-auto")
