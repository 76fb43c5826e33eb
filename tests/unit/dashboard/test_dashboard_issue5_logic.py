"""Pure logic behind the issue-5 pages: verdict words, sparklines, spine scaling, pivots, tiles."""

from __future__ import annotations

import csv
import io

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures.profile import spine_figure, spine_positions
from dashboard.logic.availability import NO_DATA, NOT_AT_LEVEL, missing_reason, missing_sentence
from dashboard.logic.captions import (
    best_worst_caption,
    duncan_caption,
    inequality_caption,
    sii_caption,
    spine_caption,
)
from dashboard.logic.gap_verdict import headline_gap_verdict
from dashboard.logic.home import saved_area_options
from dashboard.logic.provenance import DEMO_LINE
from dashboard.logic.quick_profile import (
    CSV_HEADER,
    area_subtitle,
    comparison_verdicts,
    gap_heading,
    gap_words,
    quick_rows,
    sparkline_alt,
    sparkline_svg,
    table_csv,
)
from dashboard.logic.tables import COUNT_FORMAT, column_defs, grid_content, grid_frame
from dashboard.logic.tiles import tile_gap_line, tile_sentence, tile_symbol
from dashboard.tables.latest_values import LatestRow
from dashboard.urlstate import area_profile_href, query_string, split_arg


def _row(indicator: str, trend: str, vs: str = "similar") -> LatestRow:
    return LatestRow(indicator, indicator.upper(), "lower is better", "2024/25", "20.0%", "19.0 – 21.0", "",
                     "", vs, False, trend, "updated 15 Sep 2025")  # type: ignore[arg-type]


def test_missing_reason_explains_in_order_of_precedence() -> None:
    assert missing_reason({"published_at_level": True, "periods": 3, "published_periods": 1}) is None
    assert missing_reason({"published_at_level": False, "periods": 3, "published_periods": 3}) == NOT_AT_LEVEL
    assert missing_reason({"published_at_level": True, "periods": 2, "published_periods": 0,
                           "suppression_reason": "primary: count 1-4"}) == "suppressed (primary: count 1-4)"
    assert missing_reason({"published_at_level": True, "periods": 0, "published_periods": 0}) == NO_DATA
    assert missing_reason({}) == NO_DATA
    assert missing_sentence("Child poverty", "Fife", NOT_AT_LEVEL) == (
        "Child poverty has no value for Fife: the source does not publish it for this type of area.")
    assert "withheld to protect confidentiality" in missing_sentence("X", "Y", "suppressed (primary: count 1-4)")


def test_tile_sentence_and_one_gap_line_naming_whose_gap() -> None:
    rows = [_row("a", "improving"), _row("b", "improving"), _row("c", "improving"), _row("d", "worsening")]
    gaps = {"a": "widening", "b": "narrowing", "d": "no significant change", "z": "widening"}
    assert tile_sentence(rows) == "3 of 4 measures improving; 1 worsening"
    assert tile_gap_line(rows, gaps, "Fife") == (
        "Gap between the most and least deprived in Fife: widening for A; narrowing for B; "
        "no significant change for D.")
    assert tile_gap_line(rows, {}, "Fife") == "No measure here is broken down by deprivation in Fife."
    # the measures are named (real Glasgow read "not tested for 2", leaving the reader to guess which)
    assert tile_gap_line(rows, {"c": "cannot be calculated"}, "Fife").endswith("cannot be tested for C.")
    assert tile_symbol(rows) == "▲" and tile_symbol([_row("d", "worsening")]) == "▼"
    assert tile_symbol([_row("e", "no significant change")]) == "●"


def test_quick_rows_take_verdicts_from_the_comparisons_mart() -> None:
    comparisons = pd.DataFrame([
        {"indicator_id": "a", "comparator": "scotland", "verdict_95": "worse"},
        {"indicator_id": "a", "comparator": "council", "verdict_95": "not comparable"},
    ])
    sparks = pd.DataFrame({"indicator_id": ["a", "a", "a"], "period_label": ["2022", "2023", "2024"],
                           "value": [1.0, None, 3.0], "is_suppressed": [False, True, False]})
    verdicts = pd.DataFrame([{"indicator_id": "a", "basis": "national_quintile", "measure": "absolute_gap",
                              "verdict": "widening"}])
    [(label, [row])] = quick_rows([("Early years", [_row("a", "improving", vs="better")])], comparisons, sparks,
                                  verdicts)
    assert label == "Early years"
    assert row.verdicts == {"scotland": "worse", "council": "not compared", "family_group": "–"}
    assert row.series == (1.0, None, 3.0) and row.gap == "gap widening"
    # without the comparisons mart: the CI test against Scotland, the rest said to be unavailable
    [(_, [fallback])] = quick_rows([("Early years", [_row("a", "improving", vs="better")])], None, sparks, None)
    assert fallback.verdicts == {"scotland": "better", "council": "not available", "family_group": "not available"}
    assert fallback.gap == "not available"
    assert comparison_verdicts(None) == {}
    assert gap_words(verdicts, "zzz") == "no deprivation breakdown"


def test_sparkline_points_are_scaled_into_the_box() -> None:
    svg = sparkline_svg([1.0, 2.0, 3.0])
    assert 'points="3.0,25.0 48.0,14.0 93.0,3.0"' in svg
    assert '<circle cx="93.0" cy="3.0"' in svg
    gapped = sparkline_svg([1.0, None, 3.0])
    assert "polyline" not in gapped and "<circle" in gapped  # single points are not joined across the gap
    assert sparkline_alt("Child poverty", [None, 18.5, 22.8], ["2014", "2015", "2024"]) == (
        "Child poverty from 18.5 in 2015 to 22.8 in 2024")


def test_quick_profile_table_csv_is_what_is_shown() -> None:
    comparisons = pd.DataFrame([{"indicator_id": "a", "comparator": "scotland", "verdict_95": "better"}])
    groups = quick_rows([("Early years", [_row("a", "improving")])], comparisons,
                        pd.DataFrame(columns=["indicator_id", "period_label", "value", "is_suppressed"]), None)
    rows = list(csv.reader(io.StringIO(table_csv(groups, "Fife").decode())))
    assert rows[0] == ["Quick profile: Fife"]
    assert rows[1] == CSV_HEADER
    assert rows[2] == ["Early years", "A", "lower is better", "2024/25", "20.0%", "observed", "19.0 – 21.0", "better",
                       "–", "–", "improving", "", "not available", "", "updated 15 Sep 2025", ""]
    demo = list(csv.reader(io.StringIO(table_csv(groups, "Fife", DEMO_LINE).decode())))
    assert demo[0] == [DEMO_LINE] and demo[1:] == rows  # the demo's file says so first


def _spine_row(**kw: object) -> dict:
    base = {"indicator_id": "cp", "short_title": "Child poverty", "unit_label": "%", "polarity": "low_is_good",
            "period_label": "2021/22", "value": 26.8, "ci_lower": 25.3, "ci_upper": 28.3, "is_suppressed": False,
            "scotland_value": 20.9, "areas": 2, "min_value": 19.4, "q1_value": 21.25, "median_value": 23.1,
            "q3_value": 24.95, "max_value": 26.8}
    return base | kw


def test_spine_puts_scotland_at_zero_and_better_to_the_right() -> None:
    pos = spine_positions(pd.DataFrame([_spine_row()]))
    row = pos.iloc[0]
    # half-width = max(|26.8 − 20.9|, |20.9 − 19.4|) = 5.9; low is good, so 26.8 maps to −1 (worst)
    assert row.area == pytest.approx(-1.0)
    assert row.worst == pytest.approx(-1.0) and row.best == pytest.approx(1.5 / 5.9)
    assert row.q_low == pytest.approx(-(24.95 - 20.9) / 5.9) and row.q_high == pytest.approx(-(21.25 - 20.9) / 5.9)
    assert row.verdict == "worse"
    high = spine_positions(pd.DataFrame([_spine_row(polarity="high_is_good")])).iloc[0]
    assert high.area == pytest.approx(1.0) and high.verdict == "better"
    assert spine_positions(pd.DataFrame([_spine_row(scotland_value=None)])).empty
    assert spine_caption(pos, "Kirkcaldy") == "Compared with Scotland, Kirkcaldy is 1 worse on 1 indicators of this theme."
    fig = go.Figure(spine_figure(pd.DataFrame([_spine_row()]), "Kirkcaldy"))  # a valid plotly figure
    assert [t.name for t in fig.data][-1] == "Kirkcaldy: worse than Scotland"
    assert fig.data[-1].marker.symbol == "x"  # a symbol, not only a colour


def test_inequality_captions_state_sign_and_one_verdict() -> None:
    """The SII and Duncan cards state their values; the only verdict is the headline gap's."""
    series = pd.DataFrame([{"period_label": "2024", "sii": 4.25, "duncan_index": 0.12}])
    sii = sii_caption(series, "Fife")
    assert sii.startswith("In Fife in 2024, outcomes are worse in more deprived areas (SII +4.2")
    assert not any(word in sii for word in ("is widening", "is narrowing", "not changing"))
    assert duncan_caption(series, "Fife").startswith(
        "Duncan index 0.12 in 2024: income-deprived people in Fife fare worse")
    assert "intermediate zones" in duncan_caption(series.assign(duncan_index=None), "Fife")
    groups = pd.DataFrame([{"absolute_gap": 3.0, "gap_verdict": "widening"}])
    assert "Judged on the gap between the most and least deprived fifths of Scotland's data zones, the gap " \
           "is widening" in inequality_caption(groups, "Fife", national=False)
    verdicts = pd.DataFrame([
        {"indicator_id": "cp", "basis": "national_quintile", "measure": "sii", "is_headline": False,
         "verdict": "no significant change"},
        {"indicator_id": "cp", "basis": "national_quintile", "measure": "absolute_gap", "is_headline": True,
         "verdict": "widening"}])
    assert headline_gap_verdict(verdicts, "cp") == "widening"
    assert headline_gap_verdict(verdicts, "other") is None




def test_spine_names_sit_above_their_bars_and_leave_the_plot_the_full_width() -> None:
    """Issue 13, finding 8: as y-axis labels the names took most of a phone's width, so 'worse',
    'Scotland' and 'better' collided (plotly dropped 'better'). Each name is now an annotation from
    the left edge at the top of its own bar's row, and the y axis has no labels to take room."""
    rows = pd.DataFrame([_spine_row(), _spine_row(indicator_id="b", short_title="Healthy birthweight")])
    fig = go.Figure(spine_figure(rows, "Kirkcaldy"))
    assert fig.layout.yaxis.showticklabels is False
    names = [a for a in fig.layout.annotations if a.xref == "paper" and a.yref == "y"]
    labels = list(spine_positions(rows).label)
    assert [a.text for a in names] == labels and all(a.x == 0 and a.xanchor == "left" for a in names)
    # above the bar of the same row (reversed axis: a smaller position is higher up), never on it
    bar = fig.data[0].width
    assert [a.y for a in names] == pytest.approx([row - bar / 2 for row in range(len(labels))])
    assert all(a.yanchor == "bottom" for a in names)
    # "worse" and "better" inside the ends of the axis, "Scotland" above its line: no tick labels to collide
    assert fig.layout.xaxis.showticklabels is False
    assert {a.text for a in fig.layout.annotations if a.yref != "y"} == {"◀ worse", "better ▶", "Scotland"}


def test_duncan_and_best_worst_say_why_they_are_blank() -> None:
    """Issue 13, finding 2: a demo council with 66 communities whose early-mortality values are withheld
    in some community every period was told the Duncan index 'needs community-level values'."""
    withheld = pd.DataFrame({"period_label": ["2023", "2024"], "duncan_index": [None, None],
                             "duncan_iz_count": [66, 66], "best_iz_value": [None, None],
                             "worst_iz_value": [None, None], "best_iz_name": [None, None],
                             "worst_iz_name": [None, None]})
    duncan = duncan_caption(withheld, "Dunmore")
    assert duncan == ("No Duncan index for this indicator in Dunmore: it needs a published value for each of the "
                      "66 communities (intermediate zones), and in every period some are withheld because their "
                      "numbers are small.")
    best_worst = best_worst_caption(withheld, "Dunmore", "per 100,000")
    assert "66 communities" in best_worst and "cannot be named" in best_worst and "community-level" not in best_worst
    # not published for communities at all: that reason instead
    absent = withheld.assign(duncan_iz_count=None)
    assert "only for indicators published for intermediate zones" in duncan_caption(absent, "Dunmore")
    assert best_worst_caption(absent, "Dunmore", "%") == "No community-level values for Dunmore."
    # named in one period, withheld in the other: the caption says a period is left out
    one = withheld.assign(best_iz_value=[None, 12.0], worst_iz_value=[None, 30.0], best_iz_name=[None, "A"],
                          worst_iz_name=[None, "B"])
    assert best_worst_caption(one, "Dunmore", "%") == (
        "In 2024 the best community in Dunmore (A) had 12.0% and the worst (B) 30.0%. 1 period is left out: "
        "some communities' values are withheld there because their numbers are small.")


def _table_frame() -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator": "Child poverty", "area_name": "A", "area_code": "S1", "period": "2019/20", "period_year": 2019,
         "value": 10.0},
        {"indicator": "Child poverty", "area_name": "A", "area_code": "S1", "period": "2020/21", "period_year": 2020,
         "value": None},
        {"indicator": "Crime", "area_name": "A", "area_code": "S1", "period": "2019/20", "period_year": 2019,
         "value": 300.0},
        {"indicator": "Child poverty", "area_name": "B", "area_code": "S2", "period": "2019/20", "period_year": 2019,
         "value": 12.0},
    ])


def test_pivot_periods_as_columns_keeps_suppressed_blank() -> None:
    rows, defs = grid_content(_table_frame(), "periods", [])
    assert [d["headerName"] for d in defs] == ["Indicator", "Area", "Code", "2019/20", "2020/21"]
    assert rows[0] == {"indicator": "Child poverty", "area_name": "A", "area_code": "S1", "c0": 10.0, "c1": None}
    assert len(rows) == 3  # (Child poverty, A), (Child poverty, B), (Crime, A): no made-up combinations
    assert {(r["area_name"], r["area_code"]) for r in rows} == {("A", "S1"), ("B", "S2")}
    rows, defs = grid_content(_table_frame(), "indicators", [])
    assert [d["headerName"] for d in defs][3:] == ["Child poverty", "Crime"]
    assert len(rows) == 3 and {"area_name": "B", "area_code": "S2", "period": "2019/20", "c0": 12.0,
                               "c1": None} in rows
    long_rows, long_defs = grid_content(_table_frame(), "long", ["indicator", "value", "bogus"])
    assert [d["field"] for d in long_defs] == ["indicator", "value"] and len(long_rows) == 4
    assert all(set(row) == {"indicator", "value"} for row in long_rows)  # no hidden fields sent


def test_download_follows_the_grid_columns_and_state() -> None:
    defs = [{"field": "area_name", "headerName": "Area"}, {"field": "c0", "headerName": "2019/20"},
            {"field": "c1", "headerName": "2020/21"}]
    rows = [{"area_name": "B", "c0": 2.0, "c1": None}, {"area_name": "A", "c0": 1.0, "c1": 5.0}]
    frame = grid_frame(rows, defs)
    assert list(frame.columns) == ["Area", "2019/20", "2020/21"] and list(frame["Area"]) == ["B", "A"]
    state = [{"colId": "c1"}, {"colId": "area_name"}, {"colId": "c0", "hide": True}]
    assert list(grid_frame(rows, defs, state).columns) == ["2020/21", "Area"]


def test_counts_are_whole_numbers_on_screen_and_in_the_download() -> None:
    defs = column_defs(["numerator", "denominator", "value"])
    assert [d["valueFormatter"] is COUNT_FORMAT for d in defs] == [True, True, False]
    rows = [{"numerator": 317.0, "denominator": 1843.0, "value": 17.2},
            {"numerator": None, "denominator": 1790.5, "value": None}]  # withheld; a modelled denominator
    frame = grid_frame(rows, defs)
    assert frame["Numerator"].tolist()[0] == 317 and pd.isna(frame["Numerator"].tolist()[1])
    assert frame.to_csv(index=False).splitlines()[1] == "317,1843.0,17.2"  # 1790.5 keeps its decimal


def test_url_helpers_round_trip() -> None:
    assert query_string([("indicators", ["a", "b"]), ("council", None), ("layout", "periods")]) == (
        "?indicators=a,b&layout=periods")
    assert split_arg("a, b,,c") == ["a", "b", "c"] and split_arg(None) == []
    assert area_profile_href("ward", "S13", "early_years") == "/area?area_type=ward&area=S13&theme=early_years"


def test_saved_areas_in_the_type_ahead() -> None:
    class Area:
        def __init__(self, area_id: str, name: str) -> None:
            self.area_id, self.name, self.datazones = area_id, name, ("S01", "S02", "S03")

    areas = [Area("x1", "Riverside regeneration zone"), Area("x2", "School catchment")]
    assert saved_area_options(areas, "river ZONE") == [
        {"label": "Riverside regeneration zone (saved area, 3 data zones)", "value": "x1"}]
    assert len(saved_area_options(areas, "")) == 2


def test_area_subtitle_names_the_council_of_smaller_areas_only() -> None:
    ward = {"area_type": "ward", "area_code": "S13009055", "council_code": "S12000906", "council_name": "Strathmorven",
            "population": 10963}
    assert area_subtitle(ward) == "S13009055 in Strathmorven · population 10,963"
    council = {"area_type": "council", "area_code": "S12000901", "council_name": "Auchenfudge", "population": 106044.0}
    assert area_subtitle(council) == "S12000901 · population 106,044"
    assert area_subtitle({"area_type": "scotland", "area_code": "S92000003", "population": float("nan")}) == "S92000003"
    assert gap_heading(ward) == "Deprivation gap in Strathmorven"  # its council's gap, not its own
    assert gap_heading(council) == "Deprivation gap"
    assert gap_heading({"area_type": "health_board", "area_code": "S08000001"}) == "Deprivation gap in Scotland"
