"""WSGI entry point: ``waitress-serve dashboard.wsgi:server`` (settings from CPOP_* env)."""

from __future__ import annotations

from dashboard.app import create_app

server = create_app().server
