"""Find the Queries object of the app serving the current request.

Why: state must not live in module globals (CONVENTIONS 10), and a process may hold more
than one app (tests): ``create_app`` attaches its Queries to the Flask server, and layouts
and callbacks, which always run inside a request, look it up here.
"""

from __future__ import annotations

from pathlib import Path

import flask

from dashboard.data.queries import Queries
from etl.settings import Settings

EXTENSION_KEY = "cpop.queries"


def attach_queries(server: flask.Flask, queries: Queries) -> None:
    """Make ``queries`` the data source of every request served by ``server``."""
    server.extensions[EXTENSION_KEY] = queries


def get_queries() -> Queries:
    """The Queries of the app handling the current request (RuntimeError outside one)."""
    try:
        return flask.current_app.extensions[EXTENSION_KEY]
    except KeyError as exc:
        raise RuntimeError("no Queries attached: build the app with create_app()") from exc


def queries_of(server: flask.Flask) -> Queries:
    """The Queries attached to ``server`` (for shutdown hooks and tests)."""
    return server.extensions[EXTENSION_KEY]


SETTINGS_KEY = "cpop_settings"


def attach_settings(server: flask.Flask, settings: object) -> None:
    """Keep the app's Settings (paths such as the user store) on the server."""
    server.extensions[SETTINGS_KEY] = settings


def get_user_dir() -> Path:
    """The folder for things users create (saved areas, commentary), outside the warehouse."""
    return Path(flask.current_app.extensions[SETTINGS_KEY].user_dir)


def get_request_limit() -> int:
    """The largest request body (bytes) the server reads (``Settings.max_request_bytes``)."""
    return int(flask.current_app.extensions[SETTINGS_KEY].max_request_bytes)


def get_upload_limit() -> int:
    """The largest file (bytes) an officer may upload on My areas (``Settings.max_upload_bytes``)."""
    return int(flask.current_app.extensions[SETTINGS_KEY].max_upload_bytes)


def get_accessibility_contact() -> str:
    """Where users report an accessibility problem (``Settings.accessibility_contact``), or ''."""
    return str(flask.current_app.extensions[SETTINGS_KEY].accessibility_contact)


def get_app_settings() -> Settings:
    """The Settings of the app serving the current request (warehouse, raw and user folders)."""
    return flask.current_app.extensions[SETTINGS_KEY]
