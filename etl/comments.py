"""``COMMENT ON`` every public table and column, from ``etl/sql/comments/*.yaml``.

Why: researchers read the warehouse directly; comments travel with the file, and
``docs/schema.md`` is generated from them so the reference cannot drift.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

COMMENTS_DIR = Path(__file__).resolve().parent / "sql" / "comments"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Apply every table and column comment for tables that exist in this build."""
    existing = {f"{s}.{t}" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    for path in sorted(COMMENTS_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        table = path.stem
        if table not in existing:
            continue
        con.execute(f"COMMENT ON TABLE {table} IS {_quote(spec['description'].strip())}")
        for column, text in (spec.get("columns") or {}).items():
            con.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote(str(text).strip())}")
