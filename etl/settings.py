"""Paths and options in one place (pydantic-settings), overridable by ``CPOP_*`` env vars.

Why: the CLI, the dashboard, tests and benchmarks must agree on where raw files and the
warehouse live; a single settings object keeps that choke point.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where things are. Relative paths are resolved against the project root."""

    model_config = SettingsConfigDict(env_prefix="CPOP_", extra="ignore")

    raw_dir: Path = PROJECT_ROOT / "data" / "raw"
    warehouse_path: Path = PROJECT_ROOT / "data" / "warehouse" / "cpop.duckdb"
    user_dir: Path = PROJECT_ROOT / "data" / "user"
    catalogue_dir: Path = Path(__file__).resolve().parent / "catalogue"
    host: str = "127.0.0.1"
    port: int = 8050
    threads: int = 2  # DuckDB threads for a build
    #: waitress worker threads for ``cpop serve``: requests wait mostly on DuckDB (which
    #: releases the GIL), so more threads than cores keep 20 users from queueing
    server_threads: int = 16

    @property
    def building_path(self) -> Path:
        """The file a build writes before it is swapped in (never read by the dashboard)."""
        return self.warehouse_path.with_name(self.warehouse_path.name + ".building")


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass paths here)."""
    return Settings(**overrides)  # type: ignore[arg-type]
