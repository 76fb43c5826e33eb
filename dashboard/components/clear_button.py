"""A "Clear" button beside a clearable picker, so clearing it does not need a mouse.

Why: Dash's drop-down draws its clear cross inside the drop-down's own button, where it cannot be
a Tab stop (an interactive element inside a button is invalid, and the cross has no keyboard
handler), so keyboard users could not clear the area picker (WCAG 2.1.1). A real button beside it
is a Tab stop and is announced as "Clear <what>". One pattern-matching clientside callback serves
every such button: it sets the picker's value to nothing in the browser, which fires the page's
own callbacks exactly as the cross does.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input

from dashboard import ids


def clear_button(target_id: str, label: str) -> dbc.Button:
    """A small secondary button that clears ``target_id``'s value; ``label`` names what it clears."""
    return dbc.Button(label, id=ids.clear_button(target_id), color="link", size="sm",
                      className="p-0 mt-1 cpop-clear-button")


CLEAR_TARGET = """function (clicks) {
    var trigger = window.dash_clientside.callback_context.triggered_id;
    if (!trigger || !clicks.some(function (n) { return n; })) return;
    window.dash_clientside.set_props(trigger.target, {value: null});
}"""


def register_clear_buttons(app: dash.Dash) -> None:
    """Wire every clear button of ``app`` (called by ``create_app``).

    Why on the app and not at import: Dash hands callbacks registered at import time (``dash.
    clientside_callback``) to the first app set up in the process and then forgets them, so a
    second app (the tests serve several; a worker that builds its app again would too) had buttons
    that did nothing. Pages escape this because Dash imports their modules afresh for each app.
    """
    app.clientside_callback(CLEAR_TARGET, Input(ids.clear_button(ALL), "n_clicks"), prevent_initial_call=True)
