"""Data Explorer logic: geographies in the catalogue's order and words, dataset search, card headers and
dataset lines (publisher and release, never file paths or checksums)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.logic.explorer import (
    as_list,
    coverage_words,
    dataset_facts,
    dataset_title,
    geographies_text,
    indicator_summary,
    map_area_type,
    releases_line,
    search_datasets,
)

LABELS = {"datazone": "Data zones", "ward": "Multi-member wards", "community_council": "Community council areas",
          "council": "Council areas (CPPs)", "scotland": "Scotland"}  # meta.area_types order


def test_geographies_follow_the_catalogue_order_with_plural_labels() -> None:
    present = np.array(["community_council", "council", "datazone", "scotland", "ward"])  # alphabetical from SQL
    assert geographies_text(present, LABELS) == (
        "Data zones, Multi-member wards, Community council areas, Council areas (CPPs), Scotland")
    assert geographies_text(["council", "new_type"], LABELS) == "Council areas (CPPs), new type"
    assert geographies_text(None, LABELS) == "none"


def test_open_map_without_council_values_goes_to_the_largest_type_below_scotland() -> None:
    assert map_area_type(np.array(["datazone", "scotland", "ward"]), LABELS) == "ward"
    assert map_area_type(["scotland"], LABELS) is None


def _datasets() -> pd.DataFrame:
    return pd.DataFrame([
        {"source": "statistics_gov_scot", "dataset": "child-poverty", "newest_release": "2025-09",
         "releases": np.array(["2024-09", "2025-09"]), "file_names": np.array(["child-poverty.csv"]),
         "sha256s": np.array(["86fe41791ea8" + "0" * 52]), "size_bytes": 539_167,
         "indicator_ids": np.array(["ey_child_poverty"]), "indicator_titles": np.array(["Children in low-income families"]),
         "soa_priorities": np.array(["early_years"])},
        {"source": "nrs_sape", "dataset": "nrs_sape", "newest_release": "2025-06", "releases": np.array(["2025-06"]),
         "file_names": np.array([f"sape{y}.csv" for y in range(2011, 2025)]),
         "sha256s": np.array(["ab" * 32] * 14), "size_bytes": 9_340_000,
         "indicator_ids": np.array(["ey_child_poverty", "ss_crime_rate"]),
         "indicator_titles": np.array(["Children in low-income families", "Recorded crimes per 10,000 population"]),
         "soa_priorities": np.array(["early_years", "safer_communities"])},
        {"source": "boundaries", "dataset": "boundaries", "newest_release": "2011", "releases": np.array(["2011"]),
         "file_names": np.array(["SG_DataZone_Bdry_2011.shp"]), "sha256s": np.array(["cd" * 32]), "size_bytes": 900,
         "indicator_ids": np.array([], dtype=object), "indicator_titles": np.array([], dtype=object),
         "soa_priorities": np.array([], dtype=object)},
    ])


def test_datasets_match_every_word_in_name_source_use_or_indicators() -> None:
    found = lambda text, priorities=None: list(search_datasets(_datasets(), text, priorities).dataset)  # noqa: E731
    assert found("POVERTY") == ["child-poverty"]  # the dataset's own name, not its indicators' ids
    assert found("population") == ["nrs_sape"]  # 'NRS small area population estimates'
    assert found("low-income") == ["child-poverty", "nrs_sape"]  # an indicator that uses it
    assert found("crimes nrs") == ["nrs_sape"]
    assert found("maps") == ["boundaries"]  # what a source that feeds no indicator is used for
    assert found("2024-09") == ["child-poverty"]  # an earlier release read too
    assert found("", ["safer_communities"]) == ["nrs_sape"]
    assert found("poverty", ["safer_communities"]) == []
    assert len(found(None)) == 3
    assert search_datasets(_datasets().iloc[:0], "x", None).empty


def test_dataset_card_gives_publisher_release_and_use_without_files_or_checksums() -> None:
    rows = _datasets().to_dict("records")
    assert dataset_title(rows[0]) == "child-poverty (statistics.gov.scot)"
    assert dataset_title(rows[1]) == "NRS small area population estimates"
    facts = dict(dataset_facts(rows[0]))
    assert facts == {"Published by": "statistics.gov.scot",
                     "Release": "September 2025 (earlier releases also read: September 2024)",
                     "Used by": "Children in low-income families"}
    assert dict(dataset_facts(rows[1]))["Release"] == "June 2025"
    assert dict(dataset_facts(rows[2]))["Used by"].startswith("The maps")
    assert releases_line({"newest_release": "2020v2", "releases": np.array(["2016", "2020v2"])}) == (
        "2020v2 (earlier releases also read: 2016)")
    for row in rows:  # the files and their checksums are the researchers' (About & methods, meta.sources)
        text = " ".join(t for pair in dataset_facts(row) for t in pair)
        assert not re.search(r"[0-9a-f]{12}|sha256|data/raw|\.csv|\.shp", text), text
    assert as_list(None) == [] and as_list(float("nan")) == [] and as_list("a") == ["a"]


def test_method_text_names_the_trend_test() -> None:
    from dashboard.logic.explorer import method_text

    pct = {"measure_type": "percentage", "ci_method": "wilson", "unit_label": "%", "polarity": "low_is_good"}
    assert method_text(pct) == ("percentage, %; 95% confidence interval for a percentage, from its count and "
                                "population; trend: chi-square test for trend (last 5 periods); lower is better")
    median = {"measure_type": "median", "ci_method": "none", "unit_label": "£ per week", "polarity": "high_is_good"}
    assert "no confidence interval published; trend: ordinary least squares with a t test" in method_text(median)
    rate = {"measure_type": "crude_rate", "ci_method": "byar", "unit_label": "per 10,000", "polarity": "low_is_good"}
    assert "trend: weighted least squares" in method_text(rate)


def test_card_header_names_theme_years_geographies_and_publisher() -> None:
    row = {"soa_priority_label": "Early years", "first_period": "2014/15", "last_period": "2022/23",
           "area_types": np.array(["council", "datazone", "scotland", "ward"]),
           "publisher": "Improvement Service (CPOP), from DWP/HMRC Children in Low Income Families",
           "source": "DWP"}
    assert indicator_summary(row, LABELS) == ["Early years", "2014/15 to 2022/23",
                                              "4 geographies, data zones to Scotland", "Improvement Service"]
    bare = {**row, "first_period": None, "last_period": None, "area_types": None, "publisher": None}
    assert indicator_summary(bare, LABELS) == ["Early years", "no data yet", "no areas yet", "DWP"]
    assert coverage_words(["council"], LABELS) == "Council areas (CPPs) only"
