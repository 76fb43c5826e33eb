"""Paths and options in one place (pydantic-settings), overridable by ``CPOP_*`` env vars.

Why: the CLI, the dashboard, tests and benchmarks must agree on where raw files and the
warehouse live; a single settings object keeps that choke point.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The catalogue of real indicators (the product) and the fictional demo country's catalogue.
REAL_CATALOGUE = Path(__file__).resolve().parent / "catalogue"
DEMO_CATALOGUE = Path(__file__).resolve().parent / "demo" / "catalogue"
#: Written by ``cpop demo`` into a raw folder: a build of that folder is the fictional demo.
DEMO_MARKER = ".cpop-demo"
#: The committed snapshot of the publishers' files (``cpop snapshot``), read before data/raw.
SNAPSHOT_DIR = PROJECT_ROOT / "data" / "snapshot"


class Settings(BaseSettings):
    """Where things are. Relative paths are resolved against the project root."""

    model_config = SettingsConfigDict(env_prefix="CPOP_", extra="ignore")

    raw_dir: Path = PROJECT_ROOT / "data" / "raw"
    #: where ``cpop demo`` writes the fictional country's raw files (never mixed with real data)
    demo_raw_dir: Path = PROJECT_ROOT / "data" / "demo" / "raw"
    warehouse_path: Path = PROJECT_ROOT / "data" / "warehouse" / "cpop.duckdb"
    user_dir: Path = PROJECT_ROOT / "data" / "user"
    #: None: the real catalogue, or the demo country's for a demo build
    catalogue_dir: Path | None = None
    #: the committed snapshot of real published data; a demo build never reads it
    snapshot_dir: Path = SNAPSHOT_DIR
    use_snapshot: bool = True
    host: str = "127.0.0.1"
    port: int = 8050
    threads: int = 2  # DuckDB threads for a build
    #: waitress worker threads for ``cpop serve``: requests wait mostly on DuckDB (which
    #: releases the GIL), so more threads than cores keep 20 users from queueing
    server_threads: int = 16
    #: where users report an accessibility problem (an email address or web page), shown in the
    #: dashboard's accessibility statement; set by the organisation that publishes this site
    accessibility_contact: str = ""

    def catalogue_for(self, demo: bool) -> Path:
        """The catalogue a build uses: the one set explicitly, else real or demo."""
        if self.catalogue_dir is not None:
            return self.catalogue_dir
        return DEMO_CATALOGUE if demo else REAL_CATALOGUE

    def input_roots(self) -> list[Path]:
        """Where a build finds ``<source>/<release>/`` folders: the snapshot (unless switched
        off, as it is for a demo build), then ``raw_dir``, whose release folders replace the
        snapshot's folders of the same release."""
        roots = [self.snapshot_dir] if self.use_snapshot and self.snapshot_dir.is_dir() else []
        return [*roots, self.raw_dir]

    @property
    def building_path(self) -> Path:
        """The file a build writes before it is swapped in (never read by the dashboard)."""
        return self.warehouse_path.with_name(self.warehouse_path.name + ".building")


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass paths here)."""
    return Settings(**overrides)  # type: ignore[arg-type]
