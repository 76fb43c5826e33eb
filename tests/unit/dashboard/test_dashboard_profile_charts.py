"""Issue 13's charts on the Area profile, on hand-made frames: comparator areas on the trend chart,
most vs least deprived over time, and the target with its trajectory (figures, captions, checks)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import ids
from dashboard.control_types import value_problem
from dashboard.data.queries import IndicatorMeta
from dashboard.figures.deprived_over_time import (
    LEAST_COLOUR,
    MOST_COLOUR,
    extremes_figure,
    extremes_over_time,
)
from dashboard.figures.target_lines import TARGET_COLOUR, target_categories, target_traces
from dashboard.figures.trend import (
    AREA_COLOUR,
    COUNCIL_COLOUR,
    EXTRA_STYLES,
    SCOTLAND_COLOUR,
    trend_figure,
)
from dashboard.logic import comparators
from dashboard.logic.captions import extremes_caption, target_caption

META = IndicatorMeta("x", "Early deaths", "Early mortality", "per 100,000", "low_is_good")
YEARS = [2014, 2016, 2018, 2020, 2022, 2024]


def _series(name: str, values: list[float | None], years: list[int] = YEARS) -> pd.DataFrame:
    return pd.DataFrame({
        "area_name": name, "period_label": [str(y) for y in years], "period_year": years, "value": values,
        "ci_lower": [v - 10 if v is not None else None for v in values],
        "ci_upper": [v + 12 if v is not None else None for v in values],
        "is_suppressed": [v is None for v in values],
    })


# --- comparator areas -------------------------------------------------------------------------------

def test_added_comparators_are_drawn_in_their_own_styles_with_intervals_in_the_hover() -> None:
    area = _series("Ward A", [500.0, 490, 480, 470, 460, 450])
    others = [_series(f"Other {i}", [400.0 + i] * 6) for i in range(3)]
    raw = trend_figure(area, META, _series("Fife", [430.0] * 6), _series("Scotland", [440.0] * 6), others)
    fig = go.Figure(raw)  # plotly accepts it
    added = [t for t in fig.data if t.meta == "comparator"]
    assert [t.name for t in added] == ["Other 0", "Other 1", "Other 2"]
    styles = {(t.line.color, t.line.dash, t.marker.symbol) for t in added}
    assert len(styles) == 3  # colour, dash and marker differ: never colour alone
    used = {AREA_COLOUR, COUNCIL_COLOUR, SCOTLAND_COLOUR}
    assert not {t.line.color for t in added} & used
    assert added[1].hovertext[0] == "Other 1<br>2014: 401.0 per 100,000<br>95% CI: 391.0 – 413.0"


def test_a_comparator_with_a_withheld_period_has_a_gap_and_no_more_than_the_styles_are_drawn() -> None:
    area = _series("Ward A", [500.0, 490, 480, 470, 460, 450])
    other = _series("Other", [400.0, None, 410, 420, 430, 440])
    line = next(t for t in trend_figure(area, META, others=[other])["data"] if t.get("meta") == "comparator")
    assert line["y"][1] is None and line["connectgaps"] is False
    with pytest.raises(ValueError, match="argument 'others'"):
        trend_figure(area, META, others=[other] * (len(EXTRA_STYLES) + 1))


class _Areas:
    """Queries' area look-up over a fixed list (the rest of Queries is not needed here)."""

    def __init__(self, *areas: tuple[str, str, str]) -> None:
        self._areas = {(t, c): {"area_type": t, "area_code": c, "area_name": n} for t, c, n in areas}

    def area(self, area_type: str, area_code: str) -> dict[str, Any] | None:
        return self._areas.get((area_type, area_code))


WARD = {"area_type": "ward", "area_code": "S13000001", "area_name": "Ward A", "council_code": "S12000015"}
KNOWN = _Areas(("council", "S12000015", "Fife"), ("scotland", "S92000003", "Scotland"),
               ("council", "S12000047", "Fife (2019)"), ("ward", "S13000001", "Ward A"),
               *[("ward", f"S1300010{i}", f"Ward {i}") for i in range(9)])


def test_defaults_are_the_council_and_scotland_and_none_means_none() -> None:
    assert comparators.from_url(KNOWN, None, WARD).keys == ["council:S12000015", "scotland:S92000003"]
    assert comparators.from_url(KNOWN, "none", WARD).keys == []
    council = {"area_type": "council", "area_code": "S12000015", "council_code": "S12000015"}
    assert comparators.default_keys(council) == ["scotland:S92000003"]
    assert comparators.url_value([]) == "none"


def test_a_links_unknown_or_forged_comparators_are_left_out_with_a_message() -> None:
    checked = comparators.from_url(
        KNOWN, "council:S12000047,ward:S99999999,<script>,ward:S13000001,council:S12000047", WARD)
    assert checked.keys == ["council:S12000047"]  # the area itself and the repeat are dropped
    assert checked.problems == ["Not an area in this warehouse, so not drawn: ward:S99999999, <script>."]
    many = [f"ward:S1300010{i}" for i in range(9)]
    checked = comparators.check_keys(KNOWN, many, WARD)
    assert len(checked.areas) == comparators.MAX_COMPARATORS
    assert checked.problems[0].startswith(f"At most {comparators.MAX_COMPARATORS} comparator areas")
    flood = comparators.check_keys(KNOWN, ["x"] * 10_000, WARD)
    assert flood.problems[0] == f"10000 comparator areas were asked for: only the first {comparators.MAX_ASKED} were read."


def test_the_comparator_dropdown_is_a_declared_list_control() -> None:
    assert value_problem(ids.PROFILE_COMPARATORS, "value", ["council:S12000015", "scotland:S92000003"]) is None
    assert value_problem(ids.PROFILE_COMPARATORS, "value", None) is None
    assert value_problem(ids.PROFILE_COMPARATORS, "value", {"council": 1}) is not None
    assert value_problem(ids.PROFILE_COMPARATORS, "value", [1, 2]) is not None


# --- most vs least deprived over time ---------------------------------------------------------------

def _groups() -> pd.DataFrame:
    rows = []
    for year, (q1, q5) in zip([2019, 2020, 2021], [(30.0, 10.0), (None, 11.0), (34.0, 9.0)], strict=True):
        for group, value in ((1, q1), (2, 20.0), (3, 18.0), (4, 14.0), (5, q5)):
            rows.append({"period_label": f"{year}/{(year + 1) % 100}", "period_year": year, "group_number": group,
                         "value": value, "ci_lower": None if value is None else value - 1.0,
                         "ci_upper": None if value is None else value + 2.0, "is_suppressed": value is None})
    return pd.DataFrame(rows)


def test_most_and_least_deprived_lines_with_intervals_and_a_withheld_gap() -> None:
    extremes = extremes_over_time(_groups())
    assert list(extremes[extremes.end == "most"].value.fillna(-1)) == [30.0, -1, 34.0]
    assert list(extremes[extremes.end == "least"].value) == [10.0, 11.0, 9.0]
    fig = go.Figure(extremes_figure(extremes, "%"))
    most, least = fig.data
    assert (most.name, least.name) == ("Most deprived fifth", "Least deprived fifth")
    assert (most.line.color, least.line.color) == (MOST_COLOUR, LEAST_COLOUR) and most.line.dash != least.line.dash
    assert list(most.y) == [30.0, None, 34.0] and most.connectgaps is False
    assert list(most.error_y.array) == [2.0, None, 2.0] and list(most.error_y.arrayminus) == [1.0, None, 1.0]
    assert "95% CI: 29.0 – 32.0" in most.hovertext[0]
    assert [a.x for a in fig.layout.annotations if a.text == "suppressed"] == [1]
    assert list(fig.layout.xaxis.categoryarray) == ["2019/20", "2020/21", "2021/22"]


def test_the_caption_is_the_one_gap_verdict_then_the_latest_ends() -> None:
    extremes = extremes_over_time(_groups())
    text = extremes_caption(extremes, "widening", "Fife", "%")
    assert text == ("In Fife, the gap between the most and least deprived fifths of Scotland's data zones is "
                    "widening. In 2021/22 the most deprived had 34.0% and the least deprived 9.0%.")
    local = extremes_caption(extremes, "narrowing", "Fife", "%", national=False)
    assert "is narrowing (the verdict is judged on national fifths" in local
    assert "cannot be tested" in extremes_caption(extremes, None, "Fife", "%")


# --- targets and trajectories -----------------------------------------------------------------------

TARGET = {"target_value": 380.0, "target_year": 2030, "set_by": "the CPP board", "baseline_period_label": "2014",
          "baseline_value": 400.0, "latest_period_label": "2024", "latest_value": 450.0,
          "trajectory_value_latest": 387.5, "projected_value": 470.0, "projection_lower": 430.0,
          "projection_upper": 510.0, "probability_of_meeting": 0.02, "status": "off track"}


def test_the_trajectory_runs_from_the_baseline_to_the_target_through_each_periods_year() -> None:
    area = _series("Fife", [400.0, 420, 430, 440, 445, 450])
    order = target_categories([str(y) for y in YEARS], area, TARGET)
    assert order[-1] == "2030 target"
    trajectory, target = target_traces(area, TARGET, "per 100,000")
    assert trajectory["x"] == ["2014", "2016", "2018", "2020", "2022", "2024", "2030 target"]
    # baseline + (target - baseline) * (year - 2014) / (2030 - 2014): 387.5 in 2024 as marts.targets says
    assert trajectory["y"] == pytest.approx([400.0, 397.5, 395.0, 392.5, 390.0, 387.5, 380.0])
    assert target["x"] == ["2030 target"] and target["y"] == [380.0]
    assert target["name"] == "Target for 2030: off track"
    fig = go.Figure(trend_figure(area, META, target=TARGET))
    assert {t.line.color for t in fig.data if t.meta == "trajectory"} == {TARGET_COLOUR}
    assert list(fig.layout.xaxis.categoryarray)[-1] == "2030 target"


def test_a_target_year_inside_the_series_uses_its_period_and_no_baseline_means_no_line() -> None:
    area = _series("Fife", [400.0, 420, 430, 440, 445, 450])
    inside = TARGET | {"target_year": 2020}
    assert target_categories([str(y) for y in YEARS], area, inside) == [str(y) for y in YEARS]
    assert target_traces(area, inside, "")[-1]["x"] == ["2020"]
    assert [t["meta"] for t in target_traces(area, TARGET | {"baseline_period_label": None}, "")] == ["target"]


def test_the_target_status_is_said_in_words() -> None:
    text = target_caption(TARGET, "per 100,000")
    assert text.startswith("Target: 380.0 per 100,000 by 2030 (set by the CPP board). Off track: if the recent "
                           "trend continues, it is less likely than not to be met")
    assert "projects 470.0 per 100,000 in 2030 (95% interval 430.0 per 100,000 to 510.0 per 100,000)" in text
    assert text.endswith("On the trajectory from 2014 it would be 387.5 per 100,000 in 2024; it is 450.0 per "
                         "100,000.")
    unknown = target_caption(TARGET | {"status": "cannot be calculated"}, "")
    assert "status cannot be calculated" in unknown and "projects" not in unknown
