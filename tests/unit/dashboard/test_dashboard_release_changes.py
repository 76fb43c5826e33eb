"""What changed in a release: the SQL (``release_*.sql``) on a hand-made warehouse, the words and
counts (``dashboard/logic/changes.py``) and the workbook, against hand-worked expectations."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import openpyxl
import pandas as pd
import pytest

from dashboard.data.sqlfiles import load_sql
from dashboard.exports.changes import changes_xlsx
from dashboard.logic.changes import NOT_KNOWN, ReleaseChanges, number

BUILT = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """Two releases of indicator 'cp' (Aug-22, Sep-23) and one of 'bx' (Oct-24), with verdicts of two builds."""
    c = duckdb.connect()
    for schema in ("marts", "meta"):
        c.execute(f"CREATE SCHEMA {schema}")
    c.execute("""CREATE TABLE marts.indicator_releases AS SELECT * FROM (VALUES
        ('cp', 'intermediate_zone', 'Z1', '2019/20', 2019, '2022-08', 'igz', false, 10.0, false, 'raw'),
        ('cp', 'intermediate_zone', 'Z1', '2019/20', 2019, '2023-09', 'igz', true, 12.5, false, 'raw'),
        ('cp', 'intermediate_zone', 'Z1', '2020/21', 2020, '2022-08', 'igz', false, 11.0, false, 'raw'),
        ('cp', 'intermediate_zone', 'Z1', '2020/21', 2020, '2023-09', 'igz', true, 11.0, false, 'raw'),
        ('cp', 'intermediate_zone', 'Z2', '2019/20', 2019, '2022-08', 'igz', false, NULL, true, 'raw'),
        ('cp', 'intermediate_zone', 'Z2', '2019/20', 2019, '2023-09', 'igz', true, 7.0, false, 'raw'),
        ('cp', 'intermediate_zone', 'Z1', '2021/22', 2021, '2023-09', 'igz', true, 13.0, false, 'projected'),
        ('cp', 'intermediate_zone', 'Z3', '2021/22', 2021, '2023-09', 'igz', true, 5.0, false, 'raw'),
        ('bx', 'council', 'C1', '2022', 2022, '2024-10', 'ca', true, 3.0, false, 'raw')
    ) AS t(indicator_id, area_type, area_code, period_label, period_year, release, dataset, is_shown, value,
           is_withheld, value_type)""")
    c.execute("""CREATE TABLE meta.indicators AS SELECT * FROM (VALUES ('cp', 'Child poverty'), ('bx', 'Box'))
                 AS t(indicator_id, title)""")
    c.execute("""CREATE TABLE marts.areas AS SELECT * FROM (VALUES
        ('intermediate_zone', 'Z1', 'Zone one', 'C1', 'Council One'),
        ('intermediate_zone', 'Z2', 'Zone two', 'C1', 'Council One'),
        ('intermediate_zone', 'Z3', 'Zone three', 'C2', 'Council Two'),
        ('council', 'C1', 'Council One', 'C1', 'Council One')
    ) AS t(area_type, area_code, area_name, council_code, council_name)""")
    verdict = "(indicator_id VARCHAR, area_type VARCHAR, area_code VARCHAR, verdict_kind VARCHAR, verdict VARCHAR, period_label VARCHAR)"
    c.execute(f"CREATE TABLE marts.verdicts {verdict}")
    c.execute(f"CREATE TABLE marts.previous_verdicts {verdict}")
    c.execute("""INSERT INTO marts.verdicts VALUES
        ('cp', 'intermediate_zone', 'Z1', 'trend', 'improving', '2021/22'),
        ('cp', 'intermediate_zone', 'Z2', 'trend', 'worsening', '2019/20'),
        ('cp', 'council', 'C1', 'rag', 'red', '2021/22')""")
    c.execute("""INSERT INTO marts.previous_verdicts VALUES
        ('cp', 'intermediate_zone', 'Z1', 'trend', 'no significant change', '2020/21'),
        ('cp', 'intermediate_zone', 'Z2', 'trend', 'worsening', '2019/20'),
        ('cp', 'council', 'C1', 'rag', 'amber', '2020/21')""")
    c.execute("CREATE TABLE meta.previous_build AS SELECT 'b0' AS build_id, TIMESTAMPTZ '2025-09-01 06:00:00+00' AS built_at")
    c.execute("""CREATE TABLE meta.previous_indicators AS SELECT * FROM (VALUES ('cp', 'Child poverty'), ('gone', 'Gone'))
                 AS t(indicator_id, title)""")
    yield c
    c.close()


def _run(con: duckdb.DuckDBPyConnection, name: str, since: str | None = None) -> pd.DataFrame:
    params = {"since": since} if "$since" in load_sql(name) else None
    return con.execute(load_sql(name), params).df()


def _changes(con: duckdb.DuckDBPyConnection, since: str | None = None, *, previous: bool = True) -> ReleaseChanges:
    return ReleaseChanges(figures=_run(con, "release_changes", since), verdicts=_run(con, "release_verdict_changes"),
                          indicators=_run(con, "release_indicator_changes", since),
                          previous={"build_id": "b0"} if previous else {}, build={"build_id": "b1", "built_at": BUILT},
                          since=since)


def test_revisions_new_periods_and_first_published(con: duckdb.DuckDBPyConnection) -> None:
    rows = _run(con, "release_changes").set_index(["area_code", "period_label"])
    # bx has a single release: not compared; cp's Sep-23 against Aug-22; Z1 2020/21 unchanged, not listed
    assert sorted(rows.index) == [("Z1", "2019/20"), ("Z1", "2021/22"), ("Z2", "2019/20"), ("Z3", "2021/22")]
    z1 = rows.loc[("Z1", "2019/20")]
    assert (z1.change, z1.old_release, z1.old_value, z1.new_value, z1.difference) == ("revised", "2022-08", 10.0, 12.5, 2.5)
    assert z1.verdicts_changed == "trend: no significant change → improving" and z1.verdicts_known
    z2 = rows.loc[("Z2", "2019/20")]  # withheld in Aug-22, published in Sep-23
    assert z2.change == "revised" and z2.old_is_withheld and pd.isna(z2.old_value) and pd.isna(z2.difference)
    assert pd.isna(z2.verdicts_changed)  # its trend verdict is the same
    assert rows.loc[("Z1", "2021/22")].change == "new period"
    assert rows.loc[("Z3", "2021/22")].change == "first published"
    assert rows.loc[("Z3", "2021/22")].council_name == "Council Two"


def test_since_a_release(con: duckdb.DuckDBPyConnection) -> None:
    rows = _run(con, "release_changes", "2023-09")
    assert list(zip(rows.indicator_id, rows.change, strict=True)) == [("bx", "first published")]
    assert _run(con, "release_changes", "2024-10").empty


def test_verdicts_and_indicators(con: duckdb.DuckDBPyConnection) -> None:
    verdicts = _run(con, "release_verdict_changes")
    assert list(zip(verdicts.area_code, verdicts.verdict_kind, verdicts.verdict_before, verdicts.verdict_now,
                    strict=True)) == [("C1", "rag", "amber", "red"), ("Z1", "trend", "no significant change", "improving")]
    indicators = _run(con, "release_indicator_changes")
    assert list(zip(indicators.indicator_id, indicators.change, indicators.basis, strict=True)) == [
        ("bx", "added", "not in the previous build"), ("gone", "removed", "in the previous build, not in this one")]
    con.execute("DELETE FROM meta.previous_build")
    indicators = _run(con, "release_indicator_changes")  # no previous build: first published after 2023-09
    assert list(zip(indicators.indicator_id, indicators.basis, strict=True)) == [("bx", "first published in release 2024-10")]


def test_summary_headline_and_workbook(con: duckdb.DuckDBPyConnection) -> None:
    changes = _changes(con)
    summary = changes.summary().set_index("indicator_id")
    assert summary.loc["cp", ["revised_values", "areas_revised", "largest_difference", "new_periods",
                              "first_published_figures", "verdicts_changed"]].tolist() == [2, 2, 2.5, "2021/22", 1, 2]
    assert changes.headline("C1", "Council One") == "1 indicator updated on 3 March 2026; 1 verdict changed for Council One."
    assert list(changes.largest_revisions(5).area_code) == ["Z2", "Z1"]  # newly published first, then +25 %
    assert list(changes.revisions_in("C2").area_code) == []
    book = openpyxl.load_workbook(io.BytesIO(changes_xlsx(changes, "C1", "Council One")), read_only=True)
    first = [r for r in book["Summary"].iter_rows(values_only=True)][0][:2]
    assert first == ("What changed", "1 indicator updated on 3 March 2026; 1 verdict changed for Council One.")
    revised = list(book["Revised values"].iter_rows(values_only=True))
    assert len(revised) == 3 and revised[1][10:14] == (10.0, "2023-09", 12.5, 2.5)
    unknown = _changes(con, previous=False)
    assert unknown.headline("C1", "Council One") == "1 indicator updated on 3 March 2026."
    assert unknown.summary().verdicts_changed.isna().all()
    book = openpyxl.load_workbook(io.BytesIO(changes_xlsx(unknown)), read_only=True)
    assert next(book["Verdicts changed"].iter_rows(values_only=True))[0] == NOT_KNOWN


def test_number() -> None:
    assert [number(v) for v in (17750.3, 9.58549, -0.000123456, None, float("nan"), 1234567.0)] == [
        "17,750", "9.585", "-0.0001235", "", "", "1,235,000"]
