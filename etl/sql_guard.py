"""``cpop sql``'s sandbox: an allow-list of statement types from DuckDB's parser, on a locked,
read-only connection with no access to files.

Why: a researcher's query must never change the warehouse or the machine. Matching the text of
a statement is not a guard (``EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'`` is an EXPLAIN that
writes a file; ``PRAGMA import_database('dir')`` runs whatever ``dir/schema.sql`` says; an
``ATTACH … (READ_WRITE)`` of a hard link to the warehouse opens it for writing). So two layers:

1. DuckDB's own parser says what each statement is; only a SELECT (and SHOW, DESCRIBE,
   SUMMARIZE, which parse as SELECT), an EXPLAIN of such a SELECT and a few PRAGMAs that only
   describe the database pass.
2. The connection itself is ``read_only`` with ``enable_external_access = false`` (no file is
   read or written, nothing is attached, installed or imported) and ``lock_configuration = true``
   (no ``SET`` can undo that). ``--allow-files`` turns external access on for reading files in a
   SELECT; layer 1 still refuses every statement that could write.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from etl.errors import InputError, damaged_warehouse, is_corruption

#: Statement types (``duckdb.StatementType`` names) a query may be.
READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}
#: PRAGMAs that only describe the database (``PRAGMA import_database`` and friends are refused).
READ_PRAGMAS = {"table_info", "show", "show_tables", "show_tables_expanded", "database_size", "database_list",
                "storage_info", "version", "platform", "functions", "collations", "metadata_info", "user_agent"}
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(?:ANALY[SZ]E\s+)?(?:\([^()]*\)\s*)?", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
READ_ONLY_HINT = "query the marts and meta tables with SELECT; to change the warehouse, change the ETL and run `cpop build`"


def _statement_types(sql: str) -> list[str]:
    con = duckdb.connect()
    try:
        return [statement.type.name for statement in con.extract_statements(sql)]
    except duckdb.Error as exc:
        raise InputError(None, f"the SQL does not parse: {str(exc).splitlines()[0]}",
                         hint="check the syntax near the place named; on the command line put the whole statement "
                              "in double quotes and text values in single quotes") from exc
    finally:
        con.close()


def check_read_only_sql(sql: str) -> None:
    """Refuse anything but one statement that only reads, naming what was refused."""
    kinds = _statement_types(sql)
    if not kinds:
        raise InputError(None, "no SQL statement given", hint='give one, e.g. cpop sql "SELECT * FROM marts.areas"')
    if len(kinds) > 1:
        raise InputError(None, f"one statement at a time please ({len(kinds)} given)",
                         hint="run each statement with its own `cpop sql`")
    kind = kinds[0]
    if kind not in READ_STATEMENTS:
        raise InputError(None, f"`cpop sql` is read-only: a {kind} statement is not allowed", hint=READ_ONLY_HINT)
    if kind == "EXPLAIN":
        explained = _EXPLAIN.sub("", sql, count=1)
        inner = _statement_types(explained) if explained != sql else ["EXPLAIN"]
        if inner != ["SELECT"]:
            raise InputError(None, f"`cpop sql` is read-only: EXPLAIN of a {'/'.join(inner) or 'missing'} statement is "
                             "not allowed (EXPLAIN ANALYZE runs the statement it explains)", hint=READ_ONLY_HINT)
    if kind == "PRAGMA":
        match = _PRAGMA.match(sql)
        name = match.group(1).lower() if match else "?"
        if name not in READ_PRAGMAS:
            raise InputError(None, f"`cpop sql` is read-only: PRAGMA {name} is not allowed",
                             hint=f"the PRAGMAs allowed are {', '.join(sorted(READ_PRAGMAS))}")


def sandboxed_connection(path: Path, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """The warehouse read-only, external access off (unless ``allow_files``), configuration locked."""
    return duckdb.connect(str(path), read_only=True,
                          config={"enable_external_access": allow_files, "lock_configuration": True})


def query_error(exc: duckdb.Error, path: Path) -> InputError:
    """A DuckDB error from a researcher's query as a message with a "What to do"."""
    first = str(exc).splitlines()[0]
    if is_corruption(exc):
        return damaged_warehouse(path, exc)
    if isinstance(exc, duckdb.PermissionException):
        return InputError(None, f"the query was refused by the sandbox: {first}",
                          hint="`cpop sql` reads no files by default; to let a SELECT read files (read_csv, "
                               "read_parquet), run it again with --allow-files. Writing files is never allowed; "
                               "use --format csv or parquet with --out instead")
    if "read-only" in first.lower() or "read only" in first.lower():
        return InputError(None, "`cpop sql` is read-only: " + first, hint=READ_ONLY_HINT)
    if isinstance(exc, duckdb.CatalogException):
        return InputError(None, f"the query failed: {first}",
                          hint="check the table and column names against docs/schema.md, or list them with "
                               "cpop sql \"SELECT table_schema, table_name FROM information_schema.tables\"")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return InputError(None, f"the query ran out of memory: {first}",
                          hint="select fewer columns or add a WHERE clause, or write the result with "
                               "--format parquet --out FILE")
    return InputError(None, f"the query failed: {first}",
                      hint="check the SQL against docs/schema.md and docs/researchers.md; run it with --debug "
                           "for DuckDB's full message")
