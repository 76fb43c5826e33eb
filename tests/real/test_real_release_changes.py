"""`cpop changes` on real Scotland: the revisions between the Improvement Service's August 2022
and September 2023 CPOP releases (both in the committed snapshot) are listed exactly.

The expectations are read from the publisher's two intermediate-zone workbooks in
../shared/real/cpop with openpyxl (``tests/fixtures/publishers.py``), never through cpop's readers:
a cell whose value differs between the workbooks is a revision (old value, new value, difference),
a year only the September 2023 workbook has is a new period.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.exports.changes import changes_xlsx
from dashboard.logic.changes import NOT_KNOWN, ReleaseChanges, release_changes
from etl.cli import app
from tests.fixtures.publishers import cpop_wide_workbook, with_ids

pytestmark = [pytest.mark.real, pytest.mark.slow]

KEY = ["indicator_id", "area_code", "period_label"]


@pytest.fixture(scope="module")
def changes(real_warehouse: Path) -> Iterator[ReleaseChanges]:
    reader = WarehouseReader(real_warehouse)
    try:
        yield release_changes(Queries(reader))
    finally:
        reader.close()


@pytest.fixture
def workbooks(real_dir: Path) -> pd.DataFrame:
    return _workbooks(real_dir)


@cache
def _workbooks(real_dir: Path) -> pd.DataFrame:
    """Both releases' cells side by side: one row per indicator x intermediate zone x year of either."""
    aug = with_ids(cpop_wide_workbook(real_dir / "cpop" / "IGZ Data - Aug 22.xlsx"))
    # two Aug-22 sheets are other series, kept out of the marts (see test_real_published_figures)
    aug = aug[~aug.measure.isin(["Crime Rate", "Depopulation"])]
    sep = with_ids(cpop_wide_workbook(real_dir / "cpop" / "IGZ Data - Sep 23.xlsx"))
    cells = ["indicator_id", "area", "year", "value"]
    return aug[cells].merge(sep[cells], on=["indicator_id", "area", "year"], how="outer", suffixes=("_aug", "_sep"),
                            indicator=True).rename(columns={"area": "area_code", "year": "period_label"})


def test_every_intermediate_zone_revision_between_aug22_and_sep23(changes: ReleaseChanges,
                                                                  workbooks: pd.DataFrame) -> None:
    both = workbooks[workbooks._merge == "both"]
    old, new = both.value_aug.to_numpy(float), both.value_sep.to_numpy(float)
    differs = (np.isnan(old) != np.isnan(new)) | (np.abs(new - old) > 1e-9 * np.maximum(np.abs(new), 1))
    expected = both[differs].set_index(KEY).sort_index()
    listed = changes.revised
    listed = listed[listed.area_type == "intermediate_zone"].set_index(KEY).sort_index()
    assert len(expected) > 50_000  # DWP's method change and the re-based populations touched most cells
    assert listed.index.equals(expected.index)
    assert (listed.old_release == "2022-08").all() and (listed.new_release == "2023-09").all()
    def same(a: pd.Series, b: pd.Series, rtol: float) -> bool:
        return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=rtol, atol=1e-12, equal_nan=True))

    assert same(listed.old_value, expected.value_aug, 1e-12) and same(listed.new_value, expected.value_sep, 1e-12)
    assert same(listed.difference, expected.value_sep - expected.value_aug, 1e-9)
    # by hand: Culter's child poverty in 2019/20 is 74 of 772 children (9.585 %) in both releases: not
    # listed; its 2018/19 figure was revised down
    assert ("ey_child_poverty", "S02001236", "2019/20") not in listed.index
    assert both.set_index(KEY).loc[("ey_child_poverty", "S02001236", "2019/20"), "value_sep"] == \
        pytest.approx(74 / 772 * 100, rel=1e-9)
    culter = listed.loc[("ey_child_poverty", "S02001236", "2018/19")]
    assert culter.difference == pytest.approx(culter.new_value - culter.old_value) and culter.difference < 0


def test_the_year_only_sep23_has_is_a_new_period(changes: ReleaseChanges, workbooks: pd.DataFrame) -> None:
    # years only the Sep-23 workbook has, of the indicators both releases publish for intermediate zones
    in_both = set(workbooks[workbooks._merge == "both"].indicator_id)
    only_sep = workbooks[(workbooks._merge == "right_only") & workbooks.indicator_id.isin(in_both)]
    expected = only_sep.groupby("indicator_id").period_label.unique().map(sorted).to_dict()
    periods = changes.new_periods()
    listed = periods[(periods.area_type == "intermediate_zone") & (periods.change == "new period")]
    assert {k: sorted(v) for k, v in listed.groupby("indicator_id").period_label.unique().items()} == expected
    assert (listed.areas == 1279).all()


def test_headline_summary_and_workbook(changes: ReleaseChanges) -> None:
    assert not changes.verdicts_known  # a first build: nothing kept to compare verdicts with
    summary = changes.summary().set_index("indicator_id")
    revised = changes.revised
    assert summary.loc["ey_child_poverty", "revised_values"] == (revised.indicator_id == "ey_child_poverty").sum()
    assert summary.loc["ey_child_poverty", "compared_with"] == "2022-08"
    assert summary.verdicts_changed.isna().all()
    assert changes.headline().startswith(f"{changes.updated_indicators()} indicators updated on ")
    book = openpyxl.load_workbook(io.BytesIO(changes_xlsx(changes)), read_only=True)
    assert book.sheetnames == ["Summary", "Revised values", "New periods", "Verdicts changed", "Indicators"]
    assert sum(1 for _ in book["Revised values"].iter_rows()) == len(revised) + 1
    assert next(book["Verdicts changed"].iter_rows(values_only=True))[0] == NOT_KNOWN


def test_cli_changes(real_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "changes.xlsx"
    result = CliRunner().invoke(app, ["changes", "--warehouse", str(real_warehouse), "--council", "Fife",
                                      "--since", "2022-08", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    assert "compared with release 2022-08" in result.output and "Largest revisions" in result.output
    assert "Whether verdicts changed is not known" in result.output
    assert out.is_file() and out.stat().st_size > 100_000
    bad = CliRunner().invoke(app, ["changes", "--warehouse", str(real_warehouse), "--since", "1999-01"])
    assert bad.exit_code == 1 and "no release '1999-01'" in bad.output
