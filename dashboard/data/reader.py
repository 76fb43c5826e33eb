"""Read-only access to the warehouse file, reopened when a rebuild swaps a new file in.

Why: the ETL builds ``cpop.duckdb.building-<build_id>`` and ``os.replace``s it over the live file, so
the dashboard must pick up a new build without a restart. DuckDB caches a database
instance per path inside one process: a fresh ``duckdb.connect(path)`` after the swap
still shows the OLD database until every connection to that path is closed
(duckdb/duckdb#15912). So each query first compares the file's identity (inode, device,
mtime) with the one we opened; on a change it takes the write side of a readers-writer
lock (no query in flight), closes the old connection and opens the new file. Queries run
on their own cursor under the shared side of the lock.

The warehouse is a pair (``etl.warehouse_files``): the public file, opened here, and its internal
file (data-zone counts before disclosure control, bridges, hidden-cell lists), attached read-only
because user-made areas are aggregated from data zones on the server. Both must carry the same
build id; a mismatched pair (a build swapping them in between its two moves) is retried for a
moment, then refused with its own panel (kind ``mismatch``).

This is the only module in the dashboard that imports duckdb (CONVENTIONS 11).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.data.sqlfiles import load_sql
from etl.errors import is_corruption
from etl.warehouse_files import PairMismatch, attach_internal, search_path_sql

FileIdentity = tuple[int, int, int]
Params = Mapping[str, Any] | Sequence[Any] | None
T = TypeVar("T")


#: Why the warehouse cannot be read: each has its own panel and command (``components/error_panel``).
MISSING, BUILDING, BUSY, CORRUPT, MISMATCH = "missing", "building", "busy", "corrupt", "mismatch"
#: how long an opening reader waits for a build to finish swapping in the second file of its pair
PAIR_WAIT_SECONDS = 3.0
#: set-up cursors kept per kind of script (``WarehouseReader.script``): one per concurrent profile
KEPT_CURSORS = 4
_LOCKED = ("could not set lock", "conflicting lock")
log = logging.getLogger(__name__)


class WarehouseUnavailable(RuntimeError):
    """The warehouse file cannot be read: ``kind`` says why (missing, building, busy, corrupt or mismatch).

    Pages turn this into a panel that says which, with the command that fixes it.
    """

    def __init__(self, path: Path, reason: str, kind: str = MISSING) -> None:
        super().__init__(f"warehouse {path} is unavailable ({kind}): {reason}")
        self.path = path
        self.reason = reason
        self.kind = kind


def _open_failure(path: Path, exc: BaseException) -> WarehouseUnavailable:
    first = (str(exc).splitlines() or [""])[0]
    if any(word in first.lower() for word in _LOCKED):
        return WarehouseUnavailable(path, first, BUSY)
    return WarehouseUnavailable(path, first, CORRUPT)


class ReadersWriterLock:
    """Many concurrent readers or one writer; a waiting writer blocks new readers.

    Why: a reopen must not close the connection under a running query, but queries
    must not serialise each other.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the lock in shared (reader) mode for the block."""
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the lock in exclusive (writer) mode for the block."""
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def file_identity(path: Path) -> FileIdentity | None:
    """(inode, device, mtime_ns) of ``path``, or None when it does not exist.

    Why: ``os.replace`` gives the live path a new inode; the mtime guards file systems
    that reuse inode numbers.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_dev, st.st_mtime_ns)


class WarehouseReader:
    """Thread-safe, read-only queries on one DuckDB file, following os.replace swaps.

    Use ``query(sql, params)`` for DataFrames and ``build_id()`` for the identity of the
    build being read (for cache keys). Nothing is opened until the first call.
    """

    def __init__(self, path: Path | str) -> None:
        self._path = Path(path)
        self._lock = ReadersWriterLock()
        self._cursor_lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: FileIdentity | None = None
        self._build_id: str | None = None
        self._reported: tuple[FileIdentity | None, str] | None = None
        self._search_path = ""
        self._kept: dict[tuple[str, ...], list[duckdb.DuckDBPyConnection]] = {}
        self._kept_con: duckdb.DuckDBPyConnection | None = None

    @property
    def path(self) -> Path:
        """The warehouse file this reader follows."""
        return self._path

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run parameterised ``sql`` on a fresh cursor and return all rows as a DataFrame.

        Raises WarehouseUnavailable when the file is missing or cannot be opened.
        """
        return self._on_cursor(lambda cursor: cursor.execute(sql, params).df())

    def query_arrow(self, sql: str, params: Params = None) -> pa.Table:
        """``query``'s rows as an Arrow table, for results of many thousand rows of text.

        Why: ``query`` hands pandas one Python string per cell to convert again (pandas 3 keeps
        text in Arrow); for What changed on real Scotland (~120,000 rows, a dozen text columns)
        that conversion cost ~0.4 s, as long as the query itself. Arrow's columns come across
        whole.
        """
        return self._on_cursor(lambda cursor: cursor.sql(sql, params=params).to_arrow_table())

    def _on_cursor(self, fetch: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """``fetch``'s result on a fresh cursor of the current file, under the shared lock."""
        self._ensure_current()
        with self._lock.shared():
            con = self._con
            if con is None:  # closed by a failed reopen in another thread
                raise WarehouseUnavailable(self._path, "the file could not be opened")
            cursor = self._cursor(con)
            try:
                return fetch(cursor)
            except duckdb.Error as exc:
                raise self._damaged(exc) from exc
            finally:
                cursor.close()

    def script(self, statements: list[tuple[str, Params]], setup: tuple[str, ...] = (),
               tables: Mapping[str, pa.Table] | None = None) -> pd.DataFrame:
        """Run several statements on ONE cursor and return the last one's rows.

        Why: on-demand statistics (user-made areas) stage small TEMP tables and macros, which
        live only in the cursor that created them; the warehouse itself stays read-only.
        ``setup`` holds statements that depend only on the build (TEMP macros, a TEMP copy of the
        catalogue): they run once on a cursor that is then kept for the next script with the same
        setup, until the file is reopened. Made afresh they cost ~4 ms a profile. A kept cursor
        still holds the last script's TEMP objects, so such scripts make theirs with ``CREATE OR
        REPLACE`` and always of the same kind (a view stays a view). ``tables`` are Arrow tables the
        statements read by name (registered on the cursor for this script only).
        """
        self._ensure_current()
        with self._lock.shared():
            con = self._con
            if con is None:
                raise WarehouseUnavailable(self._path, "the file could not be opened")
            cursor = self._set_up_cursor(con, setup) if setup else self._cursor(con)
            done = False
            registered: list[str] = []
            try:
                for name, table in (tables or {}).items():
                    cursor.register(name, table)
                    registered.append(name)
                result = pd.DataFrame()
                for sql, params in statements:
                    rel = cursor.execute(sql, params)
                    result = rel.df() if rel.description else pd.DataFrame()
                done = True
                return result
            except duckdb.Error as exc:
                raise self._damaged(exc) from exc
            finally:
                for name in registered:
                    cursor.unregister(name)
                if not (done and setup and self._keep_cursor(con, setup, cursor)):
                    cursor.close()

    def _set_up_cursor(self, con: duckdb.DuckDBPyConnection, setup: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
        """A kept cursor of ``con`` on which ``setup`` has run, or a new one set up now."""
        with self._cursor_lock:
            kept = self._kept.get(setup) if self._kept_con is con else None
            if kept:
                return kept.pop()
        cursor = self._cursor(con)
        try:
            for sql in setup:
                cursor.execute(sql)
        except duckdb.Error as exc:
            cursor.close()
            raise self._damaged(exc) from exc
        except BaseException:
            cursor.close()
            raise
        return cursor

    def _keep_cursor(self, con: duckdb.DuckDBPyConnection, setup: tuple[str, ...],
                     cursor: duckdb.DuckDBPyConnection) -> bool:
        """Keep a set-up cursor of the open connection for the next script (False: close it)."""
        with self._cursor_lock:
            if self._con is not con:
                return False
            if self._kept_con is not con:
                self._kept_con, self._kept = con, {}
            kept = self._kept.setdefault(setup, [])
            if len(kept) >= KEPT_CURSORS:
                return False
            kept.append(cursor)
            return True

    def _cursor(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        """A new cursor that finds the internal file's schemas (``core.x``): search paths are per cursor."""
        with self._cursor_lock:
            cursor = con.cursor()
        try:
            cursor.execute(self._search_path)
        except BaseException:
            cursor.close()
            raise
        return cursor

    def build_id(self) -> str:
        """The ``meta.build_info.build_id`` of the file currently open (checked for a swap)."""
        self._ensure_current()
        build_id = self._build_id
        if build_id is None:
            raise WarehouseUnavailable(self._path, "the file could not be opened")
        return build_id

    def close(self) -> None:
        """Close the connection (the next query reopens)."""
        with self._lock.exclusive():
            self._close_locked()

    def _damaged(self, exc: duckdb.Error) -> Exception:
        """``exc`` as WarehouseUnavailable(corrupt) when the file is damaged (logged), else ``exc`` itself."""
        if not is_corruption(exc):
            return exc
        return self._report(WarehouseUnavailable(self._path, str(exc).splitlines()[0], CORRUPT))

    def _report(self, problem: WarehouseUnavailable) -> WarehouseUnavailable:
        """Log a damaged or locked file once per file identity (each request would repeat it)."""
        key = (file_identity(self._path), problem.kind)
        if key != self._reported:
            self._reported = key
            log.error("warehouse %s cannot be read (%s): %s. Run `cpop build` to rebuild it.",
                      self._path, problem.kind, problem.reason)
        return problem

    def _ensure_current(self) -> None:
        identity = file_identity(self._path)
        if identity is None:
            if self._con is not None:
                self.close()
            from etl.build_lock import build_running

            if build_running(self._path):
                raise WarehouseUnavailable(self._path, "the first build is running", BUILDING)
            raise WarehouseUnavailable(self._path, "the file does not exist", MISSING)
        if identity == self._identity and self._con is not None:
            return
        with self._lock.exclusive():
            if identity == self._identity and self._con is not None:
                return  # another thread reopened while we waited
            self._close_locked()
            self._open_locked(identity)

    def _open_locked(self, identity: FileIdentity) -> None:
        deadline = time.monotonic() + PAIR_WAIT_SECONDS
        while True:
            try:
                self._open_pair_locked(identity)
                return
            except PairMismatch as exc:
                # two build ids: a build is between its two moves; a missing internal file will not come
                if exc.internal_id is None or time.monotonic() >= deadline:
                    raise self._report(WarehouseUnavailable(self._path, str(exc), MISMATCH)) from exc
            time.sleep(0.1)  # a build is between its two moves: the public file follows at once
            identity = file_identity(self._path) or identity

    def _open_pair_locked(self, identity: FileIdentity) -> None:
        try:
            con = duckdb.connect(str(self._path), read_only=True)
        except (duckdb.Error, OSError) as exc:
            raise self._report(_open_failure(self._path, exc)) from exc
        try:
            rows = con.execute(load_sql("build_id")).fetchall()
        except duckdb.Error as exc:
            con.close()
            # a database without meta.build_info is not a cpop warehouse: as good as damaged
            reason = f"meta.build_info cannot be read ({str(exc).splitlines()[0]})"
            raise self._report(WarehouseUnavailable(self._path, reason, CORRUPT)) from exc
        try:
            attach_internal(con, self._path)
            search_path = search_path_sql(con)
        except PairMismatch:
            con.close()
            raise
        except (duckdb.Error, OSError) as exc:
            con.close()
            reason = f"its internal file cannot be read ({str(exc).splitlines()[0]})"
            raise self._report(WarehouseUnavailable(self._path, reason, CORRUPT)) from exc
        self._con = con
        self._search_path = search_path
        self._identity = identity
        self._build_id = str(rows[0][0]) if rows else f"file-{identity[0]}-{identity[2]}"

    def _close_locked(self) -> None:
        with self._cursor_lock:
            kept = [cursor for cursors in self._kept.values() for cursor in cursors]
            self._kept_con, self._kept = None, {}
        for cursor in kept:
            cursor.close()
        if self._con is not None:
            self._con.close()
        self._con = None
        self._identity = None
        self._build_id = None
