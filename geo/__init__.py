"""Geometry layer of the ETL: read data zone boundaries, dissolve, simplify for the web.

Why a separate package: DuckDB spatial cannot be installed offline, so every geometry
operation is a pure function over geopandas/shapely; the ETL stores only the resulting
WGS84 GeoJSON text (one row per area) in the warehouse.
"""

from geo.boundaries import find_boundary_file, read_datazone_boundaries
from geo.dissolve import dissolve_to_areas
from geo.simplify import feature_collection, simplify_for_web, to_geojson_features

__all__ = [
    "dissolve_to_areas",
    "feature_collection",
    "find_boundary_file",
    "read_datazone_boundaries",
    "simplify_for_web",
    "to_geojson_features",
]
