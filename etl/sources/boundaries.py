"""Data zone boundaries: read with geopandas, dissolved to every area type, simplified for the web.

Why: maps must work offline from the warehouse alone, so the simplified WGS84 polygons of
every area are stored in ``marts.area_boundaries`` and swapped in with the rest of the build.
Geometry stays in geopandas because DuckDB's spatial extension cannot be installed offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd

from etl.frames import insert_into
from etl.sources.files import RawFile, release_dirs
from etl.sources.limits import check_raw_file

SOURCE = "boundaries"
SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
# Simplification tolerance in metres per area type: coarse areas are drawn small on a map,
# so they can lose more detail (keeps the council map under ~1 MB at Scotland scale).
WEB_TOLERANCE_M = {"datazone": 50, "intermediate_zone": 50, "ward": 75, "locality": 75, "council": 200,
                   "hscp": 200, "health_board": 300, "scotland": 500}
# File-defined area types (etl/catalogue/geographies.yaml, e.g. community councils) are ward-sized.
DEFAULT_TOLERANCE_M = 75


def load(raw_dir: Path | Sequence[Path]) -> tuple[list[RawFile], gpd.GeoDataFrame | None]:
    """The newest release's data zone polygons in EPSG:27700, or None when there are none.

    ``raw_dir`` is one input root or several (the snapshot, then ``data/raw``: see
    ``etl.sources.files.release_dirs``).
    """
    from geo.boundaries import find_boundary_file, read_datazone_boundaries

    releases = release_dirs(raw_dir, SOURCE)
    if not releases:
        return [], None
    release = releases[-1][1]
    path = find_boundary_file(release)
    for part in [path, *(path.with_suffix(s) for s in SIDECARS)]:
        if part.exists():
            check_raw_file(part)  # the size limit, before geopandas reads it
    polygons = read_datazone_boundaries(path)
    files = [RawFile(SOURCE, release.name, path)]
    files += [RawFile(SOURCE, release.name, path.with_suffix(s)) for s in SIDECARS if path.with_suffix(s).exists()]
    return files, polygons


def boundary_inputs(con: duckdb.DuckDBPyConnection,
                    polygons: gpd.GeoDataFrame | None) -> tuple[set[str], pd.DataFrame | None]:
    """The warehouse's data zones and the bridge to every area type, once core is built."""
    if polygons is None:
        return set(), None
    known = {row[0] for row in con.execute("SELECT datazone_code FROM core.dim_datazone").fetchall()}
    bridge = con.execute("SELECT datazone_code, area_type, area_code FROM core.bridge_datazone_area").df()
    return known, bridge


def web_boundaries(polygons: gpd.GeoDataFrame | None, known: set[str],
                   bridge: pd.DataFrame | None) -> pd.DataFrame:
    """``(area_type, area_code, geojson)`` of every area: dissolved and simplified for the web.

    Pure (no warehouse access), so the build runs it in a thread beside the marts: GEOS and
    DuckDB both release the GIL.
    """
    from geo.dissolve import dissolve_to_areas
    from geo.simplify import simplify_for_web, to_geojson_features

    columns = ["area_type", "area_code", "geojson"]
    if polygons is None or bridge is None:
        return pd.DataFrame(columns=columns)
    polygons = polygons[polygons["datazone_code"].isin(known)]
    bridge = bridge[bridge["datazone_code"].isin(set(polygons["datazone_code"]))]
    areas = dissolve_to_areas(polygons, bridge)
    tolerances = {t: WEB_TOLERANCE_M.get(t, DEFAULT_TOLERANCE_M) for t in areas["area_type"].astype(str).unique()}
    web = simplify_for_web(areas, tolerances)
    features = to_geojson_features(web)
    return pd.DataFrame([(area_type, area_code, geometry) for (area_type, area_code), geometry in features.items()],
                        columns=columns)


def insert_area_boundaries(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Create ``marts.area_boundaries`` holding ``frame`` (``web_boundaries``)."""
    con.execute(
        "CREATE OR REPLACE TABLE marts.area_boundaries (area_type VARCHAR, area_code VARCHAR, geojson VARCHAR)"
    )
    if len(frame):
        insert_into(con, "marts.area_boundaries", frame)
