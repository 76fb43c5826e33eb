"""Paths and options in one place (pydantic-settings), overridable by ``CPOP_*`` env vars.

Why: the CLI, the dashboard, tests and benchmarks must agree on where raw files and the
warehouse live; a single settings object keeps that choke point.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
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
    #: the researchers' warehouse (marts and meta only); its internal file (raw, staging, core:
    #: counts before disclosure control, never shared) is ``internal_path`` beside it
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
    #: DuckDB's memory limit for a build (CPOP_BUILD_MEMORY_LIMIT): past it the build stops with a
    #: clear message instead of the machine swapping or the kernel killing it
    build_memory_limit: str = "1536MB"
    #: limits on one raw file, checked before it is read (etl/sources/limits.py, docs/security.md)
    max_raw_file_mb: int = 512
    max_raw_rows: int = 10_000_000
    max_sheet_cells: int = 20_000_000
    max_uncompressed_mb: int = 1024
    #: waitress worker threads for ``cpop serve``. Few: most of a request's time is Python (pandas,
    #: plotly figures) holding the GIL, so on two cores more threads only slice every request thinner
    #: (20 users, ``make bench``'s load rounds: p95 930 ms with 16 threads; on 5 December 2026,
    #: alternating settings on one warehouse, 369-442 ms with 6 and 300-417 ms with 4, means of
    #: 9 and 12 rounds 409 and 334 ms; 3 and 2 threads were no better than 4). Not fewer than 4:
    #: a slow export (a PDF takes seconds) holds a thread, and while four run at once every other
    #: request waits; raise this where officers export a lot at the same time.
    server_threads: int = 4
    #: signs the session cookie of signed-in officers; when unset, a random key is generated
    #: once into ``<user_dir>/secret_key`` (0600, gitignored), so ``make run`` needs no setup
    secret_key: SecretStr | None = None
    #: send the session cookie over HTTPS only (set true when served behind TLS)
    secure_cookies: bool = False
    #: trust this header (e.g. ``X-Remote-User``) as the signed-in user's name, set by the
    #: council's reverse proxy after its own sign-in; off (None) by default: see docs/security.md
    auth_proxy_header: str | None = None
    #: origins other than the server's own allowed to POST (e.g. ``https://cpop.council.gov.uk``
    #: when a proxy rewrites the Host header); comma-separated in ``CPOP_ALLOWED_ORIGINS``
    allowed_origins: str = ""
    #: the largest file an officer may upload on My areas (checked by the upload's callback)
    max_upload_bytes: int = 5 * 1024 * 1024
    #: the largest request body the server reads, refused from its Content-Length before reading:
    #: above the upload (base64, 4/3 of the file) because Advanced tables' download sends the
    #: grid's rows back (a council's data zones, every indicator: ~32 MB in the demo)
    max_request_bytes: int = 64 * 1024 * 1024
    #: an e-mail address added to ``cpop fetch``'s User-Agent, so a publisher can reach the operator
    fetch_contact: str | None = None
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
    def internal_path(self) -> Path:
        """The internal file published with the warehouse (``cpop.internal.duckdb``): raw, staging and
        core, counts before disclosure control. Read by the build, ``cpop check`` and the dashboard's
        server; never given to researchers."""
        from etl.warehouse_files import internal_path

        return internal_path(self.warehouse_path)

    def building_path(self, build_id: str) -> Path:
        """The public file one build writes before it is swapped in (never read by the dashboard).

        Each build has its own (``<warehouse>.building-<build_id>``), so a build can only ever
        swap in the file it wrote itself.
        """
        return self.warehouse_path.with_name(f"{self.warehouse_path.name}.building-{build_id}")

    def internal_building_path(self, build_id: str) -> Path:
        """The internal file one build writes (``<internal>.building-<build_id>``), swapped in with its pair."""
        return self.internal_path.with_name(f"{self.internal_path.name}.building-{build_id}")


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass paths here)."""
    return Settings(**overrides)  # type: ignore[arg-type]
