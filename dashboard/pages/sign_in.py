"""Sign in (path "/sign-in"): officers sign in to save areas and write commentary.

Why: a board member reads everything without an account; an officer signs in here before
changing what the board sees. The form posts to ``/auth/sign-in`` (``dashboard/auth/server.py``)
with a CSRF token; a wrong name or password comes back here with ``?error=wrong``. When no
officer exists yet the page says how to create one on the server (``cpop user add``).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.auth.server import (
    CSRF_FIELD,
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
    csrf_token,
    proxy_header,
    safe_next,
    signed_in_officer,
    user_store,
)

dash.register_page(__name__, path="/sign-in", name="Sign in", order=98, title="cpop – sign in", nav=False)

ERRORS = {
    "wrong": "That user name and password do not match an officer's account. Check them and try again.",
    "expired": "The sign-in form had expired (or came from another page). Please sign in again.",
    "proxy": "Sign-in is handled by your council's single sign-on here: sign in there, then reload cpop.",
}
UNREADABLE = ("The officers' accounts cannot be read on the server (data/user/users.json), so nobody can sign "
              "in: tell whoever runs cpop.")
NO_ACCOUNTS = ("No officer accounts exist yet. Whoever runs cpop creates one on the server with "
               "`cpop user add <name>` (it asks for a password); see the README, \"Officers' accounts\".")


def _hidden(name: str, value: str) -> dbc.Input:
    return dbc.Input(type="hidden", name=name, value=value)


def layout(next: str | None = None, error: str | None = None, **_: Any) -> dbc.Container:  # noqa: A002 - URL parameter
    officer = signed_in_officer()
    target = safe_next(next)
    intro = html.P("Anyone can read cpop without signing in. Officers sign in to save, rename and delete areas "
                   "and to write commentary for the board.", className="cpop-intro")
    if officer:
        body: list[Any] = [dbc.Alert(f"You are signed in as {officer}.", color="success"),
                           html.Form([_hidden(CSRF_FIELD, csrf_token()),
                                      dbc.Button("Sign out", type="submit", color="secondary")],
                                     action=SIGN_OUT_PATH, method="post")]
    elif proxy_header():
        body = [dbc.Alert(ERRORS["proxy"], color="info")]
    else:
        notes = [dbc.Alert(ERRORS[error], color="danger", id=ids.SIGN_IN_MESSAGE)] \
            if error in ERRORS else []
        try:
            if not user_store().has_accounts():
                notes.append(dbc.Alert(NO_ACCOUNTS, color="info"))
        except (OSError, ValueError):
            notes.append(dbc.Alert(UNREADABLE, color="warning"))
        body = [*notes, html.Form([
            _hidden(CSRF_FIELD, csrf_token()), _hidden("next", target),
            dbc.Label("User name", html_for=ids.SIGN_IN_USERNAME),
            dbc.Input(id=ids.SIGN_IN_USERNAME, name="username", autocomplete="username", required=True,
                      className="mb-2"),
            dbc.Label("Password", html_for=ids.SIGN_IN_PASSWORD),
            dbc.Input(id=ids.SIGN_IN_PASSWORD, name="password", type="password", autocomplete="current-password",
                      required=True, className="mb-3"),
            dbc.Button("Sign in", id=ids.SIGN_IN_SUBMIT, type="submit", color="primary"),
        ], id=ids.SIGN_IN_FORM, action=SIGN_IN_PATH, method="post", style={"maxWidth": "24rem"})]
    return dbc.Container([html.H1("Sign in", className="h3 mt-2"), intro, *body], fluid="lg")
