"""Find and read the 2011 data zone boundary layer an officer dropped into ``data/raw``.

Why: boundaries arrive as a Shapefile, GeoPackage, GeoJSON or GeoParquet (the committed
snapshot stores GeoJSON layers as GeoParquet), in British National Grid or WGS84, sometimes
without the ``.prj``. Every problem is reported as an ``InputError``
naming the file, the feature and the remedy, so the map is never silently wrong.

Feature numbers in messages (``row``) are 1-based positions in the layer, as shown in the
attribute table of QGIS or ArcGIS (a layer has no header row).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS

from etl.errors import InputError

BNG = 27700
WGS84 = 4326
LAYER_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".parquet")
CODE_COLUMNS = ("DataZone", "DataZone2011", "DZ", "dz11_code", "datazone_code")
SHAPEFILE_PARTS = (".shx", ".dbf")
_MAX_LISTED = 5
POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon

GeometryArray = npt.NDArray[np.object_]


def find_boundary_file(folder: Path) -> Path:
    """Return the one polygon layer file in ``folder``.

    Why: a boundary release folder must hold exactly one layer; picking one of several
    silently would map the wrong geography.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            folder,
            "boundary folder does not exist",
            hint="create it and put the data zone boundary file in it",
        )
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    layers = [p for p in files if p.suffix.lower() in LAYER_SUFFIXES]
    if not layers:
        found = ", ".join(p.name for p in files) or "nothing"
        zipped = any(p.suffix.lower() == ".zip" for p in files)
        raise InputError(
            folder,
            f"no boundary layer (.shp, .gpkg, .geojson, .json or .parquet) found; the folder holds {found}",
            hint="unzip the download into this folder"
            if zipped
            else "add the 2011 data zone boundaries as a Shapefile, GeoPackage or GeoJSON",
        )
    if len(layers) > 1:
        names = ", ".join(p.name for p in layers)
        raise InputError(
            folder,
            f"several boundary layers found ({names}); cannot tell which to use",
            hint="keep only one data zone boundary layer in this folder",
        )
    return layers[0]


def read_datazone_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read data zone polygons as ``GeoDataFrame[datazone_code, geometry]`` in EPSG:27700.

    Why: downstream dissolve and simplify need one clean coverage in metres. WGS84 input is
    reprojected (pyproj falls back to a Helmert transform offline without the OSTN15 grid:
    metres off, fine for maps); invalid polygons are repaired keeping their polygonal parts.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            path,
            "boundary file does not exist",
            hint="check the path, or put the data zone boundaries there",
        )
    if path.stat().st_size == 0:
        raise InputError(path, "boundary file is empty", hint="download the boundaries again")
    is_shapefile = path.suffix.lower() == ".shp"
    if is_shapefile:
        _check_shapefile_parts(path)
    gdf = _read_layer(path)
    if len(gdf) == 0:
        raise InputError(
            path,
            "boundary file contains no features",
            hint="download the data zone boundaries again",
        )
    gdf = _to_bng(gdf, path, is_shapefile)
    column = _code_column(gdf, path)
    geoms = _polygons(gdf.geometry.to_numpy().copy(), gdf[column], path)
    codes = _codes(gdf[column], path, column)
    return gpd.GeoDataFrame({"datazone_code": codes}, geometry=geoms, crs=BNG)


def _check_shapefile_parts(path: Path) -> None:
    """Fail early when a Shapefile's companion files are missing (GDAL's errors are cryptic)."""
    present = {p.suffix.lower() for p in path.parent.iterdir() if p.stem == path.stem}
    for suffix in SHAPEFILE_PARTS:
        if suffix not in present:
            raise InputError(
                path,
                f"the {suffix} file is missing next to {path.name}",
                hint="copy every file of the Shapefile from the download",
            )


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read the single polygon layer of ``path``, turning driver errors into InputError."""
    if path.suffix.lower() == ".parquet":
        return _read_geoparquet(path)
    try:
        layers = pyogrio.list_layers(path)
        polygon_layers = [str(n) for n, g in layers if g and "polygon" in str(g).lower()]
        if len(layers) > 1 and len(polygon_layers) != 1:
            names = ", ".join(str(n) for n, _ in layers)
            raise InputError(
                path,
                f"expected one polygon layer, found layers {names}",
                hint="save the data zone polygons alone in their own file",
            )
        layer = polygon_layers[0] if len(layers) > 1 else None
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
    ) as exc:
        raise InputError(
            path,
            f"cannot be read as a boundary layer ({exc})",
            hint="re-download the file; it may be truncated or not a GIS file",
        ) from exc


def _read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """A GeoParquet file (one table with a geometry column), e.g. a snapshot's boundaries."""
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(
            path,
            f"cannot be read as a GeoParquet boundary layer ({exc})",
            hint="re-create it with geopandas' to_parquet, or use GeoJSON, GeoPackage or a Shapefile",
        ) from exc


def _to_bng(gdf: gpd.GeoDataFrame, path: Path, is_shapefile: bool) -> gpd.GeoDataFrame:
    """Check the CRS is British National Grid or WGS84 and return the layer in EPSG:27700."""
    if gdf.crs is None:
        prj = path.with_suffix(".prj").name
        if is_shapefile and not any(
            p.stem == path.stem and p.suffix.lower() == ".prj" for p in path.parent.iterdir()
        ):
            raise InputError(
                path,
                f"no coordinate reference system: the .prj file is missing "
                f"next to {path.name}; copy it from the download",
                hint=f"copy {prj} from the download into {path.parent}",
            )
        raise InputError(
            path,
            "no coordinate reference system",
            hint="save the layer in EPSG:27700 (British National Grid) or EPSG:4326",
        )
    epsg = _epsg(gdf.crs)
    if epsg == BNG:
        return gdf.set_crs(BNG, allow_override=True)
    if epsg == WGS84:
        return gdf.to_crs(BNG)
    name = gdf.crs.to_string()
    raise InputError(
        path,
        f"coordinate reference system {name} is not supported",
        hint="reproject the layer to EPSG:27700 (British National Grid) or EPSG:4326",
    )


def _epsg(crs: CRS) -> int | None:
    """Return the EPSG code of ``crs``, treating OGC:CRS84 (lon/lat WGS84) as 4326."""
    if crs.equals(CRS.from_user_input("OGC:CRS84")):
        return WGS84
    return crs.to_epsg(min_confidence=50)


def _code_column(gdf: gpd.GeoDataFrame, path: Path) -> str:
    """Return the data zone code column, matching the accepted names case-insensitively."""
    by_lower = {str(c).lower(): str(c) for c in gdf.columns if c != gdf.geometry.name}
    for name in CODE_COLUMNS:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    found = ", ".join(by_lower.values()) or "none"
    raise InputError(
        path,
        f"no data zone code column; columns found: {found}",
        hint=f"name the code column one of {', '.join(CODE_COLUMNS)}",
    )


def _polygons(geoms: GeometryArray, codes: pd.Series, path: Path, what: str = "data zone") -> GeometryArray:
    """Check every feature is a polygon and repair invalid ones, keeping polygonal parts.

    ``what`` names the features in messages ("data zone", "ward", "area").
    """
    types = shapely.get_type_id(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    bad = empty | ~np.isin(types, POLYGONAL)
    if bad.any():
        i = int(bad.argmax())
        problem = "has no geometry" if empty[i] else f"is a {geoms[i].geom_type}, not a polygon"
        raise InputError(
            path,
            f"feature {i + 1} ({what} {codes.iloc[i]}) {problem}",
            row=i + 1,
            column="geometry",
            hint=f"keep only the {what} polygons in the layer",
        )
    geoms = shapely.force_2d(geoms)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms[invalid] = fixed
        lost = shapely.is_empty(geoms) | ~np.isin(shapely.get_type_id(geoms), POLYGONAL)
        if lost.any():
            i = int(lost.argmax())
            raise InputError(
                path,
                f"feature {i + 1} ({what} {codes.iloc[i]}) is an invalid "
                "polygon that cannot be repaired",
                row=i + 1,
                column="geometry",
                hint="fix or re-download the boundaries",
            )
    return geoms


def _codes(values: pd.Series, path: Path, column: str) -> list[str]:
    """Return the data zone codes as stripped strings; reject blanks and duplicates."""
    codes = values.astype("string").str.strip().reset_index(drop=True)
    blank = codes.isna() | (codes == "")
    if blank.any():
        i = int(blank.to_numpy().argmax())
        raise InputError(
            path,
            f"feature {i + 1} has no data zone code",
            row=i + 1,
            column=column,
            hint="every polygon needs its S01 data zone code",
        )
    dup = codes.duplicated(keep=False)
    if dup.any():
        groups = codes[dup].groupby(codes[dup], sort=False).groups
        listed = "; ".join(
            f"{code} at features {', '.join(str(i + 1) for i in rows)}"
            for code, rows in list(groups.items())[:_MAX_LISTED]
        )
        first_repeat = int(codes.duplicated().to_numpy().argmax()) + 1
        raise InputError(
            path,
            f"{len(groups)} data zone code(s) appear more than once: {listed}",
            row=first_repeat,
            column=column,
            hint="keep one polygon per data zone (dissolve multi-part zones)",
        )
    return codes.astype(str).tolist()
