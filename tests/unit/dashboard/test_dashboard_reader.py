"""WarehouseReader: read-only access that follows an os.replace swap without a restart."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from contract_warehouse import build_contract_warehouse, build_internal_file

from dashboard.data.queries import Queries
from dashboard.data.reader import MISMATCH, ReadersWriterLock, WarehouseReader, WarehouseUnavailable
from etl.warehouse_files import internal_path

VALUE_SQL = (
    "select value from marts.indicator_values where indicator_id = $i and area_code = $a "
    "and period_label = $p"
)
PARAMS = {"i": "ey_child_poverty", "a": "S13002883", "p": "2021/22"}


def _swap_in(tmp_path: Path, live: Path, build_id: str, shift: float) -> None:
    """Build the pair aside and os.replace it over the live pair (internal first), as the ETL does."""
    internal = tmp_path / "cpop.internal.duckdb.building"
    building = build_contract_warehouse(
        tmp_path / "cpop.duckdb.building", build_id=build_id, value_shift=shift, internal=internal
    )
    os.replace(internal, internal_path(live))
    os.replace(building, live)


def test_query_returns_dataframe_with_params(reader: WarehouseReader) -> None:
    df = reader.query(VALUE_SQL, PARAMS)
    assert df["value"].tolist() == [pytest.approx(26.8)]


def test_reader_is_read_only(reader: WarehouseReader) -> None:
    with pytest.raises(Exception, match="(?i)read.only"):
        reader.query("create table marts.x (i integer)")


def test_swap_is_picked_up_without_restart(tmp_path: Path, warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path)
    assert reader.build_id() == "fixture-a"
    assert reader.query(VALUE_SQL, PARAMS)["value"].tolist() == [pytest.approx(26.8)]

    _swap_in(tmp_path, warehouse_path, "fixture-b", 10.0)

    assert reader.query(VALUE_SQL, PARAMS)["value"].tolist() == [pytest.approx(36.8)]
    assert reader.build_id() == "fixture-b"
    reader.close()


def test_queries_cache_is_cleared_by_a_swap(tmp_path: Path, warehouse_path: Path) -> None:
    queries = Queries(WarehouseReader(warehouse_path))
    before = queries.latest_values("ward", "S13002883").set_index("indicator_id")
    assert before.loc["ey_child_poverty", "value"] == pytest.approx(26.8)

    _swap_in(tmp_path, warehouse_path, "fixture-b", 1.0)

    after = queries.latest_values("ward", "S13002883").set_index("indicator_id")
    assert after.loc["ey_child_poverty", "value"] == pytest.approx(27.8)
    queries.reader.close()


def test_missing_file_raises_unavailable(tmp_path: Path) -> None:
    reader = WarehouseReader(tmp_path / "absent.duckdb")
    with pytest.raises(WarehouseUnavailable, match="does not exist"):
        reader.query("select 1")
    with pytest.raises(WarehouseUnavailable):
        reader.build_id()


def test_file_removed_after_open_raises_then_recovers(tmp_path: Path, warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path)
    reader.query("select 1")
    warehouse_path.unlink()
    with pytest.raises(WarehouseUnavailable):
        reader.query("select 1")
    build_contract_warehouse(warehouse_path, build_id="fixture-c")
    assert reader.build_id() == "fixture-c"
    reader.close()


def test_internal_file_from_another_build_is_refused(tmp_path: Path, warehouse_path: Path) -> None:
    """A build that moved its internal file in but not yet its public one: nothing is shown from either."""
    build_internal_file(internal_path(warehouse_path), "fixture-other")
    reader = WarehouseReader(warehouse_path)
    with pytest.raises(WarehouseUnavailable, match="fixture-a.*fixture-other") as caught:
        reader.query("select 1")
    assert caught.value.kind == MISMATCH
    assert "cpop build" in str(caught.value)
    # the build's second move arrives: the pair matches and is read
    _swap_in(tmp_path, warehouse_path, "fixture-other", 0.0)
    assert reader.build_id() == "fixture-other"
    reader.close()


def test_public_file_waits_for_its_internal_file_mid_swap(tmp_path: Path, warehouse_path: Path) -> None:
    """Opened between a build's two moves, the reader waits for the second one instead of refusing."""
    build_internal_file(internal_path(warehouse_path), "fixture-b")
    mover = threading.Timer(0.5, _swap_in, (tmp_path, warehouse_path, "fixture-b", 10.0))
    mover.start()
    reader = WarehouseReader(warehouse_path)
    try:
        assert reader.query(VALUE_SQL, PARAMS)["value"].tolist() == [pytest.approx(36.8)]
        assert reader.build_id() == "fixture-b"
    finally:
        mover.join()
        reader.close()


def test_missing_internal_file_is_refused_at_once(warehouse_path: Path) -> None:
    internal_path(warehouse_path).unlink()
    with pytest.raises(WarehouseUnavailable, match="internal file .* is missing") as caught:
        WarehouseReader(warehouse_path).query("select 1")
    assert caught.value.kind == MISMATCH


def test_internal_schemas_are_found_by_their_names(warehouse_path: Path) -> None:
    """SQL written as ``core.x`` reads the attached internal file, on every cursor."""
    reader = WarehouseReader(warehouse_path)
    assert reader.query("select build_id from core.build_stamp")["build_id"].tolist() == ["fixture-a"]
    assert reader.script([("select build_id from core.build_stamp", None)])["build_id"].tolist() == ["fixture-a"]
    reader.close()


def test_garbage_file_raises_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "cpop.duckdb"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(WarehouseUnavailable):
        WarehouseReader(path).query("select 1")


def test_concurrent_queries_across_a_swap(tmp_path: Path, warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path)
    errors: list[BaseException] = []
    seen: set[float] = set()

    def work() -> None:
        try:
            for _ in range(30):
                seen.add(round(float(reader.query(VALUE_SQL, PARAMS)["value"].iloc[0]), 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    _swap_in(tmp_path, warehouse_path, "fixture-b", 10.0)
    for t in threads:
        t.join()
    assert not errors
    assert seen <= {26.8, 36.8}
    assert reader.query(VALUE_SQL, PARAMS)["value"].tolist() == [pytest.approx(36.8)]
    reader.close()


def test_rw_lock_writer_waits_for_readers() -> None:
    lock = ReadersWriterLock()
    order: list[str] = []
    entered = threading.Event()
    release = threading.Event()

    def reader_thread() -> None:
        with lock.shared():
            entered.set()
            release.wait(2)
            order.append("reader done")

    def writer_thread() -> None:
        with lock.exclusive():
            order.append("writer")

    r = threading.Thread(target=reader_thread)
    r.start()
    entered.wait(2)
    w = threading.Thread(target=writer_thread)
    w.start()
    release.set()
    r.join()
    w.join()
    assert order == ["reader done", "writer"]


def test_a_scripts_setup_runs_once_per_kept_cursor_until_the_file_is_reopened(tmp_path: Path,
                                                                              warehouse_path: Path) -> None:
    """A set-up cursor is kept: its TEMP objects from the setup (and from the last script) are there
    the next time; a failed script's cursor is not kept; a swapped-in build starts afresh."""
    reader = WarehouseReader(warehouse_path)
    # CREATE, not CREATE OR REPLACE: a second run of the setup on the same cursor would fail
    setup = ("create temp table stamp as select build_id from core.build_stamp",)
    first = [("create or replace temp table left_behind as select 1 as x", None), ("select * from stamp", None)]
    assert reader.script(first, setup=setup)["build_id"].tolist() == ["fixture-a"]
    assert reader.script([("select x from left_behind", None)], setup=setup)["x"].tolist() == [1]
    with pytest.raises(Exception, match="(?i)left_behind"):  # a script without setup: a fresh cursor
        reader.script([("select x from left_behind", None)])
    with pytest.raises(Exception, match="(?i)no_such_table"):
        reader.script([("select * from no_such_table", None)], setup=setup)
    # the failed script's cursor was closed, not kept: the next one is set up afresh
    with pytest.raises(Exception, match="(?i)left_behind"):
        reader.script([("select x from left_behind", None)], setup=setup)

    _swap_in(tmp_path, warehouse_path, "fixture-b", 1.0)
    assert reader.script([("select * from stamp", None)], setup=setup)["build_id"].tolist() == ["fixture-b"]
    reader.close()
