"""File-defined area types (``etl/catalogue/geographies.yaml``): community councils and the like.

Why: the issue asks for "any area type defined in a file". Each type's raw folder
``data/raw/<source>/<release>/`` (newest release used) holds either polygons assigned data
zones by best fit (``kind: best_fit``, see ``etl/bestfit.py``) or a membership CSV of data zone
or intermediate zone codes (``kind: membership``). The result is two staging tables that the
core SQL unions with the built-in types:

- ``staging.geographies__areas(area_type, area_code, area_name, footprint_share)``
- ``staging.geographies__membership(area_type, area_code, datazone_code, inside_share)``

A type whose raw folder is absent is not built (a note in the build summary says so).
Optional population-weighted centroids come from ``data/raw/dz_centroids/<release>/*.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd

from etl.bestfit import best_fit, datazone_points, measure_fit, nest_within
from etl.catalogue.geographies import (
    GEOGRAPHIES_FILE,
    FileAreaType,
    geographies_path,
    load_geographies,
)
from etl.errors import InputError
from etl.frames import create_table
from etl.sources.files import RawFile, csv_header, land_csv, release_dirs, require_columns

CENTROIDS_SOURCE = "dz_centroids"
CENTROID_CODE_COLUMNS = ("DataZone", "DataZone2011", "DataZone2011Code", "DZ", "dz11_code", "datazone_code")
CENTROID_XY_COLUMNS = (("Easting", "Northing"), ("x", "y"))
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".parquet")
SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
AREAS_TABLE = "staging.geographies__areas"
MEMBERSHIP_TABLE = "staging.geographies__membership"


@dataclass
class FileAreaTypesResult:
    """What the stage built: the raw files used, notes for the summary, and the built types."""

    files: list[RawFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    built: list[FileAreaType] = field(default_factory=list)
    is_partition: dict[str, bool] = field(default_factory=dict)


def newest_release(raw_dir: Path | Sequence[Path], source: str) -> Path | None:
    """``<root>/<source>/<newest release>/``, or None when the source has no release folder.

    ``raw_dir`` is one input root or several (``Settings.input_roots()``: the snapshot, then
    ``data/raw``); see ``etl.sources.files.release_dirs``.
    """
    releases = release_dirs(raw_dir, source)
    return releases[-1][1] if releases else None


def _case_insensitive(columns: list[str], wanted: str) -> str | None:
    by_lower = {c.lower(): c for c in columns}
    return by_lower.get(wanted.lower())


# ---------------------------------------------------------------------------------------------
# population-weighted centroids (optional)


def load_centroids(raw_dir: Path | Sequence[Path], known: set[str]) -> tuple[list[RawFile], pd.DataFrame | None]:
    """NRS population-weighted data zone centroids, EPSG:27700, or None when not supplied.

    Accepts the NRS ``SG_DataZone_Cent_2011`` attribute table saved as CSV (``DataZone``,
    ``Easting``, ``Northing``) or any CSV with a data zone code column and ``x``/``y``.
    """
    release = newest_release(raw_dir, CENTROIDS_SOURCE)
    if release is None:
        return [], None
    paths = sorted(p for p in release.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not paths:
        return [], None
    frames, files = [], []
    for path in paths:
        header = csv_header(path)
        code = next((c for name in CENTROID_CODE_COLUMNS if (c := _case_insensitive(header, name))), None)
        if code is None:
            raise InputError(path, f"no data zone code column (columns found: {', '.join(header[:12])})", row=1,
                             hint=f"name it one of {', '.join(CENTROID_CODE_COLUMNS)}")
        xy = next(((cx, cy) for x, y in CENTROID_XY_COLUMNS
                   if (cx := _case_insensitive(header, x)) and (cy := _case_insensitive(header, y))), None)
        if xy is None:
            raise InputError(path, "no coordinate columns: expected Easting and Northing (or x and y) in "
                             "EPSG:27700 metres", row=1, hint="add the British National Grid coordinates")
        frame = pd.read_csv(path, dtype=str, usecols=[code, *xy], keep_default_na=False, encoding="utf-8-sig")
        frame.columns = ["datazone_code", "x", "y"]
        frame["datazone_code"] = frame["datazone_code"].str.strip()
        for axis, column in zip(("x", "y"), xy, strict=True):
            values = pd.to_numeric(frame[axis].str.strip(), errors="coerce")
            bad = values.isna() | ~np.isfinite(values) | (values < -1e5) | (values > 1.5e6)
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise InputError(path, f"not a British National Grid coordinate in metres: '{frame[axis].iloc[i]}'",
                                 row=i + 2, column=column, hint="give Easting/Northing in EPSG:27700 metres")
            frame[axis] = values
        unknown = ~frame["datazone_code"].isin(known)
        if unknown.any():
            i = int(unknown.to_numpy().argmax())
            raise InputError(path, f"unknown data zone code '{frame['datazone_code'].iloc[i]}'", row=i + 2,
                             column=code, hint="use 2011 data zone codes present in the data zone lookup")
        frames.append(frame)
        files.append(RawFile(CENTROIDS_SOURCE, release.name, path))
    centroids = pd.concat(frames, ignore_index=True).drop_duplicates("datazone_code", keep="last")
    return files, centroids


# ---------------------------------------------------------------------------------------------
# best-fit polygons


def find_layer(folder: Path) -> Path:
    """The one polygon layer in a best-fit area type's release folder."""
    layers = sorted(p for p in folder.iterdir()
                    if p.is_file() and p.suffix.lower() in LAYER_SUFFIXES and not p.name.startswith("."))
    if not layers:
        raise InputError(folder, "no polygon layer (.geojson, .json, .gpkg, .shp or GeoParquet .parquet) found",
                         hint="put the area polygons in this folder (unzip a download first)")
    if len(layers) > 1:
        raise InputError(folder, f"several layers found ({', '.join(p.name for p in layers)}); "
                         "cannot tell which to use", hint="keep only one polygon layer in this folder")
    return layers[0]


def read_area_layer(path: Path, spec: FileAreaType) -> gpd.GeoDataFrame:
    """``GeoDataFrame[area_code, area_name, geometry]`` in EPSG:27700 from one polygon layer.

    Read like the data zone boundaries (``geo.boundaries``): the CRS must be EPSG:27700 or
    4326, features must be polygons (invalid ones repaired). Several features with one code
    (a multi-part area split over rows) are dissolved into one.
    """
    gdf, columns = open_polygon_layer(path)
    resolved = {}
    for key in ("code_field", "name_field"):
        wanted = getattr(spec, key)
        found = _case_insensitive(columns, wanted)
        if found is None:
            raise InputError(path, f"no '{wanted}' property (the {key} of area type '{spec.area_type}' in "
                             f"{GEOGRAPHIES_FILE}); properties found: {', '.join(columns) or 'none'}",
                             column=wanted, hint=f"set {key} in {GEOGRAPHIES_FILE} to the right property name")
        resolved[key] = found
    return polygon_layer(gdf, path, resolved["code_field"], resolved["name_field"])


def open_polygon_layer(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read one layer file in EPSG:27700 and list its properties (everything but the geometry).

    The checks are the data zone boundaries' (``geo.boundaries``): not empty, every part of a
    Shapefile present (``.prj`` included), CRS EPSG:27700 or 4326 (4326 is reprojected).
    """
    from geo import boundaries as gb

    path = Path(path)
    if path.stat().st_size == 0:
        raise InputError(path, "the layer file is empty", hint="download the boundaries again")
    is_shapefile = path.suffix.lower() == ".shp"
    if is_shapefile:
        gb._check_shapefile_parts(path)
    gdf = gb._read_layer(path)
    if len(gdf) == 0:
        raise InputError(path, "the layer contains no features", hint="download the boundaries again")
    gdf = gb._to_bng(gdf, path, is_shapefile)
    return gdf, [str(c) for c in gdf.columns if c != gdf.geometry.name]


def polygon_layer(gdf: gpd.GeoDataFrame, path: Path, code_column: str, name_column: str | None,
                  what: str = "area") -> gpd.GeoDataFrame:
    """``GeoDataFrame[area_code, area_name, geometry]`` from an opened layer and its code/name columns.

    Every feature needs a code and a polygon (invalid ones repaired); ``what`` names the
    features in messages ("area", "ward"). Features sharing a code are dissolved into one.
    """
    from geo import boundaries as gb

    codes = gdf[code_column].astype("string").str.strip()
    blank = codes.isna() | (codes == "")
    if blank.any():
        i = int(blank.to_numpy().argmax())
        raise InputError(path, f"feature {i + 1} has no {what} code", row=i + 1, column=code_column,
                         hint=f"every polygon needs its {what} code")
    geoms = gb._polygons(gdf.geometry.to_numpy().copy(), codes.reset_index(drop=True), path, what=what)
    names = (gdf[name_column].astype("string").str.strip().fillna(codes) if name_column else codes)
    layer = gpd.GeoDataFrame({"area_code": codes.astype(str).to_numpy(), "area_name": names.astype(str).to_numpy()},
                             geometry=geoms, crs=gb.BNG)
    if layer["area_code"].duplicated().any():
        layer = layer.dissolve(by="area_code", aggfunc={"area_name": "first"}, sort=True).reset_index()
    return layer[["area_code", "area_name", "geometry"]]


def _best_fit_type(spec: FileAreaType, release: Path, polygons: gpd.GeoDataFrame, points: np.ndarray,
                   result: FileAreaTypesResult, councils: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = find_layer(release)
    result.files.append(RawFile(spec.source, release.name, path))
    result.files += [RawFile(spec.source, release.name, path.with_suffix(s))
                     for s in SIDECARS if path.with_suffix(s).exists() and path.suffix.lower() == ".shp"]
    layer = read_area_layer(path, spec)
    fit = best_fit(polygons, layer[["area_code", "geometry"]], points)
    if spec.nest_in == "council" and councils is not None:
        nested = nest_within(polygons, layer[["area_code", "geometry"]], fit.assignments, councils)
        before = fit.assignments.set_index("datazone_code")["area_code"]
        after = nested.set_index("datazone_code")["area_code"]
        moved = int((before.reindex(after.index) != after).sum() - (~after.index.isin(before.index)).sum())
        added = int((~after.index.isin(before.index)).sum())
        fit = measure_fit(polygons, layer[["area_code", "geometry"]], nested)
        result.notes.append(f"{spec.area_type}: nested in councils: {moved} data zone(s) whose centroid fell in "
                            f"another council's area and {added} whose centroid fell in no area were given to an "
                            "area of their own council (the one they overlap most, else the nearest)")
    if fit.empty_areas:
        shown = ", ".join(fit.empty_areas[:5]) + (" …" if len(fit.empty_areas) > 5 else "")
        result.notes.append(f"{spec.area_type}: {len(fit.empty_areas)} area(s) hold no data zone centroid and "
                            f"are not built ({shown})")
    areas = fit.areas.merge(layer[["area_code", "area_name"]], on="area_code", how="left")
    areas.insert(0, "area_type", spec.area_type)
    members = fit.assignments.copy()
    members.insert(0, "area_type", spec.area_type)
    return areas[["area_type", "area_code", "area_name", "footprint_share"]], \
        members[["area_type", "area_code", "datazone_code", "inside_share"]]


# ---------------------------------------------------------------------------------------------
# membership CSVs


def _membership_type(con: duckdb.DuckDBPyConnection, spec: FileAreaType, release: Path,
                     result: FileAreaTypesResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    paths = sorted(p for p in release.iterdir() if p.is_file() and p.suffix.lower() == ".csv"
                   and not p.name.startswith((".", "~$")))
    if not paths:
        raise InputError(release, f"no .csv file for area type '{spec.area_type}'",
                         hint=f"put a CSV with columns {spec.code_field}, {spec.name_field}, {spec.member_column}")
    table = f"raw.geographies__{spec.area_type}"
    con.execute(f"DROP TABLE IF EXISTS {table}")
    wanted = [spec.code_field, spec.name_field, spec.member_column]
    for path in paths:
        require_columns(path, csv_header(path), wanted)
        raw_file = RawFile(spec.source, release.name, path)
        land_csv(con, table, raw_file, columns=[f'"{c}" AS c{i}' for i, c in enumerate(wanted)])
        result.files.append(raw_file)
    # every member must be a data zone or intermediate zone of the lookup
    bad = con.execute(f"""
        SELECT _source_file, _source_row, c2 FROM {table}
        WHERE trim(coalesce(c2, '')) NOT IN (SELECT datazone_code FROM staging.simd__geography_lookup
                                UNION SELECT intermediate_zone_code FROM staging.simd__geography_lookup)
           OR trim(coalesce(c0, '')) = ''
        ORDER BY _source_file, _source_row LIMIT 1""").fetchall()
    if bad:
        file, row, value = bad[0]
        raise InputError(file, f"not a data zone or intermediate zone in the lookup (or no area code): '{value}'",
                         row=int(row), column=spec.member_column,
                         hint="use 2011 data zone (S01) or intermediate zone (S02) codes")
    members = con.execute(f"""
        WITH src AS (SELECT trim(c0) AS area_code, trim(c1) AS area_name, trim(c2) AS member_code,
                            _source_file, _source_row FROM {table}),
        expanded AS (
            SELECT s.area_code, s.area_name, l.datazone_code, s._source_file, s._source_row
            FROM src AS s JOIN staging.simd__geography_lookup AS l
              ON l.datazone_code = s.member_code OR l.intermediate_zone_code = s.member_code
        )
        SELECT DISTINCT ON (area_code, datazone_code) area_code, area_name, datazone_code, _source_file, _source_row,
               count(DISTINCT area_code) OVER (PARTITION BY datazone_code) AS areas
        FROM expanded ORDER BY area_code, datazone_code, _source_file, _source_row""").df()
    clash = members[members["areas"] > 1].sort_values(["_source_file", "_source_row"])
    if len(clash):
        first = clash.iloc[0]
        raise InputError(first["_source_file"], f"data zone {first['datazone_code']} belongs to more than one "
                         f"{spec.area_type} area", row=int(first["_source_row"]), column=spec.member_column,
                         hint="give every data zone to at most one area")
    areas = (members.groupby("area_code", sort=True)["area_name"].first().reset_index())
    areas.insert(0, "area_type", spec.area_type)
    areas["footprint_share"] = 1.0
    members = members[["area_code", "datazone_code"]].copy()
    members.insert(0, "area_type", spec.area_type)
    members["inside_share"] = 1.0
    return areas, members


# ---------------------------------------------------------------------------------------------
# the stage


def build_file_area_types(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path], catalogue_dir: Path,
                          datazone_polygons: gpd.GeoDataFrame | None) -> FileAreaTypesResult:
    """Build every file-defined area type whose raw folder exists into the two staging tables."""
    result = FileAreaTypesResult()
    specs = load_geographies(geographies_path(catalogue_dir))
    known = {r[0] for r in con.execute("SELECT datazone_code FROM staging.simd__geography_lookup").fetchall()}
    area_frames: list[pd.DataFrame] = []
    member_frames: list[pd.DataFrame] = []
    polygons: gpd.GeoDataFrame | None = None
    points: np.ndarray | None = None
    for spec in specs:
        release = newest_release(raw_dir, spec.source)
        if release is None:
            result.notes.append(f"area type '{spec.area_type}' not built: no data/raw/{spec.source}/<release>/ folder")
            continue
        if spec.kind == "best_fit":
            if datazone_polygons is None:
                result.notes.append(f"area type '{spec.area_type}' not built: best fit needs the data zone "
                                    "boundaries in data/raw/boundaries")
                continue
            if polygons is None:
                polygons = datazone_polygons[datazone_polygons["datazone_code"].isin(known)].reset_index(drop=True)
                centroid_files, centroids = load_centroids(raw_dir, known)
                result.files += centroid_files
                if centroids is None:
                    result.notes.append("best fit uses each data zone's point on surface (no population-weighted "
                                        "centroids in data/raw/dz_centroids)")
                points = datazone_points(polygons, centroids)
            councils = None
            if spec.nest_in == "council":
                councils = con.execute("SELECT datazone_code, council_code FROM staging.simd__geography_lookup") \
                    .df().set_index("datazone_code")["council_code"]
            areas, members = _best_fit_type(spec, release, polygons, points, result, councils)
        else:
            areas, members = _membership_type(con, spec, release, result)
        area_frames.append(areas)
        member_frames.append(members)
        result.built.append(spec)
        covered = members["datazone_code"].nunique()
        result.is_partition[spec.area_type] = covered == len(known) and len(members) == covered
        result.notes.append(f"area type '{spec.area_type}' ({spec.kind}): {len(areas):,} areas, "
                            f"{covered:,} of {len(known):,} data zones")
    write_staging_table(con, AREAS_TABLE, pd.concat(area_frames, ignore_index=True) if area_frames else None,
                        ["area_type", "area_code", "area_name", "footprint_share"])
    write_staging_table(con, MEMBERSHIP_TABLE, pd.concat(member_frames, ignore_index=True) if member_frames
                        else None, ["area_type", "area_code", "datazone_code", "inside_share"])
    _check_codes_unique(con)
    return result


#: Column types of the staging tables of areas and of data zone shares (here and for wards).
STAGING_COLUMN_TYPES = {"area_type": "VARCHAR", "area_code": "VARCHAR", "area_name": "VARCHAR",
                        "datazone_code": "VARCHAR", "inside_share": "DOUBLE", "footprint_share": "DOUBLE"}


def write_staging_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | None,
                        columns: list[str]) -> None:
    """Create ``table`` with ``columns`` (typed by ``STAGING_COLUMN_TYPES``) from ``frame``, or empty."""
    if frame is None:
        frame = pd.DataFrame({c: pd.Series(dtype="float64" if STAGING_COLUMN_TYPES[c] == "DOUBLE" else "string")
                              for c in columns})
    create_table(con, table, frame[columns],
                 select=", ".join(f"{c}::{STAGING_COLUMN_TYPES[c]} AS {c}" for c in columns))


def _check_codes_unique(con: duckdb.DuckDBPyConnection) -> None:
    """A file-defined area code must not reuse a built-in code (a join on area_code would mix them)."""
    clash = con.execute(f"""
        SELECT g.area_type, g.area_code FROM {AREAS_TABLE} AS g
        WHERE g.area_code IN (SELECT datazone_code FROM staging.simd__geography_lookup
                              UNION SELECT intermediate_zone_code FROM staging.simd__geography_lookup
                              UNION SELECT ward_code FROM staging.simd__geography_lookup
                              UNION SELECT council_code FROM staging.simd__geography_lookup
                              UNION SELECT health_board_code FROM staging.simd__geography_lookup
                              UNION SELECT 'S92000003')
        LIMIT 1""").fetchall()
    if clash:
        area_type, code = clash[0]
        raise InputError(None, f"area type '{area_type}' uses code {code}, which is already a data zone, "
                         "intermediate zone, ward, council or health board code", column="area_code",
                         hint="give file-defined areas their own codes")


__all__ = ["build_file_area_types", "find_layer", "load_centroids", "newest_release", "open_polygon_layer",
           "polygon_layer", "read_area_layer", "write_staging_table"]
