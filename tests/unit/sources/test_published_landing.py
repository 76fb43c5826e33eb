"""A publisher's snapshot lands straight from Parquet exactly as it lands through pandas.

``published.load`` lands a ``*.snapshot.parquet`` with one DuckDB ``INSERT … FROM read_parquet``
(``land_snapshot``) instead of reading it into pandas (``read_file`` + ``land_tables``). The raw
table must be the same, row for row and in the same order, and bad input must fail with
``check_table``'s own message (file, row, column).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources import published
from etl.sources.files import RawFile
from etl.sources.published import (
    PublishedTable,
    PublisherReader,
    land_snapshot,
    land_tables,
    read_file,
)

ROOT = Path(__file__).resolve().parents[3]
READER = PublisherReader(source="fakepub", suffixes=(".csv",), read=lambda path: [])


def _frame(rows: list[tuple], **dims: list[str | None]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["FeatureCode", "DateCode", "Measurement", "Units", "Value"])
    frame = frame.assign(ValueType="raw", LowerCI="", UpperCI="", **dims)
    return frame.assign(_source_sheet="Data", _source_row=range(2, len(frame) + 2), _source_column="value")


def _tables() -> list[PublishedTable]:
    """Two datasets: different dimensions (one left empty), padding, markers, blanks, infinity."""
    rates = _frame([("S12000047", "2020", "Ratio", "Percent", " 12.5 "), ("S92000003", "2020/21", "Ratio", "Percent", ".."),
                    ("S12000047", "2019-2021", "Ratio", "Percent", ""), ("S08000015", "2020/2021", "Ratio", "Percent", "inf"),
                    ("S02001236", "2020", "Ratio", "Percent", "1e3")],
                   Age=["16-64", "16-64", None, "65+", "16-64"], Sex=[None] * 5)
    counts = _frame([("S01006506", "2020", "Count", "Children", "*"), ("S01006507", "2020", "Count", "Children", "-3")],
                    Sex=["Male", None])
    return [PublishedTable("fake-rates", rates, "Rates"), PublishedTable("fake-counts", counts, "Counts")]


def _landed(path: Path, *, direct: bool) -> pd.DataFrame:
    raw_file = RawFile("fakepub", "2024-10", path)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    if direct:
        land_snapshot(con, READER, raw_file)
    else:
        land_tables(con, read_file(READER, raw_file), raw_file)
    columns = con.execute("DESCRIBE raw.published__observations").fetchall()
    frame = con.execute("SELECT * EXCLUDE (_loaded_at) FROM raw.published__observations").df()
    con.close()
    return frame.assign(_types=str(columns))


def _assert_same_landing(path: Path, *, without_pandas: bool = True) -> None:
    """Both landings agree; ``without_pandas``: the direct one never read the file into pandas."""
    expected = _landed(path, direct=False)
    with pytest.MonkeyPatch.context() as patch:
        if without_pandas:
            patch.setattr(published, "read_file", lambda *args: pytest.fail("fell back to pandas"))
        pd.testing.assert_frame_equal(_landed(path, direct=True), expected)


def test_a_snapshot_lands_from_parquet_as_through_pandas(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv.snapshot.parquet"
    published.write_snapshot_tables(_tables(), path)
    frame = _landed(path, direct=True)
    assert list(frame["dataset"].unique()) == ["fake-rates", "fake-counts"]
    assert frame["dimensions"].iloc[0] == {"Age": "16-64"} and frame["dimensions"].iloc[5] == {"Sex": "Male"}
    _assert_same_landing(path)


def test_rows_of_a_dataset_apart_still_land_together_in_order(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv.snapshot.parquet"
    published.write_snapshot_tables(_tables(), path)
    frame = pd.read_parquet(path)
    pd.concat([frame.iloc[[5, 0, 1, 6, 2]], frame.iloc[[3, 4]]]).to_parquet(path, index=False)
    _assert_same_landing(path)


@pytest.mark.parametrize("relative", [
    "data/snapshot/cpop/2023-09/CPPcleandata.csv.snapshot.parquet",
    "data/snapshot/scotpho/2024-10/scotpho_ca_latest_extract_2024-10.csv.snapshot.parquet",
    "data/snapshot/cpop/2022-08/educational_attainment_iz.csv.snapshot.parquet",
])
def test_committed_snapshot_files_land_alike(relative: str) -> None:
    _assert_same_landing(ROOT / relative)


@pytest.mark.parametrize(("column", "value"), [
    ("FeatureCode", "Fife"), ("FeatureCode", "S12000047\n"), ("DateCode", "2020-21"), ("ValueType", "estimate"),
    ("Value", "nan"), ("Value", "12%"), ("Value", "\t12"), ("Value", "+inf"), ("Value", "١٢"),
    ("Measurement", "\t"), ("Units", " "), ("Units", "\u00a0%"),
])
def test_a_value_the_sql_check_doubts_gets_check_tables_own_verdict(tmp_path: Path, column: str, value: str) -> None:
    """Rejected with check_table's message (file, row, column), or, if check_table accepts it, landed alike."""
    tables = _tables()
    tables[1].frame.loc[1, column] = value
    path = tmp_path / "bad.csv.snapshot.parquet"
    published.write_snapshot_tables(tables, path)
    try:
        _landed(path, direct=False)
    except InputError as error:
        with pytest.raises(InputError) as raised:
            _landed(path, direct=True)
        assert str(raised.value) == str(error) and error.row == 3 and error.file == str(path)
        return
    _assert_same_landing(path, without_pandas=False)


def test_a_bad_dataset_name_and_a_file_not_written_by_the_snapshot_fall_back(tmp_path: Path) -> None:
    tables = _tables()
    path = tmp_path / "bad.csv.snapshot.parquet"
    published.write_snapshot_tables([PublishedTable("Fake Rates", tables[0].frame)], path)
    with pytest.raises(InputError, match="dataset name 'Fake Rates'"):
        _landed(path, direct=True)
    published.write_snapshot_tables(tables, path)
    frame = pd.read_parquet(path)
    frame.assign(_source_row=frame["_source_row"].astype(str)).to_parquet(path, index=False)
    _assert_same_landing(path, without_pandas=False)
