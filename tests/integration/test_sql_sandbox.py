"""Finding 5 of issue 14: ``cpop sql`` is truly read-only (DuckDB's parser and sandbox), and every
bypass found by the attacker is refused, with and without ``--allow-files``."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.errors import InputError
from etl.sql_guard import check_read_only_sql
from etl.warehouse_files import internal_path
from tests.fixtures.cli_build import built_world
from tests.fixtures.tiny_world import write_tiny_raw

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    return built_world(write_tiny_raw(root / "raw"), root / "wh" / "cpop.duckdb")[1]


def _sql(warehouse: Path, statement: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["sql", statement, "--warehouse", str(warehouse), *extra])
    return result.exit_code, " ".join(result.output.split())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("allow", [(), ("--allow-files",)], ids=["sandboxed", "allow-files"])
def test_explain_analyze_copy_writes_no_file(warehouse: Path, tmp_path: Path, allow: tuple[str, ...]) -> None:
    target = tmp_path / "x.csv"
    code, out = _sql(warehouse, f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'", *allow)
    assert code == 1 and "read-only" in out and "What to do" in out and "Traceback" not in out
    assert not target.exists()


@pytest.mark.parametrize("allow", [(), ("--allow-files",)], ids=["sandboxed", "allow-files"])
def test_pragma_import_database_runs_nothing(warehouse: Path, tmp_path: Path, allow: tuple[str, ...]) -> None:
    evil = tmp_path / "evil"
    evil.mkdir()
    link = tmp_path / "link.duckdb"  # the attacker's route to write the warehouse: a hard link, attached
    os.link(warehouse, link)
    (evil / "schema.sql").write_text(f"COPY (SELECT 1) TO '{tmp_path / 'pwned.csv'}';\n"
                                     f"ATTACH '{link}' AS w (READ_WRITE);\nCREATE TABLE w.main.pwned AS SELECT 1;\n")
    (evil / "load.sql").write_text("")
    before = _digest(warehouse)
    code, out = _sql(warehouse, f"PRAGMA import_database('{evil}')", *allow)
    assert code == 1 and "PRAGMA import_database is not allowed" in out and "What to do" in out
    assert not (tmp_path / "pwned.csv").exists() and _digest(warehouse) == before


@pytest.mark.parametrize("allow", [(), ("--allow-files",)], ids=["sandboxed", "allow-files"])
def test_attach_read_write_through_a_hard_link_is_refused(warehouse: Path, tmp_path: Path,
                                                          allow: tuple[str, ...]) -> None:
    link = tmp_path / "link.duckdb"
    os.link(warehouse, link)
    before = _digest(warehouse)
    code, out = _sql(warehouse, f"ATTACH '{link}' AS w (READ_WRITE)", *allow)
    assert code == 1 and "read-only: a ATTACH statement is not allowed" in out
    assert _digest(warehouse) == before


def test_file_reads_need_allow_files(warehouse: Path, tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text("a\n41\n")
    code, out = _sql(warehouse, f"SELECT a + 1 AS b FROM read_csv('{data}')")
    assert code == 1 and "refused by the sandbox" in out and "--allow-files" in out
    code, out = _sql(warehouse, f"SELECT a + 1 AS b FROM '{data}'")
    assert code == 1 and "refused by the sandbox" in out
    code, out = _sql(warehouse, f"SELECT a + 1 AS b FROM read_csv('{data}')", "--allow-files")
    assert code == 0 and "42" in out


def test_the_sandbox_cannot_be_switched_off(warehouse: Path) -> None:
    code, out = _sql(warehouse, "SET enable_external_access = true")
    assert code == 1 and "SET statement is not allowed" in out


@pytest.mark.parametrize("statement", [
    "SELECT count(*) FROM marts.areas", "FROM marts.areas", "DESCRIBE marts.areas", "SHOW TABLES",
    "SUMMARIZE marts.areas", "EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT count(*) FROM marts.areas",
    "PRAGMA table_info('marts.areas')", "PRAGMA show_tables", "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
])
def test_reading_statements_pass(warehouse: Path, statement: str) -> None:
    code, out = _sql(warehouse, statement)
    assert code == 0, out


@pytest.mark.parametrize("statement", [
    "EXPLAIN ANALYZE INSERT INTO meta.sources SELECT * FROM meta.sources", "EXPLAIN (FORMAT json) COPY x TO 'y'",
    "/* c */ PRAGMA import_database('d')", "CALL pragma_version()", "CHECKPOINT", "LOAD parquet", "INSTALL httpfs",
    "CREATE TEMP TABLE t AS SELECT 1", "PIVOT marts.areas ON area_type", "EXPORT DATABASE 'd'", "DETACH memory",
    "PRAGMA enable_profiling", "SELECT 1; SELECT 2", "",
])
def test_other_statements_are_refused_by_the_parser(statement: str) -> None:
    with pytest.raises(InputError) as refused:
        check_read_only_sql(statement)
    assert refused.value.hint  # every refusal says what to do


def test_sql_errors_say_what_to_do(warehouse: Path) -> None:
    code, out = _sql(warehouse, "SELECT * FROM marts.nope")
    assert code == 1 and "the query failed" in out and "What to do: check the table and column names" in out
    code, out = _sql(warehouse, "SELEC 1")
    assert code == 1 and "does not parse" in out and "What to do" in out
    code, out = _sql(warehouse, "SELECT 1/'a'")
    assert code == 1 and "What to do" in out


def test_sql_opens_the_public_file_not_the_internal_one(warehouse: Path) -> None:
    """Issue 14: counts before disclosure control are in the internal file, which `cpop sql` cannot reach."""
    internal = internal_path(warehouse)
    assert internal.is_file()
    code, out = _sql(warehouse, "SELECT count(*) FROM core.fct_indicator_feature")
    assert code == 1 and 'schema "core" does not exist' in out and "What to do" in out
    code, out = _sql(warehouse, "SELECT DISTINCT schema_name FROM duckdb_tables() ORDER BY 1")
    assert code == 0 and "marts" in out and "meta" in out and "core" not in out and "staging" not in out
    code, out = _sql(warehouse, f"ATTACH '{internal}' AS i (READ_ONLY)")
    assert code == 1 and "ATTACH statement is not allowed" in out
    for reading in (f"SELECT * FROM read_blob('{internal}')", f"SELECT * FROM '{internal}'"):
        code, out = _sql(warehouse, reading)  # its bytes cannot be read either (the sandbox: no file access)
        assert code == 1 and "refused by the sandbox" in out and "Traceback" not in out, (reading, out)
