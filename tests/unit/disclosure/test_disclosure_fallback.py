"""The disclosure audit's last resort (etl.disclosure_fallback, etl.build._audit_disclosure):
where widening does not settle, the indicator's period is withheld whole and the build goes on
with an audit that passes, instead of failing (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import etl.build as build_module
from etl.build import run_sql_file
from etl.disclosure_audit import audit
from etl.disclosure_fallback import withhold_whole, withhold_whole_groups
from etl.withheld import WITHHELD_REASON
from tests.sql.test_disclosure_sql import _world

COUNTS = {"D0": 2.0, "D1": 10.0, "D2": 12.0, "D3": 9.0}
AREAS = {"council": {"C": list(COUNTS)}, "intermediate_zone": {"I0": ["D0", "D1"], "I1": ["D2", "D3"]}}


def _pinned_world():  # noqa: ANN202
    """D0 (2) withheld by the primary rule and nothing else: I0 − D1 gives it back exactly."""
    con = _world(COUNTS, AREAS, native_geography="datazone", min_count=5)
    for table in ("bridge_area_area", "fct_hidden_cell", "agg_indicator_exposure"):
        run_sql_file(con, "core", table)
    return con


def test_a_stuck_audit_withholds_the_period_whole_and_then_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    con = _pinned_world()
    assert [n.cell for n in audit(con).narrow] == ["datazone:D0"]  # the reader pins D0 to [2, 2]
    monkeypatch.setattr(build_module, "MAX_WIDENINGS", 0)  # widening gives up at once
    note = build_module._audit_disclosure(con, None, [])  # type: ignore[arg-type]
    assert "every value of 1 indicator period(s) was withheld: pct 2020" in note
    assert audit(con).narrow == []
    rows = con.execute("SELECT numerator, value, is_suppressed, suppression_reason FROM marts.indicator_values"
                       ).fetchall()
    assert len(rows) == 1 + 2 + 4 and all(r == (None, None, True, WITHHELD_REASON) for r in rows)


def test_withholding_whole_counts_only_values_that_were_published() -> None:
    con = _pinned_world()
    assert withhold_whole(con, [("pct", "2020")]) == 6  # D0 was withheld already
    assert withhold_whole(con, [("pct", "2020")]) == 0
    assert withhold_whole(con, [("pct", "1999")]) == 0


def test_the_groups_of_a_period_withheld_whole_are_withheld_with_it() -> None:
    con = _pinned_world()
    groups = pd.DataFrame({"indicator_id": ["pct"] * 3 + ["pct"], "period_label": ["2020"] * 3 + ["2019"],
                           "group_number": [0, 1, 2, 1], "numerator": [30.0, 12.0, 18.0, 7.0],
                           "value": [1.0, 2.0, 3.0, 4.0], "ci_lower": [0.5] * 4, "ci_upper": [5.0] * 4,
                           "is_suppressed": [False] * 4, "suppression_reason": [None] * 4})
    assert withhold_whole_groups(con, groups).equals(groups)  # nothing withheld whole yet
    withhold_whole(con, [("pct", "2020")])
    out = withhold_whole_groups(con, groups)
    assert out.is_suppressed.tolist() == [False, True, True, False]  # the parent row is the area's own value
    assert np.isnan(out.numerator.iloc[1:3]).all() and np.isnan(out.value.iloc[1:3]).all()
    assert out.suppression_reason.iloc[1] == WITHHELD_REASON and out.numerator.iloc[3] == 7.0
