"""The exception report's two halves come from one query and never overlap."""
from __future__ import annotations

import pytest

from dashboard.data.queries import Queries

pytestmark = pytest.mark.slow


def test_attention_and_going_well_split_every_council(demo_queries: Queries) -> None:
    councils = demo_queries.reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council'").area_code
    seen_well = 0
    for council in councils:
        status = demo_queries.area_status(str(council))
        attention, well = demo_queries.exceptions(str(council)), demo_queries.going_well(str(council))
        assert not set(attention.indicator_id) & set(well.indicator_id)
        assert list(attention.indicator_id) == list(status[status.needs_attention].indicator_id)  # order kept
        bad = well[(well.trend_verdict == "worsening") | (well.vs_scotland == "worse")
                   | (well.gap_verdict == "widening") | well.target_status.isin(["at risk", "off track"])]
        assert bad.empty
        good = (well.trend_verdict == "improving") | (well.vs_scotland == "better") | (
            well.gap_verdict == "narrowing") | (well.target_status == "on track")
        assert good.all()
        seen_well += len(well)
    assert seen_well > 0, "the demo should have something going well"
