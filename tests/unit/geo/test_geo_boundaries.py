"""Reading data zone boundaries: every accepted format and every bad-input message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from etl.errors import InputError
from geo.boundaries import find_boundary_file, read_datazone_boundaries

Write = Callable[..., Path]


def _raises(path: Path, match: str) -> InputError:
    """Read ``path`` expecting an InputError whose message matches ``match``."""
    with pytest.raises(InputError, match=match) as info:
        read_datazone_boundaries(path)
    return info.value


# --- find_boundary_file ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dz.shp", "dz.gpkg", "dz.geojson", "dz.json"])
def test_find_boundary_file_returns_the_one_layer(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write, name: str
) -> None:
    driver = {"json": "GeoJSON"}.get(name.split(".")[1])
    write(datazones, tmp_path / name, **({"driver": driver} if driver else {}))
    (tmp_path / "README.txt").write_text("notes")
    assert find_boundary_file(tmp_path) == tmp_path / name


def test_find_boundary_file_rejects_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder does not exist"):
        find_boundary_file(tmp_path / "nope")


def test_find_boundary_file_lists_what_it_found(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="no boundary layer.*notes.txt"):
        find_boundary_file(tmp_path)


def test_find_boundary_file_hints_to_unzip(tmp_path: Path) -> None:
    (tmp_path / "SG_DataZoneBdry_2011.zip").write_bytes(b"PK")
    with pytest.raises(InputError, match="unzip"):
        find_boundary_file(tmp_path)


def test_find_boundary_file_rejects_several_layers(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    write(datazones, tmp_path / "a.shp")
    write(datazones, tmp_path / "b.gpkg")
    with pytest.raises(InputError, match=r"several boundary layers found \(a.shp, b.gpkg\)"):
        find_boundary_file(tmp_path)


# --- read_datazone_boundaries: good input ------------------------------------------------


@pytest.mark.parametrize("name", ["dz.shp", "dz.gpkg", "dz.geojson"])
def test_reads_each_format_in_bng(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write, name: str
) -> None:
    path = write(datazones.rename(columns={"datazone_code": "DataZone"}), tmp_path / name)
    got = read_datazone_boundaries(path)
    assert list(got.columns) == ["datazone_code", "geometry"]
    assert got.crs.to_epsg() == 27700
    assert got["datazone_code"].tolist() == datazones["datazone_code"].tolist()
    assert shapely.equals(got.geometry.to_numpy(), datazones.geometry.to_numpy()).all()


@pytest.mark.parametrize(
    "column", ["DataZone", "DataZone2011", "DZ", "dz11_code", "datazone_code", "DATAZONE", "dz"]
)
def test_accepts_each_code_column_case_insensitively(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write, column: str
) -> None:
    frame = datazones.rename(columns={"datazone_code": column})
    got = read_datazone_boundaries(write(frame, tmp_path / "dz.gpkg"))
    assert got["datazone_code"].iloc[0] == "S01000001"


def test_reprojects_wgs84_to_bng(tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write) -> None:
    path = write(datazones.to_crs(4326), tmp_path / "dz.geojson")
    got = read_datazone_boundaries(path)
    assert got.crs.to_epsg() == 27700
    assert got.area.to_numpy() == pytest.approx(1e6, rel=1e-4)
    offset = got.geometry.iloc[0].centroid.distance(datazones.geometry.iloc[0].centroid)
    assert offset < 1.0


def test_repairs_invalid_polygons_keeping_polygonal_parts(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    x0, y0, x1, y1 = datazones.geometry.iloc[0].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    frame = datazones.copy()
    frame.loc[0, "geometry"] = bowtie
    got = read_datazone_boundaries(write(frame, tmp_path / "dz.gpkg"))
    assert got.is_valid.all()
    assert set(got.geom_type) <= {"Polygon", "MultiPolygon"}
    assert got.geometry.iloc[0].area == pytest.approx(0.5e6)


def test_picks_the_polygon_layer_of_a_geopackage(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    path = tmp_path / "dz.gpkg"
    write(datazones.set_geometry(datazones.centroid), path, layer="centroids")
    write(datazones, path, layer="zones")
    assert len(read_datazone_boundaries(path)) == 16


# --- read_datazone_boundaries: every bad-input message ----------------------------------


def test_missing_file(tmp_path: Path) -> None:
    error = _raises(tmp_path / "dz.shp", "does not exist")
    assert error.file == str(tmp_path / "dz.shp")


def test_zero_byte_file(tmp_path: Path) -> None:
    (tmp_path / "dz.geojson").write_text("")
    _raises(tmp_path / "dz.geojson", "is empty")


def test_layer_without_features(tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write) -> None:
    path = write(datazones.iloc[:0], tmp_path / "dz.gpkg")
    _raises(path, "contains no features")


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "dz.geojson").write_text("this is not json")
    _raises(tmp_path / "dz.geojson", "cannot be read as a boundary layer")


def test_shapefile_without_prj(tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write) -> None:
    path = write(datazones, tmp_path / "SG_DataZone_Bdry_2011.shp")
    path.with_suffix(".prj").unlink()
    error = _raises(
        path,
        "no coordinate reference system: the .prj file is missing next to "
        r"SG_DataZone_Bdry_2011.shp; copy it from the download",
    )
    assert "SG_DataZone_Bdry_2011.prj" in str(error)


@pytest.mark.parametrize("part", [".dbf", ".shx"])
def test_shapefile_without_companion(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write, part: str
) -> None:
    path = write(datazones, tmp_path / "dz.shp")
    path.with_suffix(part).unlink()
    _raises(path, f"the {part} file is missing next to dz.shp")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_layer_without_crs(tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write) -> None:
    path = write(datazones.set_crs(None, allow_override=True), tmp_path / "dz.gpkg")
    error = _raises(path, "no coordinate reference system")
    assert "EPSG:27700" in str(error)


@pytest.mark.parametrize("name", ["dz.gpkg", "dz.shp"])
def test_unsupported_crs(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write, name: str
) -> None:
    path = write(datazones.to_crs(3857), tmp_path / name)
    error = _raises(path, "coordinate reference system .* is not supported")
    assert "reproject the layer to EPSG:27700" in str(error)


def test_no_code_column_lists_columns(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    frame = datazones.rename(columns={"datazone_code": "zone"}).assign(name="x")
    _raises(
        write(frame, tmp_path / "dz.gpkg"), "no data zone code column; columns found: zone, name"
    )


def test_non_polygon_feature_names_its_row(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    frame = datazones.copy()
    frame.loc[2, "geometry"] = frame.geometry.iloc[2].boundary
    error = _raises(write(frame, tmp_path / "dz.gpkg"), "feature 3 .*S01000003.* not a polygon")
    assert error.row == 3


def test_missing_geometry_names_its_row(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    frame = datazones.copy()
    frame.loc[4, "geometry"] = None
    error = _raises(write(frame, tmp_path / "dz.gpkg"), "feature 5 .* has no geometry")
    assert error.row == 5


def test_blank_code_names_its_row(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    frame = datazones.copy()
    frame.loc[1, "datazone_code"] = " "
    error = _raises(write(frame, tmp_path / "dz.gpkg"), "feature 2 has no data zone code")
    assert (error.row, error.column) == (2, "datazone_code")


def test_duplicate_codes_name_their_rows(
    tmp_path: Path, datazones: gpd.GeoDataFrame, write: Write
) -> None:
    frame = datazones.copy()
    frame.loc[6, "datazone_code"] = "S01000002"
    error = _raises(
        write(frame, tmp_path / "dz.gpkg"), "1 data zone code.*S01000002 at features 2, 7"
    )
    assert error.row == 7
