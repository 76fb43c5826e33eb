"""The two files one build publishes: the researchers' warehouse and the internal one beside it.

Why: ``raw``, ``staging`` and ``core`` hold counts before disclosure control (a data zone's 1
to 4); researchers are told to open the warehouse. So a build publishes two files with the same
build id: the public one (``cpop.duckdb``: ``marts`` and ``meta`` only, after disclosure
control, documented in docs/schema.md) and the internal one (``cpop.internal.duckdb``: ``raw``,
``staging`` and ``core``), which only the build, ``cpop check`` and the dashboard's server read
and which is never shared. The dashboard opens the public file and attaches the internal one
read-only (user-made areas are aggregated from data-zone counts, then disclosure-controlled).

The two files are swapped in one after the other (internal first), so a reader opening between
the two moves sees a new internal file beside an old public one: ``open_pair`` notices the
different build ids and refuses with ``PairMismatch`` (the dashboard waits and retries).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

#: the catalogue name the internal file is attached under
INTERNAL_ALIAS = "internal"
INTERNAL_SCHEMAS = ("raw", "staging", "core")
PUBLIC_SCHEMAS = ("marts", "meta")
#: the internal file's own record of the build that wrote it (compared with meta.build_info)
INTERNAL_BUILD_TABLE = "core.build_stamp"


def internal_path(public: Path) -> Path:
    """``cpop.internal.duckdb`` beside ``cpop.duckdb``: the internal layers of the same build."""
    public = Path(public)
    return public.with_name(f"{public.stem}.internal{public.suffix or '.duckdb'}")


class PairMismatch(RuntimeError):
    """The public and internal files are not from the same build (or the internal one is missing)."""

    def __init__(self, public: Path, public_id: str | None, internal_id: str | None) -> None:
        self.public = public
        self.public_id = public_id
        self.internal_id = internal_id
        internal = internal_path(public)
        if internal_id is None:
            what = f"its internal file {internal} is missing or has no build stamp"
        else:
            what = (f"it is from build {public_id or '?'} but its internal file {internal} is from build "
                    f"{internal_id}")
        super().__init__(f"the warehouse {public} does not match its internal file: {what}. A build may be "
                         "swapping them in right now; otherwise run `cpop build` to publish a matching pair")


def _quote(text: str) -> str:
    return text.replace("'", "''")


def search_path_sql(con: duckdb.DuckDBPyConnection) -> str:
    """``SET search_path`` naming the public file's schemas, then the internal file's.

    Why: SQL written for the one-file warehouse says ``core.x``; with the internal file attached
    as a second catalogue, DuckDB finds schema ``core`` only through the search path. The
    setting is per connection, so every cursor needs it.
    """
    here = con.execute("SELECT current_database()").fetchall()[0][0]
    entries = [f'"{here}".main', *(f"{INTERNAL_ALIAS}.{s}" for s in INTERNAL_SCHEMAS)]
    return "SET search_path = '" + ",".join(_quote(e) for e in entries) + "'"


def attach_internal(con: duckdb.DuckDBPyConnection, public: Path, *, read_only: bool = True) -> None:
    """Attach the internal file of ``public`` (read-only unless asked) and check both carry the same build id.

    Raises PairMismatch when the internal file is missing or from another build.
    """
    public_id = _one(con, "SELECT any_value(build_id) FROM meta.build_info")
    internal = internal_path(public)
    if not internal.is_file():
        raise PairMismatch(public, public_id, None)
    mode = " (READ_ONLY)" if read_only else ""
    # another connection in this process may share the database (DuckDB caches one per path) and
    # have attached it already: then it is the internal file that went with this public one
    attached_here = not _one(con, f"SELECT database_name FROM duckdb_databases() WHERE database_name = '{INTERNAL_ALIAS}'")
    con.execute(f"ATTACH IF NOT EXISTS '{_quote(str(internal))}' AS {INTERNAL_ALIAS}{mode}")
    internal_id = _one(con, f"SELECT any_value(build_id) FROM {INTERNAL_ALIAS}.{INTERNAL_BUILD_TABLE}")
    if internal_id is None or internal_id != public_id:
        if attached_here:
            con.execute(f"DETACH {INTERNAL_ALIAS}")
        raise PairMismatch(public, public_id, internal_id)
    con.execute(search_path_sql(con))


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return None
    return None if not rows or rows[0][0] is None else str(rows[0][0])


def open_pair(public: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The public warehouse with its internal file attached (for the server, checks and tests).

    Read-only unless asked (tests that break a copy on purpose). Never for researchers: ``cpop sql``
    and ``cpop export-parquet`` open the public file alone.
    """
    con = duckdb.connect(str(public), read_only=read_only)
    try:
        attach_internal(con, Path(public), read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con
