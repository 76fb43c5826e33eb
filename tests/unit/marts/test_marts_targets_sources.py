"""marts.targets: at-risk and high-is-good examples, the targets file's validation, demo targets."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.demo.family_groups import DEMO_TARGETS, write_demo_family_groups, write_demo_targets
from etl.errors import InputError
from etl.marts.targets import targets_frame
from etl.sources import targets as target_source


def _values(values: list[float | None], polarity: str, start: int = 2014) -> pd.DataFrame:
    years = range(start, start + len(values))
    return pd.DataFrame({"indicator_id": "x", "area_type": "council", "area_code": "C", "polarity": polarity,
                         "baseline_year": 2014, "period_year": list(years), "period_label": [str(y) for y in years],
                         "value": [float("nan") if v is None else v for v in values]})


def _target(value: float, year: int) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": "x", "area_type": "council", "area_code": "C", "target_value": value,
                          "target_year": year, "set_by": "board"}])


def test_high_is_good_on_track_with_trajectory() -> None:
    # 60, 62, 64, 66, 68 (2014-2018): exact line +2 a year → 2022: 76 ≥ target 75 with certainty
    # (residuals 0 → P = 1). Trajectory: 60 → 75 over 2014-2022, after 4 of 8 years = 67.5.
    row = targets_frame(_target(75, 2022), _values([60, 62, 64, 66, 68], "high_is_good")).iloc[0]
    assert row.projected_value == pytest.approx(76.0)
    assert row.trajectory_value_latest == pytest.approx(67.5)
    assert row.probability_of_meeting == 1.0 and row.status == "on track"


def test_at_risk_when_the_projection_sits_near_the_target() -> None:
    # 30, 28, 27, 24, 23 (low is good): OLS slope −1.8 a year, mean 26.4 at 2016 → 2020: 26.4 −
    # 1.8·4 = 19.2; target 19.5 is just above the centre, so P is a little over 0.5 → at risk.
    row = targets_frame(_target(19.5, 2020), _values([30, 28, 27, 24, 23], "low_is_good")).iloc[0]
    assert row.projected_value == pytest.approx(19.2)
    assert 0.5 <= row.probability_of_meeting < 0.8 and row.status == "at risk"


def test_withheld_points_are_skipped_and_baseline_moves_on() -> None:
    # 2014 withheld: baseline = 2015 (28); the projection uses the four published values
    row = targets_frame(_target(20, 2024), _values([None, 28, 26, 24, 22], "low_is_good")).iloc[0]
    assert row.baseline_period_label == "2015" and row.baseline_value == 28
    assert row.latest_period_label == "2018" and row.projected_value == pytest.approx(10.0)
    assert row.status == "on track"


def test_no_values_cannot_be_calculated() -> None:
    row = targets_frame(_target(20, 2024), _values([], "low_is_good")).iloc[0]
    assert row.status == "cannot be calculated" and pd.isna(row.baseline_value)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA meta; CREATE SCHEMA core")
    con.execute("CREATE TABLE meta.indicators AS SELECT 'pct' AS indicator_id, ['council', 'scotland'] AS geographies")
    con.execute("CREATE TABLE core.dim_area AS SELECT * FROM (VALUES ('council', 'S12000001'), "
                "('scotland', 'S92000003'), ('datazone', 'S01000001')) AS t(area_type, area_code)")
    return con


def _write(raw: Path, release: str, lines: list[str]) -> Path:
    path = raw / "targets" / release / "targets.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(["indicator_id,area_type,area_code,target_value,target_year,set_by", *lines]) + "\n",
                    encoding="utf-8")
    return path


def test_targets_file_later_release_wins(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _write(tmp_path, "2024", ["pct,council,S12000001,20,2030,board", "pct,scotland,S92000003,18,2030,SG"])
    _write(tmp_path, "2025", ["pct,council,S12000001,19.5,2030,board"])
    out = target_source.load(con, tmp_path).set_index("area_type")
    assert out.loc["council", "target_value"] == 19.5 and out.loc["scotland", "target_value"] == 18.0
    assert target_source.load(con, tmp_path / "nothing").empty


@pytest.mark.parametrize(("line", "row", "column", "words"), [
    ("nope,council,S12000001,20,2030,b", 3, "indicator_id", "unknown indicator"),
    ("pct,council,S12999999,20,2030,b", 3, "area_code", "unknown area"),
    ("pct,datazone,S01000001,20,2030,b", 3, "area_type", "not published"),
    ("pct,council,S12000001,,2030,b", 3, "target_value", "must be a number"),
    ("pct,council,S12000001,20,30,b", 3, "target_year", "four-digit"),
    ("pct,scotland,S92000003,20,2030,b", 3, "indicator_id", "second target"),
])
def test_targets_file_errors_name_row_and_column(con: duckdb.DuckDBPyConnection, tmp_path: Path, line: str,
                                                 row: int, column: str, words: str) -> None:
    path = _write(tmp_path, "2025", ["pct,scotland,S92000003,18,2030,SG", line])
    with pytest.raises(InputError) as err:
        target_source.load(con, tmp_path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)
    assert words in str(err.value)


def _lookup(raw: Path) -> None:
    path = raw / "simd" / "2020v2" / "lookup.csv"
    path.parent.mkdir(parents=True)
    rows = ["DZ,Population,SIMD2020v2_Quintile,URclass,LAcode"]
    # council K: all quintile 1 and urban (class 1); L: half; M, N: none, rural (class 6)
    rows += ["d1,100,1,1,K", "d2,100,1,1,K", "d3,100,1,2,L", "d4,100,5,2,L", "d5,100,5,6,M", "d6,100,4,6,N"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_demo_writers_are_deterministic_and_use_the_lookup(tmp_path: Path) -> None:
    _lookup(tmp_path)
    fg = write_demo_family_groups(tmp_path, ["K", "L", "M", "N"], seed=1)
    groups = pd.read_csv(fg).set_index("council_code")
    assert groups.loc["K", "deprivation_group"] == 4 and groups.loc["L", "deprivation_group"] == 3
    assert groups.loc["K", "density_group"] == 4 and set(groups.loc[["M", "N"], "density_group"]) == {1, 2}
    first = write_demo_targets(tmp_path, seed=1).read_bytes()
    assert write_demo_targets(tmp_path, seed=1).read_bytes() == first
    targets = pd.read_csv(write_demo_targets(tmp_path, seed=1))
    assert set(targets.indicator_id) == {t[0] for t in DEMO_TARGETS}
    assert (targets.area_type == "scotland").sum() == len(DEMO_TARGETS)
    # 60 % of the four councils = two councils per indicator
    assert (targets.area_type == "council").sum() == 2 * len(DEMO_TARGETS)
