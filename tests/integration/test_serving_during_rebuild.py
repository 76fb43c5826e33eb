"""A dashboard that is serving keeps serving through a rebuild and shows the new build
without a restart (the build swaps the file in with os.replace; the reader reopens)."""

from __future__ import annotations

from pathlib import Path

from dashboard.app import create_app
from dashboard.data.context import queries_of
from etl.build import build
from etl.settings import Settings
from tests.fixtures.tiny_world import write_tiny_raw


def test_new_build_is_served_without_restart(tmp_path: Path) -> None:
    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    first = build(settings).build_id
    app = create_app(settings)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    queries = queries_of(app.server)
    assert queries.build_info()["build_id"] == first

    second = build(settings).build_id  # rebuild while the serving app holds its connection
    assert second != first
    assert client.get("/").status_code == 200
    assert queries.build_info()["build_id"] == second
    area = queries.area("council", "S12900001")
    assert area is not None
