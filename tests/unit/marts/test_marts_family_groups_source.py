"""LGBF family groups: the CSV layout, the Improvement Service workbook layout, bad input."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources import family_groups
from etl.sources.family_groups import council_key

REAL_NAMES = {  # the SIMD 2020v2 look-up's spelling
    "S12000036": "City of Edinburgh", "S12000013": "Na h-Eileanan Siar", "S12000033": "Aberdeen City",
    "S12000034": "Aberdeenshire", "S12000049": "Glasgow City", "S12000041": "Angus",
}


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    rows = ", ".join(f"('council', '{c}', '{n}')" for c, n in REAL_NAMES.items())
    con.execute(f"CREATE TABLE core.dim_area AS SELECT * FROM (VALUES {rows}) AS t(area_type, area_code, area_name)")
    return con


def _csv(raw: Path, text: str) -> Path:
    path = raw / "family_groups" / "2012" / "family_groups.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_council_key_matches_publishers_spellings() -> None:
    assert council_key("Edinburgh City") == council_key("City of Edinburgh")
    assert council_key("Eilean Siar") == council_key("Na h-Eileanan Siar")
    assert council_key("Aberdeen City") != council_key("Aberdeenshire")
    assert council_key("Perth & Kinross") == council_key("Perth and Kinross")


def test_csv_layout(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _csv(tmp_path, "council_code,deprivation_group,density_group\nS12000036,1,4\nS12000049,4,4\n")
    out = family_groups.load(con, tmp_path)
    assert out.to_dict("records") == [{"council_code": "S12000036", "deprivation_group": 1, "density_group": 4},
                                      {"council_code": "S12000049", "deprivation_group": 4, "density_group": 4}]
    assert family_groups.load(con, tmp_path / "none").empty


def test_workbook_layout(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # the Improvement Service layout: names in an unnamed first column, then the two groups
    frame = pd.DataFrame({"": ["Edinburgh City", "Eilean Siar", "Aberdeen City", "Aberdeenshire"],
                          "deprivationFG_2012": [1, 4, 1, 1], "popdensityFG_2012": [4, 1, 4, 1]})
    path = tmp_path / "family_groups" / "2012" / "Family Groups.xlsx"
    path.parent.mkdir(parents=True)
    frame.to_excel(path, index=False)
    out = family_groups.load(con, tmp_path).set_index("council_code")
    assert out.loc["S12000036", "density_group"] == 4 and out.loc["S12000013", "deprivation_group"] == 4
    assert out.loc["S12000034", "density_group"] == 1


@pytest.mark.parametrize(("text", "row", "column"), [
    ("council_code,deprivation_group,density_group\nS12000036,1,4\nS12999999,1,1\n", 3, "council_code"),
    ("council_code,deprivation_group,density_group\nS12000036,5,4\n", 2, "deprivation_group"),
    ("council_code,deprivation_group,density_group\nS12000036,1,\n", 2, "density_group"),
    ("council_code,deprivation_group,density_group\nS12000036,1,4\nS12000036,2,4\n", 3, "council_code"),
    ("council_code,deprivation,density_group\nS12000036,1,4\n", 1, "deprivation_group"),
])
def test_bad_input_names_row_and_column(con: duckdb.DuckDBPyConnection, tmp_path: Path, text: str, row: int,
                                        column: str) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(InputError) as err:
        family_groups.load(con, tmp_path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)


def test_real_workbook_matches_every_council(real_dir: Path, tmp_path: Path) -> None:
    """The real 'Family Groups.xlsx' (read in place, never copied) against the real look-up's names."""
    workbook = real_dir / "cpop" / "Family Groups.xlsx"
    lookup = pd.read_csv(real_dir / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str,
                         usecols=["LAcode", "LAname"]).drop_duplicates()
    councils = {council_key(n): c for c, n in zip(lookup.LAcode, lookup.LAname, strict=True)}
    out = family_groups.load_file(family_groups.RawFile("family_groups", "real", workbook), councils)
    assert len(out) == 32 and out.council_code.is_unique
    groups = out.set_index("council_code")
    assert groups.loc["S12000049", "deprivation_group"] == 4   # Glasgow City
    assert groups.loc["S12000036", "deprivation_group"] == 1   # "Edinburgh City" in the workbook
    assert groups.loc["S12000013", "density_group"] == 1       # "Eilean Siar"
    assert sorted(out.deprivation_group.value_counts()) == [8, 8, 8, 8]
