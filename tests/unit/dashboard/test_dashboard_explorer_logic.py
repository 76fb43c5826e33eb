"""Data Explorer logic: geographies in the catalogue's order and words, dataset search and cards."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.logic.explorer import (
    as_list,
    dataset_facts,
    dataset_title,
    geographies_text,
    map_area_type,
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


def test_dataset_card_gives_release_checksum_and_use() -> None:
    rows = _datasets().to_dict("records")
    assert dataset_title(rows[0]) == "child-poverty (statistics.gov.scot)"
    assert dataset_title(rows[1]) == "NRS small area population estimates"
    facts = dict(dataset_facts(rows[0]))
    assert facts["As of (newest release)"] == "2025-09; earlier releases also read: 2024-09"
    assert facts["Files in the newest release"] == "child-poverty.csv (sha256 86fe41791ea8…) – 526.5 KB"
    assert facts["Used by"] == "Children in low-income families"
    assert facts["Source"] == "statistics.gov.scot (data/raw/statistics_gov_scot/)"
    many = dict(dataset_facts(rows[1]))["Files in the newest release"]
    assert many.startswith("14 files, sape2011.csv … sape2024.csv") and "8.9 MB" in many
    assert dict(dataset_facts(rows[2]))["Used by"].startswith("The maps")
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
