"""``marts.verdicts`` and what the previous build said: ``marts.previous_verdicts``,
``meta.previous_build``, ``meta.previous_indicators``.

Why: "what changed in this release" must say whether a revision changed a verdict (trend,
RAG, CPOP's rating, the deprivation gap). A verdict depends on the whole series and on the
comparator, so recomputing the previous release's verdicts would need the previous release's
Scotland values, populations and intervals as they were. Instead each build keeps the verdicts
the **previous warehouse** gave (the one it is about to replace): it attaches that file read-only
and runs the same ``verdicts.sql`` on it. The comparison is therefore "this build against the
build it replaced", which is what an officer who refreshed saw before. With no previous
warehouse (a first build, another path) or one the query cannot read (an older schema, a demo
replaced by real data, a file locked by a writer) the previous tables are empty and every page
says the verdicts before are not known.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.settings import DEMO_MARKER, Settings

ORDER = 90  # after the trend (22) and inequality (30) marts
SQL = Path(__file__).resolve().parent.parent / "sql" / "marts" / "verdicts.sql"
_PREVIOUS = "cpop_previous"


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create this build's verdicts and copy the previous warehouse's (empty when there is none)."""
    query = SQL.read_text(encoding="utf-8")
    con.execute(f"CREATE OR REPLACE TABLE marts.verdicts AS {query}")
    con.execute("CREATE OR REPLACE TABLE marts.previous_verdicts AS SELECT * FROM marts.verdicts LIMIT 0")
    con.execute("CREATE OR REPLACE TABLE meta.previous_build (build_id VARCHAR, built_at TIMESTAMP WITH TIME ZONE, "
                "code_version VARCHAR, demo BOOLEAN, source_releases VARCHAR[])")
    con.execute("CREATE OR REPLACE TABLE meta.previous_indicators (indicator_id VARCHAR, title VARCHAR)")
    previous = Path(settings.warehouse_path)
    own = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if previous.is_file() and (own is None or not own[0] or previous.resolve() != Path(own[0]).resolve()):
        _copy_previous(con, previous, demo=(settings.raw_dir / DEMO_MARKER).is_file())


def _copy_previous(con: duckdb.DuckDBPyConnection, path: Path, *, demo: bool) -> None:
    """Run ``verdicts.sql`` on the previous warehouse; leave the tables empty when it cannot be read."""
    here = con.execute("SELECT current_database()").fetchall()[0][0]
    query = SQL.read_text(encoding="utf-8")
    try:
        con.execute(f"ATTACH '{_quote(str(path))}' AS {_PREVIOUS} (READ_ONLY)")
    except duckdb.Error:  # locked by a writer, not a DuckDB file, already open in this process
        return
    try:
        was_demo = con.execute(f"SELECT any_value(demo) FROM {_PREVIOUS}.meta.build_info").fetchall()[0][0]
        if bool(was_demo) != demo:  # the fictional country and real Scotland are never compared
            return
        con.execute(f"USE {_PREVIOUS}")
        try:
            verdicts = con.execute(query).df()
        finally:
            con.execute(f'USE "{here}"')
        con.register("_previous_verdicts", verdicts)
        try:
            con.execute("INSERT INTO marts.previous_verdicts SELECT * FROM _previous_verdicts")
        finally:
            con.unregister("_previous_verdicts")
        con.execute(f"""INSERT INTO meta.previous_build
            SELECT build_id, built_at, code_version, demo,
                   list_distinct([s.source || ' ' || s.release FOR s IN sources]) FROM {_PREVIOUS}.meta.build_info""")
        con.execute(f"INSERT INTO meta.previous_indicators SELECT indicator_id, title FROM {_PREVIOUS}.meta.indicators")
    except duckdb.Error:  # an older warehouse without these tables or columns: nothing to compare with
        for table in ("marts.previous_verdicts", "meta.previous_build", "meta.previous_indicators"):
            con.execute(f"DELETE FROM {table}")
    finally:
        con.execute(f'USE "{here}"')
        con.execute(f"DETACH {_PREVIOUS}")


def _quote(text: str) -> str:
    return text.replace("'", "''")
