"""Are two warehouses the same? Every table and view compared as a multiset of rows.

Run ``python -m bench.compare_warehouses A.duckdb B.duckdb [--digits 10]``. Why: a change made
for speed must leave the warehouse as it was. Row order is not compared (a table has none);
numbers are compared to ``--digits`` significant digits, because two builds of the same code
already differ in the last bits (DuckDB sums in parallel, in no fixed order); columns naming a
build (``_loaded_at``, ``built_at``, ``build_id``, ``duration_s``) are left out and file paths are
compared from ``data/snapshot/`` on, so builds in two checkouts compare equal. Exits 1 when
anything differs.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

BUILD_COLUMNS = {"_loaded_at", "built_at", "build_id", "duration_s"}
RELATIONS = ("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = '{0}' UNION ALL "
             "SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = '{0}' AND NOT internal")


def _expression(column: str, data_type: str, digits: int) -> str:
    quoted = f'"{column}"'
    if data_type in ("DOUBLE", "FLOAT") and digits:
        return (f"CASE WHEN {quoted} = 0 OR NOT isfinite({quoted}) THEN {quoted} ELSE round({quoted}, "
                f"CAST({digits} - ceil(log10(abs({quoted}))) AS INTEGER)) END AS {quoted}")
    if data_type == "VARCHAR" and "file" in column:
        return f"regexp_replace({quoted}, '^.*/data/snapshot/', 'data/snapshot/') AS {quoted}"
    return quoted


def compare(first: str, second: str, digits: int = 10) -> list[str]:
    """The differences between two warehouse files, one line each (empty when they agree)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{first}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{second}' AS b (READ_ONLY)")
    ours, theirs = (set(con.execute(RELATIONS.format(db)).fetchall()) for db in ("a", "b"))
    problems = [f"only in {first}: {s}.{t}" for s, t in sorted(ours - theirs)]
    problems += [f"only in {second}: {s}.{t}" for s, t in sorted(theirs - ours)]
    for schema, table in sorted(ours & theirs):
        columns = {db: con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
                                   "AND schema_name = ? AND table_name = ? ORDER BY column_index",
                                   [db, schema, table]).fetchall() for db in ("a", "b")}
        if columns["a"] != columns["b"]:
            problems.append(f"{schema}.{table}: columns differ")
            continue
        select = ", ".join(_expression(c, t, digits) for c, t in columns["a"] if c not in BUILD_COLUMNS)
        name = f'{schema}."{table}"'
        missing, extra = (con.execute(f"SELECT count(*) FROM (SELECT {select} FROM {x}.{name} EXCEPT ALL "
                                      f"SELECT {select} FROM {y}.{name})").fetchall()[0][0]
                          for x, y in (("a", "b"), ("b", "a")))
        if missing or extra:
            problems.append(f"{schema}.{table}: {missing:,} row(s) only in {first}, {extra:,} only in {second}")
    con.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--digits", type=int, default=10, help="significant digits of numbers compared (0: exact)")
    args = parser.parse_args()
    problems = compare(args.first, args.second, args.digits)
    print("\n".join(problems) if problems else "the two warehouses agree table by table")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
