"""A user-made area on real Scotland is computed as the build computes a published area.

Why on real data: the demo has no cells withheld at source, so it never reaches the estimated
values (``computed_values.sql``'s bounds on withheld data zones) that real councils have. The
user-made area runs the build's own SQL rewritten for one area (``dashboard/data/user_areas.py``);
a council drawn as a user-made area must give the council's computed and estimated figures back,
save those its stricter differencing control withholds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import user_area_profile

pytestmark = pytest.mark.real

FIGURES = ("numerator", "denominator", "value", "ci_lower", "ci_upper")


@pytest.fixture(scope="module")
def reader(real_warehouse: Path) -> Iterator[WarehouseReader]:
    opened = WarehouseReader(real_warehouse)
    yield opened
    opened.close()


def test_a_council_drawn_as_a_user_made_area_gives_its_computed_and_estimated_figures(
        reader: WarehouseReader) -> None:
    built = reader.query("SELECT area_code, indicator_id, period_label, value_source, is_suppressed, "
                         f"{', '.join(FIGURES)} FROM marts.indicator_values "
                         "WHERE area_type = 'council' AND value_source IN ('computed', 'estimated')")
    councils = sorted(built["area_code"].unique())
    assert councils and set(built["value_source"]) == {"computed", "estimated"}
    checked = 0
    for council in councils:
        zones = reader.query("SELECT datazone_code FROM core.bridge_datazone_area WHERE area_type = 'council' "
                             "AND area_code = ? ORDER BY 1", [council])["datazone_code"].tolist()
        drawn = user_area_profile(reader, zones).values
        expected = built[built["area_code"] == council]
        merged = expected.merge(drawn, on=["indicator_id", "period_label"], suffixes=("_built", "_drawn"))
        assert len(merged) == len(expected), council
        assert (merged["value_source_built"] == merged["value_source_drawn"]).all(), council
        # differencing control may withhold more for a drawn area (a data zone withheld at source
        # is one hidden cell), never less, and what it shows is the council's figure
        assert not (merged["is_suppressed_drawn"] < merged["is_suppressed_built"]).any(), council
        shown = merged[~merged["is_suppressed_drawn"]]
        assert (shown["value_source_built"] == "computed").sum() == (expected["value_source"] == "computed").sum()
        for column in FIGURES:
            assert np.allclose(shown[f"{column}_built"].astype(float), shown[f"{column}_drawn"].astype(float),
                               rtol=1e-12, equal_nan=True), (council, column)
        checked += len(shown)
    assert checked >= len(built) // 2
