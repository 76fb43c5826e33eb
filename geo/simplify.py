"""Simplify area polygons for a browser map and serialise them as compact GeoJSON.

Why: full-resolution data zones are ~59 MB of GeoJSON; the dashboard must load a map in
a moment. Simplifying each polygon on its own opens slivers and gaps between neighbours,
so each area type is simplified as one coverage (shared edges are simplified once).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from etl.errors import InputError

BNG = 27700
WGS84 = 4326
DECIMALS = 6  # 1e-6 degrees is ~0.1 m: far below the simplification tolerance
POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon

log = logging.getLogger(__name__)


def simplify_for_web(
    areas: gpd.GeoDataFrame, tolerance_m: float | Mapping[str, float] = 50
) -> gpd.GeoDataFrame:
    """Return ``areas`` simplified per area type, in EPSG:4326 with rounded coordinates.

    ``tolerance_m`` is one tolerance in metres, or one per area type (e.g. coarser for
    councils, whose outlines would otherwise carry every data zone coastline vertex).

    Why: ``shapely.coverage_simplify`` (Visvalingam-Whyatt on shared edges; the tolerance
    is roughly the square root of the area of removed triangles, in metres) keeps
    neighbours edge-matched, so no slivers or gaps appear. Shared vertices are reprojected
    and rounded identically, so the coverage survives; any polygon the rounding makes
    invalid is repaired. Rings are oriented counter-clockwise as RFC 7946 asks.
    An area type that is not a clean coverage falls back to per-polygon
    topology-preserving simplification (logged as a warning).
    """
    for column in ("area_type", "area_code"):
        if column not in areas.columns:
            raise InputError(None, f"argument 'areas' lacks column {column}", column=column)
    if areas.crs is None:
        raise InputError(
            None,
            "argument 'areas' has no coordinate reference system",
            hint="build areas with dissolve_to_areas (EPSG:27700)",
        )
    tolerances = _tolerances(tolerance_m, areas["area_type"].astype(str).unique().tolist())
    projected = areas if areas.crs.to_epsg() == BNG else areas.to_crs(BNG)
    geoms = projected.geometry.to_numpy()
    simplified = np.empty(len(geoms), dtype=object)
    for area_type, rows in projected.groupby("area_type", sort=False).indices.items():
        simplified[rows] = _simplify_coverage(
            geoms[rows], tolerances[str(area_type)], str(area_type)
        )
    wgs = gpd.GeoSeries(simplified, crs=BNG).to_crs(WGS84).to_numpy()
    wgs = _valid_polygons(shapely.transform(wgs, lambda xy: np.round(xy, DECIMALS)))
    out = projected.drop(columns=projected.geometry.name).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=shapely.orient_polygons(wgs), crs=WGS84)


def to_geojson_features(gdf: gpd.GeoDataFrame) -> dict[tuple[str, str], str]:
    """Return ``{(area_type, area_code): compact GeoJSON geometry}`` for the warehouse.

    Why: the warehouse stores one text row per area (``marts.area_boundaries``); keeping
    the geometry alone lets any subset be assembled into a FeatureCollection by string
    concatenation (see ``feature_collection``) without parsing.
    """
    texts = shapely.to_geojson(gdf.geometry.to_numpy())
    keys = zip(gdf["area_type"].astype(str), gdf["area_code"].astype(str), strict=True)
    return dict(zip(keys, texts.tolist(), strict=True))


def feature_collection(rows: Iterable[tuple[str, str]] | Mapping[str, str]) -> str:
    """Return a compact GeoJSON FeatureCollection from ``(area_code, geometry_json)`` pairs.

    Why: the dashboard builds one FeatureCollection per area type for a choropleth keyed
    on ``properties.area_code`` (also the feature ``id``); joining the stored strings is
    far cheaper than loading geometries again.
    """
    pairs = rows.items() if isinstance(rows, Mapping) else rows
    features = ",".join(
        f'{{"type":"Feature","id":{json.dumps(code)},'
        f'"properties":{{"area_code":{json.dumps(code)}}},"geometry":{geometry}}}'
        for code, geometry in pairs
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def _tolerances(
    tolerance_m: float | Mapping[str, float], area_types: list[str]
) -> dict[str, float]:
    """Return a checked tolerance (metres, >= 0) for every area type present."""
    given = (
        tolerance_m if isinstance(tolerance_m, Mapping) else dict.fromkeys(area_types, tolerance_m)
    )
    missing = [t for t in area_types if t not in given]
    if missing:
        raise InputError(
            None, f"argument 'tolerance_m' has no tolerance for area type(s) {', '.join(missing)}"
        )
    out = {t: float(given[t]) for t in area_types}
    bad = {t: v for t, v in out.items() if not v >= 0}
    if bad:
        raise InputError(None, f"argument 'tolerance_m' must be >= 0 metres, got {bad}")
    return out


def _simplify_coverage(
    geoms: npt.NDArray[np.object_], tolerance: float, area_type: str
) -> npt.NDArray[np.object_]:
    """Simplify one area type as a coverage, or polygon by polygon when it is not one."""
    if tolerance == 0:
        return geoms
    if shapely.coverage_is_valid(geoms):
        return shapely.coverage_simplify(geoms, tolerance)
    log.warning(
        "area type %s is not an edge-matched coverage; simplifying polygons one by "
        "one (neighbours may show small gaps)",
        area_type,
    )
    return shapely.simplify(geoms, tolerance, preserve_topology=True)


def _valid_polygons(geoms: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Repair polygons made invalid by reprojection or rounding, keeping polygonal parts."""
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(
            geoms[invalid], method="structure", keep_collapsed=False
        )
    return geoms
