"""The audit's widening for two deprivation groups whose difference has no visible cell left.

Council X: national quintile 1 = data zones A, B; local quintile 1 = B, C. A (3) and B (2) are
withheld, C (20) is visible. Local quintile 1's only hidden cell (B) lies in quintile 1, so
quintile 1 − local quintile 1 is an equation in A alone; quintile 1 has no visible data zone
outside local quintile 1 to hide. Hiding C (local quintile 1's data zone outside quintile 1)
takes local quintile 1's hidden cells out of quintile 1, and the difference is no equation any more.
"""

from __future__ import annotations

import pandas as pd

from etl.disclosure_audit import Narrow, widen
from etl.frames import create_table
from etl.withheld import WITHHELD_REASON
from tests.fixtures.sql_world import empty_warehouse

OUTER, INNER = "group:X|national_quintile|1", "group:X|local_quintile|1"


def _world():  # noqa: ANN202
    con = empty_warehouse(measure_type="count")
    values = pd.DataFrame([{"indicator_id": "pct", "period_label": "2020", "area_type": "datazone", "area_code": dz,
                            "numerator": None if hidden else n, "denominator": 100.0, "value": None,
                            "ci_lower": None, "ci_upper": None, "is_suppressed": hidden,
                            "suppression_reason": WITHHELD_REASON if hidden else None,
                            "is_low_reliability": False, "note": None}
                           for dz, n, hidden in (("A", 3.0, True), ("B", 2.0, True), ("C", 20.0, False))])
    create_table(con, "marts.indicator_values", values, select="* REPLACE (numerator::DOUBLE AS numerator, "
                 "value::DOUBLE AS value, ci_lower::DOUBLE AS ci_lower, ci_upper::DOUBLE AS ci_upper, "
                 "suppression_reason::VARCHAR AS suppression_reason, note::VARCHAR AS note)")
    create_table(con, "core.bridge_area_area", pd.DataFrame(
        [{"area_type": "council", "area_code": "X", "child_type": "datazone", "child_code": dz} for dz in "ABC"]))
    create_table(con, "marts.inequality_groups", pd.DataFrame(
        [{"indicator_id": "pct", "period_label": "2020", "area_type": "council", "area_code": "X", "basis": basis,
          "group_number": 1, "simd_edition": "2020v2", "numerator": n, "is_suppressed": False}
         for basis, n in (("national_quintile", 5.0), ("local_quintile", 22.0))]))
    create_table(con, "core.bridge_datazone_group", pd.DataFrame(
        [{"simd_edition": "2020v2", "family": family, "datazone_code": dz}
         for family, dzs in (("X|national_quintile|1", "AB"), ("X|local_quintile|1", "BC")) for dz in dzs]))
    return con


def test_a_group_minus_a_group_with_no_visible_cell_left_hides_a_cell_of_the_inner_group() -> None:
    con = _world()
    cell = Narrow("pct", "2020", "datazone:A", 3.0, 3.0, 5.0, widen=OUTER, unless=INNER)
    assert widen(con, [cell]) == 1
    hidden = con.execute("SELECT area_code, is_suppressed, numerator FROM marts.indicator_values "
                         "ORDER BY area_code").fetchall()
    assert hidden == [("A", True, None), ("B", True, None), ("C", True, None)]


def test_a_visible_cell_of_the_outer_group_outside_the_inner_one_is_still_preferred() -> None:
    # local quintile 1 (B, C) minus quintile 1 (A, B): C, outside quintile 1, is the usual choice
    con = _world()
    cell = Narrow("pct", "2020", "datazone:C", 20.0, 20.0, 5.0, widen=INNER, unless=OUTER)
    assert widen(con, [cell]) == 1
    assert con.execute("SELECT area_code FROM marts.indicator_values WHERE NOT is_suppressed").fetchall() == []
