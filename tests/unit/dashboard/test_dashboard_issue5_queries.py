"""Issue-5 queries and page logic on the contract warehouse, which has NO statistics marts
except a minimal marts.trend: pages must then say "not available", never invent numbers."""

from __future__ import annotations

from pathlib import Path

import dash
import pytest

from dashboard.components.area_profile_view import (
    more_inequality,
    profile_body,
    profile_inequality,
    profile_main,
    profile_spine,
)
from dashboard.data.queries import MartUnavailable, Queries
from dashboard.home_state import home_tiles, load_profile
from dashboard.logic.area_profile import area_choices, choose_type, geographies, type_options
from dashboard.logic.availability import NOT_AT_LEVEL, missing_reason

CP, EM = "ey_child_poverty", "hi_early_mortality"


def test_missing_marts_raise_a_named_error(queries: Queries) -> None:
    assert queries.has("marts.trend") and not queries.has("marts.comparisons")
    with pytest.raises(MartUnavailable, match="marts.comparisons not available in this warehouse"):
        queries.area_comparisons("ward", "S13002883")
    with pytest.raises(MartUnavailable):
        queries.communities("S12000047")
    assert queries.tile_gaps("council", "S12000047") == {}


def test_quick_profile_without_statistics_marts_says_so(queries: Queries) -> None:
    profile = load_profile(queries, "ward", "S13002883")
    assert profile is not None
    assert any("not available in this warehouse" in n for n in profile.notes)
    rows = [q for _, qs in profile.quick for q in qs]
    cp = next(q for q in rows if q.latest.indicator_id == CP)
    assert cp.latest.value == "26.8%" and cp.verdicts["council"] == "not available"
    assert cp.series == (24.1, 25.3, 26.8)


def test_home_tiles_are_six_and_in_priority_order(queries: Queries) -> None:
    tiles = home_tiles(queries, "ward", "S13002883")
    assert tiles is not None and len(tiles) == 6
    early = next(t for t in tiles if t.priority == "early_years")
    assert early.sentence == "0 of 1 measure improving"
    assert early.href == "/area?area_type=ward&area=S13002883&theme=early_years"
    assert tiles[0].sentence == "No measures published for this area."
    assert home_tiles(queries, "ward", "S99999999") is None


def test_pickers_offer_only_areas_with_data_and_say_why(queries: Queries) -> None:
    frame = queries.areas_with_data(CP, "datazone", "")
    assert list(frame.area_code) == ["S01009783", "S01009781", "S01009782"]  # by name: Glenrothes, Kirkcaldy…
    options, reason = area_choices(queries, CP, "ward", "kirk", keep="S13002883")
    assert [o["value"] for o in options] == ["S13002883"] and reason is None
    avail = queries.availability(CP, "intermediate_zone", "S02000001")
    assert missing_reason(avail) == NOT_AT_LEVEL
    assert missing_reason(queries.availability(EM, "ward", "S13002883")) is None
    types = type_options(queries.area_types(), ["ward", "council"])
    assert [o["value"] for o in types if not o["disabled"]] == ["ward", "council"]
    assert choose_type(types, "datazone") == "council"
    assert geographies(queries.explorer_indicators(), CP) == ["datazone", "ward", "council", "scotland"]


def test_spine_rows_hand_checked(queries: Queries) -> None:
    spine = queries.spine("ward", "S13002883", "early_years")
    row = spine.iloc[0]
    assert (row.period_label, row.value, row.scotland_value) == ("2021/22", 26.8, 20.9)
    assert (row.min_value, row.max_value, row.areas) == (19.4, 26.8, 2)
    assert row.median_value == pytest.approx((19.4 + 26.8) / 2)


def test_area_profile_sections_degrade_to_not_available(warehouse_path: Path) -> None:
    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    app = create_app(Settings(warehouse_path=warehouse_path))
    with app.server.test_request_context("/"):
        sections = profile_body(queries_of(app.server), "ward", "S13002883", "early_years", CP, "national_quintile")
        text = str(sections)
    assert "Children in low-income families in Kirkcaldy Central shows no statistically significant change" in text
    assert "Not available in this warehouse: marts.inequality_groups" in text
    assert "Spine chart" in text
    queries_of(app.server).reader.close()


def test_area_profile_parts_hold_their_own_sections(warehouse_path: Path) -> None:
    """The page fills three parts from three callbacks; each part holds only its sections."""
    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    def keys(sections: list) -> list[str]:
        return [getattr(s, "data-section", None) or type(s).__name__ for s in sections]

    app = create_app(Settings(warehouse_path=warehouse_path))
    page = __import__(dash.page_registry["dashboard.pages.area_profile"]["module"], fromlist=["show_spine"])
    with app.server.test_request_context("/"):
        queries = queries_of(app.server)
        assert keys(profile_main(queries, "ward", "S13002883", CP)) == ["Alert", "trend", "rank", "map"]
        assert keys(profile_spine(queries, "ward", "S13002883", "early_years")) == ["spine"]
        # the further measures are folded away (a Details) and drawn when opened, odd clicks only
        assert keys(profile_inequality(queries, "ward", "S13002883", CP, "national_quintile")) == [
            "inequality", "Details", "communities"]
        assert keys(more_inequality(queries, "ward", "S13002883", CP, "national_quintile")) == ["sii"]
        assert keys(page.show_more_inequality(1, "S13002883", CP, "national_quintile", "ward")) == ["sii"]
        assert keys(page.show_more_inequality(3, "S13002883", CP, "national_quintile", "ward")) == ["sii"]
        assert page.show_more_inequality(2, "S13002883", CP, "national_quintile", "ward") is dash.no_update
        assert page.show_more_inequality(1, None, CP, "national_quintile", "ward") is dash.no_update
        assert profile_main(queries, "ward", "S99999999", CP)[0].children.startswith("That area or indicator")
        assert profile_spine(queries, "ward", "S99999999", "early_years") == []
        assert keys(page.show_spine("S13002883", "early_years", "ward")) == ["spine"]
        assert page.show_inequality(None, CP, "national_quintile", "ward") is None
    queries.reader.close()


def test_export_buttons_say_not_available_without_the_exports_module(warehouse_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    app = create_app(Settings(warehouse_path=warehouse_path))
    assert app.server.test_client().get("/profile").status_code == 200
    module = dash.page_registry["dashboard.pages.quick_profile"]["module"]
    import sys

    page = sys.modules[module]
    monkeypatch.setattr(page, "profile_file", None)
    with app.server.test_request_context("/"):
        data, status = page.export_file("pdf", "ward", "S13002883")
    assert data is dash.no_update and status.startswith("Export not available")
    queries_of(app.server).reader.close()


def test_the_area_profile_trend_shows_the_indicators_definition(queries: Queries) -> None:
    """Issue 13, finding 10: the indicator's definition on the profile itself, beside its chart."""
    definition = queries.indicator(CP).definition
    assert definition
    trend = next(s for s in profile_main(queries, "ward", "S13002883", CP)
                 if s.to_plotly_json()["props"].get("data-section") == "trend")
    shown = [p for p in _components(trend) if getattr(p, "data-definition", None) == "true"]
    assert len(shown) == 1 and shown[0].children[1] == definition
    assert shown[0].children[0].children == "Definition: "


def _components(node: object) -> list[object]:
    out = [node]
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            out += _components(child)
    return out


def test_add_zones_by_name_lists_only_a_known_councils_parts_and_keeps_no_forged_code(warehouse_path: Path) -> None:
    """My areas' "Add zones by name" is searched from the server: a forged council code gets an
    empty list and leaves nothing in the per-build memo (one entry per code would grow it)."""
    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    app = create_app(Settings(warehouse_path=warehouse_path))
    page = __import__(dash.page_registry["dashboard.pages.my_areas"]["module"], fromlist=["part_choices"])
    with app.server.test_request_context("/"):
        queries = queries_of(app.server)
        council = str(queries.reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                                           "ORDER BY area_code LIMIT 1").iloc[0, 0])
        listed = page.part_choices(council, "", [])
        assert listed and all(set(o) == {"label", "value"} for o in listed)
        assert page.part_choices("S12999999", "", []) == []
        assert page.part_choices("S12999999", "a", ["x"]) == []
        assert not any("S12999999" in str(key) for key in queries._parsed)
    queries.reader.close()
