"""The SQL interval macros and reference tables the marts use, against published figures."""

from __future__ import annotations

import duckdb
import pytest

from etl.build import SQL_DIR
from etl.reference import Z95, write_reference_tables
from etl.stats import byar_ci, wilson_ci


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("CREATE SCHEMA core")
    write_reference_tables(c)
    c.execute((SQL_DIR / "macros.sql").read_text())
    return c


def test_wilson_published_check(con: duckdb.DuckDBPyConnection) -> None:
    # DOMAIN.md: x = 3,938,080, n = 51,441,896 → 7.64813 % to 7.66266 %
    lower, upper = con.execute("SELECT wilson_lower(3938080, 51441896, 1.96) * 100, "
                               "wilson_upper(3938080, 51441896, 1.96) * 100").fetchall()[0]
    assert round(lower, 5) == 7.64813 and round(upper, 5) == 7.66266


def test_byar_published_check(con: duckdb.DuckDBPyConnection) -> None:
    # DOMAIN.md: O = 25, n = 10,000, per 100,000 → 161.74 to 369.07
    lower, upper = con.execute("SELECT byar_lower_count(25, 1.96) / 10000 * 100000, "
                               "byar_upper_count(25, 1.96) / 10000 * 100000").fetchall()[0]
    assert round(lower, 2) == 161.74 and round(upper, 2) == 369.07


def test_exact_poisson_table_matches_garwood(con: duckdb.DuckDBPyConnection) -> None:
    # Garwood exact 95 % limits: O = 0 → (0, 3.689); O = 1 → (0.0253, 5.572); O = 9 → (4.115, 17.08)
    rows = dict((o, (lo, hi)) for o, lo, hi in con.execute("SELECT * FROM core.ref_poisson_exact").fetchall())
    assert rows[0] == (0.0, pytest.approx(3.689, abs=1e-3))
    assert rows[1] == (pytest.approx(0.0253, abs=1e-4), pytest.approx(5.572, abs=1e-3))
    assert rows[9] == (pytest.approx(4.115, abs=1e-3), pytest.approx(17.08, abs=1e-2))


def test_sql_and_python_agree(con: duckdb.DuckDBPyConnection) -> None:
    for x, n in [(0, 10), (3, 10), (50, 250), (999, 1000)]:
        lower, upper = con.execute(f"SELECT wilson_lower({x}, {n}, {Z95}), wilson_upper({x}, {n}, {Z95})").fetchall()[0]
        py = wilson_ci(x, n, Z95)
        assert lower == pytest.approx(float(py.lower), abs=1e-12) and upper == pytest.approx(float(py.upper), abs=1e-12)
    lower, upper = con.execute(f"SELECT byar_lower_count(40, {Z95}), byar_upper_count(40, {Z95})").fetchall()[0]
    py = byar_ci(40, 1, 1, Z95)
    assert lower == pytest.approx(float(py.lower)) and upper == pytest.approx(float(py.upper))
