"""Generate ``docs/schema.md`` from the warehouse's own table and column comments.

Why: researchers read ``marts`` and ``meta`` directly; the reference must not drift from
the file. The comments are applied at build time (``etl/comments.py``), so this renders
``duckdb_tables()`` / ``duckdb_columns()`` of the public schemas, nothing hand-written. A
test rebuilds the demo warehouse and fails when the checked-in file is stale.

Usage: ``cpop schema-doc [--warehouse F] [--out docs/schema.md]`` or
``python -m etl.schema_doc WAREHOUSE [OUT]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from etl.research import PUBLIC_SCHEMAS, read_only
from etl.settings import PROJECT_ROOT

SCHEMA_DOC = PROJECT_ROOT / "docs" / "schema.md"
REGENERATE = "cpop build && cpop schema-doc   (or: python -m etl.schema_doc data/warehouse/cpop.duckdb)"


def _cell(text: object) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def render_schema_doc(con: duckdb.DuckDBPyConnection) -> str:
    """The Markdown reference of every marts and meta table and column (deterministic)."""
    version = con.execute("SELECT schema_version FROM meta.build_info").fetchall()
    schema_version = version[0][0] if version else "unknown"
    schemas = ", ".join(f"'{s}'" for s in PUBLIC_SCHEMAS)
    tables = con.execute(
        f"SELECT schema_name, table_name, coalesce(comment, '') FROM duckdb_tables() "
        f"WHERE schema_name IN ({schemas}) ORDER BY schema_name, table_name").fetchall()
    columns = con.execute(
        f"SELECT schema_name, table_name, column_name, data_type, is_nullable, coalesce(comment, '') "
        f"FROM duckdb_columns() WHERE schema_name IN ({schemas}) "
        f"ORDER BY schema_name, table_name, column_index").fetchall()
    by_table: dict[tuple[str, str], list[tuple[str, str, bool, str]]] = {}
    for schema, table, column, dtype, nullable, comment in columns:
        by_table.setdefault((schema, table), []).append((column, dtype, bool(nullable), comment))
    lines = [
        "# Warehouse schema reference (marts and meta)",
        "",
        "<!-- Generated from the warehouse's COMMENTs by etl/schema_doc.py. Do not edit by hand. -->",
        f"<!-- Regenerate: {REGENERATE} -->",
        "",
        f"Schema version **{schema_version}** (`meta.build_info.schema_version`; changes are listed in "
        "[schema-changelog.md](schema-changelog.md)). `marts` and `meta` are the public, versioned "
        "contract; `raw`, `staging` and `core` are internal and may change without notice. "
        "Layers and conventions: [warehouse.md](warehouse.md); how to connect: "
        "[researchers.md](researchers.md).",
        "",
        "## Tables",
        "",
        "| table | description |",
        "|---|---|",
    ]
    lines += [f"| [`{s}.{t}`](#{s}{t}) | {_cell(c) or '*(no comment)*'} |" for s, t, c in tables]
    for schema, table, comment in tables:
        lines += ["", f"## `{schema}.{table}`", "", _cell(comment) or "*(no comment)*", "",
                  "| column | type | description |", "|---|---|---|"]
        for column, dtype, _nullable, text in by_table.get((schema, table), []):
            lines.append(f"| `{column}` | {_cell(dtype)} | {_cell(text) or '*(no comment)*'} |")
    return "\n".join(lines) + "\n"


def write_schema_doc(warehouse: Path, out: Path = SCHEMA_DOC) -> str:
    """Render from ``warehouse`` (opened read-only) and write ``out``; returns the text."""
    with read_only(warehouse) as con:
        text = render_schema_doc(con)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    """``python -m etl.schema_doc WAREHOUSE [OUT]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    out = Path(args[1]) if len(args) > 1 else SCHEMA_DOC
    write_schema_doc(Path(args[0]), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
