"""A fingerprint of everything a build reads, so ``cpop build --if-changed`` can skip a rebuild.

Why: ``make run`` builds the warehouse and then serves it. Rebuilding real Scotland takes about
a minute; when nothing it reads has changed (the snapshot, data/raw, the catalogue, the build's
own code), serving the warehouse already there is the same and starts at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

from etl.settings import DEMO_MARKER, Settings

ETL_DIR = Path(__file__).resolve().parent


def _files(root: Path) -> Iterable[Path]:
    """Files a build may read: not caches, nor ``cpop fetch``'s bookkeeping (dot files and folders, such as
    ``.fetch-state.json`` and ``.incoming-*``, which no loader reads), except the demo marker."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and (p.name == DEMO_MARKER or not any(part.startswith(".") for part in p.relative_to(root).parts)))


def inputs_fingerprint(settings: Settings, catalogue_dir: Path) -> str:
    """sha256 over the name, size and modification time of every file a build would read."""
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\n".encode())
    # the published local datasets (etl/local/published.py) are inputs too
    for root in [*settings.input_roots(), catalogue_dir, ETL_DIR, settings.user_dir / "local" / "published"]:
        for path in _files(Path(root)):
            stat = path.stat()
            digest.update(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def fingerprint_path(settings: Settings) -> Path:
    """Where the fingerprint of the live warehouse's inputs is kept (beside the warehouse)."""
    return settings.warehouse_path.with_name(settings.warehouse_path.name + ".inputs")


def is_up_to_date(settings: Settings, catalogue_dir: Path) -> bool:
    """True when the live warehouse exists and was built from exactly these inputs."""
    marker = fingerprint_path(settings)
    return (settings.warehouse_path.is_file() and settings.internal_path.is_file() and marker.is_file()
            and marker.read_text(encoding="utf-8").strip() == inputs_fingerprint(settings, catalogue_dir))
