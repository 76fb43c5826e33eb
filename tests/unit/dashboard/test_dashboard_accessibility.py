"""The pure parts of the accessibility work (issue 18): chart text, headings, grid keys, groups.

The browser behaviour (focus, Tab stops, contrast, announcements) is tested in
tests/e2e/test_e2e_keyboard.py; these pin the pieces a page is built from.
"""

from __future__ import annotations

import json
from pathlib import Path

import dash
import pandas as pd
from dash import html

from dashboard.components.chart_alternative import (
    SHOW_TABLE,
    chart_with_alternative,
    data_table,
    table_rows,
)
from dashboard.components.radio_group import radio_group
from dashboard.data.context import queries_of
from dashboard.data.queries import IndicatorMeta, Queries
from dashboard.figures.trend import trend_figure
from dashboard.logic.chart_text import chart_rows, chart_title
from dashboard.logic.markdown import demote_headings
from dashboard.logic.my_areas import PICK_LIMIT, added_summary, part_options, pick_options
from dashboard.tables.keyboard import keyboard_grid_options
from etl.settings import Settings

META = IndicatorMeta("x", "Early deaths", "Early mortality", "per 100,000", "low_is_good")


def _series(name: str, points: dict[str, float | None]) -> pd.DataFrame:
    """One area's yearly series; a None value is a suppressed period."""
    rows = [{"area_name": name, "period_label": label, "period_year": int(label), "value": value,
             "ci_lower": None if value is None else value - 10, "ci_upper": None if value is None else value + 10,
             "is_suppressed": value is None} for label, value in points.items()]
    return pd.DataFrame(rows)


def test_trend_chart_as_rows_has_each_drawn_point_and_no_band() -> None:
    figure = trend_figure(_series("Ward", {"2019": 500.0, "2020": None, "2021": 530.0}), META,
                          None, _series("Scotland", {"2019": 441.0, "2020": 470.0, "2021": 453.0}))
    rows = chart_rows(figure)
    assert [name for name, _ in rows] == ["Ward"] * 3 + ["Scotland"] * 3  # the CI band is context, not a series
    assert rows[0] == ("Ward", "2019: 500.0 per 100,000; 95% CI: 490.0 – 510.0")
    assert rows[1][1].startswith("2020: ") and "500" not in rows[1][1]  # suppressed: said, never a number
    assert rows[3] == ("Scotland", "2019: 441.0 per 100,000; 95% CI: 431.0 – 451.0")
    assert chart_title(figure) == "Early deaths"


def test_hover_templates_are_filled_as_the_chart_labels_them() -> None:
    rank = {"data": [{"type": "bar", "orientation": "h", "x": [24.96, 22.7612], "y": ["Brigadoon", "Auchenfudge"],
                      "hovertemplate": "%{y}: %{x:,.1f} %<extra></extra>"}], "layout": {}}
    assert chart_rows(rank) == [("", "Brigadoon: 25.0 %"), ("", "Auchenfudge: 22.8 %")]
    spine = {"data": [{"type": "scatter", "name": "Fife: better", "x": [0.2], "y": ["Child poverty"],
                       "customdata": [[19.4, 24.0, "%"]],
                       "hovertemplate": "%{y}<br>Fife: %{customdata[0]:,.1f} %{customdata[2]}"
                                        "<br>Scotland: %{customdata[1]:,.1f}<extra></extra>"}]}
    assert chart_rows(spine) == [("Fife: better", "Child poverty; Fife: 19.4 %; Scotland: 24.0")]
    world = {"data": [{"type": "choroplethmap", "locations": ["S1", "S2"], "z": [1234.5, None],
                       "text": ["Fife", "Angus"], "hovertemplate": "%{text}: %{z:,.1f}<extra></extra>"},
                      {"type": "choroplethmap", "locations": ["S1"], "z": [1], "hoverinfo": "skip"}]}
    assert chart_rows(world) == [("", "Fife: 1,234.5"), ("", "Angus: no value")]
    plain = {"data": [{"type": "bar", "x": ["Q1", "Q2"], "y": [48.96, 30.6]}]}
    assert chart_rows(plain) == [("", "Q1: 48.96"), ("", "Q2: 30.6")]


def test_a_chart_table_splits_unnamed_points_into_point_and_value() -> None:
    assert table_rows([("", "Q1: 48.9 %"), ("", "Q2: 30.6 %")]) == (
        ["Point", "Value"], [("Q1", ["48.9 %"]), ("Q2", ["30.6 %"])])
    assert table_rows([("Ward", "2019: 5"), ("", "x")])[0] == ["Series", "Value"]


def test_chart_with_alternative_names_the_figure_and_offers_the_table() -> None:
    figure = {"data": [{"type": "bar", "x": ["Q1"], "y": [1.0]}], "layout": {"title": {"text": "Gap"}}}
    block = chart_with_alternative(html.Div("graph"), figure, "One sentence.", show_summary=True)
    figure_div, sentence, details = block.children
    assert figure_div.role == "figure" and getattr(figure_div, "aria-label") == "One sentence."
    assert sentence.children == "One sentence."
    assert details.children[0].children == SHOW_TABLE
    # the table travels as JSON and is built when opened (assets/data_tables.js, e2e-tested)
    spec = json.loads(getattr(details, "data-table"))
    assert spec == {"caption": "Gap", "columns": ["Point", "Value"], "rows": [["Q1", ["1"]]],
                    "className": "table table-sm table-bordered small"}
    assert details.children[1].className == "cpop-chart-table" and not details.children[1].children
    empty = data_table({"data": []}, "Nothing")
    assert "no data points" in empty.children[1].children


def test_markdown_headings_move_under_the_page_h1_but_code_does_not() -> None:
    text = "# Methods\n\nSome text\n\n```\n# a comment in code\n```\n## Intervals\n###### deep\n#hashtag\n"
    assert demote_headings(text, levels=2) == (
        "### Methods\n\nSome text\n\n```\n# a comment in code\n```\n#### Intervals\n###### deep\n#hashtag\n")


def test_grid_is_one_tab_stop_and_keeps_its_other_options() -> None:
    options = keyboard_grid_options({"pagination": True})
    assert options == {"pagination": True, "tabToNextCell": {"function": "false"},
                       "tabToNextHeader": {"function": "false"}}


def test_radio_buttons_are_one_named_group_with_a_legend() -> None:
    group = radio_group("my-mode", "Select on the map", [{"label": "Data zones", "value": "dz"}], "dz")
    legend, radios = group.children
    assert isinstance(group, html.Fieldset) and legend.children == "Select on the map"
    assert radios.name == radios.id == "my-mode"  # one name: one Tab stop, arrow keys inside


def test_zones_to_add_by_name_are_labelled_with_code_and_kind() -> None:
    frame = pd.DataFrame({"area_type": ["ward"], "area_type_label": ["Multi-member ward"],
                          "area_code": ["S13002883"], "area_name": ["Kirkcaldy Central"]})
    assert part_options(frame) == [{"label": "Kirkcaldy Central (S13002883) – Multi-member ward",
                                    "value": "S13002883"}]
    assert added_summary(["S02000001"], ["a"], ["a", "b", "c"]) == "Added 2 data zones from 1 area."
    assert added_summary(["x", "y"], ["a"], ["a"]) == "The 2 areas chosen were already in the selection."


def test_zones_to_add_by_name_are_the_matches_of_what_is_typed_with_the_chosen_ones_kept() -> None:
    options = [{"label": f"Zone {i} (S010{i:05d}) – Data zone", "value": f"S010{i:05d}"} for i in range(1000)]
    options.insert(0, {"label": "Kirkcaldy Central (S13002883) – Multi-member ward", "value": "S13002883"})
    assert [o["value"] for o in pick_options(options, "kirkCALDY", None)] == ["S13002883"]
    assert [o["value"] for o in pick_options(options, "s0100099", [])] == [f"S010{i:05d}" for i in range(990, 1000)]
    # the chosen stay listed (a multi drop-down shows only listed values), first, whatever is typed
    chosen = pick_options(options, "kirkcaldy", ["S01000007"])
    assert [o["value"] for o in chosen] == ["S01000007", "S13002883"]
    before_typing = pick_options(options, None, "not a list")
    assert len(before_typing) == PICK_LIMIT and before_typing[0]["value"] == "S13002883"
    assert pick_options(options, "nothing like this", []) == []


def test_council_parts_lists_every_area_in_the_council_but_the_council(queries: Queries) -> None:
    council = queries.reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                                   "ORDER BY area_code LIMIT 1").iloc[0, 0]
    parts = queries.council_parts(council)
    expected = queries.reader.query("SELECT area_code FROM marts.areas WHERE council_code = ? "
                                    "AND area_type <> 'council'", [council])
    assert sorted(parts.area_code) == sorted(expected.area_code) and not parts.empty
    assert "council" not in set(parts.area_type)
    assert parts.area_type_label.notna().all()


def test_statement_shows_the_publishers_contact_and_is_outside_the_menu(warehouse_path: Path) -> None:
    from dashboard.app import create_app

    for contact, expected in (("", "CPOP_ACCESSIBILITY_CONTACT"), ("access@fife.gov.uk", "at access@fife.gov.uk.")):
        app = create_app(Settings(warehouse_path=warehouse_path, accessibility_contact=contact))
        with app.server.test_request_context("/"):
            page = dash.page_registry["dashboard.pages.accessibility"]["layout"]()
            skip, navbar, *_, footer = app.layout().children
        assert expected in str(page)
        assert "Accessibility statement for cpop" in str(page) and "last tested on" in str(page)
        assert "/accessibility" in str(footer) and "/accessibility" not in str(navbar)  # the footer, not the menu
        assert skip.href == "#main-content"
        queries_of(app.server).reader.close()
