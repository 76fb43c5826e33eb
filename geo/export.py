"""Write the warehouse's area boundaries as GIS files: GeoJSON and GeoParquet, WGS84.

Why: officers and researchers put the dashboard's areas on their own maps (QGIS, ArcGIS,
R's sf, geopandas); the warehouse keeps each boundary as GeoJSON text in
``marts.area_boundaries``, so this turns them into one standard file per area type with the
``area_code`` and ``area_name`` properties every tool joins on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from etl.errors import InputError
from etl.research import read_only

WGS84 = 4326
FORMATS = ("geojson", "geoparquet")
SUFFIX = {"geojson": ".geojson", "geoparquet": ".parquet"}


@dataclass(frozen=True)
class BoundaryFile:
    """One file written by ``export_boundaries``."""

    area_type: str
    areas: int
    path: Path


def boundaries_frame(warehouse: Path, area_type: str) -> gpd.GeoDataFrame:
    """Every area of ``area_type`` with its simplified WGS84 boundary (read-only)."""
    with read_only(warehouse) as con:
        rows = con.execute("""
            SELECT b.area_code, a.area_name, b.area_type, b.geojson
            FROM marts.area_boundaries AS b JOIN marts.areas AS a USING (area_type, area_code)
            WHERE b.area_type = ? ORDER BY b.area_code""", [area_type]).df()
    geometry = [shapely.geometry.shape(json.loads(text)) for text in rows.pop("geojson")]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=WGS84)


def export_boundaries(warehouse: Path, out_dir: Path, area_types: list[str] | None = None,
                      formats: tuple[str, ...] = FORMATS) -> list[BoundaryFile]:
    """Write ``out_dir/<area_type>.geojson`` and/or ``.parquet`` (GeoParquet) per area type.

    ``area_types`` defaults to every type with boundaries. Raises InputError naming an area type
    without boundaries or an unknown format.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(None, f"unknown boundary format {unknown[0]!r}", hint=f"use one of {', '.join(FORMATS)}")
    with read_only(warehouse) as con:
        present = [r[0] for r in con.execute(
            "SELECT DISTINCT area_type FROM marts.area_boundaries ORDER BY 1").fetchall()]
    wanted = area_types or present
    missing = [t for t in wanted if t not in present]
    if missing:
        raise InputError(warehouse, f"no boundaries for area type {missing[0]!r} in this warehouse",
                         hint=f"area types with boundaries: {', '.join(present) or 'none (add data/raw/boundaries)'}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for area_type in wanted:
        frame = boundaries_frame(warehouse, area_type)
        for fmt in formats:
            path = out_dir / f"{area_type}{SUFFIX[fmt]}"
            if fmt == "geojson":
                frame.to_file(path, driver="GeoJSON")
            else:
                frame.to_parquet(path)
            written.append(BoundaryFile(area_type, len(frame), path))
    return written
