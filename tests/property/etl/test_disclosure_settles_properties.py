"""The build's disclosure steps always end with a passing audit (issue 14), on random worlds.

Random crossing hierarchies (as in test_disclosure_properties.py) with many small counts;
complementary suppression runs to its end, then the build's own audit loop
(``etl.build._audit_disclosure``) with a random number of widening rounds allowed — 0 forces its
last resort, withholding the indicator's period whole. It must return (never fail the build), and
the exact attacker of test_disclosure_properties.py must narrow no withheld count.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import etl.build as build_module
from etl.build import run_sql_file
from etl.disclosure import apply_complementary_suppression
from etl.disclosure_audit import audit
from tests.property.etl.test_disclosure_properties import _exact_ranges, crossing_worlds
from tests.sql.test_disclosure_sql import _world


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(world=crossing_worlds(), widenings=st.sampled_from([0, 1, 5]))
def test_suppression_ends_and_the_build_audit_always_passes(world, widenings: int,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    counts, areas, min_count = world
    con = _world(counts, areas, native_geography="datazone", min_count=min_count)
    run_sql_file(con, "core", "bridge_area_area")
    apply_complementary_suppression(con)
    run_sql_file(con, "core", "fct_hidden_cell")
    run_sql_file(con, "core", "agg_indicator_exposure")
    with monkeypatch.context() as m:
        m.setattr(build_module, "MAX_WIDENINGS", widenings)
        note = build_module._audit_disclosure(con, None, [])  # type: ignore[arg-type]
    assert note.startswith("disclosure audit:")
    assert audit(con).narrow == []
    for cell, lo, hi, true in _exact_ranges(con, areas):
        assert lo <= true <= hi, (cell, lo, hi, true)
        holds_small = hi >= 1 and lo <= min_count - 1
        assert not (hi - lo < min_count and holds_small), (cell, lo, hi, true, min_count, counts, areas)
