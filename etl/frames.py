"""Moving pandas frames into DuckDB tables.

Why: one explicit helper (register, create, unregister) instead of DuckDB's implicit
replacement scans of local variables, which linters and readers cannot follow.
"""

from __future__ import annotations

import duckdb
import pandas as pd


def create_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, *, select: str = "*") -> None:
    """``CREATE OR REPLACE TABLE table AS SELECT <select> FROM frame``."""
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select} FROM _frame")
    finally:
        con.unregister("_frame")


def insert_into(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """``INSERT INTO table BY NAME SELECT * FROM frame``."""
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")
