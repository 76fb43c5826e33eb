"""Every data check returns the bad row it exists to catch (a check that cannot fail proves nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.build import build
from etl.checks import CHECKS_DIR, check_files, is_warning, run_checks
from etl.errors import CheckFailed
from etl.settings import Settings
from etl.warehouse_files import internal_path, open_pair
from tests.fixtures.tiny_world import write_tiny_raw

# check name -> SQL that breaks the rule in a copy of a good warehouse
BREAKAGES = {
    "areas__population_sums_to_parent": "UPDATE marts.areas SET population = population + 1 WHERE area_code = 'S13900002'",
    "bridge_datazone_area__one_area_per_type": "DELETE FROM core.bridge_datazone_area WHERE datazone_code = 'S01900001' AND area_type = 'ward'",
    "dim_datazone__duplicate_keys": "INSERT INTO core.dim_datazone SELECT * FROM core.dim_datazone WHERE datazone_code = 'S01900001'",
    "dim_datazone__missing_simd": "UPDATE core.dim_datazone SET simd_rank = NULL WHERE datazone_code = 'S01900002'",
    "fct_observation__duplicate_keys": "INSERT INTO staging.statistics_gov_scot__observations "
                                       "SELECT * FROM staging.statistics_gov_scot__observations LIMIT 1",
    "fct_population_datazone__negative": "UPDATE core.fct_population_datazone SET population = -1 WHERE datazone_code = 'S01900003' AND age_from = 30",
    "agg_indicator_area__children_sum_to_parent": "UPDATE core.agg_indicator_area SET numerator = numerator + 1 WHERE area_code = 'S13900001'",
    "indicator_values__bad_denominator": "UPDATE marts.indicator_values SET denominator = -5 WHERE area_code = 'S02900001'",
    "indicator_values__duplicate_keys": "INSERT INTO marts.indicator_values SELECT * FROM marts.indicator_values LIMIT 1",
    "trend__duplicate_keys": "INSERT INTO marts.trend SELECT * FROM marts.trend LIMIT 1",
    "comparisons__duplicate_keys": "INSERT INTO marts.comparisons SELECT * FROM marts.comparisons LIMIT 1",
    "inequality__duplicate_keys": "INSERT INTO marts.inequality SELECT * FROM marts.inequality LIMIT 1",
    "inequality_groups__shares_sum_to_one": "UPDATE marts.inequality_groups SET population_share = population_share + 0.1 WHERE group_number = 1 AND population_share IS NOT NULL",
    "inequality_trend__duplicate_keys": "INSERT INTO marts.inequality_trend SELECT * FROM marts.inequality_trend LIMIT 1",
    "inequality_groups__duplicate_keys": "INSERT INTO marts.inequality_groups SELECT * FROM marts.inequality_groups LIMIT 1",
    "family_groups__duplicate_keys": "INSERT INTO marts.family_groups VALUES ('S12900001', 1, 1), ('S12900001', 2, 2)",
    # two rows of one key (the tiny world's communities may all be withheld, so none is copied)
    "communities__duplicate_keys": "INSERT INTO marts.communities BY NAME SELECT 'S02900001' AS "
                                   "intermediate_zone_code, 'x' AS indicator_id FROM range(2)",
    "targets__duplicate_keys": "INSERT INTO marts.targets (indicator_id, area_type, area_code, status) "
                               "VALUES ('x', 'council', 'C', 'on track'), ('x', 'council', 'C', 'on track')",
    "indicator_values__numerator_exceeds_denominator": "UPDATE marts.indicator_values SET numerator = denominator + 1 WHERE area_code = 'S02900001' AND indicator_id = 'ey_child_poverty'",
}


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checks")
    settings = Settings(raw_dir=write_tiny_raw(root / "raw"), warehouse_path=root / "good.duckdb")
    # keep the internal sums table so its check can be exercised too
    import etl.build as build_module

    saved = build_module.INTERNAL_TABLES
    build_module.INTERNAL_TABLES = []
    try:
        build(settings)
    finally:
        build_module.INTERNAL_TABLES = saved
    return settings.warehouse_path


def test_every_check_has_a_breakage() -> None:
    assert {p.stem for p in check_files()} == set(BREAKAGES), f"add a breakage for each check in {CHECKS_DIR}"


@pytest.mark.parametrize("check_name", sorted(BREAKAGES))
def test_check_catches_its_bad_row(check_name: str, good_warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "broken.duckdb"
    shutil.copy(good_warehouse, copy)
    shutil.copy(internal_path(good_warehouse), internal_path(copy))
    con = open_pair(copy, read_only=False)
    try:
        warnings: dict = {}
        assert run_checks(con, record=False, raise_on_failure=False, warnings=warnings) == {} and warnings == {}
        con.execute(BREAKAGES[check_name])
        if is_warning(CHECKS_DIR / f"{check_name}.sql"):  # reported, and the build goes on
            assert run_checks(con, record=False, warnings=warnings) == {}
            assert check_name in warnings and len(warnings[check_name]) > 0
        else:
            with pytest.raises(CheckFailed) as caught:
                run_checks(con, record=False)
            assert check_name in caught.value.failures
    finally:
        con.close()
