"""The server's first and last lines against what a browser sends to Dash's callback endpoint.

Why: every control on a page is the browser's to fake. Dash trusts the body of a POST to
``/_dash-update-component``; a body that names no callback, or sends the wrong number or kind
of inputs, raised inside Dash and came back as an HTTP 500. Here:

- ``install_payload_guard``: before Dash sees it, the body must be a JSON object naming a
  callback of this app, with exactly the inputs and states that callback declares (same
  component ids and properties, in order), each value of the type that control sends
  (``dashboard/control_types.py``); anything else is refused with HTTP 400 and a sentence,
  never a traceback. The values themselves are each callback's to check (see
  ``dashboard/payloads.py``), because only the callback knows what they mean.
- ``report_callback_error``: Dash's ``on_error`` hook. A callback that still fails leaves the
  page as it was, shows a message in the app shell's alert and logs the traceback on the server.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import set_props

from dashboard import ids
from dashboard.control_types import encodable, value_problem

log = logging.getLogger(__name__)
UPDATE_PATH = "/_dash-update-component"
MAX_OUTPUT_CHARS = 4000
REFUSED = "This page sent a request the server does not recognise (it may be out of date): reload the page."
FAILED = ("Something went wrong while updating this part of the page, and it was left as it was. "
          "The error has been logged for whoever runs cpop; reload the page and try again.")


class PayloadError(ValueError):
    """What a browser sent cannot be used; the message is for the user (it names what was wrong)."""


def failed_update_alert() -> dbc.Alert:
    """The app shell's alert that a failed callback fills in (hidden until then)."""
    return dbc.Alert(id=ids.APP_ERROR, is_open=False, dismissable=True, color="warning", className="m-2")


def report_callback_error(exc: Exception) -> None:
    """Dash's ``on_error``: log the failure, tell the user, leave every output unchanged (returns None)."""
    if isinstance(exc, PayloadError):
        message = f"That could not be used: {exc}"
        log.info("callback refused a payload: %s", exc)
    else:
        message = FAILED
        log.error("callback %s failed", getattr(dash.callback_context, "triggered_id", None), exc_info=exc)
    set_props(ids.APP_ERROR, {"children": message, "is_open": True})
    return None


def _declared_items(spec: list[dict]) -> list[tuple[Any, str]]:
    return [(item.get("id"), item.get("property")) for item in spec]


def _matches(sent: Any, declared: list[tuple[Any, str]]) -> bool:
    """Whether the inputs (or states) sent are exactly the declared ones, in order.

    A declared id that is a dict is a pattern-matching (wildcard) id: the browser sends a list
    of matching components (or one) for it; those must be objects with dict ids and the same property.
    """
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for item, (cid, prop) in zip(sent, declared, strict=True):
        if isinstance(cid, dict) or (isinstance(cid, str) and cid.startswith("{")):
            group = item if isinstance(item, list) else [item]
            if not all(isinstance(g, dict) and isinstance(g.get("id"), dict) and g.get("property") == prop
                       for g in group):
                return False
        elif not (isinstance(item, dict) and item.get("id") == cid and item.get("property") == prop):
            return False
    return True


def _outputs_ok(sent: Any, output: str) -> bool:
    """The ``outputs`` field is one {id, property} object, or a list of them (lists for wildcards)."""
    expected = output.strip(".").count("...") + 1 if output.startswith("..") else 1
    items = sent if isinstance(sent, list) and output.startswith("..") else [sent]
    if len(items) != expected:
        return False
    flat = [i for item in items for i in (item if isinstance(item, list) else [item])]
    return all(isinstance(i, dict) and isinstance(i.get("property"), str) and isinstance(i.get("id"), str | dict)
               for i in flat)


def refusal(body: Any, callback_map: dict[str, dict]) -> str | None:
    """Why a callback request body is refused, or None when its shape is the declared one."""
    if not isinstance(body, dict):
        return "the request body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or len(output) > MAX_OUTPUT_CHARS or output not in callback_map:
        return "it names no callback of this app"
    spec = callback_map[output]
    if not callable(spec.get("callback")):  # a clientside callback: the browser runs it, not the server
        return "it names no callback of this app"
    if not spec.get("no_output") and "outputs" in body and not _outputs_ok(body["outputs"], output):
        return "its outputs are not the callback's"
    if not _matches(body.get("inputs", []), _declared_items(spec.get("inputs", []))):
        return "its inputs are not the callback's"
    if not _matches(body.get("state", []), _declared_items(spec.get("state", []))):
        return "its state is not the callback's"
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        for one in item if isinstance(item, list) else [item]:
            problem = value_problem(one.get("id"), str(one.get("property")), one.get("value"))
            if problem:
                return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and len(c) < MAX_OUTPUT_CHARS for c in changed):
        return "its changed properties are not a list of names"
    return None


def clean_values(body: dict[str, Any]) -> None:
    """Replace lone surrogates in every input and state value, in place: a browser can send
    ``"\ud800"`` in JSON, and no callback should have to think about it (``clean_unicode``)."""
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        for one in item if isinstance(item, list) else [item]:
            if isinstance(one, dict) and "value" in one:
                one["value"] = encodable(one["value"])


def install_payload_guard(app: dash.Dash) -> None:
    """Refuse (HTTP 400) callback requests whose shape is not the declared one, before Dash reads them."""

    @app.server.before_request
    def _check_callback_body() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        body = request.get_json(silent=True, cache=True)
        why = refusal(body, app.callback_map)
        if why is None:
            clean_values(body)  # Dash reads the same cached body next
            return None
        log.info("refused a callback request: %s", why)
        return flask.make_response(({"error": f"{REFUSED} (The request was refused because {why}.)"}, 400))
