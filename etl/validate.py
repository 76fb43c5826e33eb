"""Code and mapping validation between landing and the conformed model.

Why: an unknown data zone or a mistyped dataset name must stop the build with the file, row
and column to fix, not silently drop rows from every sum downstream.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.catalogue.models import Indicator
from etl.errors import InputError
from etl.sources.files import first_bad_value

KNOWN_CODES = """(
    SELECT datazone_code FROM staging.simd__geography_lookup
    UNION SELECT intermediate_zone_code FROM staging.simd__geography_lookup
    UNION SELECT council_code FROM staging.simd__geography_lookup
    UNION SELECT health_board_code FROM staging.simd__geography_lookup
    UNION SELECT 'S92000003'
)"""


def validate_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Every code in every landed file is in the data zone lookup."""
    hint = "check the code against the data zone lookup (SIMD look-up file); 2001 data zone codes are not accepted"
    first_bad_value(con, "raw.nrs__sape_dz", "datazone_code",
                    condition="trim(datazone_code) NOT IN (SELECT datazone_code FROM staging.simd__geography_lookup)",
                    reason="unknown data zone code", hint=hint)
    for table in ("raw.statistics_gov_scot__observations", "raw.published__observations"):
        first_bad_value(con, table, "FeatureCode", condition=f'"FeatureCode" NOT IN {KNOWN_CODES}',
                        reason="unknown area code", hint=hint)
    first_bad_value(con, "raw.localities__membership", "area_code",
                    condition="trim(area_code) NOT IN (SELECT datazone_code FROM staging.simd__geography_lookup "
                    "UNION SELECT intermediate_zone_code FROM staging.simd__geography_lookup)",
                    reason="not a data zone or intermediate zone in the lookup", hint=hint)
    first_bad_value(con, "raw.simd__dz_lookup", "DZ",
                    condition="trim(\"DZ\") NOT IN (SELECT datazone_code FROM staging.simd__geography_lookup)",
                    reason="data zone not in the newest edition's lookup", hint=hint)


def _yaml_path(catalogue_dir: Path, ind: Indicator) -> Path:
    return catalogue_dir / "indicators" / ind.soa_priority.value / f"{ind.id}.yaml"


def validate_mappings(con: duckdb.DuckDBPyConnection, indicators: list[Indicator], catalogue_dir: Path) -> list[str]:
    """Each mapping names rows that exist and pins every dimension of its dataset.

    Returns notes for indicators whose dataset is absent (normal when only some national
    files have been dropped in); raises InputError for a mapping that matches nothing in a
    dataset that is present, or that leaves a dimension unpinned (which would double count).
    """
    notes: list[str] = []
    datasets = {row[0]: row[1] for row in con.execute(
        "SELECT dataset, list_distinct(flatten(list(map_keys(dimensions)))) "
        "FROM staging.observations GROUP BY dataset").fetchall()}
    for ind in indicators:
        sides = [(name, getattr(ind.data, name)) for name in ("numerator", "denominator", "value")]
        sides += [(f"published[{i}]", side) for i, side in enumerate(ind.data.published)]
        for name, side in sides:
            if side is None or side.dataset is None:
                continue
            path = _yaml_path(catalogue_dir, ind)
            if side.dataset not in datasets:
                notes.append(f"{ind.id}: dataset '{side.dataset}' is not in the snapshot or data/raw; "
                             f"data.{name} has no data")
                continue
            pinned = set(side.dimensions) | ({side.age_dimension} if side.age_dimension else set())
            loose = sorted(set(datasets[side.dataset]) - pinned)
            if loose:
                raise InputError(path, f"dataset '{side.dataset}' has dimension column '{loose[0]}' that "
                                 f"data.{name} does not pin", column=f"data.{name}.dimensions",
                                 hint=f"add dimensions: {{{loose[0]}: <value>}} so rows are not double counted")
            count = con.execute(
                "SELECT count(*) FROM staging.observations WHERE dataset = ? "
                "AND measurement = ? AND units = ? AND list_has_all(map_entries(dimensions), "
                "map_entries(CAST(map(?::VARCHAR[], ?::VARCHAR[]) AS MAP(VARCHAR, VARCHAR))))",
                [side.dataset, side.measurement, side.units, list(side.dimensions), list(side.dimensions.values())],
            ).fetchall()[0][0]
            if count == 0:
                found = con.execute(
                    "SELECT string_agg(DISTINCT measurement || ' / ' || units, '; ') "
                    "FROM staging.observations WHERE dataset = ?", [side.dataset]).fetchall()[0][0]
                raise InputError(path, f"data.{name} matches no rows of dataset '{side.dataset}' "
                                 f"(Measurement / Units found: {found})", column=f"data.{name}",
                                 hint="make measurement, units and dimensions match the file exactly")
    return notes
