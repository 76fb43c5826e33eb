"""``python -m dashboard``: serve with settings from the environment (CPOP_* variables)."""

from __future__ import annotations

from dashboard.app import serve

if __name__ == "__main__":
    serve()
