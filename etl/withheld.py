"""The one reason published for every cell cpop's own disclosure control withholds.

Why: a reason that told primary cells (a count from 1 to min_count − 1) from complementary ones
(any count, hidden to protect another) would tell a reader which withheld cells are at least 1,
and with "parent minus visible children" and counts never negative that recovers them exactly
(issue 14: 284 data zones of the demo). So primary, complementary, differencing and
deprivation-group suppression all publish this same text, in every table and export; only a
figure the publisher itself withheld says so (that reveals nothing cpop holds).
"""

from __future__ import annotations

#: ``suppression_reason`` of every cell withheld by cpop's rule (the SQL in
#: ``etl/sql/marts/computed_values.sql`` spells the same text; a unit test keeps them equal).
WITHHELD_REASON = "disclosure control: a small count, or a figure from which one could be worked out"
