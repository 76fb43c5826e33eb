"""Dissolve data zone polygons into every area type of the data zone lookup.

Why: the warehouse aggregates at data zone grain through ``core.bridge_datazone_area``;
the map needs the matching polygons for intermediate zones, wards, councils and any
user-defined area, built from the same bridge so figures and boundaries never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from etl.errors import InputError

BNG = 27700
BRIDGE_COLUMNS = ("datazone_code", "area_type", "area_code")
_MAX_LISTED = 5

log = logging.getLogger(__name__)


def dissolve_to_areas(datazones: gpd.GeoDataFrame, bridge: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``GeoDataFrame[area_type, area_code, geometry]`` (EPSG:27700), one row per area.

    Why: each area is the union of its member data zones. Data zones tile Scotland without
    overlap, so the union is a coverage union (edges shared by two members cancel), which
    is orders of magnitude faster than a general overlay; a general ``union_all`` is used
    only when the data zones are not a clean coverage (e.g. after repairing polygons).
    Rows are sorted by area type and code.
    """
    _require_columns(datazones, "datazones", ("datazone_code", "geometry"))
    _require_columns(bridge, "bridge", BRIDGE_COLUMNS)
    dz = _in_bng(datazones)
    codes = dz["datazone_code"].astype(str).str.strip()
    if codes.duplicated().any():
        repeated = codes[codes.duplicated()].unique().tolist()
        raise InputError(
            None,
            f"argument 'datazones' repeats data zone codes: {_listed(repeated)}",
            column="datazone_code",
            hint="pass one polygon per data zone",
        )
    links = _clean_bridge(bridge, set(codes))
    position = pd.Series(np.arange(len(codes)), index=codes.to_numpy())
    members = position.reindex(links["datazone_code"].to_numpy()).to_numpy()
    geoms = dz.geometry.to_numpy()
    is_coverage = bool(shapely.coverage_is_valid(geoms))
    if not is_coverage:
        log.warning("data zones are not an edge-matched coverage; using the slower union_all")
    union = shapely.coverage_union_all if is_coverage else shapely.union_all
    groups = links.groupby(["area_type", "area_code"], sort=True).indices
    keys = list(groups)
    shapes = [
        geoms[members[rows[0]]] if len(rows) == 1 else union(geoms[members[rows]])
        for rows in groups.values()
    ]
    return gpd.GeoDataFrame(
        {"area_type": [k[0] for k in keys], "area_code": [k[1] for k in keys]},
        geometry=shapely.force_2d(np.asarray(shapes, dtype=object)),
        crs=BNG,
    )


def _require_columns(frame: pd.DataFrame, argument: str, columns: Iterable[str]) -> None:
    """Raise InputError naming the argument and the columns it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            None,
            f"argument '{argument}' lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, frame.columns))}",
            column=missing[0],
        )


def _in_bng(datazones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the data zones in EPSG:27700 so unions and later tolerances are in metres."""
    if datazones.crs is None:
        raise InputError(
            None,
            "argument 'datazones' has no coordinate reference system",
            hint="read boundaries with read_datazone_boundaries",
        )
    if datazones.crs.to_epsg() == BNG:
        return datazones
    return datazones.to_crs(BNG)


def _clean_bridge(bridge: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """Return the distinct bridge rows as strings, checking blanks, conflicts and coverage.

    Why: a data zone in two areas of one type would double-count polygons and break the
    per-type coverage the web simplification relies on; a bridge code without a polygon
    would leave a hole in the map.
    """
    links = bridge.loc[:, list(BRIDGE_COLUMNS)].astype("string")
    links = links.apply(lambda s: s.str.strip()).reset_index(drop=True)
    blank = (links.isna() | (links == "")).any(axis=1).to_numpy()
    if blank.any():
        i = int(blank.argmax())
        column = next(c for c in BRIDGE_COLUMNS if pd.isna(links.at[i, c]) or links.at[i, c] == "")
        raise InputError(
            None,
            f"argument 'bridge' has a blank value in its row {i + 1}",
            column=column,
            hint="every bridge row needs a data zone, area type and code",
        )
    links = links.drop_duplicates().astype(str)
    conflict = links.duplicated(["datazone_code", "area_type"], keep=False)
    if conflict.any():
        first = links[conflict].iloc[0]
        areas = links.loc[
            conflict
            & (links["datazone_code"] == first["datazone_code"])
            & (links["area_type"] == first["area_type"]),
            "area_code",
        ].tolist()
        raise InputError(
            None,
            f"argument 'bridge' puts data zone {first['datazone_code']} in "
            f"{len(areas)} areas of type {first['area_type']}: {_listed(areas)}",
            column="area_code",
            hint="each data zone belongs to one area per type",
        )
    unknown = sorted(set(links["datazone_code"]) - known)
    if unknown:
        raise InputError(
            None,
            f"argument 'bridge' names {len(unknown)} data zone(s) with no "
            f"boundary: {_listed(unknown)}",
            column="datazone_code",
            hint="use boundaries and a lookup of the same (2011) data zones",
        )
    return links


def _listed(values: list[str]) -> str:
    """Return the first few values joined for a message, with a count of the rest."""
    head = ", ".join(map(str, values[:_MAX_LISTED]))
    rest = len(values) - _MAX_LISTED
    return head + (f" and {rest} more" if rest > 0 else "")
