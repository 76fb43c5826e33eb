"""Writing the ``meta`` schema: the catalogue, its data mappings, area types and build info.

Why: the dashboard and researchers read labels, polarity and methods only from the
warehouse (``meta.indicators``), and the SQL reads the declarative mappings from
``meta.indicator_mappings`` so no dataset needs code of its own.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.catalogue.geographies import FileAreaType
from etl.catalogue.models import Indicator, Side
from etl.errors import InputError
from etl.frames import create_table

AREA_TYPES = [
    # area_type, label, plural, sort order, partitions the whole country
    ("datazone", "Data zone", "Data zones", 1, True),
    ("intermediate_zone", "Intermediate zone", "Intermediate zones", 2, True),
    ("ward", "Multi-member ward", "Multi-member wards", 3, True),
    ("locality", "Locality", "Localities", 4, False),
    ("council", "Council area (CPP)", "Council areas (CPPs)", 5, True),
    ("hscp", "Health and social care partnership", "HSCPs", 6, True),
    ("health_board", "Health board", "Health boards", 7, True),
    ("scotland", "Scotland", "Scotland", 8, True),
]
AREA_TYPE_COLUMNS = ["area_type", "label", "plural_label", "sort_order", "is_partition", "is_best_fit", "caveat"]
WARD_CAVEAT = ("Multi-member wards are not built from whole data zones: the data zone lookup gives each data "
               "zone to one ward (a best fit), so ward figures approximate the ward's real boundary.")
# Population age bands stored in core.fct_population_datazone start at these ages.
BAND_STARTS = {0, 5, 10, 15, 16, *range(20, 95, 5)}


def indicators_frame(indicators: list[Indicator]) -> pd.DataFrame:
    """One row per indicator with every catalogue field a reader needs."""
    rows = []
    for ind in indicators:
        rows.append({
            "indicator_id": ind.id,
            "title": ind.title,
            "short_title": ind.short_title,
            "soa_priority": ind.soa_priority.value,
            "soa_priority_label": ind.soa_priority_label,
            "definition": ind.definition,
            "source": ind.source,
            "publisher": ind.publisher,
            "latest_release": None,  # filled once the values are built (etl/build.py)
            "numerator_definition": ind.numerator_definition,
            "denominator_definition": ind.denominator_definition,
            "measure_type": ind.measure_type,
            "multiplier": ind.multiplier,
            "unit_label": ind.unit_label,
            "aggregation": ind.aggregation,
            "polarity": ind.polarity,
            "publisher_polarity": ind.publisher_polarity,
            "ci_method": ind.resolved_ci_method,
            "disclosure_rule": ind.disclosure.rule,
            "disclosure_min_count": ind.disclosure.min_count,
            "disclosure_suppress_zero": ind.disclosure.suppress_zero,
            "disclosure_applied_by": ind.disclosure.applied_by,
            "withheld_lower": ind.disclosure.withheld_range[0] if ind.disclosure.withheld_range else None,
            "withheld_upper": ind.disclosure.withheld_range[1] if ind.disclosure.withheld_range else None,
            "geographies": list(ind.geographies),
            "native_geography": ind.native_geography,
            "period_type": ind.period_type,
            "rolling_years": ind.rolling_years,
            "baseline_year": ind.baseline_year,
            "caveats": " ".join(ind.caveats),
            "update_frequency": ind.update_frequency,
            "last_update": ind.last_update,
            "next_update": ind.next_update,
            "is_local": ind.local is not None,
            "local_organisation": ind.local.organisation if ind.local else None,
            "licence": ind.local.licence if ind.local else None,
            "sharing_restriction": ind.local.sharing_restriction if ind.local else None,
        })
    frame = pd.DataFrame(rows)
    for column in ("withheld_lower", "withheld_upper"):
        frame[column] = frame[column].astype("Float64")
    frame["latest_release"] = frame["latest_release"].astype("string")
    frame["publisher_polarity"] = frame["publisher_polarity"].astype("string")  # VARCHAR even when all NULL
    for column in ("local_organisation", "licence", "sharing_restriction"):
        frame[column] = frame[column].astype("string")
    return frame


def _side_row(ind: Indicator, side_name: str, side: Side, index: int = 0) -> dict[str, object]:
    pop = side.population
    return {
        "indicator_id": ind.id,
        "side": side_name,
        "side_index": index,
        "dataset": side.dataset,
        "measurement": side.measurement,
        "units": side.units,
        "dimension_keys": list(side.dimensions.keys()),
        "dimension_values": list(side.dimensions.values()),
        "age_dimension": side.age_dimension,
        "population_age_from": pop.age_from if pop else None,
        "population_age_to": pop.age_to if pop else None,
        "population_sex": pop.sex if pop else None,
        "population_by_age_band": pop.by_age_band if pop else False,
        "is_fallback": side.fallback,
    }


def mappings_frame(indicators: list[Indicator]) -> pd.DataFrame:
    """One row per indicator side (numerator, denominator, value, and each published figure)."""
    rows = []
    for ind in indicators:
        for name in ("numerator", "denominator", "value"):
            side = getattr(ind.data, name)
            if side is not None:
                rows.append(_side_row(ind, name, side))
        rows += [_side_row(ind, "published", side, i) for i, side in enumerate(ind.data.published, start=1)]
    frame = pd.DataFrame(rows)
    for column in ("population_age_from", "population_age_to"):
        frame[column] = frame[column].astype("Int64")
    for column in ("dataset", "measurement", "units", "age_dimension", "population_sex"):
        frame[column] = frame[column].astype("string")
    return frame


def check_population_bands(indicators: list[Indicator], catalogue_dir: Path) -> None:
    """Population sides must start and end on stored age-band boundaries."""
    for ind in indicators:
        for name in ("numerator", "denominator"):
            side = getattr(ind.data, name)
            if side is None or side.population is None:
                continue
            pop = side.population
            if pop.age_from not in BAND_STARTS or (pop.age_to + 1 not in BAND_STARTS and pop.age_to != 90):
                path = catalogue_dir / "indicators" / ind.soa_priority.value / f"{ind.id}.yaml"
                raise InputError(path, f"population ages {pop.age_from}-{pop.age_to} do not fall on age-band "
                                 "boundaries (0, 5, 10, 15, 16, 20, 25, … 90)", column=f"data.{name}.population",
                                 hint="choose ages such as 0-15, 16-64, 65-90 or 0-74")


def write_catalogue(con: duckdb.DuckDBPyConnection, indicators: list[Indicator]) -> None:
    """Create ``meta.indicators``, ``meta.indicator_mappings`` and ``meta.area_types``."""
    create_table(con, "meta.indicators", indicators_frame(indicators))
    create_table(
        con, "meta.indicator_mappings", mappings_frame(indicators),
        select="* EXCLUDE (dimension_keys, dimension_values), CAST(map(CAST(dimension_keys AS VARCHAR[]), "
        "CAST(dimension_values AS VARCHAR[])) AS MAP(VARCHAR, VARCHAR)) AS dimensions",
    )
    create_table(con, "meta.area_types", area_types_frame([], {}))


def area_types_frame(file_types: list[FileAreaType], is_partition: dict[str, bool]) -> pd.DataFrame:
    """The built-in area types plus the file-defined ones that were built, in display order.

    A file-defined type's ``order`` is a position on the built-in scale (datazone 1 … scotland
    8; ties go after the built-in type); ``sort_order`` is then renumbered 1, 2, 3 …
    """
    rows = [(t, label, plural, float(order), 0, part, t == "ward", WARD_CAVEAT if t == "ward" else None)
            for t, label, plural, order, part in AREA_TYPES]
    rows += [(f.area_type, f.label, f.plural, f.order, 1, bool(is_partition.get(f.area_type, False)),
              f.kind == "best_fit", f.caveat) for f in file_types]
    rows.sort(key=lambda r: (r[3], r[4], r[0]))
    frame = pd.DataFrame([(r[0], r[1], r[2], i, *r[5:]) for i, r in enumerate(rows, 1)], columns=AREA_TYPE_COLUMNS)
    frame["caveat"] = frame["caveat"].astype("string")
    return frame


def write_file_area_types(con: duckdb.DuckDBPyConnection, file_types: list[FileAreaType],
                          is_partition: dict[str, bool]) -> None:
    """Add the built file-defined area types to ``meta.area_types`` and to the indicators.

    Why: a community council (or any file-defined area) is made of whole data zones, so every
    extensive indicator published for data zones sums to it exactly as to a ward; the
    indicator YAMLs need not name it. Intermediate-zone or council series are not extended
    (best-fit areas do not nest in intermediate zones).
    """
    create_table(con, "meta.area_types", area_types_frame(file_types, is_partition))
    for name in [f.area_type for f in file_types]:
        con.execute(
            "UPDATE meta.indicators SET geographies = list_append(geographies, ?) "
            "WHERE aggregation = 'extensive' AND native_geography = 'datazone' "
            "AND NOT list_contains(geographies, ?)", [name, name])
