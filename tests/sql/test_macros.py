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


def test_one_z_for_python_and_sql(con: duckdb.DuckDBPyConnection) -> None:
    # issue 17, item 8: Python used 1.96 and SQL 1.959964; now one pair of numbers, equal to the
    # normal quantiles, used by both (etl.stats.levels and the macros z95(), z998())
    from scipy.stats import norm

    from etl.stats import levels
    from etl.stats.intervals import wilson_ci as wilson
    from etl.stats.trend import trend_test

    z95, z998 = con.execute("SELECT z95(), z998()").fetchone()
    assert z95 == levels.Z95 == Z95 == pytest.approx(norm.ppf(0.975), abs=1e-15)
    assert z998 == levels.Z998 == pytest.approx(norm.ppf(0.999), abs=1e-15)
    assert wilson.__defaults__ == (levels.Z95,)
    assert trend_test.__kwdefaults__["ci_z"] == levels.Z95
    # the Python Wilson interval at its default z is the SQL one at z95()
    sql = con.execute("SELECT wilson_lower(3938080, 51441896, z95()), wilson_upper(3938080, 51441896, z95())").fetchone()
    assert tuple(wilson(3938080, 51441896)) == pytest.approx(sql, rel=1e-14)


def test_difference_macro_agrees_with_python_on_random_inputs(con: duckdb.DuckDBPyConnection) -> None:
    # the baseline comparison's test of the difference: the SQL macro the mart runs and the
    # Python reference give the same verdict on random estimates, at both levels
    import numpy as np
    import pandas as pd

    from etl.reference import Z998
    from etl.stats import compare_difference

    cur = con.cursor()
    rng = np.random.default_rng(17)
    n = 4000
    v, o = rng.normal(50, 5, n), rng.normal(50, 5, n)
    h1, h2 = rng.uniform(0, 8, n), rng.uniform(0, 8, n)
    h1[::97], h2[::97] = 0.0, 0.0  # zero-width intervals: any difference is certain
    frame = pd.DataFrame({"v": v, "lo": v - h1, "hi": v + h1, "o": o, "olo": o - h2, "ohi": o + h2})
    frame.loc[::50, "olo"] = np.nan  # a missing interval: not comparable
    cur.register("pairs_frame", frame)
    for z_sql, z in (("z95()", Z95), ("z998()", Z998)):
        sql = cur.execute(f"SELECT difference_direction(v, lo, hi, o, olo, ohi, {z_sql}) FROM pairs_frame").df().iloc[:, 0]
        words = compare_difference(frame.v, frame.lo, frame.hi, frame.o, frame.olo, frame.ohi, "high_is_good", z=z)
        expected = pd.Series(words).map({"better": 1, "worse": -1, "similar": 0, "not comparable": None})
        assert (sql.isna() == expected.isna()).all()
        assert (sql[sql.notna()].astype(int) == expected[expected.notna()].astype(int)).all()
        assert 0 < (expected == 0).mean() < 1 and (expected == 1).any() and (expected == -1).any()
