"""Byte-stable writers for the demo's CSV files, Shapefile and GeoJSON layers.

Why: the demo promises identical bytes for the same seed, and the Scotland-sized run writes
millions of rows, so CSVs go through Arrow's C++ writer (fast, fixed formatting) and the
Shapefile's date stamp is pinned after GDAL writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely

#: The date written into the .dbf header (GDAL would stamp today's date).
DBF_DATE = (2011 - 1900, 3, 27)
#: The named CRS member of a GeoJSON layer in British National Grid (as GDAL writes it).
CRS_27700 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def categorical(values: np.ndarray | list[str], codes: np.ndarray) -> pa.DictionaryArray:
    """A dictionary-encoded string column: ``values[codes]`` without building the strings."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(codes, dtype=np.int32)), pa.array(list(values), type=pa.string())
    )


def write_csv(path: Path, columns: dict[str, pa.Array | np.ndarray], *, quote: bool) -> int:
    """Write ``columns`` to ``path`` (LF line ends); returns the number of rows.

    Why: the real SAPE files quote every string and header (``quote=True``), while the
    statistics.gov.scot and SIMD files quote nothing that does not need it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table({k: v if isinstance(v, pa.Array) else pa.array(v) for k, v in columns.items()})
    style = "needed" if quote else "none"
    opts = pacsv.WriteOptions(quoting_style=style, quoting_header=style, eol="\n")
    pacsv.write_csv(table, str(path), write_options=opts)
    return table.num_rows


def write_plain_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write small already-formatted rows, quoting a cell only when it holds a comma or quote."""

    def cell(s: str) -> str:
        if any(c in s for c in ',"\n'):
            return '"' + s.replace('"', '""') + '"'
        return s

    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(cell(h) for h in header)]
    lines += [",".join(cell(c) for c in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_shapefile(
    path: Path, codes: np.ndarray, names: np.ndarray, geoms: np.ndarray
) -> list[Path]:
    """Write a data zone Shapefile (EPSG:27700) with columns DataZone, Name; return its files."""
    import geopandas as gpd

    path.parent.mkdir(parents=True, exist_ok=True)
    gdf = gpd.GeoDataFrame(
        {"DataZone": list(codes), "Name": list(names)}, geometry=list(geoms), crs="EPSG:27700"
    )
    gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
    dbf = path.with_suffix(".dbf")
    with dbf.open("r+b") as fh:  # pin the "last updated" date (bytes 1-3)
        fh.seek(1)
        fh.write(bytes(DBF_DATE))
    return sorted(p for p in path.parent.iterdir() if p.stem == path.stem)


def _rounded(coords: object) -> object:
    """Coordinates rounded to 0.1 m (nested lists as in a GeoJSON geometry)."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 1) for c in coords]
    return [_rounded(c) for c in coords]  # type: ignore[union-attr]


def write_geojson_27700(path: Path, name: str, properties: list[dict[str, str]],
                        geometries: list[shapely.Geometry]) -> Path:
    """Write one polygon layer as compact GeoJSON in EPSG:27700, coordinates rounded to 0.1 m."""
    features = []
    for props, geom in zip(properties, geometries, strict=True):
        mapping = shapely.geometry.mapping(geom)
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": mapping["type"], "coordinates": _rounded(mapping["coordinates"])}})
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "name": name, "crs": CRS_27700, "features": features}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    return path
