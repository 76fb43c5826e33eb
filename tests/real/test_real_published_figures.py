"""Every CPOP figure in the warehouse equals the Improvement Service's published one, to 4
significant figures, through the production path (the marts of a real build).

The warehouse is real Scotland built once per session from the committed snapshot
(``real_con``); the expectations are the publishers' original files in ../shared/real/cpop,
read here with openpyxl and pandas (``tests/fixtures/publishers.py``), never with cpop's readers.

* ``Final CPP Data - Sep 2023.xlsx``: every cell is the figure ``marts.indicator_values`` shows
  for that council or Scotland (release 2023-09, dataset cpop-cpp), with its value type.
* ``CPPcleandata.csv`` (CPOP's web app): every row is in ``marts.indicator_releases`` as dataset
  cpop-cpp-app, not shown; child poverty's labels are moved back a year (the one documented
  reconciliation, ``etl/sources/cpop/csvs.py``).
* ``IGZ Data - Aug 22.xlsx`` / ``IGZ Data - Sep 23.xlsx``: releases 2022-08 and 2023-09 of
  cpop-igz; the Sep-23 ones are shown for intermediate zones.
* ``DZ Data - Aug 22.xlsx``: cpop-dz, shown for data zones.
* ``CPOP Data - for PHS.xlsx``: the counts behind the Aug-22 intermediate-zone figures.

Blanks and the publisher's error cells (``#N/A``, ``#DIV/0!``) are no figure (NULL, never 0).
docs/methods.md, "Where cpop's figures differ from the publishers', and why", lists each
deliberate difference and the test that asserts it.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.fixtures.publishers import (
    CPOP_INDICATORS,
    CPOP_TYPES,
    agree_4sf,
    council_codes,
    cpop_wide_workbook,
    number,
    query,
    with_ids,
)

pytestmark = [pytest.mark.real, pytest.mark.slow]

KEY = ["indicator_id", "area_code", "period_label"]


@cache
def _workbook(real_dir: Path, name: str) -> pd.DataFrame:
    return with_ids(cpop_wide_workbook(real_dir / "cpop" / name))


def _releases(con: duckdb.DuckDBPyConnection, dataset: str, release: str, area_types: tuple[str, ...]) -> pd.DataFrame:
    return query(con, f"""
        SELECT * FROM marts.indicator_releases
        WHERE dataset = ? AND release = ? AND area_type IN ({", ".join("?" * len(area_types))})
    """, [dataset, release, *area_types])


def _matched(published: pd.DataFrame, warehouse: pd.DataFrame) -> pd.DataFrame:
    """Published cells joined one-to-one to warehouse rows; fails on a cell or row left over."""
    both = published.rename(columns={"area": "area_code", "year": "period_label"}).merge(
        warehouse, on=KEY, how="outer", suffixes=("_pub", ""), indicator=True, validate="one_to_one")
    left = both[both._merge != "both"]
    assert left.empty, left.groupby(["_merge", "indicator_id"]).size()
    return both


def _assert_same_figures(both: pd.DataFrame) -> None:
    """Values to 4 significant figures (no figure ↔ NULL) and the publisher's value types."""
    bad = both[~agree_4sf(both["value"], both["value_pub"])]
    assert bad.empty, bad[[*KEY, "cell", "value"]].head(10)
    assert (both["value_type"] == both["value_type_pub"]).all()


# ------------------------------------------------------------------------------------------
# 1. council figures: the CPP workbook (shown) and CPOP's web app CSV (kept beside it)
# ------------------------------------------------------------------------------------------
def test_every_cpp_workbook_cell_is_shown_for_councils_and_scotland(real_dir: Path, real_con) -> None:
    book = _workbook(real_dir, "Final CPP Data - Sep 2023.xlsx")
    book = book.assign(area=book.area.map(council_codes(real_dir)))
    assert book.area.notna().all() and book.indicator_id.notna().all()
    assert len(book) == 8811 and book.indicator_id.nunique() == 20 and book.area.nunique() == 33
    shown = query(real_con, f"""
        SELECT * FROM marts.indicator_values
        WHERE area_type IN ('council', 'scotland')
          AND indicator_id IN ({", ".join("?" * 20)})
    """, list(CPOP_INDICATORS.values()))
    both = _matched(book, shown)  # every shown council/Scotland figure of CPOP's 20 is a workbook cell
    _assert_same_figures(both)
    assert (both.value_source == "published").all() and (both.source_release == "2023-09").all()
    # the two cells CPOP leaves empty (Inverclyde P1 BMI 2010/11, Orkney well-being 2021/22)
    # are no figure: NULL, not 0, and not "withheld"
    empty = both[both.value_pub.isna()]
    assert sorted(zip(empty.area_code, empty.indicator_id, empty.period_label, strict=True)) == [
        ("S12000018", "ey_p1_healthy_bmi", "2010/11"), ("S12000023", "hi_wellbeing", "2021/22")]
    assert empty.value.isna().all() and not empty.is_suppressed.any()
    # imputed and projected figures carry their type
    assert both.value_type.value_counts().to_dict() == {"raw": 6897, "imputed": 1023, "projected": 891}
    # and the same rows are cpop-cpp 2023-09, shown, in marts.indicator_releases
    releases = _releases(real_con, "cpop-cpp", "2023-09", ("council", "scotland"))
    assert len(releases) == 8811 and releases.is_shown.all()


def _app_csv(real_dir: Path) -> pd.DataFrame:
    """CPPcleandata.csv as text (pandas, no type guessing), one row per published figure."""
    csv = pd.read_csv(real_dir / "cpop" / "CPPcleandata.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "area": csv.CPP.map(council_codes(real_dir)), "measure": csv.Indicator, "type": csv.Type,
        "csv_year": csv.Year, "cell": [float(v) if v not in ("", "NA") else math.nan for v in csv.value],
    })  # fmt: skip


def _moved_back(label: str) -> str:
    first = int(label[:4]) - 1
    return f"{first}/{(first + 1) % 100:02d}"


def test_every_app_csv_figure_is_kept_with_child_poverty_a_year_back(real_dir: Path, real_con) -> None:
    app = _app_csv(real_dir)
    assert len(app) == 8811 and app.area.notna().all()
    # The one reconciliation: child poverty's CSV label Y is the workbooks' Y − 1 (2021/22 → 2020/21)
    child = app.measure == "Child Poverty"
    app["year"] = np.where(child, app.csv_year.map(_moved_back), app.csv_year)
    mapping = sorted(set(zip(app[child].csv_year, app[child].year, strict=True)))
    assert mapping == [(f"{y}/{(y + 1) % 100:02d}", f"{y - 1}/{y % 100:02d}") for y in range(2010, 2025)]
    assert (app[~child].year == app[~child].csv_year).all()
    both = _matched(with_ids(app), _releases(real_con, "cpop-cpp-app", "2023-09", ("council", "scotland")))
    _assert_same_figures(both)
    assert not both.is_shown.any()  # a fallback behind the CPP workbook: kept, never shown
    # Fife's child poverty, CPOP's app: 17.495289 labelled 2021/22 → kept as 2020/21
    fife = both.set_index(KEY).loc[("ey_child_poverty", "S12000047", "2020/21")]
    assert fife.value == pytest.approx(17.495289, abs=1e-6) and fife.csv_year == "2021/22"


def test_app_csv_equals_the_workbook_except_child_poverty(real_con) -> None:
    """Through the warehouse: the two datasets of one release agree, but for child poverty,
    whose app figures (after the label move) divide the same year's count by another year's
    population: within 3 % of the workbook's, and 224 of the 231 raw figures differ at 4 sf."""
    both = query(real_con, """
        SELECT a.indicator_id, a.area_code, a.period_label, a.value AS app, b.value AS book
        FROM marts.indicator_releases AS a
        JOIN marts.indicator_releases AS b USING (indicator_id, area_type, area_code, period_label, release)
        WHERE a.dataset = 'cpop-cpp-app' AND b.dataset = 'cpop-cpp'
    """)
    child = both.indicator_id == "ey_child_poverty"
    assert agree_4sf(both[~child].app, both[~child].book).all() and (~child).sum() == 8811 - 495
    raw_years = both[child & both.period_label.between("2014/15", "2020/21")]
    assert len(raw_years) == 33 * 7
    ratio = raw_years.app / raw_years.book
    assert (abs(ratio - 1) < 0.03).all()
    assert (~agree_4sf(raw_years.app, raw_years.book)).sum() == 224


# ------------------------------------------------------------------------------------------
# 2. intermediate zones (two releases) and data zones
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "release", "shown"), [
    ("IGZ Data - Sep 23.xlsx", "2023-09", True),
    ("IGZ Data - Aug 22.xlsx", "2022-08", False),
])  # fmt: skip
def test_every_intermediate_zone_cell_of_both_releases(real_dir: Path, real_con, name: str, release: str,
                                                       shown: bool) -> None:
    book = _workbook(real_dir, name)
    assert len(book) == 1279 * 8 * 15 and book.indicator_id.notna().all()
    if release == "2022-08":
        # Two Aug-22 sheets are other series, kept out of the marts: "Total crimes per 100,000"
        # holds crimes per 10,000 people (Sep-23: per 10,000 aged 16-64) and the depopulation
        # index has another base (no year = 100). See the catalogue's caveats.
        other = book.measure.isin(["Crime Rate", "Depopulation"])
        assert other.sum() == 2 * 1279 * 15
        book = book[~other]
    warehouse = _releases(real_con, "cpop-igz", release, ("intermediate_zone",))
    both = _matched(book, warehouse)
    _assert_same_figures(both)
    assert (both.is_shown == shown).all()
    markers = both[both.cell.map(lambda c: isinstance(c, str))]
    # Sep-23: two blank cells (child poverty); Aug-22: three #N/A (emergency admissions)
    assert len(markers) == (2 if shown else 3)
    assert markers.value.isna().all() and not markers.is_withheld.any()
    if shown:
        values = query(real_con, "SELECT * FROM marts.indicator_values WHERE area_type = 'intermediate_zone' "
                                 "AND value_source = 'published'")
        shown_rows = _matched(book, values)
        _assert_same_figures(shown_rows)
        assert (shown_rows.source_release == "2023-09").all()


def test_every_data_zone_cell(real_dir: Path, real_con) -> None:
    book = _workbook(real_dir, "DZ Data - Aug 22.xlsx")
    assert len(book) == 6976 * (7 + 7 + 8 + 14 + 5)
    # the "Crime" sheet is SIMD crime counts per 10,000, not an indicator CPOP shows for data
    # zones (cpop's SIMD crime rate is built from the SIMD indicator data instead)
    simd_crime = book.measure == "Crime"
    assert simd_crime.sum() == 6976 * 5 and book[~simd_crime].indicator_id.notna().all()
    book = book[~simd_crime]
    shown = query(real_con, "SELECT * FROM marts.indicator_values WHERE area_type = 'datazone' "
                            "AND value_source = 'published'")
    both = _matched(book, shown)
    _assert_same_figures(both)
    releases = _matched(book, _releases(real_con, "cpop-dz", "2022-08", ("datazone",)))
    assert releases.is_shown.all() and not releases.is_withheld.any()
    assert (both.source_release == "2022-08").all()
    # blanks and #N/A are no figure: NULL (never 0)
    kinds = both.cell.map(lambda c: "number" if number(c) == number(c) else str(c).strip() or "blank")
    assert kinds.value_counts().to_dict() == {"number": 244070, "blank": 6238, "#N/A": 828}
    assert both[kinds != "number"].value.isna().all()


def _phs_sheet(real_dir: Path, sheet: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, populations) of a CPOP Data - for PHS sheet, one row per area, by period label.

    The count block is headed by financial years (``2014/15``), the population block by
    calendar years (2014); each row repeats the area code before its populations, checked.
    """
    book = openpyxl.load_workbook(real_dir / "cpop" / "CPOP Data - for PHS.xlsx", read_only=True, data_only=True)
    try:
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    header = rows[1]
    count_cols = {j: h for j, h in enumerate(header) if isinstance(h, str) and len(h) == 7 and h[4] == "/"}
    pop_cols = {j: f"{h}/{(h + 1) % 100:02d}" for j, h in enumerate(header) if isinstance(h, int)}
    first = rows[2]
    code_col = next(j for j in range(max(count_cols) + 1, min(pop_cols)) if first[j] == first[0])
    counts, pops = {}, {}
    for row in rows[2:]:
        if not row[0] or not str(row[0]).startswith("S0"):
            continue
        assert row[code_col] == row[0], (sheet, row[0], row[code_col])
        counts[row[0]] = {label: row[j] for j, label in count_cols.items()}
        pops[row[0]] = {label: row[j] for j, label in pop_cols.items()}
    return pd.DataFrame.from_dict(counts, orient="index"), pd.DataFrame.from_dict(pops, orient="index")


# ------------------------------------------------------------------------------------------
# 3. counts: CPOP's PHS workbook reproduces its Aug-22 intermediate-zone figures
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sheet", "indicator_id", "periods"), [
    ("Child Poverty - IGZ", "ey_child_poverty", 7),
    ("OOWB - IGZ", "emp_out_of_work_benefits", 8),
])  # fmt: skip
def test_counts_reproduce_the_aug22_intermediate_zone_figures(real_dir: Path, real_con, sheet: str,
                                                              indicator_id: str, periods: int) -> None:
    counts, pops = _phs_sheet(real_dir, sheet)
    assert counts.shape == (1279, periods) and list(counts.columns) == list(pops.columns)
    built = (counts.map(number) / pops.map(number) * 100).stack().rename("built")
    built.index.names = ["area_code", "period_label"]
    aug22 = _releases(real_con, "cpop-igz", "2022-08", ("intermediate_zone",))
    aug22 = aug22[aug22.indicator_id == indicator_id].set_index(["area_code", "period_label"]).value
    joined = pd.concat([built, aug22.rename("published")], axis=1, join="inner")
    # a statement about the publisher's data: count ÷ same-year population × 100 is the
    # published Aug-22 figure for every intermediate zone and year (to 1e-9, so to 4 sf)
    assert len(joined) == 1279 * periods
    assert np.allclose(joined.built, joined.published, rtol=1e-9, atol=0)

    # Through marts.indicator_values: the shown figure is Sep-23's. The counts (Aug-22) stand
    # beside it exactly where they reproduce it to 4 significant figures, and they are the
    # PHS workbook's own cells.
    shown = query(real_con, "SELECT area_code, period_label, numerator, denominator, value FROM marts.indicator_values "
                            "WHERE indicator_id = ? AND area_type = 'intermediate_zone'", [indicator_id])
    shown = shown.set_index(["area_code", "period_label"])
    in_phs = shown.join(joined.built, how="inner")
    reproduces = agree_4sf(in_phs.built, in_phs.value)
    has_counts = in_phs.numerator.notna().to_numpy()
    assert (has_counts == reproduces).all()
    with_counts = in_phs[has_counts]
    cells = counts.stack().map(number).reindex(with_counts.index)
    people = pops.stack().map(number).reindex(with_counts.index)
    assert (with_counts.numerator == cells).all() and (with_counts.denominator == people).all()
    assert agree_4sf(with_counts.numerator / with_counts.denominator * 100, with_counts.value).all()
    # outside the PHS years no counts are shown
    assert shown.drop(in_phs.index).numerator.isna().all()
    print(f"{indicator_id}: {len(joined)} Aug-22 IZ figures reproduced by their counts; "
          f"{has_counts.sum()} Sep-23 figures unrevised and shown with them")


def test_every_count_beside_a_published_figure_reproduces_it(real_con) -> None:
    """No coincidental counts: wherever marts.indicator_values shows counts beside a published
    figure, numerator ÷ denominator × multiplier gives that figure to 4 significant figures."""
    rows = query(real_con, """
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.numerator, v.denominator, v.value,
               i.multiplier, i.measure_type
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.value_source = 'published' AND v.numerator IS NOT NULL AND i.measure_type IN ('percentage', 'crude_rate')
    """)
    assert len(rows) > 100_000
    rate = rows.numerator / rows.denominator * rows.multiplier
    bad = rows[~agree_4sf(rate, rows.value)]
    assert bad.empty, bad.head(10)


def test_withheld_and_undefined_data_zone_cells(real_dir: Path, real_con) -> None:
    """The DZ workbook's blanks are DWP's withheld counts; its zeros for out-of-work benefits
    are sometimes no figure at all (the publisher's own inconsistency, documented)."""
    counts, pops = _phs_sheet(real_dir, "Child Poverty - DZ")
    withheld = counts.stack()
    withheld = set(withheld[withheld == ".."].index)
    assert len(withheld) == 3453
    dz = query(real_con, "SELECT area_code, period_label, numerator, value, is_suppressed FROM marts.indicator_values "
                         "WHERE indicator_id = 'ey_child_poverty' AND area_type = 'datazone'")
    blank = dz[dz.value.isna()]
    keys = set(zip(blank.area_code, blank.period_label, strict=True))
    assert withheld <= keys and len(keys - withheld) == 3  # + three with no children (0 ÷ 0)
    assert dz.set_index(["area_code", "period_label"]).loc[sorted(withheld)].numerator.isna().all()

    # Out-of-work benefits: the PHS sheet has #N/A for 163-164 data zones' counts in 2018/19 to
    # 2020/21 (and one zone throughout) and 0 working-age people for 3 zones; the DZ workbook
    # prints 0 % for every one of those 515 cells. cpop shows the publisher's 0, without counts.
    counts, pops = _phs_sheet(real_dir, "OOWB - DZ")
    count_cells, pop_cells = counts.stack(), pops.stack()
    undefined = set(count_cells[count_cells == "#N/A"].index) | set(pop_cells[pop_cells == 0].index)
    assert len(undefined) == 515
    oowb = query(real_con, "SELECT area_code, period_label, numerator, value FROM marts.indicator_values "
                           "WHERE indicator_id = 'emp_out_of_work_benefits' AND area_type = 'datazone'")
    oowb = oowb.set_index(["area_code", "period_label"])
    assert (oowb.loc[sorted(undefined)].value == 0).all()
    assert set(oowb[oowb.numerator.isna()].index) == undefined


def test_every_cpop_indicator_is_compared(real_dir: Path) -> None:
    """The tables above cover all 20 CPOP indicators and every value type."""
    book = _workbook(real_dir, "Final CPP Data - Sep 2023.xlsx")
    assert set(book.indicator_id) == set(CPOP_INDICATORS.values())
    assert set(book.type.map(CPOP_TYPES)) == {"raw", "imputed", "projected"}
