"""Issue 14's attack on the demo warehouse: parent minus visible children, the published reasons,
and counts never negative. On the code before the fix it recovered 284 data zones exactly (every
one truly 1) and left hidden parts of 1-4 in 376 more families; now it recovers nothing.

The attacker here is written from the published tables only (``marts``, ``meta`` and the public
lookups ``core.bridge_area_parent``); the true counts (``core.fct_hidden_cell``) are read only
to check what the attacker would conclude.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.warehouse_files import open_pair
from etl.withheld import WITHHELD_REASON


@pytest.fixture(scope="module")
def demo(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = open_pair(demo_warehouse)
    yield con
    con.close()


def _families(demo: duckdb.DuckDBPyConnection):
    """Every family with a visible parent and hidden children: the hidden part a reader learns
    (parent − Σ visible children), how many hidden children, and how many a published reason
    calls primary (a count of at least 1)."""
    return demo.execute("""
        WITH v AS (
            SELECT v.indicator_id, v.period_label, v.area_type, v.area_code, v.numerator, v.suppression_reason,
                   v.is_suppressed OR v.numerator IS NULL AS hidden, i.disclosure_min_count AS min_count
            FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
            WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
        )
        SELECT p.indicator_id, p.period_label, b.parent_type, b.parent_code, b.child_type,
               any_value(p.numerator) - coalesce(sum(c.numerator) FILTER (WHERE NOT c.hidden), 0) AS hidden_part,
               count(*) FILTER (WHERE c.hidden) AS hidden_children,
               count(*) FILTER (WHERE c.hidden AND c.suppression_reason ILIKE 'primary%') AS said_primary,
               list(c.area_code) FILTER (WHERE c.hidden) AS hidden_codes,
               any_value(p.min_count) AS min_count
        FROM core.bridge_area_parent AS b
        JOIN v AS p ON p.area_type = b.parent_type AND p.area_code = b.parent_code AND NOT p.hidden
        JOIN v AS c ON c.indicator_id = p.indicator_id AND c.period_label = p.period_label
                   AND c.area_type = b.child_type AND c.area_code = b.child_code
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE c.hidden) > 0""").df()


def test_the_published_reason_does_not_tell_primary_from_complementary(demo: duckdb.DuckDBPyConnection) -> None:
    reasons = {r for (r,) in demo.execute("""
        SELECT DISTINCT v.suppression_reason FROM marts.indicator_values AS v
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.is_suppressed AND i.disclosure_applied_by = 'cpop'""").fetchall()}
    assert reasons == {WITHHELD_REASON}
    groups = {r for (r,) in demo.execute(
        "SELECT DISTINCT suppression_reason FROM marts.inequality_groups WHERE is_suppressed").fetchall()}
    assert groups <= {WITHHELD_REASON, None, "withheld at source by the publisher"}
    # nor do the other columns of a withheld cell: no flag or note was worked out from its count
    flagged = demo.execute("""
        SELECT count(*) FROM marts.indicator_values
        WHERE is_suppressed AND (is_low_reliability OR note IS NOT NULL) AND suppression_reason = ?""",
                           [WITHHELD_REASON]).fetchall()[0][0]
    assert flagged == 0


def test_parent_minus_visible_children_recovers_no_count(demo: duckdb.DuckDBPyConnection) -> None:
    families = _families(demo)
    assert len(families) > 1000  # the attack has something to work on
    # with the reasons: all hidden children said primary (each >= 1) and the hidden part equals
    # their number, so each is exactly 1 (issue 14's 284 data zones)
    exact = families[(families.said_primary == families.hidden_children)
                     & (families.hidden_part == families.said_primary)]
    assert exact.empty, exact.head()
    # without them: each hidden child lies in [0, hidden part]; a part of 1 to min_count − 1
    # tells the reader the hidden children are small counts (issue 14's 376 families)
    small = families[(families.hidden_part >= 1) & (families.hidden_part < families.min_count)]
    assert small.empty, small.head()
    assert (families.hidden_children >= 2).all()


def test_no_hidden_count_the_attacker_narrows_is_a_small_one(demo: duckdb.DuckDBPyConnection) -> None:
    """Check the attacker's conclusions against the truth: every hidden child whose range
    [0, hidden part] is narrower than min_count is truly 0 (a zero the rule publishes anyway)."""
    families = _families(demo)
    narrow = families[families.hidden_part < families.min_count].explode("hidden_codes")
    if narrow.empty:
        return
    demo.register("narrow", narrow[["indicator_id", "period_label", "child_type", "hidden_codes"]])
    truths = demo.execute("""
        SELECT h.numerator FROM narrow AS n JOIN core.fct_hidden_cell AS h
          ON h.indicator_id = n.indicator_id AND h.period_label = n.period_label
         AND h.cell_type = n.child_type AND h.cell_code = n.hidden_codes""").fetchall()
    assert {t for (t,) in truths} <= {0.0}
