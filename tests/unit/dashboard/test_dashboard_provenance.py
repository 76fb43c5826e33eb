"""Where a value comes from and what kind of value it is, in words; the fictional demo's label; how
real published data (imputed and projected values, estimates, figures without intervals, CPOP's own
rating, HSCP localities) reaches tables, charts and the Dashboard. Hand-made inputs, exact words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.components.provenance import demo_banner, value_cell
from dashboard.components.quick_table import comparator_cell
from dashboard.data.queries import IndicatorMeta
from dashboard.exports.charts import trend_chart
from dashboard.exports.profile import IndicatorProfile, SeriesPoint, TrendInfo
from dashboard.figures.trend import trend_figure
from dashboard.logic.explorer import chart_area, releases_text, value_types_text, values_text
from dashboard.logic.provenance import (
    DEMO_LINE,
    cpop_rating,
    dataset_lookup,
    dataset_of,
    demo_line,
    geography_words,
    latest_observed,
    organisation,
    provenance_line,
    published_for,
    release_words,
    trend_reason,
    value_labels,
    value_type_label,
    with_datasets,
)
from dashboard.logic.quick_profile import QuickRow, missing_indicators
from dashboard.logic.rag import (
    child_types,
    council_localities,
    exception_reasons,
    resolve_scope,
    scope_options,
    scope_title,
)
from dashboard.logic.tables import describe_rows, no_rows_reasons
from dashboard.tables.latest_values import latest_row

LABELS = {"datazone": "Data zones", "intermediate_zone": "Intermediate zones", "ward": "Multi-member wards",
          "hsc_locality": "HSCP localities", "council": "Council areas (CPPs)", "scotland": "Scotland"}
CPOP_PUBLISHER = "Improvement Service (CPOP), from DWP/HMRC Children in Low Income Families"


def test_value_types_in_words() -> None:
    assert value_type_label("imputed") == "imputed by the publisher"
    assert value_type_label("projected") == "projected by the publisher"
    assert value_type_label("raw") == value_type_label(None) == ""
    assert value_labels("raw", "published", False) == []
    assert value_labels("projected", "published", True) == ["projected by the publisher", "revised"]
    assert value_labels("raw", "estimated", None) == ["estimated"]
    assert value_labels(None, None, float("nan")) == []


def test_releases_publishers_and_source_lines() -> None:
    assert release_words("2023-09") == "September 2023" and release_words("2022-08") == "August 2022"
    assert release_words("2020v2") == "2020v2" and release_words(None) == ""
    assert organisation(CPOP_PUBLISHER) == "Improvement Service"
    assert organisation("Public Health Scotland (ScotPHO)") == "Public Health Scotland"
    assert organisation("Scottish Government") == "Scottish Government"
    assert provenance_line("published", CPOP_PUBLISHER, "cpop-cpp", "2023-09") == \
        "Improvement Service, CPOP September 2023"
    assert provenance_line("published", "Scottish Government", "scotpho-deprivation", "2023-02") == \
        "Public Health Scotland, ScotPHO deprivation profiles February 2023"  # the dataset names the publisher
    assert provenance_line("computed", CPOP_PUBLISHER, "cpop-phs", "2022-08") == \
        "computed by cpop from Improvement Service CPOP counts (August 2022)"
    assert provenance_line("estimated", "Scottish Government", "simd-indicators", "2020v2") == \
        "estimated by cpop from Scottish Government SIMD indicator data counts (2020v2)"
    # a dataset cpop does not know is named as it is, with the indicator's publisher
    assert provenance_line("published", "Some Council (open data)", "bins-2024", "2024-05") == \
        "Some Council, bins-2024 May 2024"
    assert provenance_line(None, None, None, None) == "computed by cpop from the publishers' counts"


def test_where_an_indicator_is_published_in_plain_words() -> None:
    assert geography_words(["scotland", "council"], LABELS) == "council areas (CPPs) and Scotland"
    assert geography_words(["council"], LABELS) == "council areas (CPPs)"
    assert geography_words(["ward", "datazone", "council"], LABELS) == \
        "data zones, multi-member wards and council areas (CPPs)"
    assert geography_words(["odd_type"], LABELS) == "odd type"
    # issue 13: a plural acronym keeps its capitals ('HSCPs', not 'hSCPs'), as does a label led by one
    assert geography_words(["hscp", "hsc_locality"], LABELS | {"hscp": "HSCPs"}) == "HSCP localities and HSCPs"
    assert published_for(["council", "scotland"], LABELS) == "published for council areas (CPPs) and Scotland only"


def test_cpop_rating_words() -> None:
    row = {"cpop_rating": "yellow", "cpop_rating_words": "Worse than Scotland but improving faster",
           "cpop_improvement_rate": 74.376, "cpop_baseline_period": "2010/11", "cpop_latest_period": "2021/22"}
    rating = cpop_rating(row)
    assert rating is not None and rating.symbol == "●" and rating.rating_word == "yellow"
    assert rating.rate_text() == "+74.4 % from 2010/11 to 2021/22"
    assert rating.sentence() == ("CPOP rating yellow: Worse than Scotland but improving faster; improvement rate "
                                 "+74.4 % from 2010/11 to 2021/22.")
    # issue 13, finding 2: a rate that rounds to zero is no movement, never "-0.0 %"
    assert cpop_rating({**row, "cpop_improvement_rate": -0.04}).rate_text() == "0.0 % from 2010/11 to 2021/22"
    none = cpop_rating({**row, "cpop_rating": "none", "cpop_rating_words": "No rating: a value is missing",
                        "cpop_improvement_rate": float("nan")})
    assert none is not None and not none.has_rating and none.improvement_rate is None
    assert none.sentence() == "CPOP rating: none (No rating: a value is missing)."
    assert cpop_rating({"cpop_rating": None}) is None and cpop_rating({}) is None


def test_why_a_trend_cannot_be_calculated() -> None:
    assert trend_reason("improving", has_interval=False, has_counts=False) == ""
    assert "neither counts nor an interval" in trend_reason("cannot be calculated", has_interval=False,
                                                             has_counts=False, points=5)
    assert trend_reason("cannot be calculated", has_interval=True, has_counts=True, points=1) == \
        "fewer than three observed values"
    assert "withheld or missing" in trend_reason("cannot be calculated", has_interval=True, has_counts=True,
                                                 points=5)


def test_the_latest_value_is_the_latest_observation() -> None:
    assert latest_observed(["imputed", "raw", "raw", "projected", "projected"]) == 2
    assert latest_observed(["raw", "imputed", "imputed"]) == 0  # a stand-in after the last observation
    assert latest_observed(["imputed", "imputed", "projected"]) == 1
    assert latest_observed(["projected"]) == 0 and latest_observed([]) is None
    assert latest_observed([None, None]) == 1  # no value type: observed


def test_the_demo_is_labelled_and_real_data_is_not() -> None:
    assert demo_line({"demo": True}) == DEMO_LINE and demo_line({"demo": False}) is None
    assert demo_line({}) is None and demo_line(None) is None
    assert demo_banner({"demo": False}) is None and demo_banner({}) is None
    banner = demo_banner({"demo": True})
    assert banner is not None and "not real Scotland" in str(banner.children)


def test_which_dataset_a_value_comes_from() -> None:
    lookup = dataset_lookup([
        {"indicator_id": "cp", "value_source": "published", "area_type": "council", "release": "2023-09",
         "dataset": "cpop-cpp"},
        {"indicator_id": "cp", "value_source": "published", "area_type": "datazone", "release": "2022-08",
         "dataset": "cpop-dz"},
        {"indicator_id": "cp", "value_source": "computed", "area_type": None, "release": None, "dataset": "cpop-phs"}])
    assert dataset_of(lookup, "cp", "council", "published", "2023-09") == "cpop-cpp"
    assert dataset_of(lookup, "cp", "ward", "estimated", "2022-08") == "cpop-phs"  # counts behind an estimate
    assert dataset_of(lookup, "cp", "council", "published", "2022-08") is None
    frame = pd.DataFrame({"indicator_id": ["cp", "cp"], "area_type": ["datazone", "ward"],
                          "value_source": ["published", "computed"], "source_release": ["2022-08", "2022-08"]})
    assert with_datasets(frame, lookup)["dataset"].tolist() == ["cpop-dz", "cpop-phs"]
    assert with_datasets(frame.drop(columns="area_type"), lookup)["dataset"].isna().all()


def _latest(**kw: object) -> dict:
    base = {"indicator_id": "ey_child_poverty", "short_title": "Child poverty", "unit_label": "%",
            "polarity": "low_is_good", "period_label": "2021/22", "value": 23.234925, "ci_lower": None,
            "ci_upper": None, "numerator": None, "is_suppressed": False, "value_type": "raw",
            "value_source": "published", "is_revised": False, "note": None, "source_release": "2023-09",
            "dataset": "cpop-cpp", "publisher": CPOP_PUBLISHER, "projected_period_label": "2024/25",
            "projected_value": 27.339713, "trend_verdict": "cannot be calculated", "trend_points": 5,
            "scotland_value": 20.753531, "council_value": None, "cpop_rating": "yellow",
            "cpop_rating_words": "Worse than Scotland but improving faster", "cpop_improvement_rate": 74.38,
            "cpop_baseline_period": "2010/11", "cpop_latest_period": "2021/22",
            "last_update": pd.Timestamp("2023-09-01")}
    return base | kw


def test_a_published_figure_without_an_interval_as_a_row() -> None:
    row = latest_row(_latest())
    assert row.value == "23.2%" and row.ci == "–" and not row.has_interval
    assert row.source == "Improvement Service, CPOP September 2023" and row.labels == ()
    assert row.projection == "projected 27.3% in 2024/25" and row.updated == "updated 1 Sep 2023"
    assert "neither counts nor an interval" in row.trend_reason
    assert row.cpop is not None and row.cpop.rating == "yellow"
    # without a comparison that can be made, the comparator's own figure is given instead
    cell = comparator_cell(QuickRow(row, {"scotland": "not compared"}), "scotland", "vs Scotland")
    assert "Scotland 20.8%" in str(cell) and "not tested (no interval)" in str(cell)
    estimate = latest_row(_latest(value_source="estimated", value=21.27, ci_lower=20.5, ci_upper=22.1,
                                  note="Estimated: 1 of 80 data zones withheld at source by the publisher.",
                                  dataset="cpop-phs", projected_value=None, is_revised=True))
    assert estimate.labels == ("estimated", "revised") and estimate.has_interval and estimate.projection == ""
    assert "Estimated: 1 of 80" in str(value_cell(estimate))


def _series(name: str, kinds: list[str], start: float = 10.0) -> pd.DataFrame:
    return pd.DataFrame({"period_label": [f"{2010 + i}/{11 + i}" for i in range(len(kinds))],
                         "period_year": [2010 + i for i in range(len(kinds))],
                         "value": [start + i for i in range(len(kinds))], "ci_lower": [None] * len(kinds),
                         "ci_upper": [None] * len(kinds), "is_suppressed": [False] * len(kinds),
                         "area_name": [name] * len(kinds), "value_type": kinds,
                         "value_source": ["published"] * len(kinds), "is_revised": [False] * len(kinds),
                         "note": [None] * len(kinds)})


def test_trend_chart_draws_imputed_and_projected_values_apart() -> None:
    meta = IndicatorMeta("cp", "Children in low-income families", "Child poverty", "%", "low_is_good")
    kinds = ["imputed", "imputed", "raw", "raw", "raw", "projected", "projected"]
    figure = trend_figure(_series("Fife", kinds), meta, None, _series("Scotland", kinds, 8.0))
    traces = {t["name"]: t for t in figure["data"]}
    observed = traces["Fife"]["y"]
    assert observed[:2] == [None, None] and observed[2:5] == [12.0, 13.0, 14.0] and observed[5:] == [None, None]
    imputed = traces["Fife: imputed by the publisher"]
    assert imputed["y"][:3] == [10.0, 11.0, 12.0] and imputed["line"]["dash"] == "dot"  # joined to the first raw
    projected = traces["Fife: projected by the publisher"]
    assert projected["y"][4:] == [14.0, 15.0, 16.0] and projected["marker"]["symbol"] == "diamond-open"
    assert "projected by the publisher" in projected["hovertext"][5]
    assert "no interval published" in traces["Fife"]["hovertext"][2]
    assert traces["Scotland"]["marker"]["symbol"][0] == "circle-open"  # the comparator's imputed values
    [shape] = figure["layout"]["shapes"]
    assert (shape["x0"], shape["x1"]) == (4.5, 6.5)  # the projected periods are shaded
    plain = trend_figure(_series("Fife", ["raw"] * 3), meta)
    assert [t["name"] for t in plain["data"]] == ["Fife"] and plain["layout"]["shapes"] == []


def _point(year: int, kind: str, value: float) -> SeriesPoint:
    return SeriesPoint("cp", "area", "S12000047", "Fife", f"{year}/{str(year + 1)[2:]}", year, None, None, value,
                       None, None, False, None, kind, source_release="2023-09", value_source="published",
                       dataset="cpop-cpp")


def test_exported_charts_and_profiles_carry_value_types() -> None:
    points = (_point(2012, "imputed", 14.6), _point(2013, "raw", 16.1), _point(2014, "raw", 23.2),
              _point(2015, "projected", 24.5), _point(2016, "projected", 27.3))
    ind = IndicatorProfile("cp", "Children in low-income families", "Child poverty", "early_years", "Early years",
                           "", "%", "low_is_good", "percentage", "DWP", "wilson", "", "", None, points[2], (),
                           TrendInfo("cannot be calculated", None, None, None, None, None, None, None, None, None,
                                     None, 3), None, points, publisher=CPOP_PUBLISHER, demo_note=DEMO_LINE)
    assert ind.source_line == "Improvement Service, CPOP September 2023"
    assert ind.projection is not None and ind.projection.value == 27.3
    assert "neither counts nor an interval" in ind.trend_reason
    chart = trend_chart(ind, note=ind.demo_note)
    lines = {line.label: line for line in chart.lines}
    assert lines["Fife"].values == (None, 16.1, 23.2, None, None)
    assert lines["Fife (imputed)"].marked == (True, False, False, False, False)
    assert lines["Fife (projected)"].values == (None, None, 23.2, 24.5, 27.3)
    assert chart.projected == (3, 4) and chart.note == DEMO_LINE
    assert points[0].flags == "imputed by the publisher" and points[2].flags == ""


def test_indicators_an_area_cannot_have_say_why() -> None:
    catalogue = pd.DataFrame({"indicator_id": ["cp", "bs", "em"], "short_title": ["Child poverty",
                              "Business survival", "Early mortality"],
                              "geographies": [["ward", "council"], ["council", "scotland"], ["ward"]],
                              "area_types": [["ward", "council"], ["council", "scotland"], ["ward"]]})
    assert missing_indicators(catalogue, {"cp"}, "ward", LABELS) == [
        ("Business survival", "published for council areas (CPPs) and Scotland only"),
        ("Early mortality", "no value for this area in this build")]
    assert no_rows_reasons(catalogue, ["cp", "bs"], {"cp"}, "ward", LABELS) == [
        "Business survival is published for council areas (CPPs) and Scotland only."]


def test_table_rows_say_what_kind_of_value_and_where_from() -> None:
    frame = pd.DataFrame({"indicator_id": ["cp"] * 3, "value_type": ["imputed", "raw", "projected"],
                          "value_source": ["published"] * 3, "revised": [False, True, False],
                          "publisher": [CPOP_PUBLISHER] * 3, "dataset": ["cpop-cpp"] * 3,
                          "source_release": ["2023-09"] * 3, "value": [13.3, 23.2, 27.3]})
    out = describe_rows(frame)
    assert out["value_kind"].tolist() == ["imputed by the publisher", "revised", "projected by the publisher"]
    assert set(out["source"]) == {"Improvement Service, CPOP September 2023"}
    assert "publisher" not in out and "dataset" not in out  # helper columns stay off the grid
    assert describe_rows(frame.iloc[:0]).empty


def test_table_rows_with_an_unknown_revision_flag_are_described() -> None:
    # real Scotland: a ward's computed value with a withheld member has revised = NA (a nullable
    # boolean), and "NA == ''" raised "boolean value of NA is ambiguous" for the whole table
    frame = pd.DataFrame({"indicator_id": ["emp"] * 3, "value_type": ["raw"] * 3,
                          "value_source": ["computed"] * 3,
                          "revised": pd.array([pd.NA, True, False], dtype="boolean"),
                          "publisher": [CPOP_PUBLISHER] * 3, "dataset": ["cpop-cpp"] * 3,
                          "source_release": ["2023-09"] * 3, "value": [None, 2.0, 3.0]})
    assert describe_rows(frame)["value_kind"].tolist() == ["observed", "revised", "observed"]


def test_data_explorer_words_for_published_data() -> None:
    row = {"published_types": ["council", "datazone", "scotland"], "computed_types": ["ward", "hsc_locality"],
           "estimated_types": ["ward"], "first_imputed": "2010/11", "last_imputed": "2013/14",
           "first_projected": "2022/23", "last_projected": "2024/25"}
    assert values_text(row, LABELS, "Improvement Service") == (
        "Improvement Service's own figures for data zones, council areas (CPPs) and Scotland; computed by cpop "
        "from summed counts for multi-member wards and HSCP localities, estimated for some multi-member wards "
        "where data zones were withheld at source (the interval is widened to cover every value they could "
        "take).")
    assert value_types_text(row) == ("Imputed by the publisher: 2010/11 to 2013/14; projected by the publisher: "
                                     "2022/23 to 2024/25 (cpop's trend verdicts use observed values only)")
    assert value_types_text({}) == "Observed values only"
    releases = [{"dataset": "cpop-cpp", "release": "2023-09", "is_shown": True, "has_revised": False},
                {"dataset": "cpop-igz", "release": "2022-08", "is_shown": False, "has_revised": False}]
    assert releases_text(releases, CPOP_PUBLISHER) == (
        "Improvement Service, CPOP September 2023 (council workbook, shown); Improvement Service, CPOP August "
        "2022 (intermediate zone workbook, kept, not shown)")
    assert releases_text(None) == "none: every value is computed by cpop from counts"

    class Row:
        has_scotland = False
        first_council_code = "S12000033"

    assert chart_area(Row()) == ("council", "S12000033")
    Row.has_scotland = True
    assert chart_area(Row()) == ("scotland", "S92000003")


def test_a_council_without_localities_of_its_own_scopes_to_its_hscp_localities() -> None:
    class Queries:
        def areas_in_council(self, kind: str, council: str) -> pd.DataFrame:
            rows = {"hsc_locality": [("S99000074", "Kirkcaldy")]}.get(kind, [])
            return pd.DataFrame(rows, columns=["area_code", "area_name"])

    kind, localities = council_localities(Queries(), "S12000047", ["ward", "locality", "hsc_locality", "council"])
    assert kind == "hsc_locality" and list(localities.area_code) == ["S99000074"]
    assert council_localities(Queries(), "S12000047", ["ward"])[0] == "locality"  # none at all
    scope = resolve_scope("S12000047", ["S99000074"], "S99000074", "intermediate_zone", kind)
    assert (scope.area_type, scope.child_type) == ("hsc_locality", "datazone")  # only data zones nest in it
    assert child_types("council", True, "hsc_locality") == ("ward", "intermediate_zone", "hsc_locality")
    assert child_types("council", False, "hsc_locality") == ("ward", "intermediate_zone")
    assert scope_options("S12000047", "Fife", localities, kind)[1] == {"label": "HSCP locality: Kirkcaldy",
                                                                      "value": "S99000074"}
    assert scope_title("Kirkcaldy", "hsc_locality", "Fife", "Data zones") == \
        "Kirkcaldy (HSCP locality in Fife): data zones"
    # a council's HSCP localities keep their capitals ("hscp localities" before)
    assert scope_title("Fife", "council", "Fife", "HSCP localities") == "Fife: HSCP localities"


def test_a_red_cpop_rating_is_a_reason_for_the_exception_report() -> None:
    row = pd.DataFrame([{"unit_label": "%", "trend_verdict": "cannot be calculated", "vs_scotland": "not comparable",
                         "cpop_rating": "red", "cpop_rating_words": "Worse than Scotland and improving more slowly",
                         "cpop_improvement_rate": 37.13, "cpop_baseline_period": "2010/11",
                         "cpop_latest_period": "2021/22"}]).itertuples(index=False)
    assert exception_reasons(next(row)) == [
        "CPOP rating red (Worse than Scotland and improving more slowly; improvement rate +37.1 % from 2010/11 "
        "to 2021/22)"]
    yellow = pd.DataFrame([{"unit_label": "%", "cpop_rating": "yellow", "cpop_improvement_rate": math.nan}])
    assert exception_reasons(next(yellow.itertuples(index=False))) == []


@pytest.mark.parametrize("value", [None, float("nan")])
def test_a_missing_note_is_no_note(value: object) -> None:
    assert latest_row(_latest(note=value)).note == ""
