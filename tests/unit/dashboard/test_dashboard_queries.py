"""Queries against the hand-written contract warehouse (expected values read off the fixture)."""

from __future__ import annotations

import math

import pytest

from dashboard.data.queries import IndicatorMeta, Queries, split_series


def test_area_types_in_catalogue_order(queries: Queries) -> None:
    df = queries.area_types()
    assert list(df["area_type"]) == ["datazone", "ward", "council", "scotland"]
    assert list(df["label"])[:2] == ["Data zone", "Multi-member ward"]


def test_search_areas_substring_case_insensitive(queries: Queries) -> None:
    df = queries.search_areas("ward", "kirk")
    assert list(df["area_code"]) == ["S13002883"]


def test_search_areas_by_code(queries: Queries) -> None:
    df = queries.search_areas("datazone", "s0100978")
    assert set(df["area_code"]) == {"S01009781", "S01009782", "S01009783"}


def test_search_areas_best_matches_first(queries: Queries) -> None:
    # Word-prefix matches ("Central" inside the name) rank below a name prefix ("Glen...").
    df = queries.search_areas("datazone", "central")
    assert list(df["area_code"]) == ["S01009781", "S01009782"]
    df = queries.search_areas("datazone", "glen")
    assert list(df["area_code"])[0] == "S01009783"
    assert df["match_rank"].iloc[0] == 1


def test_search_areas_empty_text_lists_by_name_with_limit(queries: Queries) -> None:
    df = queries.search_areas("datazone", "", limit=2)
    assert list(df["area_name"]) == ["Glenrothes West - 01", "Kirkcaldy Central - 01"]


def test_search_areas_rejects_bad_limit(queries: Queries) -> None:
    with pytest.raises(ValueError, match="limit"):
        queries.search_areas("ward", "k", limit=0)


def test_search_is_not_sql_injectable(queries: Queries) -> None:
    assert queries.search_areas("ward", "' or 1=1 --").empty


def test_area(queries: Queries) -> None:
    area = queries.area("ward", "S13002883")
    assert area is not None
    assert area["area_name"] == "Kirkcaldy Central"
    assert area["council_name"] == "Fife"
    assert queries.area("ward", "S99999999") is None


def test_area_carries_its_best_fit_caveat(queries: Queries) -> None:
    ward = queries.area("ward", "S13002883")
    assert ward is not None and ward["is_best_fit"] and ward["fit_caveat"].startswith("Multi-member wards")
    assert ward["fit_quality"] is None or math.isnan(ward["fit_quality"])
    council = queries.area("council", "S12000047")
    assert council is not None and not council["is_best_fit"] and council["fit_quality"] == 1.0


def test_latest_values_with_comparators(queries: Queries) -> None:
    df = queries.latest_values("ward", "S13002883").set_index("indicator_id")
    cp = df.loc["ey_child_poverty"]
    assert cp["period_label"] == "2021/22"
    assert cp["value"] == pytest.approx(26.8)
    assert (cp["ci_lower"], cp["ci_upper"]) == (pytest.approx(25.3), pytest.approx(28.3))
    assert cp["council_value"] == pytest.approx(22.4)
    assert cp["scotland_value"] == pytest.approx(20.9)
    assert cp["unit_label"] == "%"
    assert cp["soa_priority"] == "early_years"
    em = df.loc["hi_early_mortality"]
    assert em["period_label"] == "2021"
    assert em["value"] == pytest.approx(530.4)


def test_latest_values_keeps_a_suppressed_latest_period(queries: Queries) -> None:
    df = queries.latest_values("datazone", "S01009783").set_index("indicator_id")
    cp = df.loc["ey_child_poverty"]
    assert cp["period_label"] == "2021/22"
    assert bool(cp["is_suppressed"])
    assert cp["value"] is None or math.isnan(cp["value"])


def test_latest_values_for_a_council_has_no_council_comparator(queries: Queries) -> None:
    df = queries.latest_values("council", "S12000047")
    assert df["council_value"].isna().all()
    assert df["scotland_value"].notna().all()


def test_series_roles(queries: Queries) -> None:
    parts = split_series(queries.series("hi_early_mortality", "ward", "S13002883"))
    assert set(parts) == {"area", "council", "scotland"}
    area = parts["area"]
    assert list(area["period_label"]) == ["2019", "2020", "2021"]
    assert list(area["is_suppressed"]) == [False, True, False]
    assert parts["council"]["area_name"].iloc[0] == "Fife"
    assert parts["scotland"]["value"].tolist() == pytest.approx([441.2, 470.3, 452.8])


def test_series_for_scotland_has_no_comparators(queries: Queries) -> None:
    parts = split_series(queries.series("ey_child_poverty", "scotland", "S92000003"))
    assert set(parts) == {"area"}


def test_indicator_meta(queries: Queries) -> None:
    meta = queries.indicator("ey_child_poverty")
    assert isinstance(meta, IndicatorMeta)
    assert meta.unit_label == "%"
    assert meta.polarity == "low_is_good"
    assert queries.indicator("nope") is None


def test_build_info(queries: Queries) -> None:
    info = queries.build_info()
    assert info["build_id"] == "fixture-a"
    assert bool(info["demo"]) is True


def test_results_are_cached_and_copies(queries: Queries) -> None:
    first = queries.latest_values("ward", "S13002883")
    first.loc[:, "value"] = -1.0
    again = queries.latest_values("ward", "S13002883")
    assert (again["value"] > 0).all()
