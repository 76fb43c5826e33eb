"""Which comparators the Quick Profile shows for each kind of area, on the demo warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.reader import WarehouseReader


@pytest.fixture(scope="module")
def reader(demo_warehouse: Path) -> WarehouseReader:
    r = WarehouseReader(demo_warehouse)
    yield r
    r.close()


def test_council_quick_profile_compares_with_its_family_group(reader: WarehouseReader) -> None:
    """Councils get 'vs Scotland' and 'vs family group' (the other councils of the LGBF
    deprivation group); a ward gets 'vs Scotland' and 'vs <its council>'."""
    from dashboard.data.queries import Queries
    from dashboard.home_state import load_profile
    from dashboard.logic.quick_profile import comparator_names

    queries = Queries(reader)
    council = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                           "ORDER BY area_code LIMIT 1").iloc[0, 0]
    profile = load_profile(queries, "council", council)
    assert profile is not None
    assert list(comparator_names(profile.area)) == ["scotland", "family_group"]
    verdicts = [row.verdicts["family_group"] for _, rows in profile.quick for row in rows]
    assert {"better", "similar", "worse"} & set(verdicts), verdicts
    ward = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'ward' LIMIT 1").iloc[0, 0]
    names = comparator_names(queries.area("ward", ward))
    assert list(names) == ["scotland", "council"] and names["council"].startswith("vs ")
    assert comparator_names({"area_type": "scotland"}) == {}
