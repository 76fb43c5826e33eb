"""A user-made area's values made in numpy (dashboard/data/area_values.py) are the build SQL's
on hand-made sums that reach every rule: small counts and their complements, counts above
their population, sums withheld at source (one member, several, estimated or not, bounds
unknown), unknown revision flags, rolling windows with a year or a count missing, standardised
rates with a band missing, a band with events and nobody, too few events, counts that are not
whole, and rules no demo indicator has (a count measure, zeros withheld, a publisher's own
disclosure control)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.data.area_values import ValueRules, area_values
from dashboard.data.cell_facts import BUILT_SCHEMA, cell_facts
from dashboard.data.reader import WarehouseReader
from tests.fixtures.user_area_values import assert_same_frames, values_by_sql

PERCENTAGE, RATE, STANDARDISED, ROLLING = ("econ_income_deprived", "ss_crime_rate", "hi_early_mortality",
                                           "ey_healthy_birthweight")


@pytest.fixture(scope="module")
def reader(demo_warehouse: Path) -> Iterator[WarehouseReader]:
    r = WarehouseReader(demo_warehouse)
    yield r
    r.close()


@pytest.fixture(scope="module")
def built(reader: WarehouseReader) -> pa.Table:
    """The sums of one council's data zones: every demo indicator, several periods."""
    council = reader.query("SELECT min(area_code) FROM core.bridge_datazone_area WHERE area_type = 'council'").iloc[0, 0]
    zones = reader.query("SELECT datazone_code FROM core.bridge_datazone_area WHERE area_type = 'council' AND "
                         "area_code = ? ORDER BY 1", [council])["datazone_code"].tolist()
    facts = cell_facts(reader)
    assert facts is not None
    sums = facts.built(zones, "user", "U")
    assert {PERCENTAGE, RATE, STANDARDISED, ROLLING} <= set(sums.column("indicator_id").to_pylist())
    return sums


def _edited(built: pa.Table, edit: Callable[[pd.DataFrame], pd.DataFrame | None]) -> pa.Table:
    frame = built.to_pandas(types_mapper=pd.ArrowDtype)
    changed = edit(frame)
    frame = frame if changed is None else changed
    return pa.Table.from_pandas(frame.reset_index(drop=True), schema=BUILT_SCHEMA, preserve_index=False)


def _rows(frame: pd.DataFrame, indicator: str, period: int = 0) -> pd.Series:
    """The rows of the ``period``-th period (by year) of an indicator."""
    years = sorted(frame.loc[frame["indicator_id"] == indicator, "period_year"].unique())
    return (frame["indicator_id"] == indicator) & (frame["period_year"] == years[period])


def _small_counts(f: pd.DataFrame) -> None:
    for k, numerator in enumerate((1, 4, 0, 5)):
        f.loc[_rows(f, PERCENTAGE, k), "numerator"] = numerator
    f.loc[_rows(f, PERCENTAGE, 4), "numerator"] = f.loc[_rows(f, PERCENTAGE, 4), "denominator"] - 2  # complement
    f.loc[_rows(f, RATE, 0), "numerator"] = 3
    f.loc[_rows(f, RATE, 1), "numerator"] = 0


def _count_above_population(f: pd.DataFrame) -> None:
    f.loc[_rows(f, PERCENTAGE, 0), "numerator"] = f.loc[_rows(f, PERCENTAGE, 0), "denominator"] * 1.5 + 0.125
    f.loc[_rows(f, PERCENTAGE, 1), "numerator"] = f.loc[_rows(f, PERCENTAGE, 1), "denominator"] + 1


def _withheld_at_source(f: pd.DataFrame) -> None:
    one, several = _rows(f, PERCENTAGE, 0), _rows(f, PERCENTAGE, 1)
    bounds = ["numerator_estimate", "numerator_lower", "numerator_upper"]  # not known: no estimate
    f.loc[one | several | _rows(f, RATE, 0), ["numerator", *bounds]] = None
    f.loc[one, ["withheld_members", "members_expected", "members_present"]] = 1
    f.loc[several, ["withheld_members", "members_expected"]] = (2, 5)
    f.loc[_rows(f, RATE, 0), "withheld_members"] = 3


def _estimated(f: pd.DataFrame) -> None:
    for k in range(4):
        rows = _rows(f, PERCENTAGE, k)
        denominator = f.loc[rows, "denominator"].iloc[0]
        f.loc[rows, ["numerator_estimate", "numerator_lower", "numerator_upper", "withheld_members"]] = (
            denominator / 4, denominator / 5, denominator / 3, 2)
        f.loc[rows, "numerator"] = None
        f.loc[rows, "withheld_denominator"] = denominator * (0.25, 0.75, 0.5, 0.1)[k]  # half and under: estimated
    f.loc[_rows(f, PERCENTAGE, 3), "denominator"] = None  # an estimate over an unknown denominator
    f.loc[_rows(f, RATE, 0), ["numerator", "numerator_estimate", "numerator_lower", "numerator_upper",
                             "withheld_members", "withheld_denominator"]] = (None, 7, 4, 9, 1, 10)  # small bounds


def _revision_flags(f: pd.DataFrame) -> None:
    f.loc[f["indicator_id"] == PERCENTAGE, "is_revised"] = None
    f.loc[_rows(f, PERCENTAGE, 0), "is_revised"] = True
    f.loc[f["indicator_id"] == STANDARDISED, "is_revised"] = None
    bands = _rows(f, STANDARDISED, 0)
    f.loc[bands[bands].index[:2], "is_revised"] = True
    f.loc[f["indicator_id"] == RATE, "source_release"] = None


def _rolling_gaps(f: pd.DataFrame) -> pd.DataFrame:
    f.loc[_rows(f, ROLLING, 1), "numerator"] = None  # no window through this year has a numerator
    f.loc[_rows(f, ROLLING, 5), "is_revised"] = True
    f.loc[_rows(f, ROLLING, 6), "source_release"] = None
    return f[~_rows(f, ROLLING, 9)]  # nor a window across a missing year


def _standardised_gaps(f: pd.DataFrame) -> pd.DataFrame:
    first = _rows(f, STANDARDISED, 0)
    f.loc[first, "numerator"] = 0  # too few events
    f.loc[first[first].index[3], "numerator"] = 8  # 8 events: shown (5 and over), too few to standardise
    second = _rows(f, STANDARDISED, 1)
    f.loc[second[second].index[5], ["numerator", "denominator"]] = (2, 0)  # events and nobody: no rate
    third = _rows(f, STANDARDISED, 2)
    f.loc[third[third].index[2], "denominator"] = None  # a band without its population
    fifth = _rows(f, STANDARDISED, 4)
    f.loc[fifth, "numerator"] = 1  # 19 events: low reliability
    return f.drop(index=_rows(f, STANDARDISED, 3)[_rows(f, STANDARDISED, 3)].index[-1])  # a band missing


def _not_whole(f: pd.DataFrame) -> None:
    f.loc[_rows(f, RATE, 0), "numerator"] = 3.5
    f.loc[_rows(f, RATE, 1), "numerator"] = 12.25
    f.loc[_rows(f, PERCENTAGE, 0), "numerator"] = 0.5


EDITS: dict[str, Callable[[pd.DataFrame], pd.DataFrame | None]] = {
    "as built": lambda f: None,
    "small counts": _small_counts,
    "counts above their population": _count_above_population,
    "withheld at source": _withheld_at_source,
    "estimated": _estimated,
    "revision flags and releases unknown": _revision_flags,
    "rolling windows with gaps": _rolling_gaps,
    "standardised rates with gaps": _standardised_gaps,
    "counts that are not whole": _not_whole,
    "no rows": lambda f: f.iloc[:0],
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_hand_made_sums_get_the_values_of_the_build_sql(reader: WarehouseReader, built: pa.Table, edit: str) -> None:
    sums = _edited(built, EDITS[edit])
    expected = values_by_sql(reader, sums)
    got = area_values(sums, cell_facts(reader).rules)  # type: ignore[union-attr]
    assert_same_frames(expected, got)
    if edit != "no rows":
        assert len(got) > 20


def test_what_each_edit_reaches(reader: WarehouseReader, built: pa.Table) -> None:
    """The edits above reach the rules they are named after (so a comparison cannot pass for
    want of the case)."""
    rules = cell_facts(reader).rules  # type: ignore[union-attr]

    def values(edit: str) -> pd.DataFrame:
        return area_values(_edited(built, EDITS[edit]), rules)

    reasons = values("withheld at source")["suppression_reason"].dropna()
    assert "withheld at source by the publisher" in set(reasons)
    assert reasons.str.startswith("not estimated: 2 of 5").any()
    estimated = values("estimated")
    assert estimated["is_estimated"].isna().any() and (estimated["is_estimated"] == True).sum() >= 2  # noqa: E712
    assert values("counts above their population")["note"].dropna().str.contains(r"The count \(\d+\.\d+\)").any()
    assert values("small counts")["is_suppressed"].sum() >= 4
    assert values("standardised rates with gaps")["note"].dropna().str.startswith("No age-standardised rate").any()
    assert values("revision flags and releases unknown")["is_revised"].isna().any()
    rolled = values("rolling windows with gaps")
    assert rolled["period_label"].str.contains("-").any()
    assert rolled.loc[rolled["indicator_id"] == ROLLING, "numerator"].isna().any()


def test_rules_no_demo_indicator_has(reader: WarehouseReader, built: pa.Table) -> None:
    """A count measure (Byar limits on the count itself), zeros withheld, and a publisher's own
    disclosure control (no primary suppression), as the SQL reads them from the catalogue."""
    edit = ("SELECT * REPLACE ("
            f"CASE WHEN indicator_id = '{RATE}' THEN 'count' ELSE measure_type END AS measure_type, "
            f"indicator_id = '{RATE}' AS disclosure_suppress_zero, "
            f"CASE WHEN indicator_id = '{PERCENTAGE}' THEN 'publisher' ELSE disclosure_applied_by END "
            "AS disclosure_applied_by) FROM meta.indicators")
    rules = cell_facts(reader).rules  # type: ignore[union-attr]
    columns = dict(rules.columns)
    at = {i: rules.positions[i] for i in (RATE, PERCENTAGE)}
    for column, changes in (("measure_type", {RATE: "count"}), ("disclosure_applied_by", {PERCENTAGE: "publisher"})):
        columns[column] = columns[column].copy()
        for indicator, value in changes.items():
            columns[column][at[indicator]] = value
    columns["disclosure_suppress_zero"] = np.array([i == at[RATE] for i in range(len(columns["measure_type"]))],
                                                   dtype=object)
    edited = replace(rules, columns=columns)
    sums = _edited(built, _small_counts)
    got = area_values(sums, edited)
    assert_same_frames(values_by_sql(reader, sums, catalogue_edit=edit), got)
    counts = got[got["indicator_id"] == RATE]
    assert counts["is_suppressed"].sum() >= 2  # 3 and 0 withheld
    shown = counts.dropna(subset=["value"])
    assert (shown["value"] == shown["numerator"]).all()  # a count is its own value
    assert not got.loc[got["indicator_id"] == PERCENTAGE, "is_suppressed"].any()


def test_rules_are_read_with_the_counts(reader: WarehouseReader) -> None:
    rules = ValueRules.load(reader)
    assert rules.expected_bands.get(STANDARDISED) == 15  # deaths under 75: the bands from 0-4 to 70-74
    assert list(rules.poisson_observed) == list(range(10))
    assert sum(rules.weights.values()) == 100_000
