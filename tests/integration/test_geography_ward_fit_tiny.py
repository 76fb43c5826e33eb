"""The lookup's wards measured against ward boundaries, end to end on the tiny world.

Tiny world (tests/fixtures/tiny_world.py): data zones are 1 km squares DZ1 x 300-301 km …
DZ4 x 303-304 km (y 700-701 km), populations 500, 600, 700, 400; the lookup puts DZ1-DZ3 in
ward S13900001 and DZ4 in S13900002. Ward polygons: S13900001 = x 300-302.5 km, S13900002 =
x 302.5-304 km, so DZ3 is half inside its ward::

    fit_quality(S13900001) = (500·1 + 600·1 + 700·0.5) / (500 + 600 + 700) = 1450 / 1800
    fit_quality(S13900002) = 1;  footprint_share = 2.5 / 2.5 = 1 and 1 / 1.5
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from etl.build import build
from etl.errors import InputError
from etl.settings import Settings
from etl.warehouse_files import open_pair
from tests.fixtures.cli_build import built_world, failed_build
from tests.fixtures.tiny_world import write_tiny_raw

W1 = box(300000, 700000, 302500, 701000)
W2 = box(302500, 700000, 304000, 701000)


def _write_wards(raw: Path, frame: gpd.GeoDataFrame, name: str = "wards.gpkg") -> Path:
    folder = raw / "ward_boundaries" / "2021-12"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / name
    frame.to_file(path, driver="ESRI Shapefile" if name.endswith(".shp") else None)
    return path


def _wards(codes: list[str], geoms: list[object], column: str = "WD21CD") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({column: codes, "WD21NM": [f"Ward {c}" for c in codes]}, geometry=geoms, crs=27700)


def _catalogue(root: Path, ward_settings: str) -> Path:
    catalogue = root / "catalogue"
    shutil.copytree(Settings().catalogue_for(demo=True) / "indicators", catalogue / "indicators")
    (catalogue / "geographies.yaml").write_text(ward_settings, encoding="utf-8")
    return catalogue


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list[str], Path]:
    root = tmp_path_factory.mktemp("tiny_wards")
    raw = write_tiny_raw(root / "raw")
    # WGS84 on purpose: reprojected to EPSG:27700 like the other layers
    _write_wards(raw, _wards(["S13900001", "S13900002"], [W1, W2]).to_crs(4326), "wards.geojson")
    settings = Settings(raw_dir=raw, warehouse_path=root / "w.duckdb")
    result = build(settings)
    con = open_pair(settings.warehouse_path)
    yield con, result.notes, settings.warehouse_path
    con.close()


def test_ward_fit_is_measured_by_hand(measured: tuple[duckdb.DuckDBPyConnection, list[str], Path]) -> None:
    con, notes, _ = measured
    rows = con.execute("SELECT area_code, fit_quality, footprint_share FROM marts.areas WHERE area_type = 'ward' "
                       "ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["S13900001", "S13900002"]
    # WGS84 round trip (Helmert offline) moves edges by centimetres, hence the tolerance
    assert rows[0][1] == pytest.approx(1450 / 1800, abs=1e-4) and rows[1][1] == pytest.approx(1.0, abs=1e-4)
    assert rows[0][2] == pytest.approx(1.0, abs=1e-4) and rows[1][2] == pytest.approx(1 / 1.5, abs=1e-4)
    assert any(n.startswith("ward fit measured against ward_boundaries/2021-12/wards.geojson (code property "
                            "'WD21CD'): 2 of 2 wards") for n in notes), notes
    sources = con.execute("SELECT source, release, file_name FROM meta.sources WHERE source = 'ward_boundaries'"
                          ).fetchall()
    assert sources == [("ward_boundaries", "2021-12", "wards.geojson")]


def test_wards_stay_assigned_as_the_lookup_says(measured: tuple[duckdb.DuckDBPyConnection, list[str], Path]) -> None:
    con, _, _ = measured
    bridge = dict(con.execute("SELECT datazone_code, area_code FROM core.bridge_datazone_area "
                              "WHERE area_type = 'ward'").fetchall())
    assert bridge == {"S01900001": "S13900001", "S01900002": "S13900001", "S01900003": "S13900001",
                      "S01900004": "S13900002"}
    rows = dict(con.execute("SELECT area_code, datazone_count FROM marts.areas WHERE area_type = 'ward'").fetchall())
    assert rows == {"S13900001": 3, "S13900002": 1}
    # sums before suppression: 30 + 20 + 10 over 100 + 150 + 200 children; 3 over 50
    child = con.execute("SELECT area_code, numerator, denominator FROM core.agg_indicator_area WHERE "
                        "indicator_id = 'ey_child_poverty' AND area_type = 'ward' ORDER BY 1").fetchall()
    assert child == [("S13900001", 60, 450), ("S13900002", 3, 50)]
    # the measurement does not touch the other types: whole-data-zone areas still fit exactly
    others = dict(con.execute("SELECT area_type, min(fit_quality) FROM marts.areas WHERE area_type <> 'ward' "
                              "GROUP BY 1").fetchall())
    assert set(others.values()) == {1.0}


def test_the_caveat_states_the_measured_ward_fit(measured: tuple[duckdb.DuckDBPyConnection, list[str], Path]) -> None:
    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader
    from dashboard.exports import profile_data
    from dashboard.logic.fit_caveat import fit_caveat_text, fit_is_rough

    _, _, warehouse = measured
    reader = WarehouseReader(warehouse)
    try:
        area = Queries(reader).area("ward", "S13900001")
        text = fit_caveat_text(area)
        assert text is not None and text.startswith("Multi-member wards are not built from whole data zones")
        assert text.endswith("For Tiny Ward 1, 81% of the people in its data zones live inside its boundary "
                             "(a rough fit).")
        assert fit_is_rough(area)
        assert f"Best-fit area. {text}" in profile_data(reader, "ward", "S13900001").warnings
        assert fit_caveat_text(Queries(reader).area("ward", "S13900002")).endswith("(a close fit).")
    finally:
        reader.close()


def test_without_ward_boundaries_the_build_says_not_measured(tmp_path: Path) -> None:
    raw = write_tiny_raw(tmp_path / "raw")
    result = build(Settings(raw_dir=raw, warehouse_path=tmp_path / "w.duckdb"))
    assert any(n.startswith("ward fit not measured (no data/raw/ward_boundaries/<release>/ folder)")
               for n in result.notes), result.notes
    con = open_pair(tmp_path / "w.duckdb")
    try:
        assert con.execute("SELECT count(fit_quality), count(footprint_share), count(*) FROM marts.areas "
                           "WHERE area_type = 'ward'").fetchall() == [(0, 0, 2)]
    finally:
        con.close()


def test_extra_and_missing_wards_are_reported_in_the_notes(tmp_path: Path) -> None:
    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader
    from dashboard.logic.fit_caveat import fit_caveat_text

    raw = write_tiny_raw(tmp_path / "raw")
    # S13900002 has no polygon; S13999999 is not a ward of the lookup
    _write_wards(raw, _wards(["S13900001", "S13999999"], [W1, box(400000, 700000, 401000, 701000)]))
    result = build(Settings(raw_dir=raw, warehouse_path=tmp_path / "w.duckdb"))
    notes = " | ".join(result.notes)
    assert "1 ward(s) in ward_boundaries/2021-12/wards.gpkg are not in the data zone lookup and are ignored " \
           "(S13999999)" in notes
    assert "1 lookup ward(s) have no polygon in ward_boundaries/2021-12/wards.gpkg; their fit is not measured " \
           "(S13900002)" in notes
    assert "1 of 2 wards" in notes
    reader = WarehouseReader(tmp_path / "w.duckdb")
    try:
        fits = dict(reader.query("SELECT area_code, fit_quality FROM marts.areas WHERE area_type = 'ward'"
                                 ).itertuples(index=False))
        assert fits["S13900001"] == pytest.approx(1450 / 1800)
        assert fits["S13900002"] is None or fits["S13900002"] != fits["S13900002"]  # NULL
        text = fit_caveat_text(Queries(reader).area("ward", "S13900002"))
        assert text is not None and text.endswith(
            "is not measured for Tiny Ward 2: the boundary file has no polygon for it.")
    finally:
        reader.close()


def test_a_code_field_set_in_geographies_yaml_is_used(tmp_path: Path) -> None:
    raw = write_tiny_raw(tmp_path / "raw")
    _write_wards(raw, _wards(["S13900001", "S13900002"], [W1, W2], column="WARD_REF"))
    settings = Settings(raw_dir=raw, warehouse_path=tmp_path / "w.duckdb",
                        catalogue_dir=_catalogue(tmp_path, "ward_boundaries:\n  code_field: ward_ref\n"))
    result = build(settings)
    assert any("(code property 'WARD_REF'): 2 of 2 wards" in n for n in result.notes), result.notes


def test_a_mistyped_ward_setting_fails_naming_the_field(tmp_path: Path) -> None:
    raw = write_tiny_raw(tmp_path / "raw")
    settings = Settings(raw_dir=raw, warehouse_path=tmp_path / "w.duckdb",
                        catalogue_dir=_catalogue(tmp_path, "ward_boundaries:\n  codefield: WD21CD\n"))
    with pytest.raises(InputError, match="field 'ward_boundaries.codefield'") as info:
        build(settings)
    assert info.value.file.endswith("geographies.yaml")
    assert not settings.warehouse_path.exists()


# ---------------------------------------------------------------------------------------------
# bad ward files stop the build, naming file and column; the live warehouse is untouched


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    return built_world(write_tiny_raw(tmp_path / "raw"), tmp_path / "wh" / "cpop.duckdb")


def test_no_ward_code_property(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _write_wards(raw, _wards(["S13900001", "S13900002"], [W1, W2], column="ident"))
    out = failed_build(raw, warehouse)
    assert "wards.gpkg" in out and "no ward code property" in out and "ident, WD21NM" in out
    assert "ward_boundaries.code_field" in out


def test_codes_not_matching_the_lookup(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _write_wards(raw, _wards(["S13000001", "S13000002"], [W1, W2]))
    out = failed_build(raw, warehouse)
    assert "wards.gpkg" in out and "column 'WD21CD'" in out and "is a ward of the data zone lookup" in out


def test_shapefile_without_prj(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _write_wards(raw, _wards(["S13900001", "S13900002"], [W1, W2]), "wards.shp")
    path.with_suffix(".prj").unlink()
    out = failed_build(raw, warehouse)
    assert "wards.shp" in out and ".prj file is missing" in out


def test_non_polygon_ward(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _write_wards(raw, _wards(["S13900001", "S13900002"], [W1, Point(303000, 700500)]))
    out = failed_build(raw, warehouse)
    assert "wards.gpkg" in out and "row 2" in out and "column 'geometry'" in out
    assert "ward S13900002" in out and "not a polygon" in out
