"""Home's tiles for a saved user-made area: computed on demand, the same verdicts as published areas."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.data.user_store import UserAreaStore
from dashboard.home_state import home_tiles, profile_tiles
from dashboard.saved_profiles import user_area_profile_data

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def queries(demo_warehouse: Path) -> Queries:
    reader = WarehouseReader(demo_warehouse)
    yield Queries(reader)
    reader.close()


class _Only:
    """Queries whose latest values keep only some indicators (everything else as it is)."""

    def __init__(self, queries: Queries, indicators: set[str]) -> None:
        self._queries, self._indicators = queries, indicators

    def latest_values(self, area_type: str, area_code: str) -> object:
        df = self._queries.latest_values(area_type, area_code)
        return df[df["indicator_id"].isin(self._indicators)]

    def __getattr__(self, name: str) -> object:
        return getattr(self._queries, name)


def _council_and_zones(warehouse: Path) -> tuple[str, list[str]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        council = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                              "ORDER BY datazone_count LIMIT 1").fetchall()[0][0]
        zones = [r[0] for r in con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                           "AND council_code = ?", [council]).fetchall()]
    finally:
        con.close()
    return council, zones


def test_a_saved_area_equal_to_a_council_gets_the_councils_tiles(queries: Queries, demo_warehouse: Path,
                                                                  tmp_path: Path) -> None:
    council, zones = _council_and_zones(demo_warehouse)
    store = UserAreaStore(tmp_path)
    saved = store.create("Whole council, drawn", zones)
    data = user_area_profile_data(queries, store, saved.datazones, saved.area_id)
    assert data.council_code == council
    area = {"area_type": "user", "area_code": saved.area_id, "council_code": council,
            "council_name": data.council_name}
    mine = profile_tiles(data.indicators, queries.tile_gaps("council", council), f"/areas?id={saved.area_id}", area)
    # the council's own tiles, counting only the indicators a user-made area can have (those built
    # from data zone facts: a council-only survey measure such as median earnings is not)
    computable = {i.indicator_id for i in data.indicators if i.latest is not None}
    latest = queries.latest_values("council", council)
    assert computable and computable < set(latest["indicator_id"])
    published = home_tiles(_Only(queries, computable), "council", council)
    assert published is not None and len(mine) == len(published) == 6
    assert [(t.priority, t.sentence, t.symbol, t.tone, t.gap_line) for t in mine] == [
        (t.priority, t.sentence, t.symbol, t.tone, t.gap_line) for t in published]
    # each measure's headline figure, period and trend agree with the council's own
    assert [(m.indicator_id, m.value, m.period, m.trend) for t in mine for m in t.measures] == [
        (m.indicator_id, m.value, m.period, m.trend) for t in published for m in t.measures]
    assert any("improving" in t.sentence for t in mine)
    assert {t.href for t in mine} == {f"/areas?id={saved.area_id}"}


def test_the_profile_is_memoized_per_build_and_other_saved_areas(queries: Queries, demo_warehouse: Path,
                                                                 tmp_path: Path) -> None:
    _, zones = _council_and_zones(demo_warehouse)
    store = UserAreaStore(tmp_path)
    first = store.create("North", zones[:40])
    once = user_area_profile_data(queries, store, first.datazones, first.area_id)
    assert user_area_profile_data(queries, store, first.datazones, first.area_id) is once
    store.create("Overlapping", zones[20:60])  # a new saved area changes what must not be differenced
    assert user_area_profile_data(queries, store, first.datazones, first.area_id) is not once
