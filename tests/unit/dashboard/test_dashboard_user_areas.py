"""User-made areas: same statistics as published areas, and no differencing attack works."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import UserAreaError, expand_codes, user_area_profile
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
    reasons = set()
    for left_out in members:
        reasons |= set(user_area_profile(reader, [d for d in members if d != left_out]).values.suppression_reason.dropna())
    assert any(r.startswith("differencing") for r in reasons)


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
