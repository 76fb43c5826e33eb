"""The cache warmer reads the per-build constants once per build, and again after a rebuild."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.data.warmer import CacheWarmer
from etl.build import build
from etl.settings import Settings
from tests.fixtures.tiny_world import write_tiny_raw


def test_warms_once_per_build_and_waits_for_a_warehouse(tmp_path: Path) -> None:
    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    reader = WarehouseReader(settings.warehouse_path)
    queries = Queries(reader)
    warmer = CacheWarmer(queries)
    try:
        assert not warmer.warm_once()  # nothing built yet: no error, nothing warmed
        build(settings)
        assert warmer.warm_once() and warmer.warmed.is_set()
        assert len(queries._cache) >= 8  # noqa: SLF001 - the catalogue, coverage, councils...
        assert not warmer.warm_once()  # same build: nothing to do
        build(settings)  # a rebuild swaps in a new build id
        assert warmer.warm_once()
    finally:
        reader.close()


def test_the_thread_warms_in_the_background(tmp_path: Path) -> None:
    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    build(settings)
    reader = WarehouseReader(settings.warehouse_path)
    warmer = CacheWarmer(Queries(reader), interval_s=0.05).start()
    try:
        assert warmer.warmed.wait(20)
    finally:
        warmer.stop()
        reader.close()


def test_extra_warm_ups_run_once_per_build_and_warm_the_profiles(tmp_path: Path) -> None:
    from dashboard.exports.profile import warm_profile_constants

    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    build(settings)
    reader = WarehouseReader(settings.warehouse_path)
    queries = Queries(reader)
    calls: list[int] = []
    warmer = CacheWarmer(queries, also=(warm_profile_constants, lambda q: calls.append(1)))
    try:
        assert warmer.warm_once() and not warmer.warm_once() and calls == [1]
        warmed = {key[1] for key in queries._parsed if isinstance(key, tuple) and key[0] == "profile"}  # noqa: SLF001
        assert {"indicators", "build_info", "scotland_series"} <= warmed
    finally:
        reader.close()


def test_warmed_caches_are_kept_out_of_the_collectors_walks(tmp_path: Path) -> None:
    """Warmed rows are frozen (full collections skip them); a rebuild unfreezes, so what the old
    build left behind, cycles included, is collected instead of leaking."""
    import gc
    import weakref

    class Node:
        pass

    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    build(settings)
    reader = WarehouseReader(settings.warehouse_path)
    queries = Queries(reader)
    warmer = CacheWarmer(queries)
    gc.unfreeze()
    try:
        old = Node()
        old.cycle = old  # garbage only the cyclic collector can free
        gone = weakref.ref(old)
        assert warmer.warm_once()
        tracked = {id(o) for o in gc.get_objects()}
        assert queries._cache._data and not any(  # noqa: SLF001
            id(frame) in tracked for frame in queries._cache._data.values())  # noqa: SLF001
        del old
        gc.collect()
        assert gone() is not None  # frozen: never collected while this build is served
        build(settings)
        assert warmer.warm_once()
        assert gone() is None  # unfrozen for the new build, then collected
    finally:
        gc.unfreeze()
        reader.close()


def test_homes_release_comparison_is_warmed_once_and_shared_until_a_rebuild(tmp_path: Path) -> None:
    """Home's "What changed" line re-read every revision and re-summed them on each visit (~1 s cold,
    0.15-0.3 s warm on real Scotland); now one comparison per build, read by the warmer."""
    from dashboard.components.release_note import release_note
    from dashboard.logic.changes import build_release_changes, release_changes, warm_release_changes

    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb")
    build(settings)
    reader = WarehouseReader(settings.warehouse_path)
    queries = Queries(reader)
    try:
        warm_release_changes(queries)
        warmed = queries._parsed[("release_changes", None)]  # noqa: SLF001
        assert "summary" in warmed._cache  # noqa: SLF001 - summed once, by the warmer
        assert build_release_changes(queries) is warmed
        assert build_release_changes(queries, "").since is None and build_release_changes(queries, "") is warmed
        fresh = release_changes(queries)
        pd.testing.assert_frame_equal(warmed.summary(), fresh.summary())
        release_note(queries, "")
        build(settings)  # a rebuild: a new comparison
        assert build_release_changes(queries) is not warmed
    finally:
        reader.close()


def test_the_area_profiles_first_lists_are_warmed(demo_warehouse: Path) -> None:
    """After ``warm_area_pickers`` the area drop-down of every indicator and area type with data, and
    the comparators offered before typing, are read without a query; a search still queries."""
    from dashboard.logic import comparators
    from dashboard.logic.area_profile import area_choices, warm_area_pickers
    from dashboard.logic.explorer import as_list

    reader = WarehouseReader(demo_warehouse)
    queries = Queries(reader)
    try:
        queries.warm()  # the constants, as the warmer reads them first
        warm_area_pickers(queries)
        catalogue = queries.explorer_indicators()
        ran: list[str] = []
        real_query = reader.query
        reader.query = lambda sql, params=None: ran.append(sql) or real_query(sql, params)  # type: ignore[method-assign]
        pairs = [(str(r.indicator_id), str(t)) for r in catalogue.itertuples() for t in as_list(r.area_types)]
        assert len(pairs) > 20
        for indicator, area_type in pairs:
            options, _ = area_choices(queries, indicator, area_type)
            assert options, (indicator, area_type)
        scotland = {"area_type": "scotland", "area_code": "S92000003", "council_code": None, "council_name": None}
        for indicator in catalogue.indicator_id:
            assert comparators.options(queries, str(indicator), scotland, [], None)
        assert ran == []
        area_choices(queries, pairs[0][0], pairs[0][1], text="a")
        assert len(ran) == 1
    finally:
        reader.close()
