"""A researcher's read-only connection never blocks or breaks a rebuild (docs/researchers.md).

The build writes ``cpop.duckdb.building-<build_id>`` and ``os.replace``s it over the live path. An open
read-only connection keeps the old file (its inode) and goes on reading the old build; a new
connection, from another process or after the old one is closed, sees the new build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.settings import get_settings
from etl.warehouse_files import open_pair
from tests.fixtures.tiny_world import write_tiny_raw

pytestmark = pytest.mark.slow
BUILD_ID = "SELECT build_id FROM meta.build_info"


def _build_id_in_new_process(path: Path) -> str:
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            f"print(c.execute('{BUILD_ID}').fetchall()[0][0])")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                          timeout=60)
    return done.stdout.strip()


def test_read_only_connection_survives_a_rebuild(tmp_path: Path) -> None:
    # the tiny world: what is tested is the swap under an open connection, not the data (a whole demo
    # rebuild here cost a minute of `make test`)
    live = tmp_path / "warehouse" / "cpop.duckdb"
    settings = get_settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=live)
    build(settings)
    researcher = duckdb.connect(str(live), read_only=True)
    try:
        old_id = researcher.execute(BUILD_ID).fetchall()[0][0]
        rows_before = researcher.execute("SELECT count(*) FROM marts.indicator_values").fetchall()[0][0]
        assert rows_before > 0
        # a rebuild to the same path while the researcher's connection is open
        result = build(settings)
        assert result.build_id != old_id
        assert not list(settings.warehouse_path.parent.glob(settings.warehouse_path.name + ".building*"))
        assert not list(settings.internal_path.parent.glob(settings.internal_path.name + ".building*"))
        # the old connection still reads, and still sees the build it opened
        assert researcher.execute(BUILD_ID).fetchall()[0][0] == old_id
        assert researcher.execute("SELECT count(*) FROM marts.indicator_values").fetchall()[0][0] == rows_before
        # a new connection elsewhere sees the new build at once
        assert _build_id_in_new_process(live) == result.build_id
    finally:
        researcher.close()
    # in this process too, once the old connection is closed (DuckDB caches a database per path)
    fresh = duckdb.connect(str(live), read_only=True)
    try:
        assert fresh.execute(BUILD_ID).fetchall()[0][0] == result.build_id
    finally:
        fresh.close()
    # the internal file was swapped in with it: the pair carries the new build id
    pair = open_pair(live)
    try:
        assert pair.execute("SELECT build_id FROM core.build_stamp").fetchall() == [(result.build_id,)]
    finally:
        pair.close()
