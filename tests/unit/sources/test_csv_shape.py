"""etl.sources.csv_shape: short rows and cut files are caught; real files' quirks are not errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from etl.errors import InputError
from etl.sources.csv_shape import check_csv_rows


def _write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return path


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n",  # ordinary
    "a,b\r\n1,2\r\n",  # Windows line ends
    "\ufeffa,b\n1,2\n",  # a byte-order mark
    'a,b\n"one\nline two",2\n',  # a quoted value over two lines
    "a,b\n1,2\n\n3,4\n\n",  # blank lines
    "a,b,,\n1,2\n",  # stray commas after the header: columns without a heading
    "a,b\n1,2\n,",  # SIMD 2012's file: an empty last row without a line break
    "a,b\n1,\n",  # an empty cell is a value
    "a,b\n1,2,\n3,4,,\n",  # trailing commas after a row: empty values beyond the last column
])
def test_files_that_are_whole(tmp_path: Path, text: str) -> None:
    check_csv_rows(_write(tmp_path, text))


def test_a_short_row_names_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        check_csv_rows(_write(tmp_path, "a,b,c\n1,2,3\n4,5\n6,7,8\n"))
    assert (error.value.row, error.value.column) == (3, "c")


def test_a_row_with_a_value_beyond_the_last_column_names_the_row(tmp_path: Path) -> None:
    # a stray comma in the middle of a SIMD lookup row pushed every later value one column on;
    # the build then failed only in a data check of ward populations, naming no file or row
    with pytest.raises(InputError, match="beyond the last column") as error:
        check_csv_rows(_write(tmp_path, "dz,ward,hscp\nS1,W1,H1\nS2,,W1,H1\nS3,W1,H1\n"))
    assert error.value.row == 3 and "'H1'" in str(error.value)


@pytest.mark.parametrize("name", ["f.csv", "f.csv.gz"])
def test_a_last_row_cut_without_a_line_break(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="ends in the middle of its last row") as error:
        check_csv_rows(_write(tmp_path, "a,b\n1,2\n3,1", name))
    assert (error.value.row, error.value.column) == (3, "b")


def test_the_row_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "a\n1\n2\n3\n")
    assert check_csv_rows(path, max_rows=3) == 3
    with pytest.raises(InputError, match="more than 2 data rows"):
        check_csv_rows(path, max_rows=2)
