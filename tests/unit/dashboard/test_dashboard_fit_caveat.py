"""The best-fit caveat shown for wards and community councils (issue 4)."""

from __future__ import annotations

from dashboard.components.fit_caveat import fit_caveat
from dashboard.logic.fit_caveat import fit_caveat_text, fit_is_rough

CC_CAVEAT = "Community council areas are not built from whole data zones."


def _cc(fit: float | None) -> dict[str, object]:
    return {"area_name": "Newburgh", "is_best_fit": True, "fit_caveat": CC_CAVEAT, "fit_quality": fit}


def test_areas_of_whole_data_zones_have_no_caveat() -> None:
    assert fit_caveat_text({"area_name": "Fife", "is_best_fit": False, "fit_quality": 1.0}) is None
    assert fit_caveat({"area_name": "Fife", "is_best_fit": False}) is None
    assert fit_caveat(None) is None


def test_caveat_states_the_share_of_people_inside_the_boundary() -> None:
    assert fit_caveat_text(_cc(0.7067)) == (
        f"{CC_CAVEAT} For Newburgh, 71% of the people in its data zones live inside its boundary (a rough fit).")
    assert fit_caveat_text(_cc(0.95)).endswith("95% of the people in its data zones live inside its boundary "
                                              "(a close fit).")
    assert fit_is_rough(_cc(0.7067)) and not fit_is_rough(_cc(0.95))


def test_unmeasured_fit_says_so_in_a_note_and_a_rough_fit_warns() -> None:
    text = fit_caveat_text(_cc(float("nan")))
    assert text is not None and text.endswith("is not measured for this area type.")
    assert not fit_is_rough(_cc(None))
    alert = fit_caveat(_cc(None), element_id="x")
    assert alert is not None and alert.color == "info" and alert.id == "x"
    assert fit_caveat(_cc(0.95)).color == "info" and fit_caveat(_cc(0.7)).color == "warning"


WARD_CAVEAT = "Multi-member wards are not built from whole data zones."


def _ward(fit: float | None, type_measured: object = None) -> dict[str, object]:
    return {"area_name": "Kirkcaldy Central", "is_best_fit": True, "fit_caveat": WARD_CAVEAT,
            "fit_quality": fit, "type_fit_measured": type_measured}


def test_a_measured_ward_fit_is_stated_like_a_community_councils() -> None:
    assert fit_caveat_text(_ward(0.934, True)) == (
        f"{WARD_CAVEAT} For Kirkcaldy Central, 93% of the people in its data zones live inside its boundary "
        "(a close fit).")
    assert fit_caveat_text(_ward(0.81, True)).endswith("81% of the people in its data zones live inside its "
                                                       "boundary (a rough fit).")
    assert fit_caveat(_ward(0.81, True)).color == "warning"


def test_unmeasured_ward_wording_for_the_type_and_for_one_ward() -> None:
    import numpy as np

    # built without ward boundaries: no ward is measured
    for flag in (False, None, np.False_):
        text = fit_caveat_text(_ward(None, flag))
        assert text == f"{WARD_CAVEAT} How well the data zones match the real boundary is not measured for this " \
                       "area type."
    # built with ward boundaries, but the file had no polygon for this ward
    for flag in (True, np.True_):
        assert fit_caveat_text(_ward(float("nan"), flag)) == (
            f"{WARD_CAVEAT} How well the data zones match the real boundary is not measured for Kirkcaldy "
            "Central: the boundary file has no polygon for it.")
    assert fit_caveat(_ward(None, True)).color == "info"
