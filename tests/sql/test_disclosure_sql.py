"""Complementary suppression (etl/disclosure.py + etl/sql/disclosure) on hand-made worlds.

Every family is the equation parent = Σ children and must end with 0 or at least 2 hidden
cells. The worlds are small enough to follow on paper; counts from 1 to 4 are suppressed.
"""

from __future__ import annotations

from itertools import permutations

import duckdb
import pandas as pd

from etl.build import run_sql_file
from etl.disclosure import apply_complementary_suppression
from etl.frames import create_table
from etl.marts.inequality import withheld_groups
from etl.withheld import WITHHELD_REASON
from tests.fixtures.sql_world import SUMS_DEFAULTS, empty_warehouse

SCOT = "S92000003"


def _world(dz_counts: dict[str, float], areas: dict[str, dict[str, list[str]]], *,
           native_geography: str = "intermediate_zone", simd: list[dict] | None = None,
           min_count: int = 5) -> duckdb.DuckDBPyConnection:
    """One percentage indicator, one period; ``areas`` maps area type → area code → its data zones.

    Values are the sums of the data zones (denominator 1,000 each), primary-suppressed from 1 to min_count − 1;
    ``core.bridge_area_parent`` lists every pair of types where the children partition the parent
    and ``core.bridge_datazone_area`` every area's data zones.
    """
    con = empty_warehouse(native_geography=native_geography, disclosure_min_count=min_count)
    areas = {"datazone": {dz: [dz] for dz in dz_counts}, **areas}
    rows, totals = [], []
    for area_type, members in areas.items():
        for code, dzs in members.items():
            n = sum(dz_counts[d] for d in dzs)
            totals.append({"area_type": area_type, "area_code": code, "indicator_id": "pct", "period_label": "2020",
                           "numerator": float(n), "denominator": 1000.0 * len(dzs)})
            small = 1 <= n < min_count
            rows.append({"indicator_id": "pct", "period_label": "2020", "period_year": 2020, "area_type": area_type,
                         "area_code": code, "numerator": None if small else n, "denominator": 1000.0 * len(dzs),
                         "value": None if small else n / len(dzs) / 10, "ci_lower": None, "ci_upper": None,
                         "is_suppressed": small,
                         "suppression_reason": WITHHELD_REASON if small else None,
                         "is_low_reliability": not small and n < 20, "note": None})
    create_table(con, "core.agg_indicator_totals", pd.DataFrame(totals))
    create_table(con, "marts.indicator_values", pd.DataFrame(rows),
                 select="* REPLACE (numerator::DOUBLE AS numerator, value::DOUBLE AS value, "
                        "ci_lower::DOUBLE AS ci_lower, ci_upper::DOUBLE AS ci_upper, "
                        "suppression_reason::VARCHAR AS suppression_reason, note::VARCHAR AS note)")
    bridge = []
    for child_type, parent_type in permutations(areas, 2):
        for parent, pdzs in areas[parent_type].items():
            kids = [c for c, cdzs in areas[child_type].items() if set(cdzs) <= set(pdzs)]
            if len(kids) > 1 and sum(len(areas[child_type][c]) for c in kids) == len(pdzs):
                bridge += [{"child_type": child_type, "child_code": c, "parent_type": parent_type,
                            "parent_code": parent} for c in kids]
    create_table(con, "core.bridge_area_parent", pd.DataFrame(bridge))
    create_table(con, "core.bridge_datazone_area", pd.DataFrame(
        [{"datazone_code": dz, "area_type": t, "area_code": code}
         for t, members in areas.items() for code, dzs in members.items() for dz in dzs]))
    simd_columns = {"simd_edition": "VARCHAR", "simd_year": "INTEGER", "datazone_code": "VARCHAR",
                    "council_code": "VARCHAR", "simd_decile": "INTEGER", "simd_quintile": "INTEGER",
                    "local_quintile": "INTEGER"}
    con.execute("CREATE TABLE core.dim_simd (" + ", ".join(f"{c} {t}" for c, t in simd_columns.items()) + ")")
    if simd:
        con.executemany(f"INSERT INTO core.dim_simd VALUES ({', '.join('?' * len(simd_columns))})",
                        [[r[c] for c in simd_columns] for r in simd])
    run_sql_file(con, "core", "bridge_datazone_group")  # the published groups, as the build makes them
    facts = [{"indicator_id": "pct", "area_type": "datazone", "area_code": dz, "period_label": "2020",
              "period_year": 2020, "age_band": None, "numerator": n, "denominator": 1000.0, "value": None,
              "is_revised": False, "source_release": "r"} for dz, n in dz_counts.items()]
    create_table(con, "core.agg_indicator_area", pd.DataFrame(facts),
                 select=f"* REPLACE (age_band::INTEGER AS age_band, value::DOUBLE AS value), {SUMS_DEFAULTS}")
    return con


def _cells(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float | None, str | None]]:
    return {code: (n, reason) for code, n, reason in con.execute(
        "SELECT area_code, numerator, suppression_reason FROM marts.indicator_values").fetchall()}


def _sum_attack(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Hidden parents whose children (of one partitioning type) are all published and visible."""
    return con.execute("""
        WITH v AS (SELECT area_type, area_code, numerator, is_suppressed OR numerator IS NULL AS hidden
                   FROM marts.indicator_values)
        SELECT b.parent_code, b.child_type, sum(c.numerator) AS recovered
        FROM core.bridge_area_parent AS b
        JOIN v AS p ON p.area_type = b.parent_type AND p.area_code = b.parent_code AND p.hidden
        LEFT JOIN v AS c ON c.area_type = b.child_type AND c.area_code = b.child_code
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE c.hidden IS DISTINCT FROM false) = 0""").fetchall()


def _difference_attack(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Visible parents with exactly one hidden child (parent − visible children reveals it)."""
    return con.execute("""
        WITH v AS (SELECT area_type, area_code, numerator, is_suppressed OR numerator IS NULL AS hidden
                   FROM marts.indicator_values)
        SELECT b.parent_code, b.child_type
        FROM core.bridge_area_parent AS b
        JOIN v AS p ON p.area_type = b.parent_type AND p.area_code = b.parent_code AND NOT p.hidden
        JOIN v AS c ON c.area_type = b.child_type AND c.area_code = b.child_code
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE c.hidden) = 1""").fetchall()


# Council C (23) = wards W1 (D1 3 + D2 0), W2 (D3 0 + D4 0), W3 (D5 10 + D6 10).
# D1 and W1 are primary. Council − visible wards would give W1's 3 back; hiding the smallest
# visible ward W2 (0) would leave a hidden part of 3 (so W1 and W2 each known to be 0-3): the
# complement must lift the hidden part to min_count, so W3 (20) is hidden. Likewise among the
# council's data zones D5 (10, the smaller code of the two 10s) joins D1.
WARDS = {"council": {"C": ["D1", "D2", "D3", "D4", "D5", "D6"]},
         "ward": {"W1": ["D1", "D2"], "W2": ["D3", "D4"], "W3": ["D5", "D6"]}}
WARD_COUNTS = {"D1": 3.0, "D2": 0.0, "D3": 0.0, "D4": 0.0, "D5": 10.0, "D6": 10.0}


def test_the_complement_lifts_the_hidden_part_to_min_count() -> None:
    con = _world(WARD_COUNTS, WARDS)
    apply_complementary_suppression(con)
    cells = _cells(con)
    assert {k for k, (n, _) in cells.items() if n is None} == {"W1", "W3", "D1", "D5"}
    assert cells["C"][0] == 23 and cells["W2"][0] == 0
    # the hidden parts a reader learns: C − W2 = 23 (W1 + W3), C − D2 − D3 − D4 − D6 = 13 (D1 + D5)
    assert {cells[w][1] for w in ("W1", "W3", "D1", "D5")} == {WITHHELD_REASON}
    assert _sum_attack(con) == [] and _difference_attack(con) == []


def test_crossing_partitions_each_keep_a_hidden_part_of_at_least_min_count() -> None:
    # As above, but intermediate zones I1 = D3 + D5 (10) and I2 = D1 + D2 + D4 + D6 (13) also
    # partition the council. D5 hidden leaves it the only unknown of I1, so D3 (0, the only other
    # part) is hidden; I2 holds D1 (3) alone with D2, D4, D6 visible, so the part that lifts it
    # to 5 with the smallest count, D6 (10), is hidden; W2 = D3 + D4 then needs D4 as well.
    con = _world(WARD_COUNTS, {**WARDS, "intermediate_zone": {"I1": ["D3", "D5"], "I2": ["D1", "D2", "D4", "D6"]}})
    apply_complementary_suppression(con)
    cells = _cells(con)
    assert {k for k, (n, _) in cells.items() if n is None} == {"W1", "W3", "D1", "D3", "D4", "D5", "D6"}
    assert cells["I1"][0] == 10 and cells["I2"][0] == 13 and cells["W2"][0] == 0
    assert _sum_attack(con) == [] and _difference_attack(con) == []


def test_a_withheld_deprivation_group_is_not_left_equal_to_its_visible_data_zones() -> None:
    # One council C1 = Scotland. Local quintiles: Q1 = D1 (50), Q2 = D2 (40), Q3 = D3 + D4
    # (30 + 6), Q4 = D6 (10), Q5 = D5 (3, primary). The data zone rules hide D4 (the smallest
    # visible data zone of the council) and then D3 (Q3 would have one hidden data zone). The
    # group rules withhold Q4, the smallest visible group, to protect Q5 — but Q4 is just D6,
    # so Q5 = C1 − Q1 − Q2 − Q3 − D6 would come back: D6 has to be hidden as well.
    counts = {"D1": 50.0, "D2": 40.0, "D3": 30.0, "D4": 6.0, "D5": 3.0, "D6": 10.0}
    local = {"D1": 1, "D2": 2, "D3": 3, "D4": 3, "D5": 5, "D6": 4}
    simd = [{"simd_edition": "2020v2", "simd_year": 2020, "datazone_code": dz, "council_code": "C1",
             "simd_decile": 2 * q, "simd_quintile": q, "local_quintile": q} for dz, q in local.items()]
    con = _world(counts, {"council": {"C1": list(counts)}, "scotland": {SCOT: list(counts)}},
                 native_geography="datazone", simd=simd)
    apply_complementary_suppression(con)
    cells = _cells(con)
    assert cells["C1"][0] == 139
    assert cells["D6"] == (None, WITHHELD_REASON)
    withheld = {(r.area_code, r.basis, r.group_number) for r in withheld_groups(con).itertuples()}
    assert ("C1", "local_quintile", 4) in withheld and ("C1", "local_quintile", 5) in withheld
    # no withheld group has all its data zones visible
    for area_code, basis, group in withheld:
        column = {"local_quintile": "local_quintile", "national_quintile": "simd_quintile",
                  "national_decile": "simd_decile"}[basis]
        members = [r["datazone_code"] for r in simd if r[column] == group]
        assert any(cells[dz][0] is None for dz in members), (area_code, basis, group)


def test_an_area_of_the_same_data_zones_as_a_hidden_one_is_hidden_too() -> None:
    # Council C = D1..D4 (30, 20, 10, 3); IZs I1 = D1 + D2, I2 = D3 + D4 (13); a school
    # catchment S2 made of D3 alone. D4 is primary; I2 − D3 would reveal it, so D3 (10) is
    # hidden — but S2 has the same data zones as D3, so S2 = 10 and I2 − S2 = 3 would give D4
    # back. (No family holds the pair: a family has at least two children.)
    counts = {"D1": 30.0, "D2": 20.0, "D3": 10.0, "D4": 3.0}
    con = _world(counts, {"council": {"C": list(counts)}, "intermediate_zone": {"I1": ["D1", "D2"], "I2": ["D3", "D4"]},
                          "school_catchment": {"S1": ["D1", "D2"], "S2": ["D3"]}})
    apply_complementary_suppression(con)
    cells = _cells(con)
    assert cells["D3"][0] is None and cells["I2"][0] == 13
    assert cells["S2"] == (None, WITHHELD_REASON)
    assert cells["S1"][0] == 50 and cells["I1"][0] == 50  # twins, both visible: nothing to hide
    assert _sum_attack(con) == [] and _difference_attack(con) == []
