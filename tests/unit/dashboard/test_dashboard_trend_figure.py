"""trend_figure: CI band, comparators, suppressed gaps, accessible styling."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.data.queries import IndicatorMeta, Queries, split_series
from dashboard.figures.trend import (
    AREA_COLOUR,
    COUNCIL_COLOUR,
    SCOTLAND_COLOUR,
    empty_figure,
    period_order,
    trend_figure,
)

META = IndicatorMeta("x", "Early deaths", "Early mortality", "per 100,000", "low_is_good")


def _frame(name: str, values: list[float | None], suppressed: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({
        "area_name": name,
        "period_label": ["2019", "2020", "2021"],
        "period_year": [2019, 2020, 2021],
        "value": values,
        "ci_lower": [v - 10 if v is not None else None for v in values],
        "ci_upper": [v + 10 if v is not None else None for v in values],
        "is_suppressed": suppressed,
    })


def test_traces_colours_and_gap() -> None:
    area = _frame("Ward", [500.0, None, 530.0], [False, True, False])
    council = _frame("Fife", [430.0, 455.0, 448.0], [False] * 3)
    scotland = _frame("Scotland", [441.0, 470.0, 453.0], [False] * 3)
    raw = trend_figure(area, META, council, scotland)
    assert isinstance(raw, dict)  # a plain figure dict (dcc.Graph takes it as it is)...
    fig = go.Figure(raw)  # ...that plotly accepts as a valid figure
    band, line, council_line, scotland_line = fig.data
    assert band.fill == "toself"
    assert list(line.y) == [500.0, None, 530.0]  # suppressed is a gap, never zero
    assert line.connectgaps is False
    assert list(line.error_y.array) == [10.0, None, 10.0]
    assert list(line.error_y.arrayminus) == [10.0, None, 10.0]
    assert [t.line.color for t in (line, council_line, scotland_line)] == [
        AREA_COLOUR, COUNCIL_COLOUR, SCOTLAND_COLOUR]
    assert len({t.line.dash for t in (line, council_line, scotland_line)}) == 3
    assert [t.name for t in fig.data[1:]] == ["Ward", "Fife", "Scotland"]
    notes = [a for a in fig.layout.annotations if a.text == "suppressed"]
    assert [a.x for a in notes] == [1]  # category index of "2020", not the label
    assert fig.layout.yaxis.title.text == "Early mortality (per 100,000)"
    assert list(fig.layout.xaxis.categoryarray) == ["2019", "2020", "2021"]


def test_band_is_split_around_suppressed_points() -> None:
    area = _frame("Ward", [500.0, None, 530.0], [False, True, False])
    band = go.Figure(trend_figure(area, META)).data[0]
    # two single-point polygons separated by a None gap
    assert list(band.x) == ["2019", "2019", None, "2021", "2021"]
    assert list(band.y) == [510.0, 490.0, None, 540.0, 520.0]


def test_hover_text_says_suppressed() -> None:
    area = _frame("Ward", [500.0, None, 530.0], [False, True, False])
    line = go.Figure(trend_figure(area, META)).data[1]
    assert "suppressed" in line.hovertext[1]
    assert "500.0 per 100,000" in line.hovertext[0]


def test_no_data_gives_a_message() -> None:
    fig = go.Figure(trend_figure(None, META))
    assert fig.layout.annotations[0].text.startswith("No data")
    assert go.Figure(empty_figure("hello")).layout.annotations[0].text == "hello"


def test_period_order_merges_frames_by_year() -> None:
    a = pd.DataFrame({"period_label": ["2020/21"], "period_year": [2020]})
    b = pd.DataFrame({"period_label": ["2019/20", "2020/21"], "period_year": [2019, 2020]})
    assert period_order([a, None, b]) == ["2019/20", "2020/21"]


def _pandas_period_order(frames: list[pd.DataFrame | None]) -> list[str]:
    """What period_order computed with pandas before it read plain lists (the reference)."""
    parts = [f[["period_label", "period_year"]] for f in frames if f is not None and not f.empty]
    if not parts:
        return []
    periods = pd.concat(parts).drop_duplicates("period_label")
    return periods.sort_values(["period_year", "period_label"], kind="stable")["period_label"].astype(str).tolist()


def test_period_order_keeps_pandas_order_with_missing_years_and_relabelled_duplicates() -> None:
    """A label's first year wins, a missing year sorts last, ties fall back to the label; on Arrow text
    (as the warehouse reads it) and on numpy object text alike."""
    area = pd.DataFrame({"period_label": ["2021", "2019/20", "2018-20", "Q1 2020"],
                         "period_year": [2021.0, 2019.0, float("nan"), 2020.0]})
    council = pd.DataFrame({"period_label": ["2019/20", "2017", "2018-20", "2019"],
                            "period_year": [2030.0, 2017.0, 2018.0, 2019.0]})  # a duplicate label with another year
    scotland = pd.DataFrame({"period_label": ["2020", "2016"], "period_year": [2020.0, float("nan")]})
    for text in ("str", object):
        frames = [f.astype({"period_label": text}) for f in (area, council, scotland)]
        for chosen in ([frames[0]], frames, [None, frames[1], frames[0]], [frames[2], pd.DataFrame(), None]):
            assert period_order(chosen) == _pandas_period_order(chosen)
    assert period_order([area, council, scotland]) == ["2017", "2019", "2019/20", "2020", "Q1 2020", "2021",
                                                       "2016", "2018-20"]
    # a missing label (never in the warehouse) is one period, after the labels of its year
    unlabelled = pd.DataFrame({"period_label": [None, "2019", None], "period_year": [2019.0, 2019.0, 2019.0]})
    order = period_order([unlabelled])
    assert len(order) == 2 and order[0] == "2019"


def test_figure_from_fixture_queries(queries: Queries) -> None:
    meta = queries.indicator("hi_early_mortality")
    assert meta is not None
    parts = split_series(queries.series("hi_early_mortality", "ward", "S13002883"))
    fig = go.Figure(trend_figure(parts["area"], meta, parts.get("council"), parts.get("scotland")))
    assert len(fig.data) == 4
    assert list(fig.data[1].y) == [512.6, None, 530.4]


def test_graph_config_never_uploads() -> None:
    from dashboard.figures.config import GRAPH_CONFIG

    assert "sendChartToCloud" in GRAPH_CONFIG["modeBarButtonsToRemove"]
    assert GRAPH_CONFIG["showSendToCloud"] is False
