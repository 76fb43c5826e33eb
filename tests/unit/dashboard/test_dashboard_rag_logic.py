"""Dashboard page logic: council or locality scope, matrix cells, exception sentences, commentary."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dashboard.data.commentary import CommentaryStore, commentary_key
from dashboard.labels import plural_labels
from dashboard.logic.rag import (
    Scope,
    child_type_options,
    exception_items,
    exception_lines,
    exception_reasons,
    going_well_reasons,
    matrix,
    pick_council,
    resolve_scope,
    saved_on,
    scope_options,
    scope_title,
    target_text,
)

COUNCIL, LOCALITY = "S12000904", "S99009001"
LABELS = {"datazone": "Data zones", "intermediate_zone": "Intermediate zones", "ward": "Multi-member wards",
          "locality": "Localities"}


def test_pick_council_falls_back_to_the_first() -> None:
    assert pick_council(["a", "b"], "b") == "b"
    assert pick_council(["a", "b"], "zzz") == "a"
    assert pick_council([], "a") is None


def test_scope_is_the_council_unless_the_area_is_one_of_its_localities() -> None:
    assert resolve_scope(COUNCIL, [LOCALITY], None, "ward") == Scope(COUNCIL, "council", COUNCIL, "ward")
    assert resolve_scope(COUNCIL, [LOCALITY], COUNCIL, "locality") == Scope(COUNCIL, "council", COUNCIL, "locality")
    assert resolve_scope(COUNCIL, [LOCALITY], LOCALITY, "datazone") == Scope(COUNCIL, "locality", LOCALITY, "datazone")
    # a locality of another council (or a typo) means the whole council
    assert resolve_scope(COUNCIL, [LOCALITY], "S99009999", "ward").area_type == "council"


def test_community_type_falls_back_to_one_offered_for_the_scope() -> None:
    # wards do not nest in localities: a locality shows intermediate zones or data zones
    assert resolve_scope(COUNCIL, [LOCALITY], LOCALITY, "ward").child_type == "intermediate_zone"
    # a council without localities cannot show them
    assert resolve_scope(COUNCIL, [], None, "locality").child_type == "ward"
    assert resolve_scope(COUNCIL, [], None, None).child_type == "ward"


def test_search_reproduces_the_view() -> None:
    assert Scope(COUNCIL, "council", COUNCIL, "ward").search == f"?council={COUNCIL}&area_type=ward"
    assert Scope(COUNCIL, "locality", LOCALITY, "intermediate_zone").search == (
        f"?council={COUNCIL}&area={LOCALITY}&area_type=intermediate_zone")


def test_options_use_the_catalogue_labels() -> None:
    assert child_type_options("council", LABELS, has_localities=False) == [
        {"label": "Multi-member wards", "value": "ward"}, {"label": "Intermediate zones", "value": "intermediate_zone"}]
    assert [o["label"] for o in child_type_options("locality", LABELS)] == ["Intermediate zones", "Data zones"]
    localities = pd.DataFrame({"area_code": [LOCALITY], "area_name": ["Garrmallach South"]})
    assert scope_options(COUNCIL, "Glen Tannoch", localities) == [
        {"label": "Whole council: Glen Tannoch", "value": COUNCIL},
        {"label": "Locality: Garrmallach South", "value": LOCALITY}]
    assert scope_options(None, "", localities) == []
    assert scope_title("Garrmallach South", "locality", "Glen Tannoch", "Data zones") == (
        "Garrmallach South (locality in Glen Tannoch): data zones")
    assert scope_title("Glen Tannoch", "council", "Glen Tannoch", "Localities") == "Glen Tannoch: localities"


def test_plural_labels_fall_back_for_older_warehouses() -> None:
    new = pd.DataFrame({"area_type": ["community_council", "council"], "label": ["Community council area", "Council"],
                        "plural_label": ["Community council areas", None]})
    assert plural_labels(new) == {"community_council": "Community council areas", "council": "Council"}
    old = pd.DataFrame({"area_type": ["ward", "odd_type"], "label": ["Multi-member ward", None]})
    assert plural_labels(old) == {"ward": "Multi-member ward", "odd_type": "odd type"}


def test_matrix_cells_say_the_verdict_in_words_and_tell_same_names_apart() -> None:
    frame = pd.DataFrame([
        {"short_title": "Crime", "area_code": "S02000002", "area_name": "Riverside", "trend_verdict": "worsening",
         "latest_value": 31.04},
        {"short_title": "Crime", "area_code": "S02000001", "area_name": "Riverside", "trend_verdict": "improving",
         "latest_value": None},
        {"short_title": "Crime", "area_code": "S02000003", "area_name": "Abbey", "trend_verdict": "no significant change",
         "latest_value": 5.0},
        {"short_title": "Fires", "area_code": "S02000003", "area_name": "Abbey", "trend_verdict": "cannot be calculated",
         "latest_value": 2.0},
    ])
    areas, rows = matrix(frame)
    assert areas == ["Abbey", "Riverside (S02000001)", "Riverside (S02000002)"]
    crime, fires = rows
    assert [(c.text, c.words, c.colour, c.value) for c in crime[1]] == [
        ("● no change", "no change", "secondary", "5.0"), ("▲ improving", "improving", "success", "suppressed"),
        ("▼ worsening", "worsening", "danger", "31.0")]
    assert [c.words for c in fires[1]] == ["n/a", "not published here", "not published here"]
    assert matrix(frame.iloc[:0]) == ([], [])


def _targeted(**more: object) -> dict:
    return {"short_title": "Child poverty", "unit_label": "%", "area_type": "ward", "is_scope": False,
            "trend_verdict": "improving", "latest_value": 21.04, "target_value": None, "target_year": None,
            "target_status": None, **more}


def test_matrix_cells_with_a_target_take_the_status_colour_and_keep_the_trend_in_words() -> None:
    frame = pd.DataFrame([
        _targeted(area_type="council", area_code="S12000904", area_name="Glen Tannoch", is_scope=True,
                  trend_verdict="improving", target_value=18.0, target_year=2030, target_status="off track"),
        _targeted(area_code="S13000001", area_name="Abbey", trend_verdict="worsening", target_value=25.0,
                  target_year=2028, target_status="on track"),
        _targeted(area_code="S13000002", area_name="Burnside", trend_verdict="no significant change",
                  target_value=20.0, target_year=pd.NA, target_status="cannot be calculated"),
        _targeted(area_code="S13000003", area_name="Carse", trend_verdict="worsening", latest_value=None),
        _targeted(area_code="S13000004", area_name="Dean", trend_verdict="improving", target_value=19.0,
                  target_year=2030, target_status="at risk"),
    ])
    areas, [(title, cells)] = matrix(frame)
    assert areas == ["Glen Tannoch (whole council)", "Abbey", "Burnside", "Carse", "Dean"]
    scope, abbey, burnside, carse, dean = cells
    # the colour is the target's status (red although improving), the trend still said first in words
    assert (scope.text, scope.words, scope.colour) == (
        "▲ improving · target off track", "improving · target off track", "danger")
    assert (scope.value, scope.target, scope.note) == ("21.0%", "target 18.0% by 2030", "21.0%; target 18.0% by 2030")
    assert (scope.verdict, scope.target_status) == ("improving", "off track")
    assert (abbey.text, abbey.colour) == ("▼ worsening · target on track", "success")
    assert (dean.text, dean.colour) == ("▲ improving · target at risk", "warning")
    # a target whose status cannot be calculated: said so, no colour
    assert (burnside.text, burnside.colour, burnside.target) == (
        "● no change · no target status", "light", "target 20.0%")
    # no target: the trend's colour, as before
    assert (carse.text, carse.colour, carse.value, carse.target, carse.note) == (
        "▼ worsening", "danger", "suppressed", "", "suppressed")


def test_the_scope_column_comes_first_whatever_its_name() -> None:
    frame = pd.DataFrame([
        _targeted(area_code="S13000002", area_name="Abbey"),
        _targeted(area_type="locality", area_code="S99009001", area_name="Zetland", is_scope=True),
        _targeted(short_title="Crime", area_code="S13000002", area_name="Abbey"),
    ])
    areas, rows = matrix(frame)
    assert areas == ["Zetland (whole locality)", "Abbey"]
    assert [[c.words for c in cells] for _, cells in rows] == [["improving", "improving"],
                                                                ["not published here", "improving"]]


def _exception(**more: object) -> pd.DataFrame:
    base = {"indicator_id": "cp", "short_title": "Child poverty", "soa_priority_label": "Early years",
            "unit_label": "%", "latest_value": 27.8, "latest_period_label": "2024/25", "change_abs": 5.2,
            "baseline_value": 22.6, "baseline_period_label": "2014/15", "trend_verdict": "worsening",
            "vs_scotland": "worse", "scotland_value": 22.2, "vs_council": "worse", "council_value": 21.4,
            "gap_verdict": None, "target_status": None, "target_value": None, "target_year": None,
            "projected_value": None, "trajectory_value_latest": None}
    return pd.DataFrame([{**base, **more}])


def test_exception_sentence_says_by_how_much_against_scotland_and_the_council() -> None:
    assert exception_lines(_exception(), "Glen Tannoch") == [
        "Child poverty: 27.8% in 2024/25; +5.2 percentage points since 2014/15; worsening (statistically significant); worse than "
        "Scotland (22.2%); worse than Glen Tannoch (21.4%)."]


def test_exception_sentence_with_target_and_suppressed_value() -> None:
    frame = _exception(latest_value=None, change_abs=None, vs_council=None, vs_scotland="similar",
                       target_status="off track", target_value=18.0, target_year=2030, projected_value=25.6,
                       trajectory_value_latest=18.2, gap_verdict="widening")
    assert exception_lines(frame) == [
        "Child poverty: latest value suppressed; worsening (statistically significant); gap between most and "
        "least deprived widening; target 18.0% by 2030 off track (projected 25.6%; the trajectory says 18.2% now)."]
    row = next(frame.itertuples(index=False))
    assert exception_reasons(row) == ["worsening (statistically significant)",
                                      "gap between most and least deprived widening"]
    assert target_text(next(_exception().itertuples(index=False))) is None


def test_exception_items_carry_the_officers_note() -> None:
    class Note:
        text, saved_at = "Pilot from April.", "2026-12-01T09:30:00+00:00"

    [item] = exception_items(_exception(), {"cp": Note()}, "Glen Tannoch")
    assert (item.latest, item.change, item.commentary, item.commentary_saved) == (
        "27.8%", "+5.2 percentage points since 2014/15", "Pilot from April.", "1 Dec 2026")
    assert item.reasons == ("worsening (statistically significant)", "worse than Scotland (22.2%)",
                            "worse than Glen Tannoch (21.4%)")
    assert item.why == item.reasons
    [bare] = exception_items(_exception(), {})
    assert bare.commentary == "" and bare.target == ""
    [off] = exception_items(_exception(trend_verdict="improving", vs_scotland="similar", vs_council=None,
                                       target_status="off track", target_value=18.0, target_year=2030), {})
    assert off.reasons == () and off.why == ("target off track",)
    assert off.target == "target 18.0% by 2030 off track"
    assert saved_on("not a date") == "" and saved_on("") == ""


def test_commentary_is_kept_per_council_and_per_locality(tmp_path: Path) -> None:
    store = CommentaryStore(tmp_path)
    store.save(COUNCIL, "cp", "Council-wide pilot.")
    note = store.save(LOCALITY, "cp", "  Two IZs from April.  ", area_type="locality")
    assert note.text == "Two IZs from April." and note.saved_at
    assert store.get(COUNCIL, "cp") == "Council-wide pilot."
    assert store.get(LOCALITY, "cp", area_type="locality") == "Two IZs from April."
    assert store.get(LOCALITY, "cp") == ""  # a council of that code has no note
    assert set(store.for_area("locality", LOCALITY)) == {"cp"}
    saved = json.loads((tmp_path / "commentary.json").read_text())
    assert set(saved) == {commentary_key("council", COUNCIL, "cp"), commentary_key("locality", LOCALITY, "cp")}


def test_old_commentary_files_are_still_read_and_upgraded_on_save(tmp_path: Path) -> None:
    old = {f"{COUNCIL}|cp": {"text": "Old note.", "saved_at": "2025-03-01T10:00:00+00:00"},
           f"{COUNCIL}|crime": {"text": "Crime note.", "saved_at": "2025-03-02T10:00:00+00:00"}}
    (tmp_path / "commentary.json").write_text(json.dumps(old))
    store = CommentaryStore(tmp_path)
    assert store.get(COUNCIL, "cp") == "Old note."
    assert store.for_area("council", COUNCIL)["crime"].saved_at == "2025-03-02T10:00:00+00:00"
    store.save(COUNCIL, "cp", "New note.")
    assert store.get(COUNCIL, "cp") == "New note." and store.get(COUNCIL, "crime") == "Crime note."
    saved = json.loads((tmp_path / "commentary.json").read_text())
    assert f"{COUNCIL}|cp" not in saved and f"{COUNCIL}|crime" in saved  # only the re-saved note moves
    (tmp_path / "commentary.json").write_text("")
    assert store.for_area("council", COUNCIL) == {}


def test_going_well_reasons_and_tables_keep_units() -> None:
    from dashboard.components.exception_table import attention_table, going_well_table

    well = _exception(trend_verdict="improving", vs_scotland="better", vs_council=None, change_abs=-5.2,
                      gap_verdict="narrowing", target_status="on track")
    row = next(well.itertuples(index=False))
    assert going_well_reasons(row) == ["improving (statistically significant)", "better than Scotland (22.2%)",
                                       "gap between most and least deprived narrowing", "target on track"]
    assert going_well_reasons(next(_exception().itertuples(index=False))) == []
    table = going_well_table(well).to_plotly_json()
    text = str(table)
    # each reason's statistical words open the glossary: 'target ' then the 'on track' button
    assert "27.8%" in text and "-5.2 percentage points since 2014/15" in text and "'target '" in text
    assert "glossary-well-cp-3-target-status-0" in text  # the fourth reason's 'on track'
    [item] = exception_items(_exception(), {}, "Glen Tannoch")
    attention = str(attention_table([item]).to_plotly_json())
    assert "27.8%" in attention and "worse than Scotland (22.2%)" in attention and "no target set" in attention
    # an indicator here only for its target says so among the reasons too (as the PDF does), not '–'
    [off] = exception_items(_exception(trend_verdict="improving", vs_scotland="similar", vs_council=None,
                                       target_status="off track", target_value=18.0, target_year=2030), {})
    attention = str(attention_table([off]).to_plotly_json())
    assert "glossary-attention-cp-0-target-status-0" in attention and "Li('–')" not in attention
    # on a phone each cell is a card line headed by its column (one box beside the heading)
    assert "data-label='Why it needs attention'" in attention and "data-label='Target'" in attention


def test_no_change_is_stated_when_the_baseline_is_the_latest_period() -> None:
    """Real Glasgow's overcrowding, published for 2011 only, read "0.0 percentage points since 2011" in the
    exception report: a change from a period to itself says nothing."""
    from dashboard.logic.rag import change_since

    one_period = pd.DataFrame([{"unit_label": "%", "change_abs": 0.0, "baseline_value": 21.3,
                                "baseline_period_label": "2011", "latest_period_label": "2011"}])
    assert change_since(next(one_period.itertuples(index=False))) == ""
    moved = one_period.assign(latest_period_label="2022", change_abs=-1.25)
    assert change_since(next(moved.itertuples(index=False))) == "-1.2 percentage points since 2011"
    assert change_since(next(moved.assign(baseline_value=None).itertuples(index=False))) == ""
