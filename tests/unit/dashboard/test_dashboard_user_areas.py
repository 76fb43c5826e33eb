"""User-made areas: same statistics as published areas, and no differencing attack works."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import (
    UserAreaError,
    _differencing,
    expand_codes,
    user_area_profile,
)
from dashboard.data.user_store import (
    UserAreaStore,
    area_to_csv,
    area_to_geojson,
    codes_from_geojson,
    codes_from_text,
)
from dashboard.logic.my_areas import pasted_summary


@pytest.fixture(scope="module")
def reader(demo_warehouse: Path) -> WarehouseReader:
    r = WarehouseReader(demo_warehouse)
    yield r
    r.close()


def _datazones(reader: WarehouseReader, area_type: str, area_code: str) -> list[str]:
    return reader.query("SELECT datazone_code FROM core.bridge_datazone_area WHERE area_type = ? AND area_code = ? "
                        "ORDER BY 1", [area_type, area_code])["datazone_code"].tolist()


def test_area_equal_to_a_council_reproduces_the_council(reader: WarehouseReader) -> None:
    council = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' ORDER BY area_code "
                           "LIMIT 1").iloc[0, 0]
    profile = user_area_profile(reader, _datazones(reader, "council", council))
    published = reader.query("SELECT * FROM marts.indicator_values WHERE area_type = 'council' AND area_code = ?",
                             [council])
    extensive = reader.query("SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive'")
    published = published[published.indicator_id.isin(extensive.indicator_id)]
    merged = profile.values.merge(published, on=["indicator_id", "period_label"], suffixes=("_user", "_pub"))
    assert len(merged) == len(published) > 100
    for column in ("numerator", "denominator", "value", "ci_lower", "ci_upper"):
        a = merged[f"{column}_user"].astype(float).to_numpy()
        b = merged[f"{column}_pub"].astype(float).to_numpy()
        assert np.allclose(a, b, equal_nan=True), column
    assert (merged.is_suppressed_user == merged.is_suppressed_pub).all()


def test_ward_minus_one_datazone_never_reveals_a_small_count(reader: WarehouseReader) -> None:
    """The attack: draw a ward without one data zone and subtract from the published ward."""
    wards = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'ward' ORDER BY area_code LIMIT 3")
    checked = 0
    for ward in wards.area_code:
        members = _datazones(reader, "ward", ward)
        published = reader.query("SELECT indicator_id, period_label, numerator FROM marts.indicator_values "
                                 "WHERE area_type = 'ward' AND area_code = ? AND numerator IS NOT NULL", [ward])
        mins = reader.query("SELECT indicator_id, disclosure_min_count FROM meta.indicators")
        for left_out in members[:6]:
            profile = user_area_profile(reader, [d for d in members if d != left_out])
            merged = profile.values.merge(published, on=["indicator_id", "period_label"], suffixes=("", "_ward"))
            merged = merged.merge(mins, on="indicator_id").dropna(subset=["numerator"])
            recovered = (merged.numerator_ward - merged.numerator).abs()
            leaks = merged[(recovered >= 1) & (recovered < merged.disclosure_min_count)]
            assert leaks.empty, leaks[["indicator_id", "period_label", "numerator", "numerator_ward"]]
            checked += len(merged)
    assert checked > 500
    # the rule really bites: at least one value was withheld for differencing somewhere
    members = _datazones(reader, "ward", wards.area_code.iloc[0])
    # (every withheld value gives the same reason, so ask the differencing check itself)
    flagged = sum(len(_differencing(reader, [d for d in members if d != left_out], []))
                  for left_out in members)
    assert flagged > 0


def test_area_minus_one_of_its_own_datazones_never_reveals_a_small_count(reader: WarehouseReader) -> None:
    """The other direction: a small area (3 data zones) minus a published data zone inside it."""
    zones = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1")["datazone_code"].tolist()
    published = reader.query("SELECT area_code, indicator_id, period_label, numerator FROM marts.indicator_values "
                             "WHERE area_type = 'datazone' AND numerator IS NOT NULL")
    mins = reader.query("SELECT indicator_id, disclosure_min_count FROM meta.indicators")
    checked = 0
    for start in range(0, 120, 3):
        area = zones[start:start + 3]
        values = user_area_profile(reader, area).values.merge(mins, on="indicator_id").dropna(subset=["numerator"])
        merged = values.merge(published[published.area_code.isin(area)], on=["indicator_id", "period_label"],
                              suffixes=("", "_dz"))
        gap = (merged.numerator - merged.numerator_dz).abs()
        assert merged[(gap >= 1) & (gap < merged.disclosure_min_count)].empty
        checked += len(merged)
    assert checked > 300


def test_saved_areas_are_attacked_too(reader: WarehouseReader) -> None:
    iz = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'intermediate_zone' "
                      "ORDER BY datazone_count DESC LIMIT 1").iloc[0, 0]
    members = _datazones(reader, "intermediate_zone", iz)
    ward_members = _datazones(reader, "ward", reader.query(
        "SELECT area_code FROM core.bridge_datazone_area WHERE area_type = 'ward' AND datazone_code = ?",
        [members[0]]).iloc[0, 0])
    big = sorted(set(ward_members) | set(members))
    small = big[:-1]
    saved = user_area_profile(reader, big).values
    profile = user_area_profile(reader, small, saved_areas=[big]).values
    merged = profile.merge(saved, on=["indicator_id", "period_label"], suffixes=("", "_saved"))
    merged = merged.dropna(subset=["numerator", "numerator_saved"])
    diff = (merged.numerator_saved - merged.numerator).abs()
    assert not ((diff >= 1) & (diff < 5)).any()


def test_too_small_and_unknown_codes_are_refused(reader: WarehouseReader) -> None:
    dz = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1 LIMIT 3")["datazone_code"].tolist()
    with pytest.raises(UserAreaError, match="at least 3 data zones"):
        user_area_profile(reader, dz[:2])
    with pytest.raises(UserAreaError, match="S01999999"):
        user_area_profile(reader, [*dz, "S01999999"])


def test_only_the_macros_the_sql_calls_are_created_with_the_ones_they_call() -> None:
    import re

    from dashboard.data.user_areas import _temp_macros

    def names(sql: str) -> list[str]:
        return re.findall(r"TEMP MACRO (\w+)\(", sql)

    assert names(_temp_macros("SELECT wilson_lower(1, 2, z95())")) == ["wilson_lower", "z95"]
    assert names(_temp_macros("SELECT difference_direction(1, 0, 2, 1, 0, 2, z998())")) == [
        "z95", "z998", "difference_direction"]  # it calls z95() itself
    assert _temp_macros("SELECT 1") == ""
    assert "CREATE OR REPLACE MACRO" not in _temp_macros("SELECT byar_upper_count(3, z95())")


def test_expand_codes_accepts_any_area_code(reader: WarehouseReader) -> None:
    iz = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'intermediate_zone' LIMIT 1").iloc[0, 0]
    assert expand_codes(reader, [iz]) == _datazones(reader, "intermediate_zone", iz)
    with pytest.raises(UserAreaError, match="2 code\\(s\\) are not areas in this warehouse: S02999998, S02999999"):
        expand_codes(reader, [iz, "S02999999", "S02999998"])


def test_store_round_trip(tmp_path: Path) -> None:
    store = UserAreaStore(tmp_path / "user")
    area = store.create("  Regeneration   zone ", ["S01020003", "S01020001", "S01020002", "S01020001"])
    assert area.name == "Regeneration zone" and area.datazones == ("S01020001", "S01020002", "S01020003")
    assert store.get(area.area_id) == area
    renamed = store.rename(area.area_id, "Riverside")
    assert UserAreaStore(tmp_path / "user").get(area.area_id).name == "Riverside" == renamed.name
    assert codes_from_text(area_to_csv(renamed).decode()) == list(area.datazones)
    geo = area_to_geojson(renamed, {"S01020001": '{"type": "Point", "coordinates": [0, 0]}'})
    assert codes_from_geojson(geo) == list(area.datazones)
    store.delete(area.area_id)
    assert store.list() == []


def test_import_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="not valid GeoJSON"):
        codes_from_geojson("{nope")
    with pytest.raises(ValueError, match="feature 1 has no data zone"):
        codes_from_geojson('{"type": "FeatureCollection", "features": [{"properties": {"x": 1}}]}')
    assert codes_from_text("S01020001, S02010001\nfoo S01020001") == ["S01020001", "S02010001"]


def test_pasted_text_keeps_postcodes_in_any_spacing_and_case() -> None:
    text = "postcode,client\neh1 1yz,4\nEH11YZ,5\nG2  3BZ;S13002516\tS01020001x AB10 1AB"
    assert codes_from_text(text) == ["EH1 1YZ", "G2 3BZ", "S13002516", "AB10 1AB"]
    assert pasted_summary(codes_from_text(text), ["S01000001", "S01000002"]) == (
        "Read 1 area code and 3 postcodes: 2 data zones.")
    assert pasted_summary([], []) == "No area codes or postcodes found in the text."


KEY = ["indicator_id", "period_label"]


def _visible_datazones(reader: WarehouseReader, codes: list[str]) -> pd.DataFrame:
    """Published, visible data zone numerators (what any reader can add up)."""
    return reader.query("SELECT area_code, indicator_id, period_label, numerator FROM marts.indicator_values "
                        "WHERE area_type = 'datazone' AND numerator IS NOT NULL "
                        "AND area_code IN (SELECT unnest(?::VARCHAR[]))", [codes])


def _hidden_datazones(reader: WarehouseReader) -> pd.DataFrame:
    """Data zone cells the build withheld, with their true counts (core.agg_indicator_totals)."""
    return reader.query("""
        SELECT v.area_code, v.indicator_id, v.period_label, t.numerator AS true_numerator
        FROM marts.indicator_values AS v
        JOIN core.agg_indicator_totals AS t USING (area_type, area_code, indicator_id, period_label)
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.area_type = 'datazone' AND i.aggregation = 'extensive' AND v.is_suppressed""")


def _published(reader: WarehouseReader, area_type: str, area_code: str) -> pd.DataFrame:
    return reader.query("SELECT indicator_id, period_label, numerator FROM marts.indicator_values "
                        "WHERE area_type = ? AND area_code = ? AND numerator IS NOT NULL", [area_type, area_code])


def _recovered(target: pd.DataFrame, known: list[tuple[int, pd.DataFrame]]) -> pd.DataFrame:
    """What an attacker computes: Σ sign × visible numerator over the published pieces, per
    indicator and period, only where every piece is visible."""
    total = None
    for sign, frame in known:
        piece = frame.groupby(KEY, as_index=False)["numerator"].sum() if "area_code" in frame else frame[
            [*KEY, "numerator"]]
        piece = piece.assign(numerator=piece["numerator"] * sign)
        total = piece if total is None else total.merge(piece, on=KEY, suffixes=("", "_n"))
        if "numerator_n" in total:
            total = total.assign(numerator=total["numerator"] + total.pop("numerator_n"))
    return target.merge(total, on=KEY)


def _ward_with_hidden_zones(reader: WarehouseReader, hidden: pd.DataFrame, limit: int) -> list[tuple[str, str, str]]:
    """(ward, hidden data zone in it, visible data zone of the same council outside it)."""
    rows = reader.query("""
        SELECT w.area_code AS ward, w.datazone_code, c.area_code AS council
        FROM core.bridge_datazone_area AS w
        JOIN core.bridge_datazone_area AS c USING (datazone_code)
        WHERE w.area_type = 'ward' AND c.area_type = 'council' ORDER BY 1, 2""")
    out = []
    for ward, group in rows.groupby("ward"):
        inside = [d for d in group.datazone_code if d in set(hidden.area_code)]
        council = group.council.iloc[0]
        outside = rows[(rows.council == council) & (rows.ward != ward)].datazone_code
        if inside and not outside.empty:
            out.append((ward, inside[0], outside.iloc[0]))
        if len(out) == limit:
            break
    return out


def test_ward_minus_a_datazone_plus_a_neighbour_never_reveals_the_hidden_one(reader: WarehouseReader) -> None:
    """The overlap attack: U = ward − d + e, with d withheld and e visible. Then
    c(d) = c(ward) − c(U) + c(e): wherever all three are shown, d must not be a withheld cell."""
    hidden = _hidden_datazones(reader)
    attempts = 0
    for ward, left_out, neighbour in _ward_with_hidden_zones(reader, hidden, limit=4):
        members = [d for d in _datazones(reader, "ward", ward) if d != left_out] + [neighbour]
        shown = user_area_profile(reader, members).values.dropna(subset=["numerator"])
        recovered = _recovered(hidden[hidden.area_code == left_out],
                               [(1, _published(reader, "ward", ward)), (-1, shown),
                                (1, _visible_datazones(reader, [neighbour]))])
        assert recovered.empty, recovered
        attempts += len(hidden[hidden.area_code == left_out])
    assert attempts > 10  # the attack had withheld cells to aim at


def test_ward_minus_a_hidden_and_a_visible_datazone_never_reveals_the_hidden_one(reader: WarehouseReader) -> None:
    """The two-step attack: U = ward − d − f, d withheld, f visible: c(d) = c(ward) − c(U) − c(f)."""
    hidden = _hidden_datazones(reader)
    attempts = 0
    for ward, left_out, _ in _ward_with_hidden_zones(reader, hidden, limit=4):
        members = _datazones(reader, "ward", ward)
        visible = _visible_datazones(reader, [d for d in members if d != left_out])
        also_out = visible.area_code.iloc[0]
        rest = [d for d in members if d not in (left_out, also_out)]
        shown = user_area_profile(reader, rest).values.dropna(subset=["numerator"])
        recovered = _recovered(hidden[hidden.area_code == left_out],
                               [(1, _published(reader, "ward", ward)), (-1, shown),
                                (-1, visible[visible.area_code == also_out])])
        assert recovered.empty, recovered
        attempts += len(hidden[hidden.area_code == left_out])
    assert attempts > 10


def test_an_area_with_one_hidden_datazone_is_withheld(reader: WarehouseReader) -> None:
    """An area on its own: its value minus its visible data zones would give its one hidden data zone."""
    hidden = _hidden_datazones(reader)
    zones = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1")["datazone_code"].tolist()
    exposed = 0
    for start in range(0, 150, 5):
        area = zones[start:start + 5]
        inside = hidden[hidden.area_code.isin(area)]
        single = inside.groupby(KEY).filter(lambda g: len(g) == 1)
        shown = user_area_profile(reader, area).values.dropna(subset=["numerator"])
        leaks = single.merge(shown, on=KEY)
        assert leaks.empty, leaks
        exposed += len(single)
    assert exposed > 10


def test_overlapping_saved_areas_are_attacked_too(reader: WarehouseReader) -> None:
    """Saved S = IZ + d and new U = IZ + e: c(d) = c(S) − c(U) + c(e)."""
    hidden = _hidden_datazones(reader)
    attempts = 0
    izs = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'intermediate_zone' "
                       "ORDER BY area_code LIMIT 40")["area_code"]
    all_zones = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1")["datazone_code"].tolist()
    for iz in izs:
        members = _datazones(reader, "intermediate_zone", iz)
        outside = [d for d in all_zones if d not in members]
        d = next((z for z in outside if z in set(hidden.area_code)), None)
        e = next(z for z in outside if z != d)
        saved = sorted([*members, d])
        saved_values = user_area_profile(reader, saved).values.dropna(subset=["numerator"])
        shown = user_area_profile(reader, [*members, e], saved_areas=[saved]).values.dropna(subset=["numerator"])
        recovered = _recovered(hidden[hidden.area_code == d],
                               [(1, saved_values), (-1, shown), (1, _visible_datazones(reader, [e]))])
        assert recovered.empty, recovered
        attempts += len(hidden[hidden.area_code == d])
        if attempts > 40:
            break
    assert attempts > 10


def test_a_withheld_published_area_cannot_be_redrawn(reader: WarehouseReader) -> None:
    """Drawing a withheld ward or intermediate zone again (alone, or with a visible neighbour
    data zone) must not give its withheld count back."""
    withheld = reader.query("""
        SELECT v.area_type, v.area_code, v.indicator_id, v.period_label
        FROM marts.indicator_values AS v JOIN marts.areas AS a USING (area_type, area_code)
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.area_type IN ('ward', 'intermediate_zone') AND v.is_suppressed AND a.datazone_count >= 3
          AND i.aggregation = 'extensive'
        ORDER BY v.area_type, v.area_code, v.indicator_id, v.period_label""")
    assert len(withheld) > 5
    checked = 0
    for (area_type, area_code), cells in list(withheld.groupby(["area_type", "area_code"]))[:8]:
        members = _datazones(reader, area_type, area_code)
        neighbour = reader.query("SELECT datazone_code FROM core.dim_datazone WHERE datazone_code NOT IN "
                                 "(SELECT unnest(?::VARCHAR[])) ORDER BY 1 LIMIT 1", [members]).iloc[0, 0]
        for zones, extra in ((members, []), ([*members, neighbour], [neighbour])):
            shown = user_area_profile(reader, zones).values.dropna(subset=["numerator"])
            target = cells[[*KEY]].assign(true_numerator=0)
            known = [(-1, _visible_datazones(reader, extra))] if extra else []
            recovered = _recovered(target, [(1, shown), *known])
            assert recovered.empty, (area_type, area_code, recovered)
            checked += len(cells)
    assert checked > 5


def test_a_deprivation_group_minus_a_datazone_never_reveals_it(reader: WarehouseReader) -> None:
    """The inequality marts publish each council's SIMD groups: drawing a group without one of
    its withheld data zones must not give that data zone back (c(d) = c(group) − c(U)). Groups
    with three or more withheld data zones are the ones at risk: with two, the area left over
    holds one withheld data zone and is withheld on its own account."""
    hidden = _hidden_datazones(reader)
    groups = reader.query("""
        SELECT g.indicator_id, g.period_label, g.numerator, b.family, list(b.datazone_code ORDER BY b.datazone_code) AS zones
        FROM marts.inequality_groups AS g
        JOIN core.bridge_datazone_group AS b
          ON b.simd_edition = g.simd_edition AND b.family = g.area_code || '|' || g.basis || '|' || g.group_number
        WHERE g.area_type = 'council' AND g.basis = 'local_quintile' AND g.numerator IS NOT NULL
        GROUP BY ALL""")
    attempts = 0
    for (family, zones), rows in groups.groupby(["family", groups.zones.map(tuple)]):
        targets = hidden[hidden.area_code.isin(zones)].merge(rows[KEY], on=KEY)
        targets = targets.groupby(KEY).filter(lambda g: len(g) >= 3)
        if targets.empty:
            continue
        left_out = targets.area_code.iloc[0]
        shown = user_area_profile(reader, [z for z in zones if z != left_out]).values.dropna(subset=["numerator"])
        group_counts = rows[[*KEY, "numerator"]]
        recovered = _recovered(hidden[hidden.area_code == left_out], [(1, group_counts), (-1, shown)])
        assert recovered.empty, (family, recovered)
        attempts += len(targets[targets.area_code == left_out])
        if attempts > 30:
            break
    assert attempts > 10


def _withheld_against_a_saved_area(reader: WarehouseReader) -> tuple[list[str], list[str], pd.DataFrame]:
    """An area, a saved area overlapping it (S = IZ + d, U = IZ + e) and the (indicator, period)
    pairs of U that the area alone would show but that differencing against S withholds (empty
    when no such pair was found among the areas tried)."""
    zones = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1")["datazone_code"].tolist()
    withheld = pd.DataFrame(columns=KEY)
    for start in range(0, 60, 4):
        base, d, e = zones[start:start + 3], zones[start + 3], zones[start + 60]
        saved, area = sorted([*base, d]), sorted([*base, e])
        alone = user_area_profile(reader, area).values
        against = user_area_profile(reader, area, saved_areas=[saved]).values
        merged = alone.merge(against, on=KEY, suffixes=("_alone", "_saved"))
        withheld = merged[merged.numerator_alone.notna() & merged.numerator_saved.isna()]
        if not withheld.empty:
            break
    return area, saved, withheld


def test_the_exported_profile_withholds_what_the_page_withholds(reader: WarehouseReader) -> None:
    """A user-made area's PDF/Excel/CSV is differenced against the other saved areas too."""
    import io

    from dashboard.exports import profile_file

    area, saved, extra = _withheld_against_a_saved_area(reader)
    assert not extra.empty  # the saved area withholds something here that the area alone would show
    _, content = profile_file(reader, "user", area, "csv", area_name="Test area", saved_areas=[saved])
    assert content.decode("utf-8-sig").startswith("# DEMO DATA")  # the fixture is the demo: its files say so first
    exported = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype={"period_label": str}, skiprows=1)
    exported = exported[exported.role == "area"].merge(extra[KEY], on=KEY)
    assert len(exported) == len(extra) and pd.to_numeric(exported.numerator, errors="coerce").isna().all()
    assert (exported.status != "published").all()


def test_a_profile_made_while_the_check_runs_is_the_one_made_after_it(reader: WarehouseReader,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The trends and comparisons start on the values before differencing control and are made
    again when the check withholds any (PendingUserArea): the profile is the one made from the
    checked values alone, and what the check withholds is not in it."""
    from concurrent.futures import Future

    from dashboard.data.user_areas import PendingUserArea
    from dashboard.exports import profile as profile_module
    from dashboard.exports import profile_data

    area, saved, withheld = _withheld_against_a_saved_area(reader)
    assert not withheld.empty
    speculated = profile_data(reader, "user", area, saved_areas=[saved])
    start_profile = profile_module.start_user_area_profile

    def checked_first(*args: object, **kwargs: object) -> PendingUserArea:
        checked, _ = start_profile(*args, **kwargs).checked()  # type: ignore[arg-type]
        nothing_more: Future[pd.DataFrame] = Future()
        nothing_more.set_result(pd.DataFrame(columns=KEY))
        return PendingUserArea(checked, nothing_more)

    monkeypatch.setattr(profile_module, "start_user_area_profile", checked_first)
    assert repr(profile_data(reader, "user", area, saved_areas=[saved]).indicators) == repr(speculated.indicators)
    points = {(p.indicator_id, p.period_label): p for i in speculated.indicators for p in i.series if p.role == "area"}
    for pair in withheld[KEY].itertuples(index=False):
        assert points[tuple(pair)].value is None
