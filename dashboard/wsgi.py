"""WSGI entry point: ``waitress-serve dashboard.wsgi:server`` (settings from CPOP_* env)."""

from __future__ import annotations

from dashboard.app import create_app, freeze_startup_objects

server = create_app().server
freeze_startup_objects()
