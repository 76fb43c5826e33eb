"""Resolving URL arguments into the Quick Profile's state (the logic behind callbacks)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.area_picker import area_label, area_options, default_area_type
from dashboard.components.indicator_picker import choose_indicator
from dashboard.data.queries import Queries
from dashboard.home_state import load_profile, resolve_home_state, search_options
from dashboard.urlstate import build_search, clean_arg


def test_defaults_without_arguments(queries: Queries) -> None:
    state = resolve_home_state(queries)
    assert state.area_type == "council"
    assert state.area_code is None and state.profile is None
    assert [o["value"] for o in state.area_options] == ["S12000047"]


def test_shared_link_state(queries: Queries) -> None:
    state = resolve_home_state(queries, "ward", "S13002883", "hi_early_mortality")
    assert state.area_type == "ward"
    assert state.area_code == "S13002883"
    assert {"label": "Kirkcaldy Central (S13002883), Fife", "value": "S13002883"} in (
        state.area_options)
    assert state.profile is not None
    assert state.profile.indicator == "hi_early_mortality"
    assert [o["value"] for o in state.profile.indicator_options] == [
        "ey_child_poverty", "hi_early_mortality"]


def test_stale_link_falls_back(queries: Queries) -> None:
    state = resolve_home_state(queries, "galaxy", "S13002883", "nope")
    assert state.area_type == "council"
    assert state.area_code is None  # the ward code is not a council
    state = resolve_home_state(queries, "ward", "S13002883", "nope")
    assert state.profile is not None and state.profile.indicator == "ey_child_poverty"


def test_search_options_keep_the_selection(queries: Queries) -> None:
    keep = {"label": "Glenrothes West and Kinglassie (S13002888), Fife", "value": "S13002888"}
    options = search_options(queries, "ward", "kirk", keep)
    assert [o["value"] for o in options] == ["S13002888", "S13002883"]
    assert search_options(queries, None, "kirk") == []


def test_load_profile_unknown_area(queries: Queries) -> None:
    assert load_profile(queries, "ward", "S99999999") is None


def test_area_label_and_options() -> None:
    row = {"area_name": "Fife", "area_code": "S12000047", "council_name": None}
    assert area_label(row) == "Fife (S12000047)"
    keep = {"label": "x", "value": "S1"}
    rows = pd.DataFrame([{"area_name": "A", "area_code": "S1", "council_name": "C"}])
    assert area_options(rows, keep) == [{"label": "A (S1), C", "value": "S1"}]


def test_default_area_type_and_indicator_choice() -> None:
    opts = [{"label": "Ward", "value": "ward"}, {"label": "Data zone", "value": "datazone"}]
    assert default_area_type(opts, "datazone") == "datazone"
    assert default_area_type(opts, None) == "ward"
    assert default_area_type([], None) is None
    assert choose_indicator(opts, "nope") == "ward"
    assert choose_indicator([], "x") is None


def test_build_search_and_clean_arg() -> None:
    assert build_search(area_type="ward", area="S13002883", indicator=None) == (
        "?area_type=ward&area=S13002883")
    assert build_search() == ""
    assert build_search(indicator="a b", area_type="x") == "?area_type=x&indicator=a+b"
    with pytest.raises(ValueError, match="unknown"):
        build_search(areas="x")
    assert clean_arg([" ward ", "x"]) == "ward"
    assert clean_arg("") is None and clean_arg(None) is None
