"""Optional ward boundaries: measure how well the lookup's wards fit the real ward polygons.

Why: multi-member wards are not built from whole data zones. The SIMD data zone lookup gives
each data zone one ward (``MMWcode``, the Scottish Government's own best fit), and cpop keeps
that assignment exactly. With the real ward boundaries in
``data/raw/ward_boundaries/<release>/`` the build measures how good it is, with the shares and
the SQL of the community councils (``etl/bestfit.py``, ``marts.areas``); without them the
wards' ``fit_quality`` stays NULL ("not measured").

The layer is read by the readers of the file-defined area types (``etl/sources/area_types.py``,
``geo/boundaries.py``): Shapefile with its ``.prj``, GeoPackage or GeoJSON, EPSG:27700 or 4326.
The ward code property is found among the names publishers use (``WARD_CODE_FIELDS``), or named
by ``ward_boundaries.code_field`` in ``etl/catalogue/geographies.yaml``. Two tables result,
always created (empty when nothing is measured) and read by ``marts.areas`` only; the ward
membership itself (``core.bridge_datazone_area``) still comes from the lookup:

- ``staging.ward_boundaries__membership(area_type, area_code, datazone_code, inside_share)``
- ``staging.ward_boundaries__areas(area_type, area_code, footprint_share)``
- ``staging.ward_boundaries__names(area_code, area_name)``: the wards' names in the boundary
  file, which repair names the look-up truncated (below)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd

from etl.bestfit import measure_fit
from etl.catalogue.geographies import GEOGRAPHIES_FILE, geographies_path, load_geographies_file
from etl.errors import InputError
from etl.sources.area_types import (
    SIDECARS,
    find_layer,
    newest_release,
    open_polygon_layer,
    polygon_layer,
    write_staging_table,
)
from etl.sources.files import RawFile

SOURCE = "ward_boundaries"
MEMBERSHIP_TABLE = "staging.ward_boundaries__membership"
AREAS_TABLE = "staging.ward_boundaries__areas"
NAMES_TABLE = "staging.ward_boundaries__names"
#: Ward name property names (matched case-insensitively): ONS ``WD21NM`` (any year), geographr
#: ``ward21_name``, SG ``MMWname`` / ``Name``.
WARD_NAME_FIELDS = ("wd21nm", "wd22nm", "wd23nm", "ward21_name", "mmwname", "ward_name", "name")
#: Ward code property names, most specific first (matched case-insensitively): ONS ``WD21CD``
#: (any year), geographr ``ward21_code``, SG ``MMWcode`` / ``MMWard_Code``, then ``ward_code``
#: and SG's bare ``Code``. When several are present, the one holding most lookup wards wins.
WARD_CODE_FIELDS = (r"wd\d{2}cd", r"ward\d{2}_?code", r"mmw_?code", r"mmward_?code", r"ward_?code", r"code")
KNOWN_NAMES = "WD21CD (ONS, any year), ward21_code, MMWcode, MMWard_Code, ward_code or Code"
_SHOWN = 5


@dataclass
class WardFitResult:
    """What the ward fit did: files read, notes for the summary, and whether it measured anything."""

    files: list[RawFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measured: bool = False
    reason: str = ""
    layer: str | None = None
    code_field: str | None = None


def _shown(codes: list[str]) -> str:
    return ", ".join(codes[:_SHOWN]) + (" …" if len(codes) > _SHOWN else "")


def ward_code_column(gdf: gpd.GeoDataFrame, columns: list[str], path: Path, wards: set[str],
                     configured: str | None) -> str:
    """The property holding the ward code: ``configured`` if set, else the best known name.

    Among the properties whose names match ``WARD_CODE_FIELDS`` the one with most values that
    are wards of the lookup is taken (ties: the more specific name). A property none of whose
    values is a lookup ward means the file is of another ward edition (or the wrong property):
    the build stops naming the file and the property.
    """
    def matches(column: str) -> int:
        return int(gdf[column].astype("string").str.strip().isin(wards).sum())

    if configured is not None:
        found = next((c for c in columns if c.lower() == configured.lower()), None)
        if found is None:
            raise InputError(path, f"no '{configured}' property (ward_boundaries.code_field in {GEOGRAPHIES_FILE}); "
                             f"properties found: {', '.join(columns) or 'none'}", column=configured,
                             hint=f"set ward_boundaries.code_field in etl/catalogue/{GEOGRAPHIES_FILE} to the "
                                  "property holding the S13 ward code")
        candidates = [found]
    else:
        candidates = [c for pattern in WARD_CODE_FIELDS for c in columns if re.fullmatch(pattern, c, re.IGNORECASE)]
        if not candidates:
            raise InputError(path, f"no ward code property: expected one of {KNOWN_NAMES}; properties found: "
                             f"{', '.join(columns) or 'none'}",
                             hint=f"rename the property, or name it in ward_boundaries.code_field in "
                                  f"etl/catalogue/{GEOGRAPHIES_FILE}")
    counts = [matches(c) for c in candidates]
    best = max(range(len(candidates)), key=lambda i: (counts[i], -i))
    column = candidates[best]
    if counts[best] == 0:
        values = gdf[column].astype("string").str.strip().dropna()
        example = f" (for example '{values.iloc[0]}')" if len(values) else ""
        raise InputError(path, f"none of the {len(gdf):,} codes in property '{column}' is a ward of the data zone "
                         f"lookup (MMWcode){example}", column=column,
                         hint="use the ward boundaries of the lookup's edition (the 2017 wards, e.g. ONS "
                              "WD21CD, for SIMD 2020v2), or name the ward code property in "
                              f"ward_boundaries.code_field in etl/catalogue/{GEOGRAPHIES_FILE}")
    return column


def measure_ward_fit(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path], catalogue_dir: Path,
                     datazone_polygons: gpd.GeoDataFrame | None) -> WardFitResult:
    """Measure the lookup's ward of every data zone against the ward boundaries, if supplied.

    Writes ``staging.ward_boundaries__membership`` and ``staging.ward_boundaries__areas``
    (empty when not measured). Wards in the file but not in the lookup are ignored, and lookup
    wards without a polygon (or with a data zone without one) stay not measured; both are
    listed in the notes.
    """
    result = WardFitResult()
    members: pd.DataFrame | None = None
    areas: pd.DataFrame | None = None
    names: pd.DataFrame | None = None
    settings = load_geographies_file(geographies_path(catalogue_dir)).ward_boundaries
    release = newest_release(raw_dir, SOURCE)
    if release is None:
        result.reason = f"no data/raw/{SOURCE}/<release>/ folder"
    else:
        path = find_layer(release)
        result.files.append(RawFile(SOURCE, release.name, path))
        if path.suffix.lower() == ".shp":
            result.files += [RawFile(SOURCE, release.name, path.with_suffix(s))
                             for s in SIDECARS if path.with_suffix(s).exists()]
        result.layer = f"{SOURCE}/{release.name}/{path.name}"
        lookup = con.execute("SELECT datazone_code, ward_code FROM staging.simd__geography_lookup").df()
        wards = set(lookup["ward_code"].dropna().astype(str))
        gdf, columns = open_polygon_layer(path)
        result.code_field = ward_code_column(gdf, columns, path, wards, settings.code_field)
        layer = polygon_layer(gdf, path, result.code_field, None, what="ward")
        in_file = set(layer["area_code"])
        name_field = next((c for f in WARD_NAME_FIELDS for c in gdf.columns if str(c).lower() == f), None)
        if name_field is not None:
            names = pd.DataFrame({"area_code": gdf[result.code_field].astype(str).str.strip(),
                                  "area_name": gdf[name_field].astype(str).str.strip()}).drop_duplicates("area_code")
        if extra := sorted(in_file - wards):
            result.notes.append(f"ward boundaries: {len(extra)} ward(s) in {result.layer} are not in the data zone "
                                f"lookup and are ignored ({_shown(extra)})")
        if missing := sorted(wards - in_file):
            result.notes.append(f"ward boundaries: {len(missing)} lookup ward(s) have no polygon in {result.layer}; "
                                f"their fit is not measured ({_shown(missing)})")
        if datazone_polygons is None:
            result.reason = "measuring it needs the data zone boundaries in data/raw/boundaries"
        else:
            have = set(datazone_polygons["datazone_code"].astype(str))
            partial = sorted(set(lookup.loc[~lookup["datazone_code"].isin(have), "ward_code"]) & in_file)
            if partial:
                result.notes.append(f"ward boundaries: {len(partial)} ward(s) hold a data zone with no boundary in "
                                    f"data/raw/boundaries; their fit is not measured ({_shown(partial)})")
            assignment = lookup[lookup["ward_code"].isin(in_file - set(partial))].rename(
                columns={"ward_code": "area_code"})
            fit = measure_fit(datazone_polygons[datazone_polygons["datazone_code"].isin(set(lookup["datazone_code"]))],
                              layer[layer["area_code"].isin(wards)][["area_code", "geometry"]], assignment)
            members = fit.assignments.assign(area_type="ward")
            areas = fit.areas.assign(area_type="ward")
            result.measured = len(areas) > 0
    write_staging_table(con, MEMBERSHIP_TABLE, members, ["area_type", "area_code", "datazone_code", "inside_share"])
    write_staging_table(con, AREAS_TABLE, areas, ["area_type", "area_code", "footprint_share"])
    write_staging_table(con, NAMES_TABLE, names, ["area_code", "area_name"])
    return result


def ward_fit_note(con: duckdb.DuckDBPyConnection, result: WardFitResult) -> str:
    """The build summary's line on the ward fit: measured against which file, and the range."""
    if not result.measured:
        return f"ward fit not measured ({result.reason}): marts.areas.fit_quality is NULL for wards"
    measured, total, low, high, mean = con.execute("""
        SELECT count(fit_quality), count(*), min(fit_quality), max(fit_quality),
               coalesce(sum(fit_quality * population) FILTER (WHERE fit_quality IS NOT NULL)
                        / nullif(sum(population) FILTER (WHERE fit_quality IS NOT NULL), 0), avg(fit_quality))
        FROM marts.areas WHERE area_type = 'ward'""").fetchall()[0]
    return (f"ward fit measured against {result.layer} (code property '{result.code_field}'): {measured:,} of "
            f"{total:,} wards, fit_quality {low:.3f} to {high:.3f} (population-weighted mean {mean:.3f})")


__all__ = ["WARD_CODE_FIELDS", "WardFitResult", "measure_ward_fit", "ward_code_column", "ward_fit_note"]
