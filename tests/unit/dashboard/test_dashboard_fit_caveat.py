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
