"""Pure logic behind the pages: search, table files, RAG cells, captions, user-area inputs."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import openpyxl
import pandas as pd

from dashboard.data.commentary import CommentaryStore
from dashboard.logic.area_profile import communities_rows
from dashboard.logic.captions import inequality_caption, rank_caption, sii_caption, trend_caption
from dashboard.logic.explorer import search_indicators
from dashboard.logic.my_areas import codes_from_upload, profile_rows, toggle, unavailable_text
from dashboard.logic.rag import exception_lines, matrix
from dashboard.logic.tables import column_defs, grid_frame, to_csv, to_xlsx


def _catalogue() -> pd.DataFrame:
    base = {"short_title": "", "source": "", "numerator_definition": "", "denominator_definition": "",
            "caveats": ""}
    return pd.DataFrame([
        {**base, "indicator_id": "cp", "title": "Children in low-income families", "definition": "poverty",
         "soa_priority": "early_years", "soa_priority_label": "Early years"},
        {**base, "indicator_id": "crime", "title": "Recorded crime", "definition": "crimes per 10,000",
         "soa_priority": "safer_communities", "soa_priority_label": "Safer communities"},
    ])


def test_search_needs_every_word_and_respects_themes() -> None:
    assert list(search_indicators(_catalogue(), "LOW income", None).indicator_id) == ["cp"]
    assert list(search_indicators(_catalogue(), "", ["safer_communities"]).indicator_id) == ["crime"]
    assert search_indicators(_catalogue(), "poverty", ["safer_communities"]).empty
    # a word matching nothing, then another (the fuzz test's "\x08 0" once crashed the explorer)
    assert search_indicators(_catalogue(), "zzz income", None).empty


def test_download_holds_exactly_the_shown_rows_and_columns() -> None:
    rows = [{"indicator": "Child poverty", "area_name": "A", "value": 12.5, "numerator": 5, "suppressed": False},
            {"indicator": "Child poverty", "area_name": "B", "value": None, "numerator": None, "suppressed": True}]
    frame = grid_frame(rows, column_defs(["area_name", "value", "suppressed", "not_a_column"]))
    assert list(frame.columns) == ["Area", "Value", "Suppressed"]
    assert to_csv(frame).decode().splitlines() == ["Area,Value,Suppressed", "A,12.5,False", "B,,True"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    assert [c.value for c in sheet[1]] == ["Area", "Value", "Suppressed"]
    assert sheet["B2"].value == 12.5 and sheet["B3"].value is None and sheet.freeze_panes == "A2"


def test_rag_matrix_cells_use_words_and_symbols() -> None:
    frame = pd.DataFrame([
        {"short_title": "Crime", "area_name": "Ward 1", "trend_verdict": "improving", "latest_value": 300.0},
        {"short_title": "Crime", "area_name": "Ward 2", "trend_verdict": "worsening", "latest_value": None},
    ])
    areas, rows = matrix(frame)
    assert areas == ["Ward 1", "Ward 2"]
    cells = rows[0][1]
    assert (cells[0].text, cells[0].colour, cells[0].value) == ("▲ improving", "success", "300.0")
    assert (cells[1].text, cells[1].value) == ("▼ worsening", "suppressed")


def test_exception_line_reads_like_a_report() -> None:
    frame = pd.DataFrame([{
        "short_title": "Child poverty", "unit_label": "%", "latest_value": 22.8, "latest_period_label": "2024/25",
        "change_abs": 4.3, "baseline_value": 18.5, "baseline_period_label": "2014/15", "trend_verdict": "worsening",
        "vs_scotland": "worse", "gap_verdict": "widening", "target_status": "off track", "target_value": 18.0,
        "target_year": 2030, "projected_value": 25.6, "trajectory_value_latest": 18.2}])
    assert exception_lines(frame) == [
        "Child poverty: 22.8% in 2024/25; +4.3 percentage points since 2014/15; worsening (statistically significant); "
        "worse than Scotland; gap between most and least deprived widening; target 18.0% by 2030 off track "
        "(projected 25.6%; the trajectory says 18.2% now)."]


def test_captions_state_the_verdict() -> None:
    trend = {"trend_verdict": "improving", "change_abs": -2.0, "baseline_period_label": "2014"}
    assert trend_caption("Ward 1", "Crime rate", trend) == (
        "Crime rate in Ward 1 is improving: the change over the last five periods is statistically significant. "
        "It has changed by -2.0 since 2014.")
    ranks = pd.DataFrame({"area_code": ["a", "b", "c"], "value": [3.0, 1.0, 2.0]})
    assert rank_caption(ranks, "c", "C", "low_is_good") == "C ranks 2 of 3 (1 = best) among these areas."
    groups = pd.DataFrame([{"absolute_gap": 12.34, "gap_verdict": "narrowing"}])
    assert "is 12.3 and it is narrowing" in inequality_caption(groups, "Fife")


def test_gaps_and_changes_in_captions_carry_their_unit() -> None:
    """Issue 13, finding 7: a gap of two percentages is in percentage points; real Glasgow read "the gap ... is
    22.7", "SII +27.6" and "had 3.0 % and the worst (Govanhill West) 84.7"."""
    trend = {"trend_verdict": "no significant change", "change_abs": 3.6, "baseline_period_label": "2014/15",
             "latest_period_label": "2020/21"}
    assert trend_caption("Linn", "Child poverty", trend, unit="%").endswith(
        "It has changed by +3.6 percentage points between 2014/15 and 2020/21.")
    assert "changed by -12.0 per 100,000 since" in trend_caption(
        "Fife", "Early deaths", {"trend_verdict": "improving", "change_abs": -12.0, "baseline_period_label": "2014"},
        unit="per 100,000")
    groups = pd.DataFrame([{"absolute_gap": 22.71, "gap_verdict": "no significant change"}])
    assert "deprived fifth is 22.7 percentage points with no significant" in inequality_caption(groups, "Glasgow", unit="%")
    series = pd.DataFrame({"period_label": ["2020/21"], "sii": [27.61]})
    assert "(SII +27.6 percentage points, the gap across" in sii_caption(series, "Glasgow", "%")
    rows = communities_rows(pd.DataFrame([{"rank_in_council": 1, "area_name": "A", "area_code": "S02001934",
                                           "outcomes": 13, "total_level_z_council": -22.75, "total_z_council": 19.89,
                                           "total_z_scotland": 42.98, "is_most_vulnerable": True}]))
    assert not [k for k in rows[0] if "sum of z" in k] and rows[0]["Change vs Scotland (combined score)"] == "+42.98"


def test_user_area_inputs() -> None:
    csv = base64.b64encode(b"code\nS01020001\nS02010001\n").decode()
    assert codes_from_upload(f"data:text/csv;base64,{csv}", "area.csv") == ["S01020001", "S02010001"]
    assert toggle(["S01020002"], "S01020001") == ["S01020001", "S01020002"]
    assert toggle(["S01020001"], "S01020001") == []
    from dashboard.exports.profile import Comparison, IndicatorProfile, SeriesPoint, TrendInfo

    def indicator(short: str, latest: SeriesPoint | None, comparisons: tuple = ()) -> IndicatorProfile:
        trend = TrendInfo("improving", None, None, None, None, None, None, None, None, "wls", 0.01, 5)
        return IndicatorProfile(short.lower(), short, short, "early_years", "Early years", "", "%", "low_is_good",
                                "percentage", "", "wilson", "", "", None, latest, comparisons, trend, None, ())

    def point(value: float | None, suppressed: bool = False, reason: str | None = None) -> SeriesPoint:
        return SeriesPoint("cp", "area", "user", "My area", "2024/25", 2024, None, None, value,
                           None if value is None else value - 1.5, None if value is None else value + 1.5,
                           suppressed, reason)

    indicators = [
        indicator("Child poverty", point(None, True, "differencing: …")),
        indicator("Attainment", point(21.25), (Comparison("scotland", "Scotland", "2024/25", 20.0, False, "worse"),
                                               Comparison("council", "Fife", "2024/25", 22.0, False, "similar"))),
        indicator("Fires", None),  # no value for user-made areas: left out of the table, listed under it
    ]
    computed = "computed by cpop from the publishers' counts"
    assert profile_rows(indicators).to_dict("records") == [
        {"Indicator": "Attainment", "Period": "2024/25", "Value": "21.2 %", "95% CI": "19.8 – 22.8",
         "vs Scotland": "worse", "vs council": "similar (Fife)", "Trend": "improving", "Note": "", "Source": computed},
        {"Indicator": "Child poverty", "Period": "2024/25", "Value": "suppressed", "95% CI": "",
         "vs Scotland": "–", "vs council": "–", "Trend": "improving", "Note": "differencing: …", "Source": computed},
    ]
    assert unavailable_text(indicators) == "Not available for a user-made area: Fires."
    assert unavailable_text(indicators[:2]) is None


def test_commentary_persists_outside_the_warehouse(tmp_path: Path) -> None:
    CommentaryStore(tmp_path).save("S12000901", "cp", "  Pilot from April.  ")
    assert CommentaryStore(tmp_path).get("S12000901", "cp") == "Pilot from April."
    assert CommentaryStore(tmp_path).get("S12000901", "crime") == ""


def test_priority_tile_sentence() -> None:
    from dashboard.logic.tiles import tile_sentence, tile_tone
    from dashboard.tables.latest_values import LatestRow

    def row(trend: str) -> LatestRow:
        return LatestRow("x", "X", "", "2024", "1", "", "", "", "similar", False, trend)

    rows = [row("improving"), row("improving"), row("worsening"), row("cannot be calculated")]
    assert tile_sentence(rows) == "2 of 4 measures improving; 1 worsening; 1 without enough data for a trend"
    assert tile_tone(rows) == "success" and tile_tone([row("worsening")]) == "danger"
