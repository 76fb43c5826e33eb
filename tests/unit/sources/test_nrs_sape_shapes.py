"""NRS small-area population estimates in every published shape, landed and staged in DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.build import run_sql_file
from etl.errors import InputError
from etl.sources import nrs_sape

AGES = [str(a) for a in range(90)] + ["90+"]


def _write(folder: Path, name: str, lines: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _single_years(code: str, sex: str, ones_from: int) -> str:
    """A row with 1 person at each age from ``ones_from``, 0 below: totals are easy to check."""
    counts = [1 if a >= ones_from else 0 for a in range(91)]
    return ",".join([code, str(sum(counts)), sex, *map(str, counts)])


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("raw", "staging"):
        con.execute(f"CREATE SCHEMA {schema}")
    return con


def _stage(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "staging", "nrs__population")
    run_sql_file(con, "staging", "nrs__population_iz")


def test_every_shape_lands_in_its_table(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    release = tmp_path / "nrs_sape" / "2021-06"
    _write(release, "sape2020_dz2011_sex_single_year_age.csv",
           [",".join(["dz11_code", "total_population", "sex", *AGES]),
            _single_years("S01000001", "All", 0), _single_years("S01000002", "All", 60)])
    _write(release, "sape2021_dz2011_total.csv",
           ["dz11_code,dz11_name,total_population", '"S01000001","Culter - 01",863', '"S01000002","Culter - 02",782'])
    _write(release, "sape2021_iz2011_total.csv",
           ["iz11_code,iz11_name,total_population", '"S02000001","Culter",1646', '"S02000002","Cults",5508'])
    files = nrs_sape.load(con, tmp_path)
    assert len(files) == 3
    _stage(con)
    dz = con.execute("SELECT year, count(*), sum(total_population) FROM staging.nrs__population "
                     "GROUP BY 1 ORDER BY 1").fetchall()
    assert dz == [(2020, 2, 91 + 31), (2021, 2, 863 + 782)]
    iz = con.execute("SELECT intermediate_zone_code, year, sex, age_from, age_to, population, _source_row "
                     "FROM staging.nrs__population_iz ORDER BY 1").fetchall()
    assert iz == [("S02000001", 2021, "All", None, None, 1646, 2), ("S02000002", 2021, "All", None, None, 5508, 3)]


def test_iz_single_years_are_banded(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    release = tmp_path / "nrs_sape" / "2021-06"
    _write(release, "sape2020_dz2011_sex_single_year_age.csv",
           [",".join(["dz11_code", "total_population", "sex", *AGES]), _single_years("S01000001", "All", 0)])
    # NRS's own headings for an intermediate zone file with single years of age, by sex
    nrs_ages = [f"AGE{a}" for a in range(90)] + ["AGE90PLUS"]
    _write(release, "sape2019_iz2011.csv",
           [",".join(["IntermediateZone2011Code", "Sex", "AllAges", *nrs_ages]),
            ",".join(["S02000001", "Female", "91", *["1"] * 91])])
    nrs_sape.load(con, tmp_path)
    _stage(con)
    bands = dict(con.execute("SELECT age_from, population FROM staging.nrs__population_iz "
                             "WHERE year = 2019 AND sex = 'Female'").fetchall())
    # 5-year bands with 15 and 16-19 apart, 90 and over: the bands of the data zone population
    assert bands[0] == 5 and bands[15] == 1 and bands[16] == 4 and bands[20] == 5 and bands[85] == 5
    assert bands[90] == 1 and sum(bands.values()) == 91 and None not in bands
    assert con.execute("SELECT DISTINCT age_to FROM staging.nrs__population_iz WHERE age_from = 16").fetchall() == [(19,)]


def test_no_iz_file_gives_an_empty_iz_table(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path / "nrs_sape" / "2021-06", "sape2021_dz2011_total.csv",
           ["dz11_code,dz11_name,total_population", "S01000001,Culter - 01,863"])
    nrs_sape.load(con, tmp_path)
    _stage(con)
    assert con.execute("SELECT count(*) FROM staging.nrs__population_iz").fetchall() == [(0,)]


def test_bad_files_name_file_row_and_column(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    release = tmp_path / "a" / "nrs_sape" / "2021-06"
    _write(release, "sape2021_dz2011_total.csv", ["dz11_code,total_population", "S01000001,863"])
    _write(release, "sape2021_iz2011_total.csv", ["iz11_code,total_population", "S02000001,1646", "S02000002,lots"])
    with pytest.raises(InputError) as err:
        nrs_sape.load(con, tmp_path / "a")
    assert (err.value.row, err.value.column) == (3, "total_population") and "sape2021_iz2011_total.csv" in str(err.value)

    release = tmp_path / "b" / "nrs_sape" / "2021-06"
    _write(release, "sape2021_dz2011_total.csv", ["dz11_code,total_population", "S01000001,863"])
    _write(release, "sape2021_iz2011_total.csv", ["iz11_code,total_population", "S01000001,1646"])
    with pytest.raises(InputError) as err:
        nrs_sape.load(_fresh(), tmp_path / "b")
    assert (err.value.row, err.value.column) == (2, "intermediate_zone_code")

    _write(tmp_path / "c" / "nrs_sape" / "2021-06", "sape2021.csv", ["council,total_population", "Fife,371340"])
    with pytest.raises(InputError, match="no data zone or intermediate zone code column"):
        nrs_sape.load(_fresh(), tmp_path / "c")

    _write(tmp_path / "d" / "nrs_sape" / "2021-06", "sape2021_iz2011_total.csv", ["iz11_code,total_population",
                                                                                  "S02000001,1646"])
    with pytest.raises(InputError, match="only intermediate zone"):
        nrs_sape.load(_fresh(), tmp_path / "d")


def _fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    return con
