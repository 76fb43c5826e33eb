"""A user-made area's sums made in memory (dashboard/data/cell_facts.py) give the values the
build's own SQL gives on the same data zones, and the memory follows the build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import cell_facts as cell_facts_module
from dashboard.data.cell_facts import CellFacts, cell_facts
from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import user_area_profile
from tests.fixtures.user_area_values import areas_to_try, assert_same_frames, assert_same_values


@pytest.fixture(scope="module")
def reader(demo_warehouse: Path) -> Iterator[WarehouseReader]:
    r = WarehouseReader(demo_warehouse)
    yield r
    r.close()


def test_in_memory_sums_give_the_values_of_the_build_sql(reader: WarehouseReader) -> None:
    assert cell_facts(reader) is not None  # the demo's counts are held in memory
    areas = areas_to_try(reader)
    rows = [assert_same_values(reader, area) for area in areas]
    assert len(areas) >= 15
    everything = [r for r in rows if len(r)]
    assert len(everything) == len(areas)
    # the cases the sums must get right are among them: rolling periods, rates from age bands,
    # withheld values and intervals
    seen = pd.concat(everything)
    assert seen["period_label"].str.contains("-").any()
    assert seen["is_suppressed"].any() and seen["ci_lower"].notna().any()


def test_an_area_of_whole_intermediate_zones_sums_their_own_counts(reader: WarehouseReader) -> None:
    """Indicators counted only for intermediate zones are summed for an exact union of them, and
    missing for an area that is not one."""
    izone_only = reader.query("SELECT DISTINCT indicator_id FROM core.fct_indicator_feature WHERE is_build_level "
                              "AND feature_type = 'intermediate_zone'")["indicator_id"].tolist()
    assert izone_only
    council = reader.query("SELECT min(area_code) FROM core.bridge_datazone_area WHERE area_type = 'council'").iloc[0, 0]
    zones = reader.query("SELECT datazone_code FROM core.bridge_datazone_area WHERE area_type = 'council' AND "
                         "area_code = ? ORDER BY 1", [council])["datazone_code"].tolist()
    whole = assert_same_values(reader, zones)
    assert whole["indicator_id"].isin(izone_only).any()
    part = assert_same_values(reader, zones[:-1])
    assert not part["indicator_id"].isin(izone_only).any()


def test_a_build_whose_groups_mix_cell_types_uses_the_sql(reader: WarehouseReader, demo_warehouse: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Where indicator_sums.sql would take any_value of the members, the in-memory sums could not
    promise its answer: such a build is not held in memory, and its areas' values come from SQL."""
    original = cell_facts_module.load_sql
    monkeypatch.setattr(cell_facts_module, "load_sql", lambda name: original(name).replace(
        "count(DISTINCT f.feature_type) AS feature_types", "2 AS feature_types"))
    other = WarehouseReader(demo_warehouse)
    try:
        assert CellFacts.load(other) is None
        assert cell_facts(other) is None
        area = areas_to_try(reader)[5]
        assert_same_values(other, area)  # the SQL path against itself, through _area_values
        in_memory, by_sql = user_area_profile(reader, area), user_area_profile(other, area)
        assert_same_frames(by_sql.values, in_memory.values)
        assert in_memory.population == by_sql.population and in_memory.population is not None
    finally:
        other.close()


def test_the_sums_are_read_again_when_the_build_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    class Reader:
        build = "b1"

        def build_id(self) -> str:
            return self.build

    loads: list[str] = []

    def load(reader: Reader) -> CellFacts:
        loads.append(reader.build)
        return _Facts(reader.build)  # type: ignore[return-value]

    monkeypatch.setattr(CellFacts, "load", staticmethod(load))
    fake = Reader()
    first = cell_facts(fake)  # type: ignore[arg-type]
    assert cell_facts(fake) is first and loads == ["b1"]  # type: ignore[arg-type]
    fake.build = "b2"
    assert cell_facts(fake).build_id == "b2" and loads == ["b1", "b2"]  # type: ignore[arg-type,union-attr]


class _Facts:
    def __init__(self, build_id: str) -> None:
        self.build_id = build_id
