"""Community councils and postcodes in the demo warehouse, and user areas made of postcodes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import UserAreaError, expand_codes
from etl.warehouse_files import open_pair


@pytest.fixture(scope="module")
def demo(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = open_pair(demo_warehouse)
    yield con
    con.close()


@pytest.fixture(scope="module")
def reader(demo_warehouse: Path) -> WarehouseReader:
    r = WarehouseReader(demo_warehouse)
    yield r
    r.close()


def test_community_councils_cover_the_detailed_council(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute("SELECT area_code, area_name, council_code, fit_quality, footprint_share, datazone_count "
                        "FROM marts.areas WHERE area_type = 'community_council'").fetchall()
    assert 10 <= len(rows) <= 15
    assert all(code.startswith("S9999") and name.endswith("Community Council") for code, name, *_ in rows)
    detailed = demo.execute("SELECT council_code FROM marts.areas WHERE area_type = 'council' "
                            "ORDER BY datazone_count DESC LIMIT 1").fetchall()[0][0]
    assert {r[2] for r in rows} == {detailed}
    assert all(0 < r[3] <= 1 and 0 < r[4] <= 1 for r in rows)
    assert any(r[3] < 0.95 for r in rows)  # the polygons do not follow data zone edges
    council_dz = demo.execute("SELECT datazone_count FROM marts.areas WHERE area_code = ?", [detailed]).fetchall()
    assert sum(r[5] for r in rows) == council_dz[0][0]


def test_community_council_meta(demo: duckdb.DuckDBPyConnection) -> None:
    row = demo.execute("SELECT label, is_partition, is_best_fit, caveat FROM meta.area_types "
                       "WHERE area_type = 'community_council'").fetchall()[0]
    assert row[0] == "Community council area" and row[1] is False and row[2] is True and "best-fit" in row[3]
    missing = demo.execute("SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive' AND "
                           "native_geography = 'datazone' AND NOT list_contains(geographies, 'community_council')"
                           ).fetchall()
    assert missing == []


def test_indicator_values_exist_for_community_councils(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute("""
        SELECT v.indicator_id, count(*) AS n, count(v.value) AS shown
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.area_type = 'community_council' GROUP BY 1""").fetchall()
    datazone_native = demo.execute("SELECT count(*) FROM meta.indicators WHERE aggregation = 'extensive' "
                                   "AND native_geography = 'datazone'").fetchall()[0][0]
    assert len(rows) == datazone_native
    assert all(shown > 0 for _, _, shown in rows)
    # a community council's numerator is the sum of its data zones' (before suppression)
    mismatch = demo.execute("""
        WITH cc AS (SELECT * FROM core.agg_indicator_area WHERE area_type = 'community_council'),
        dz AS (SELECT b.area_code, a.indicator_id, a.period_label, a.age_band, sum(a.numerator) AS numerator
               FROM core.agg_indicator_area AS a
               JOIN core.bridge_datazone_area AS b ON b.datazone_code = a.area_code
                AND b.area_type = 'community_council'
               WHERE a.area_type = 'datazone' GROUP BY ALL)
        SELECT count(*) FROM cc JOIN dz USING (area_code, indicator_id, period_label, age_band)
        WHERE abs(cc.numerator - dz.numerator) > 1e-9""").fetchall()[0][0]
    assert mismatch == 0


def test_disclosure_families_include_community_councils(demo: duckdb.DuckDBPyConnection) -> None:
    families = {r for r in demo.execute("SELECT DISTINCT parent_type, child_type FROM core.bridge_area_parent "
                                        "WHERE 'community_council' IN (parent_type, child_type)").fetchall()}
    assert ("council", "community_council") in families
    assert ("community_council", "datazone") in families


def test_postcodes_are_fictional_and_cover_every_datazone(demo: duckdb.DuckDBPyConnection) -> None:
    n, zz, dz = demo.execute("SELECT count(*), count(*) FILTER (WHERE postcode LIKE 'ZZ%'), "
                             "count(DISTINCT datazone_code) FROM core.dim_postcode").fetchall()[0]
    assert n == zz and n >= 3 * dz
    assert dz == demo.execute("SELECT count(*) FROM core.dim_datazone").fetchall()[0][0]


def test_expand_codes_accepts_postcodes_in_any_spacing_and_case(reader: WarehouseReader) -> None:
    sample = reader.query("SELECT postcode, datazone_code FROM core.dim_postcode ORDER BY postcode LIMIT 40")
    iz = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'intermediate_zone' "
                      "ORDER BY area_code LIMIT 1").iloc[0, 0]
    iz_dz = reader.query("SELECT datazone_code FROM core.bridge_datazone_area WHERE area_code = ?", [iz])
    messy = [p.lower().replace(" ", "") if i % 2 else f"  {p.replace(' ', '   ')} " for i, p in
             enumerate(sample["postcode"])]
    got = expand_codes(reader, [*messy, iz])
    assert got == sorted(set(sample["datazone_code"]) | set(iz_dz["datazone_code"]))


def test_unknown_postcodes_are_listed(reader: WarehouseReader) -> None:
    known = reader.query("SELECT postcode FROM core.dim_postcode LIMIT 1").iloc[0, 0]
    with pytest.raises(UserAreaError, match="2 postcode") as info:
        expand_codes(reader, [known, "zz99 9zz", "AB10 1AB"])
    assert "zz99 9zz" in str(info.value) and "AB10 1AB" in str(info.value)


def test_best_fit_caveat_reaches_the_dashboard_and_the_exports(reader: WarehouseReader,
                                                               demo: duckdb.DuckDBPyConnection) -> None:
    import io

    from openpyxl import load_workbook

    from dashboard.data.queries import Queries
    from dashboard.exports import profile_data, profile_file
    from dashboard.logic.fit_caveat import fit_caveat_text

    code, fit = demo.execute("SELECT area_code, fit_quality FROM marts.areas WHERE area_type = 'community_council' "
                             "ORDER BY fit_quality LIMIT 1").fetchall()[0]
    area = Queries(reader).area("community_council", code)
    text = fit_caveat_text(area)
    assert text is not None and f"{fit:.0%} of the people in its data zones live inside its boundary" in text
    data = profile_data(reader, "community_council", code)
    assert f"Best-fit area. {text}" in data.warnings
    _, content = profile_file(reader, "community_council", code, "xlsx")
    sheet = load_workbook(io.BytesIO(content))["Summary"]
    assert any(row[0] == "Caveat" and "best-fit" in str(row[1]) for row in sheet.iter_rows(values_only=True))
    council = demo.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' LIMIT 1").fetchall()[0][0]
    assert not any(w.startswith("Best-fit") for w in profile_data(reader, "council", council).warnings)


def test_demo_wards_have_a_measured_fit_below_one(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute("SELECT area_code, fit_quality, footprint_share FROM marts.areas "
                        "WHERE area_type = 'ward'").fetchall()
    assert len(rows) >= 40
    assert all(fit is not None and 0.8 < fit < 1 for _, fit, _ in rows), rows  # the polygons cut data zones
    assert all(share is not None and 0 < share <= 1 for *_, share in rows)
    assert demo.execute("SELECT count(*) FROM meta.sources WHERE source = 'ward_boundaries'").fetchall()[0][0] == 1


def test_measured_ward_fit_reaches_the_caveat_and_the_exports(reader: WarehouseReader,
                                                              demo: duckdb.DuckDBPyConnection) -> None:
    from dashboard.data.queries import Queries
    from dashboard.exports import profile_data
    from dashboard.logic.fit_caveat import fit_caveat_text

    code, name, fit = demo.execute("SELECT area_code, area_name, fit_quality FROM marts.areas "
                                   "WHERE area_type = 'ward' ORDER BY fit_quality LIMIT 1").fetchall()[0]
    text = fit_caveat_text(Queries(reader).area("ward", code))
    assert text is not None and text.startswith("Multi-member wards are not built from whole data zones")
    assert f"For {name}, {fit:.0%} of the people in its data zones live inside its boundary" in text
    assert "not measured" not in text
    assert f"Best-fit area. {text}" in profile_data(reader, "ward", code).warnings
