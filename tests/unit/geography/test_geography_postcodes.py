"""The postcode directory loader and the data zone centroid loader: normalisation and loud errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.errors import InputError
from etl.sources import postcodes
from etl.sources.area_types import load_centroids

LOOKUP = ["S01900001", "S01900002"]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    for schema in ("raw", "staging", "core"):
        c.execute(f"CREATE SCHEMA {schema}")
    c.execute("CREATE TABLE staging.simd__geography_lookup AS SELECT unnest(?::VARCHAR[]) AS datazone_code", [LOOKUP])
    yield c
    c.close()


def _write(raw: Path, text: str, name: str = "SmallUser.csv", release: str = "2025-2") -> Path:
    path = raw / "postcodes" / release / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("ZZ1 1AA", "ZZ1 1AA"), ("zz11aa", "ZZ1 1AA"), ("  ab10   1ab ", "AB10 1AB"), ("EH1 2NG", "EH1 2NG"),
    ("G2 3AB", "G2 3AB"), ("S01900001", None), ("hello", None), ("ZZ1", None),
])
def test_normalise_postcode(text: str, expected: str | None) -> None:
    assert postcodes.normalise_postcode(text) == expected


def test_directory_is_normalised_and_deleted_or_blank_rows_skipped(con: duckdb.DuckDBPyConnection,
                                                                   tmp_path: Path) -> None:
    _write(tmp_path, "Postcode,DateOfDeletion,DataZone2011Code\n"
                     "zz1 1aa,,S01900001\nZZ11AB,,S01900002\nZZ1 1AD,201901,S01900002\nZZ9 9ZZ,,\n", release="2025-1")
    _write(tmp_path, "Postcode,DateOfDeletion,DataZone2011Code\nzz1  1aa,,S01900001\nZZ11AB,,S01900002\n"
                     "ZZ1 1AD,201901,S01900002\nZZ9 9ZZ,,\n")
    files = postcodes.load(con, tmp_path)
    assert [f.release for f in files] == ["2025-2"]  # newest release only
    rows = con.execute("SELECT postcode, datazone_code FROM core.dim_postcode ORDER BY 1").fetchall()
    assert rows == [("ZZ1 1AA", "S01900001"), ("ZZ1 1AB", "S01900002")]


def test_datazone2011_heading_is_accepted(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _write(tmp_path, "Postcode,DataZone2011\nZZ1 1AA,S01900001\n")
    postcodes.load(con, tmp_path)
    assert con.execute("SELECT count(*) FROM core.dim_postcode").fetchall() == [(1,)]


def test_no_directory_gives_an_empty_table(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    assert postcodes.load(con, tmp_path) == []
    assert con.execute("SELECT count(*) FROM core.dim_postcode").fetchall() == [(0,)]


def test_unknown_datazone_names_row_and_column(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = _write(tmp_path, "Postcode,DataZone2011Code\nZZ1 1AA,S01900001\nZZ1 1AB,S01999999\n")
    with pytest.raises(InputError, match="unknown data zone code 'S01999999'") as info:
        postcodes.load(con, tmp_path)
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 3, "DataZone2011Code")


def test_bad_postcode_and_conflicting_rows_fail(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _write(tmp_path, "Postcode,DataZone2011Code\nZZ1 1AA,S01900001\nnot a postcode,S01900001\n")
    with pytest.raises(InputError, match="not a postcode") as info:
        postcodes.load(con, tmp_path)
    assert info.value.row == 3
    _write(tmp_path, "Postcode,DataZone2011Code\nZZ1 1AA,S01900001\nzz11aa,S01900002\n")
    with pytest.raises(InputError, match="more than one data zone"):
        postcodes.load(con, tmp_path)


def test_missing_datazone_column_is_named(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _write(tmp_path, "Postcode,DZ\nZZ1 1AA,S01900001\n")
    with pytest.raises(InputError, match="DataZone2011Code"):
        postcodes.load(con, tmp_path)


def _centroids(raw: Path, text: str) -> Path:
    path = raw / "dz_centroids" / "2011" / "SG_DataZone_Cent_2011.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_centroids_read_easting_northing_or_xy(tmp_path: Path) -> None:
    _centroids(tmp_path, "DataZone,Name,Easting,Northing\nS01900001,A,300500,700500\n")
    files, frame = load_centroids(tmp_path, set(LOOKUP))
    assert len(files) == 1 and frame.to_dict("records") == [{"datazone_code": "S01900001", "x": 300500.0,
                                                              "y": 700500.0}]
    _centroids(tmp_path, "dz11_code,x,y\nS01900002,1.5,2.5\n")
    assert load_centroids(tmp_path, set(LOOKUP))[1]["x"].tolist() == [1.5]
    assert load_centroids(tmp_path / "nothing", set(LOOKUP)) == ([], None)


def test_bad_centroids_name_row_and_column(tmp_path: Path) -> None:
    path = _centroids(tmp_path, "DataZone,Easting,Northing\nS01900001,300500,700500\nS01900002,abc,1\n")
    with pytest.raises(InputError) as info:
        load_centroids(tmp_path, set(LOOKUP))
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 3, "Easting")
    _centroids(tmp_path, "DataZone,Easting,Northing\nS01999999,300500,700500\n")
    with pytest.raises(InputError, match="unknown data zone"):
        load_centroids(tmp_path, set(LOOKUP))
    _centroids(tmp_path, "DataZone,lat,lon\nS01900001,55,-3\n")
    with pytest.raises(InputError, match="Easting and Northing"):
        load_centroids(tmp_path, set(LOOKUP))
