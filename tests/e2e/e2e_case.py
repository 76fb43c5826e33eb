"""Choose the e2e journey's area, search text and expected values from the warehouse.

Why: the suite must run unchanged against the small contract fixture and against the
built demo warehouse (override ``e2e_warehouse``), so expectations are read from the
warehouse through the dashboard's own queries and formatting rather than hard-coded.
The numbers themselves are checked against hand-written values in the unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.components.area_picker import area_label
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.tables.latest_values import priority_groups

SUPPRESSED_LATEST_SQL = """
with latest as (
    select area_type, area_code, indicator_id, is_suppressed
    from marts.indicator_values
    qualify row_number() over (
        partition by area_type, area_code, indicator_id
        order by period_year desc, period_label desc) = 1
)
select area_type, area_code, indicator_id
from latest
where is_suppressed
order by area_type, area_code, indicator_id
limit 1
"""


@dataclass(frozen=True)
class E2ECase:
    """One area to pick by typing, and what its profile must show."""

    area_type: str
    area_type_label: str
    area_code: str
    area_label: str
    search_text: str
    indicator_id: str
    value_text: str
    ci_text: str
    other_indicator_id: str
    other_indicator_label: str
    suppressed: tuple[str, str, str] | None


def derive_case(path: Path) -> E2ECase:
    """The first area by name (wards preferred) with a visible latest value."""
    reader = WarehouseReader(path)
    try:
        queries = Queries(reader)
        types = queries.area_types()
        chosen = "ward" if "ward" in set(types["area_type"]) else next(
            t for t in types["area_type"] if t != "scotland")
        type_label = str(types.loc[types["area_type"] == chosen, "label"].iloc[0])
        for area in queries.search_areas(chosen, "", 50).to_dict("records"):
            groups = priority_groups(queries.latest_values(chosen, area["area_code"]))
            rows = [row for _, rs in groups for row in rs]
            visible = [row for row in rows if not row.is_suppressed]
            if visible:
                break
        else:  # pragma: no cover - a warehouse without any value
            raise AssertionError(f"no {chosen} area with a visible latest value")
        other = rows[1] if len(rows) > 1 else rows[0]
        hit = reader.query(SUPPRESSED_LATEST_SQL)
        suppressed = tuple(hit.iloc[0]) if not hit.empty else None
        return E2ECase(
            area_type=chosen,
            area_type_label=type_label,
            area_code=str(area["area_code"]),
            area_label=area_label(area),
            search_text=str(area["area_name"])[:4].lower(),
            indicator_id=visible[0].indicator_id,
            value_text=visible[0].value,
            ci_text=visible[0].ci,
            other_indicator_id=other.indicator_id,
            other_indicator_label=other.title,
            suppressed=suppressed,  # type: ignore[arg-type]
        )
    finally:
        reader.close()
