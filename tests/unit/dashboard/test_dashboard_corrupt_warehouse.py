"""Finding 8 of issue 14: a damaged warehouse (truncated, empty, random bytes, bit-flipped) is
reported as damaged, on the page and in the log, with the real command; distinct from a
warehouse not built yet or being built."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

import dash
import pytest

from dashboard.app import create_app
from dashboard.data.context import queries_of
from dashboard.data.reader import BUILDING, CORRUPT, MISSING, WarehouseReader, WarehouseUnavailable
from etl.build_lock import lock_path
from etl.settings import Settings

HOME = "dashboard.pages.home"


def _flip_bits(data: bytes) -> bytes:
    flipped = bytearray(data)
    for offset in range(12_288 + 100, len(flipped), 4096):  # past the file headers, in every block
        flipped[offset] ^= 0xFF
    return bytes(flipped)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "header only": lambda data: data[:100],
    "empty": lambda data: b"",
    "random bytes": lambda data: os.urandom(len(data)),
    "bit-flipped": _flip_bits,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_file_is_reported_as_damaged_and_logged_once(warehouse_path: Path, damage: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    warehouse_path.write_bytes(DAMAGE[damage](warehouse_path.read_bytes()))
    reader = WarehouseReader(warehouse_path)
    with caplog.at_level(logging.ERROR, logger="dashboard.data.reader"):
        for _ in range(2):
            with pytest.raises(WarehouseUnavailable) as unavailable:
                reader.build_id()
                reader.query("SELECT count(*), sum(value) FROM marts.indicator_values")
            assert unavailable.value.kind == CORRUPT
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 1, logged  # once per file, not once per request
    assert str(warehouse_path) in logged[0] and "corrupt" in logged[0] and "cpop build" in logged[0]
    reader.close()


def _home_page(path: Path) -> str:
    app = create_app(Settings(warehouse_path=path))
    assert app.server.test_client().get("/").status_code == 200
    layout = dash.page_registry[HOME]["layout"]
    with app.server.test_request_context("/"):
        page = str(layout())
    queries_of(app.server).reader.close()
    return page


def test_the_page_says_damaged_with_the_real_command(warehouse_path: Path) -> None:
    warehouse_path.write_bytes(warehouse_path.read_bytes()[:5000])
    page = _home_page(warehouse_path)
    assert "The warehouse file is damaged" in page and "cpop build" in page
    assert "not built yet" not in page and "--demo" not in page


def test_missing_and_being_built_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "cpop.duckdb"
    page = _home_page(path)
    assert "The warehouse is not built yet" in page and "--demo" not in page
    assert "cpop demo && cpop build --raw-dir data/demo/raw" in page
    lock_path(path).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                           "started_at": "2026-12-03 13:00:00 UTC", "raw_dir": ""}))
    with pytest.raises(WarehouseUnavailable) as unavailable:
        WarehouseReader(path).query("SELECT 1")
    assert unavailable.value.kind == BUILDING
    assert "The warehouse is being built" in _home_page(path)
    lock_path(path).write_text("")  # released
    with pytest.raises(WarehouseUnavailable) as unavailable:
        WarehouseReader(path).query("SELECT 1")
    assert unavailable.value.kind == MISSING


def test_a_query_mistake_is_not_called_damage(reader: WarehouseReader) -> None:
    import duckdb

    with pytest.raises(duckdb.Error):
        reader.query("SELECT * FROM marts.no_such_table")
