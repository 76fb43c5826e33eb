"""``cpop snapshot``: the registry, the conversions, the manifest, and builds from a snapshot root.

A small SOURCE_DIR holds one file of each kind (a CSV, a workbook sheet, a GeoJSON layer and a
publisher file read by a fake ``PublisherReader``) plus a file the registry does not know. The
tiny world (tests/fixtures/tiny_world.py) is built twice, from its original files and from its
snapshot, and the two warehouses must agree table by table.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import yaml
from shapely.geometry import box
from typer.testing import CliRunner

from etl.build import build
from etl.errors import InputError
from etl.settings import Settings
from etl.snapshot import (
    MANIFEST_FILE,
    Registry,
    load_registry,
    make_snapshot,
    snapshot_files,
)
from etl.sources import family_groups, simd
from etl.sources.files import RawFile, find_files, land_csv, read_text_table
from etl.sources.published import PublishedTable, PublisherReader, read_file
from etl.warehouse_files import open_pair
from tests.fixtures.tiny_world import DZ, SIMD_COLUMNS, simd_rows, write_tiny_raw

PROVENANCE = {
    "release_basis": "test", "publisher": "Test publisher", "title": "Test file", "vintage": "test vintage",
    "url": "https://example.org/data", "licence": "Open Government Licence v3.0",
    "retrieved_from": {"repository": "owner/repo", "commit": "0" * 40, "path": "data/file"},
    "attribution": ["ogl"],
}


def _registry(*entries: dict, readers: dict[str, str] | None = None) -> Registry:
    return Registry.model_validate({
        "readers": readers or {},
        "attributions": {"ogl": "Contains public sector information licensed under the Open Government Licence v3.0."},
        "files": [{**PROVENANCE, **e} for e in entries],
    })


# ---------------------------------------------------------------------------------------------
# a fake publisher: one canonical table from a CSV of council values


def _read_fake(path: Path) -> list[PublishedTable]:
    frame = pd.read_csv(path, dtype=str)
    canonical = pd.DataFrame({
        "FeatureCode": frame["code"], "DateCode": frame["year"], "Measurement": "Ratio", "Units": "Percent",
        "Value": frame["value"], "ValueType": "raw", "LowerCI": "", "UpperCI": "", "Age": "16-64",
        "_source_sheet": "", "_source_row": range(2, len(frame) + 2), "_source_column": "value",
    })
    return [PublishedTable("fake-rates", canonical, "Fake rates")]


FAKE_READER = PublisherReader(source="fakepub", suffixes=(".csv",), read=_read_fake)


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """One file of each kind, in folders named unlike the snapshot's, plus an unknown file."""
    src = tmp_path / "src"
    (src / "tables").mkdir(parents=True)
    pd.DataFrame(simd_rows(), columns=SIMD_COLUMNS).to_csv(src / "tables" / "lookup.csv", index=False)
    with pd.ExcelWriter(src / "tables" / "Family Groups.xlsx") as book:
        pd.DataFrame({"": ["Tinyshire", None], "deprivationFG_2012": [2, None], "popdensityFG_2012": [3, None]}) \
            .to_excel(book, sheet_name="Sheet1", index=False)
        pd.DataFrame({"notes": ["not this sheet"]}).to_excel(book, sheet_name="Notes", index=False)
    (src / "geo").mkdir()
    squares = [box(-3.0 + 0.01 * i, 56.0, -2.99 + 0.01 * i, 56.01) for i in range(4)]
    gpd.GeoDataFrame({"dz11_code": DZ, "dz11_name": [f"Zone {i}" for i in range(4)]}, geometry=squares,
                     crs="EPSG:4326").to_file(src / "geo" / "zones.geojson")
    (src / "pub").mkdir()
    pd.DataFrame({"code": ["S12900001", "S92000003"], "year": ["2020", "2020"], "value": ["12.5", ".."]}) \
        .to_csv(src / "pub" / "rates.csv", index=False)
    (src / "README.md").write_text("not data\n")
    return src


REGISTRY = _registry(
    {"pattern": "lookup.csv", "source": "simd", "release": "2020v2", "kind": "table"},
    {"pattern": "Family Groups.xlsx", "source": "family_groups", "release": "2012", "kind": "table",
     "sheet": "Sheet1"},
    {"pattern": "zones.geojson", "source": "boundaries", "release": "2011", "kind": "boundaries"},
    {"pattern": "rates.csv", "source": "fakepub", "release": "2024-10", "kind": "publisher"},
    {"pattern": "never-there-*.csv", "source": "simd", "release": "2016", "kind": "table"},
    readers={"fakepub": "tests.not_a_module"},
)


def _snapshot(source_dir: Path, out: Path, **readers: PublisherReader | None):
    return make_snapshot(source_dir, out, registry=REGISTRY, readers=readers or {"fakepub": FAKE_READER})


# ---------------------------------------------------------------------------------------------
# the registry


def test_project_registry_is_valid_and_lists_the_shipped_files() -> None:
    registry = load_registry()
    by_pattern = {e.pattern: e for e in registry.files}
    for pattern, source, release, kind in [
        ("SIMD+2020v2+-+datazone+lookup.xlsx", "simd", "2020v2", "table"),
        ("SIMD16 DZ look-up (DZ to IZ, LA, HB, MMW, SPC).xlsx", "simd", "2016", "table"),
        ("simd2012_data_00410767_plusintervals.csv", "simd", "2012", "table"),
        ("lookup_dz2001_dz2011.csv", "simd", "2012", "table"),
        ("sape2020_dz2011_sex_single_year_age.csv", "nrs_sape", "2020", "table"),
        ("sape2021_dz2011_total.csv", "nrs_sape", "2021", "table"),
        ("sape2021_iz2011_total.csv", "nrs_sape", "2021", "table"),
        ("dz2011_scotland_simplified.geojson", "boundaries", "2011", "boundaries"),
        ("mmward2021_scotland.geojson", "ward_boundaries", "2021-12", "boundaries"),
        ("hsc_locality_scotland_scotpho.geojson", "hsc_localities", "2022", "boundaries"),
        ("Family Groups.xlsx", "family_groups", "2012", "table"),
        ("Final CPP Data - Sep 2023.xlsx", "cpop", "2023-09", "publisher"),
        ("CPPcleandata.csv", "cpop", "2023-09", "publisher"),
        ("IGZ Data - Sep 23.xlsx", "cpop", "2023-09", "publisher"),
        ("IGZ Data - Aug 22.xlsx", "cpop", "2022-08", "publisher"),
        ("DZ Data - Aug 22.xlsx", "cpop", "2022-08", "publisher"),
        ("CPOP Data - for PHS.xlsx", "cpop", "2022-08", "publisher"),
        ("educational_attainment_iz.csv", "cpop", "2022-08", "publisher"),
        ("under_16_population.csv", "cpop", "2022-08", "publisher"),
        ("working_age_population_cpp.csv", "cpop", "2022-08", "publisher"),
        ("simd2020v2_dz2011_indicators.csv", "simd_indicators", "2020v2", "publisher"),
        ("SIMD16 indicator data.xlsx", "simd_indicators", "2016", "publisher"),
        ("scotpho_ca_latest_extract_2024-10.csv", "scotpho", "2024-10", "publisher"),
        ("scotpho_deprivation_data_simd_quintiles.parquet", "scotpho", "2023-02", "publisher"),
    ]:
        entry = by_pattern[pattern]
        assert (entry.source, entry.release, entry.kind) == (source, release, kind), pattern
        assert entry.url.startswith("http") and entry.licence and entry.attribution
    assert registry.readers == {"cpop": "etl.sources.cpop", "simd_indicators": "etl.sources.simd_indicators",
                                "scotpho": "etl.sources.scotpho"}


@pytest.mark.parametrize(("change", "message"), [
    ({"pattern": "book.xlsx", "kind": "table"}, "names its sheet"),
    ({"pattern": "rates.csv", "kind": "table", "sheet": "Sheet1"}, "sheet is only for"),
    ({"pattern": "layer.csv", "kind": "boundaries"}, "polygon layer"),
    ({"pattern": "rates.csv", "kind": "publisher"}, "has no reader"),
    ({"pattern": "rates.csv", "release": "Sep-2023"}, "release"),
    ({"pattern": "rates.csv", "kind": "spreadsheet"}, "kind"),
    ({"pattern": "rates.csv", "attribution": ["cc-by"]}, "attribution 'cc-by'"),
    ({"pattern": "rates.csv", "colour": "red"}, "colour"),
])
def test_a_bad_registry_entry_is_named(tmp_path: Path, change: dict, message: str) -> None:
    entry = {**PROVENANCE, "pattern": "rates.csv", "source": "simd", "release": "2020v2", "kind": "table", **change}
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump({"attributions": {"ogl": "OGL"}, "files": [entry]}))
    with pytest.raises(InputError) as caught:
        load_registry(path)
    assert message in str(caught.value)
    assert f"files[{entry['pattern']}]" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# the snapshot of a small SOURCE_DIR


def test_snapshot_writes_one_file_per_original_and_a_manifest(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    result = _snapshot(source_dir, out)
    assert [p.relative_to(out).as_posix() for p in snapshot_files(out)] == [
        "boundaries/2011/zones.geojson.snapshot.parquet",
        "fakepub/2024-10/rates.csv.snapshot.parquet",
        "family_groups/2012/Family Groups.xlsx.snapshot.parquet",
        "simd/2020v2/lookup.csv.snapshot.parquet",
    ]
    manifest = yaml.safe_load((out / MANIFEST_FILE).read_text())
    assert manifest["code_version"].startswith("cpop ")
    originals = {o["original"]: o for o in manifest["originals"]}
    lookup = originals["lookup.csv"]
    assert lookup["original_path"] == "tables/lookup.csv"
    assert lookup["size_bytes"] == (source_dir / "tables" / "lookup.csv").stat().st_size
    assert lookup["sha256"] == RawFile("simd", "2020v2", source_dir / "tables" / "lookup.csv").sha256()
    assert lookup["snapshot"] == [{"file": "simd/2020v2/lookup.csv.snapshot.parquet", "rows": 4,
                                   "columns": len(SIMD_COLUMNS)}]
    assert lookup["retrieved_from"] == PROVENANCE["retrieved_from"]
    assert lookup["attribution"] == ["Contains public sector information licensed under the Open Government "
                                     "Licence v3.0."]
    for key in ("publisher", "title", "vintage", "release_basis", "url", "licence", "kind", "source", "release"):
        assert lookup[key]
    assert originals["Family Groups.xlsx"]["sheet"] == "Sheet1"
    assert originals["Family Groups.xlsx"]["snapshot"][0]["rows"] == 1  # the empty row is dropped
    assert originals["rates.csv"]["snapshot"][0]["datasets"] == {"fake-rates": 2}
    assert manifest["not_in_registry"] == ["README.md"]
    assert manifest["not_found"] == ["never-there-*.csv"]
    assert manifest["skipped"] == []
    assert result.total_bytes == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert set(result.size_by_source()) == {"boundaries", "family_groups", "fakepub", "simd"}


def test_rerunning_gives_identical_files(source_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _snapshot(source_dir, first)
    _snapshot(source_dir, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_a_table_snapshot_lands_exactly_like_its_csv(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    _snapshot(source_dir, out)
    con = duckdb.connect()
    land_csv(con, "main.from_csv", RawFile("simd", "2020v2", source_dir / "tables" / "lookup.csv"))
    land_csv(con, "main.from_snapshot", RawFile("simd", "2020v2", out / "simd" / "2020v2" / "lookup.csv.snapshot.parquet"))
    query = "SELECT * EXCLUDE (_source_file, _loaded_at) FROM main.{} ORDER BY _source_row"
    assert con.execute(query.format("from_csv")).fetchall() == con.execute(query.format("from_snapshot")).fetchall()
    pd.testing.assert_frame_equal(read_text_table(source_dir / "tables" / "lookup.csv"),
                                  read_text_table(out / "simd" / "2020v2" / "lookup.csv.snapshot.parquet"))


def test_a_workbook_sheet_snapshot_reads_like_the_workbook(tmp_path: Path) -> None:
    """The SIMD loader lands the SG look-up workbook and its snapshot (the data sheet) alike."""
    src = tmp_path / "src"
    src.mkdir()
    with pd.ExcelWriter(src / "SIMD+2020v2+-+datazone+lookup.xlsx") as book:
        pd.DataFrame({"Contents": ["notes"]}).to_excel(book, sheet_name="Contents & notes", index=False)
        pd.DataFrame(simd_rows(), columns=SIMD_COLUMNS).to_excel(book, sheet_name="SIMD 2020v2 DZ lookup data",
                                                                 index=False)
    registry = _registry({"pattern": "SIMD+2020v2+-+datazone+lookup.xlsx", "source": "simd", "release": "2020v2",
                          "kind": "table", "sheet": "SIMD 2020v2 DZ lookup data"})
    make_snapshot(src, tmp_path / "snapshot", registry=registry, readers={})
    raw = tmp_path / "raw" / "simd" / "2020v2"
    raw.mkdir(parents=True)
    (raw / "SIMD+2020v2+-+datazone+lookup.xlsx").write_bytes((src / "SIMD+2020v2+-+datazone+lookup.xlsx").read_bytes())
    landed = []
    for root in (tmp_path / "raw", tmp_path / "snapshot"):
        con = duckdb.connect()
        con.execute("CREATE SCHEMA raw")
        simd.load(con, root)
        landed.append(con.execute("SELECT * EXCLUDE (_source_file, _loaded_at) FROM raw.simd__dz_lookup "
                                  "ORDER BY _source_row").fetchall())
    assert landed[0] == landed[1] and len(landed[0]) == 4


def test_family_groups_workbook_and_its_snapshot_agree(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    _snapshot(source_dir, out)
    councils = {family_groups.council_key("Tinyshire"): "S12900001"}
    from_book = family_groups.load_file(RawFile("family_groups", "2012", source_dir / "tables" / "Family Groups.xlsx"),
                                        councils)
    snap = find_files(out, "family_groups", (".csv", ".xlsx"))
    assert [f.path.name for f in snap] == ["Family Groups.xlsx.snapshot.parquet"]
    pd.testing.assert_frame_equal(from_book, family_groups.load_file(snap[0], councils))
    assert from_book.to_dict("records") == [{"council_code": "S12900001", "deprivation_group": 2, "density_group": 3}]


def test_boundaries_are_geoparquet_with_the_published_geometry(source_dir: Path, tmp_path: Path) -> None:
    from geo.boundaries import read_datazone_boundaries

    out = tmp_path / "snapshot"
    _snapshot(source_dir, out)
    stored = out / "boundaries" / "2011" / "zones.geojson.snapshot.parquet"
    assert gpd.read_parquet(stored).crs.to_epsg() == 4326
    original = read_datazone_boundaries(source_dir / "geo" / "zones.geojson")
    snapshot = read_datazone_boundaries(stored)
    assert list(original["datazone_code"]) == list(snapshot["datazone_code"]) == DZ
    assert original.geometry.geom_equals_exact(snapshot.geometry, tolerance=0).all()


def test_a_publisher_snapshot_holds_the_readers_canonical_tables(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    _snapshot(source_dir, out)
    [stored] = read_file(FAKE_READER, RawFile("fakepub", "2024-10", out / "fakepub" / "2024-10" / "rates.csv.snapshot.parquet"))
    [fresh] = _read_fake(source_dir / "pub" / "rates.csv")
    assert (stored.dataset, stored.title) == ("fake-rates", "Fake rates")
    pd.testing.assert_frame_equal(stored.frame.astype("string"), fresh.frame.astype("string"), check_dtype=False)


def test_a_publisher_without_its_reader_is_skipped_with_a_note(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    result = _snapshot(source_dir, out, fakepub=None)
    assert result.skipped == ["pub/rates.csv: reader tests.not_a_module is not written yet"]
    assert not (out / "fakepub").exists()
    assert yaml.safe_load((out / MANIFEST_FILE).read_text())["skipped"] == result.skipped
    # the registry's own reader modules: an absent module means "not written yet", not an error
    assert make_snapshot(source_dir, tmp_path / "again", registry=REGISTRY).skipped == result.skipped


def test_stale_snapshot_files_are_removed_and_nothing_else(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    stale = out / "simd" / "2016" / "old.csv.snapshot.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    keep = out / "NOTES.md"
    keep.write_text("mine\n")
    result = _snapshot(source_dir, out)
    assert result.removed == [stale]
    assert not stale.parent.exists() and keep.read_text() == "mine\n"


def test_two_files_for_one_entry_is_an_error(source_dir: Path, tmp_path: Path) -> None:
    (source_dir / "other").mkdir()
    (source_dir / "other" / "lookup.csv").write_text("DZ\nS01900001\n")
    with pytest.raises(InputError, match="also matches"):
        _snapshot(source_dir, tmp_path / "snapshot")


def test_a_raw_release_replaces_the_snapshots_release(source_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    _snapshot(source_dir, out)
    raw = tmp_path / "raw" / "simd" / "2020v2"
    raw.mkdir(parents=True)
    (raw / "mine.csv").write_text((source_dir / "tables" / "lookup.csv").read_text())
    (out / "simd" / "2016").mkdir()
    (out / "simd" / "2016" / "SIMD16.csv.snapshot.parquet").write_bytes(
        (out / "simd" / "2020v2" / "lookup.csv.snapshot.parquet").read_bytes())
    found = find_files([out, tmp_path / "raw"], "simd", (".csv", ".xlsx"))
    assert [(f.release, f.path.name) for f in found] == [("2016", "SIMD16.csv.snapshot.parquet"),
                                                         ("2020v2", "mine.csv")]


def test_cli_refuses_to_write_outside_the_project_unless_out_is_given(source_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.cli import app

    monkeypatch.setenv("CPOP_SNAPSHOT_DIR", str(tmp_path / "elsewhere"))
    refused = CliRunner().invoke(app, ["snapshot", str(source_dir)])
    assert refused.exit_code == 1 and "outside the project" in refused.output
    assert not (tmp_path / "elsewhere").exists()
    done = CliRunner().invoke(app, ["snapshot", str(source_dir), "--out", str(tmp_path / "explicit")])
    assert done.exit_code == 0, done.output
    assert "Not part of the snapshot" in done.output and "total" in done.output
    assert (tmp_path / "explicit" / MANIFEST_FILE).is_file()


# ---------------------------------------------------------------------------------------------
# the tiny world built from its snapshot equals the tiny world built from its files


TINY_REGISTRY = _registry(
    {"pattern": "SIMD2020v2_DZ_lookup_data.csv", "source": "simd", "release": "2020v2", "kind": "table"},
    {"pattern": "sape2020_dz2011_sex_single_year_age.csv", "source": "nrs_sape", "release": "2021-06",
     "kind": "table"},
    {"pattern": "child-poverty.csv", "source": "statistics_gov_scot", "release": "2025-09", "kind": "table"},
    {"pattern": "localities.csv", "source": "localities", "release": "2024", "kind": "table"},
    {"pattern": "SG_DataZone_Bdry_2011.shp", "source": "boundaries", "release": "2011", "kind": "boundaries"},
)
#: Columns naming the file a row came from (the original or its snapshot), or the build.
PATH_COLUMNS = ("_source_file", "source_file", "file_name", "file_path", "_loaded_at")


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    con = open_pair(path)
    try:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
                            "('staging', 'core', 'marts', 'meta') AND table_name NOT IN ('build_info', 'sources', 'build_stamp') "
                            "ORDER BY 1, 2").fetchall()
        tables = {}
        for schema, table in names:
            frame = con.execute(f'SELECT * FROM {schema}."{table}"').df()
            frame = frame.drop(columns=[c for c in frame.columns if c in PATH_COLUMNS])
            if len(frame.columns):  # row order is not part of a table
                frame = frame.sort_values(list(frame.columns), key=lambda s: s.astype(str), kind="stable")
            tables[f"{schema}.{table}"] = frame.reset_index(drop=True)
        return tables
    finally:
        con.close()


def test_the_tiny_world_built_from_its_snapshot_equals_the_one_built_from_its_files(tmp_path: Path) -> None:
    originals = write_tiny_raw(tmp_path / "raw")
    snapshot = tmp_path / "snapshot"
    result = make_snapshot(originals, snapshot, registry=TINY_REGISTRY, readers={})
    assert len(result.written) == 5
    from_files = Settings(raw_dir=originals, warehouse_path=tmp_path / "files.duckdb", use_snapshot=False)
    (tmp_path / "empty").mkdir()
    from_snapshot = Settings(raw_dir=tmp_path / "empty", snapshot_dir=snapshot, use_snapshot=True,
                             warehouse_path=tmp_path / "snapshot.duckdb")
    build(from_files)
    build(from_snapshot)
    expected, actual = _tables(from_files.warehouse_path), _tables(from_snapshot.warehouse_path)
    assert sorted(expected) == sorted(actual)
    assert len(expected["marts.area_boundaries"]) > 0 and len(expected["marts.indicator_values"]) > 0
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(frame, actual[name], obj=name)
    con = open_pair(from_snapshot.warehouse_path)
    used = con.execute("SELECT source, file_name FROM meta.sources ORDER BY 1").fetchall()
    con.close()
    assert ("boundaries", "SG_DataZone_Bdry_2011.shp.snapshot.parquet") in used
    assert all(name.endswith(".snapshot.parquet") for _, name in used)
