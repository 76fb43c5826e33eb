"""About & methods in plain words (dashboard/logic/about.py): checks, methods and sources (issue 13, finding 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.exports.profile import data_as_of
from dashboard.logic.about import (
    CHECK_WORDS,
    check_words,
    checks_summary,
    method_rows,
    other_files,
    source_rows,
)
from dashboard.logic.explorer import disclosure_text
from etl.checks import check_files

ROW = {"indicator_id": "ey_child_poverty", "short_title": "Child poverty", "title": "Children in poverty",
       "measure_type": "percentage", "unit_label": "%", "polarity": "low_is_good", "ci_method": "wilson",
       "disclosure_rule": "counts of 1 to 4 children are suppressed", "disclosure_applied_by": "cpop",
       "publisher": "Improvement Service (CPOP), from DWP/HMRC Children in Low Income Families",
       "latest_release": "2023-09", "last_update": pd.Timestamp("2023-09-01"), "next_update": pd.Timestamp("2024-09-01"),
       "licence": None, "disclosure_min_count": 5,
       "releases": np.array([{"dataset": "cpop-cpp", "release": "2023-09", "is_shown": True, "has_revised": False},
                             {"dataset": "cpop-igz", "release": "2022-08", "is_shown": False, "has_revised": False}])}


def test_every_build_check_has_its_sentence() -> None:
    """A new check in etl/sql/checks fails here until the About page can say what it checks."""
    assert {path.stem for path in check_files()} <= set(CHECK_WORDS)


def test_a_check_is_named_in_words_and_an_unknown_one_readably() -> None:
    assert check_words("dim_datazone__missing_simd") == \
        "Every data zone has a rank in the newest Scottish Index of Multiple Deprivation"
    assert check_words("bins_collected__no_gaps") == "A check on bins collected: no gaps"
    assert check_words("oddcheck") == "A check on oddcheck"


def test_checks_are_counted_and_those_that_did_not_pass_said_in_words() -> None:
    checks = pd.DataFrame({"check_name": ["dim_datazone__duplicate_keys", "indicator_values__numerator_exceeds_denominator",
                                          "bins_collected__no_gaps"],
                           "bad_rows": [0, 3, 1], "status": ["pass", "warning", "fail"]})
    summary = checks_summary(checks)
    assert summary.headline == "1 of 3 data checks passed when this build was made."
    assert summary.others[0].startswith("No percentage counts more people than the population it is out of")
    assert summary.others[0].endswith(": found something to note (3 cases).")
    assert summary.others[1] == "A check on bins collected: no gaps: did not pass (1 case)."
    assert checks_summary(checks.head(1)).headline == "All 1 data checks passed when this build was made."
    assert checks_summary(checks.head(0)).headline == "No data checks are recorded for this build."


def test_methods_say_which_way_is_better_and_the_interval_in_words() -> None:
    rows = method_rows(pd.DataFrame([ROW, ROW | {"short_title": "Crime", "polarity": "high_is_good",
                                                 "ci_method": "byar", "measure_type": "crude_rate",
                                                 "unit_label": "per 10,000"}]))
    assert rows.to_dict("records")[0] == {
        "Indicator": "Child poverty", "Measured as": "percentage, %", "Better when": "lower",
        "Uncertainty": "95% confidence interval for a percentage, from its count and population",
        "Small numbers (disclosure control)": "counts of 1 to 4 children are suppressed. cpop also withholds any "
                                              "other figure that would let a withheld count be worked out by adding "
                                              "or subtracting."}
    assert list(rows["Better when"]) == ["lower", "higher"]
    assert rows["Uncertainty"][1] == "95% confidence interval for a rate, from the number of events (exact below 10 events)"
    assert rows["Measured as"][1] == "crude rate, per 10,000"
    assert method_rows(pd.DataFrame([ROW | {"measure_type": "age_standardised_rate", "unit_label": "per 100,000"}])
                       )["Measured as"][0] == "age-standardised rate, per 100,000"
    assert disclosure_text(ROW | {"disclosure_applied_by": "publisher", "disclosure_rule": "ScotPHO suppresses values below 5"}) \
        == "ScotPHO suppresses values below 5. cpop withholds nothing more: every figure it reads is already public."
    # no count to protect (a median): the rule alone
    assert disclosure_text(ROW | {"disclosure_min_count": 1, "disclosure_rule": "published values only; no counts are shown"}) \
        == "published values only; no counts are shown."


def test_sources_by_publisher_release_and_date_with_a_licence_only_where_recorded() -> None:
    rows = source_rows(pd.DataFrame([ROW]))
    assert rows.to_dict("records") == [{
        "Indicator": "Child poverty",
        "Published by": "Improvement Service (CPOP), from DWP/HMRC Children in Low Income Families",
        "Release": "Improvement Service, CPOP September 2023", "Last updated": "1 September 2023",
        "Next update": "1 September 2024"}]
    computed = ROW | {"releases": None, "latest_release": "2022-08"}
    local = ROW | {"short_title": "Bins", "licence": "Open Government Licence v3.0", "releases": None,
                   "publisher": "Glen Council", "latest_release": "2024-05", "next_update": None}
    rows = source_rows(pd.DataFrame([computed, local])).to_dict("records")
    assert rows[0]["Release"] == "Improvement Service, August 2022"
    assert rows[0]["Licence"] == "as published (see below)"
    assert (rows[1]["Licence"], rows[1]["Next update"]) == ("Open Government Licence v3.0", "not stated")


def test_every_source_is_named_with_its_releases_in_words_and_no_file_names() -> None:
    sources = pd.DataFrame({"source": ["nrs_sape", "simd", "simd", "my_new_source"],
                            "release": ["2025-06", "2016", "2020v2", "2024-01"], "files": [14, 1, 1, 2]})
    assert other_files(sources) == ["my new source: January 2024", "NRS small area population estimates: June 2025",
                                    "Scottish Index of Multiple Deprivation (SIMD) and data zone lookup: 2020v2, 2016"]


def test_data_as_at_is_the_newest_catalogue_update_in_words() -> None:
    assert data_as_of([pd.Timestamp("2023-09-01"), None, "2024-02-25"], "2026-12-03 18:58:35+00:00") == \
        "25 February 2024"
    assert data_as_of([], pd.Timestamp("2026-12-03 18:58:35", tz="UTC")) == "3 December 2026"
