"""A user-made area's summed counts, from the build's cell counts held in memory once per build.

Why: a user-made area's values were the build's own SQL (``indicator_sums.sql`` then
``computed_values.sql``) run on its data zones, and on Scotland-scale data the sums alone cost
~35-40 ms a profile (a scan of ~500,000 fact rows, the join to the area's cells, a group-by over
~70,000 rows, and the planning of it all). Here the same sums, the ``built`` rows of
``indicator_sums.sql`` for one area, are made with numpy from the counts of every data zone and
intermediate zone, read once per build (~0.5 s; ~117 MB for the Scotland-scale demo's 2.5
million counts, ~8 MB for real Scotland's): ~4 ms. The build's
SQL then does the rest on those few hundred rows (rolling periods, rates, intervals,
disclosure control), so the methods stay in one place.

The rule is the build's (``indicator_sums.sql``, ``built``): for each indicator x period x age
band, a sum is made only when every member cell has the count (``count(x) = members``), else it is
NULL; members are the area's data zones, or its whole intermediate zones when it is an exact
union of them (indicators counted only for intermediate zones). ``tests`` compare these rows'
values with the SQL's on many areas of the demo and of real Scotland.

A build whose groups mix cell types or years (where the SQL takes ``any_value``) is refused
(``CellFacts.load`` returns None), and its user-made areas use the SQL for the sums too.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.data.area_values import ValueRules
from dashboard.data.reader import WarehouseReader
from dashboard.data.sqlfiles import load_sql

#: the columns of ``built`` in ``etl/sql/marts/indicator_sums.sql``, in its order, with its types
BUILT_SCHEMA = pa.schema([
    ("indicator_id", pa.string()), ("area_type", pa.string()), ("area_code", pa.string()),
    ("period_label", pa.string()), ("period_year", pa.int32()), ("age_band", pa.int32()),
    ("numerator", pa.float64()), ("denominator", pa.float64()), ("value", pa.float64()),
    ("numerator_estimate", pa.float64()), ("numerator_lower", pa.float64()), ("numerator_upper", pa.float64()),
    ("withheld_members", pa.int64()), ("withheld_denominator", pa.float64()), ("is_revised", pa.bool_()),
    ("source_release", pa.string()), ("members_present", pa.int64()), ("members_expected", pa.int64()),
    ("is_direct", pa.bool_()),
])
#: counts summed only when every member has one (indicator_sums.sql: ``count(x) = members``)
SUMMED = ("numerator", "denominator", "numerator_estimate", "numerator_lower", "numerator_upper")
DATAZONE, INTERMEDIATE_ZONE = "datazone", "intermediate_zone"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CellFacts:
    """Every build-level count of the extensive indicators, cell by cell, as numpy arrays."""

    build_id: str
    groups: pa.Table  # indicator_id, period_label, period_year, age_band: row i = group i
    group_is_izone: np.ndarray  # bool: group i is counted for intermediate zones (else data zones)
    cell_rows: dict[tuple[str, str], tuple[int, int]]  # (cell type, code) -> its rows [start, end)
    izone_of: dict[str, str]  # data zone -> its intermediate zone
    izone_size: dict[str, int]  # intermediate zone -> how many data zones it holds
    population: dict[str, float]  # every data zone of the build -> its population (NaN: not known)
    group_index: np.ndarray  # int32, one per fact row
    counts: dict[str, np.ndarray]  # SUMMED columns, float64 with NaN for NULL
    is_withheld: np.ndarray  # bool
    is_revised: np.ndarray  # int8: -1 unknown, 0, 1
    release: np.ndarray  # int16: 1-based position in ``releases``, 0 unknown
    releases: tuple[str, ...]
    rules: ValueRules  # what the values are made from the sums with (dashboard/data/area_values.py)

    @classmethod
    def load(cls, reader: WarehouseReader) -> CellFacts | None:
        """Read the build's cell counts (None when its groups mix cell types or years)."""
        while True:
            build_id = reader.build_id()
            facts = cls._read(reader, build_id)
            if reader.build_id() == build_id:  # not straddling a rebuild's swap
                return facts

    @classmethod
    def _read(cls, reader: WarehouseReader, build_id: str) -> CellFacts | None:
        groups = reader.query(load_sql("cell_fact_keys"))
        if (groups["feature_types"] > 1).any() or (groups["period_years"] > 1).any():
            log.warning("user-made areas: some indicator periods hold counts of several cell types or years; "
                        "their sums are made in SQL")
            return None
        cells = reader.query(load_sql("cell_fact_cells"))
        releases = tuple(sorted(reader.query(
            "SELECT DISTINCT source_release FROM core.fct_indicator_feature WHERE source_release IS NOT NULL"
        )["source_release"]))
        age_bands = [None if pd.isna(a) else int(a) for a in groups["age_band"]]
        rows = reader.query_arrow(load_sql("cell_facts"), {
            "indicator_ids": groups["indicator_id"].tolist(), "period_labels": groups["period_label"].tolist(),
            "age_bands": age_bands, "releases": list(releases)})
        ends = np.cumsum(cells["fact_rows"].to_numpy(dtype=np.int64))
        if rows.num_rows != (int(ends[-1]) if len(ends) else 0):
            raise RuntimeError("cell_facts.sql and cell_fact_cells.sql disagree on the rows (a rebuild between them?)")
        starts = ends - cells["fact_rows"].to_numpy(dtype=np.int64)
        bridge = reader.query("SELECT datazone_code, area_code FROM core.bridge_datazone_area "
                              "WHERE area_type = 'intermediate_zone'")
        people = reader.query(load_sql("datazone_population"))
        return cls(
            build_id=build_id,
            groups=pa.table({
                "indicator_id": pa.array(groups["indicator_id"], pa.string()),
                "period_label": pa.array(groups["period_label"], pa.string()),
                "period_year": pa.array(groups["period_year"].to_numpy(dtype=np.int32), pa.int32()),
                "age_band": pa.array(age_bands, pa.int32())}),
            group_is_izone=(groups["feature_type"] == INTERMEDIATE_ZONE).to_numpy(dtype=bool),
            cell_rows={(str(t), str(c)): (int(s), int(e)) for t, c, s, e in
                       zip(cells["feature_type"], cells["feature_code"], starts, ends, strict=True)},
            izone_of=dict(zip(bridge["datazone_code"], bridge["area_code"], strict=True)),
            izone_size=dict(Counter(bridge["area_code"])),
            population=dict(zip(people["datazone_code"], people["population"].to_numpy(dtype=float), strict=True)),
            group_index=rows.column("group_index").to_numpy(),
            counts={c: rows.column(c).to_numpy(zero_copy_only=False).astype(np.float64, copy=False) for c in SUMMED},
            is_withheld=rows.column("is_withheld").to_numpy(zero_copy_only=False),
            is_revised=rows.column("is_revised").to_numpy(),
            release=rows.column("release").to_numpy(),
            releases=releases,
            rules=ValueRules.load(reader),
        )

    def whole_izones(self, datazones: Sequence[str]) -> list[str]:
        """The intermediate zones an area of ``datazones`` (distinct codes) is made of when it is an
        exact union of them, else none: its cells besides its data zones (``user_bridge`` of
        ``user_areas._cell_statements``, and the sums of indicators counted only for them)."""
        return whole_izones(datazones, self.izone_of, self.izone_size)

    def built(self, datazones: Sequence[str], area_type: str, area_code: str) -> pa.Table:
        """``indicator_sums.sql``'s ``built`` rows of one area made of ``datazones`` (distinct codes)."""
        whole = self.whole_izones(datazones)
        members = {DATAZONE: len(datazones), INTERMEDIATE_ZONE: len(whole)}
        cells = [(DATAZONE, code) for code in datazones] + [(INTERMEDIATE_ZONE, iz) for iz in whole]
        spans = [self.cell_rows[c] for c in cells if c in self.cell_rows]
        rows = np.concatenate([np.arange(s, e) for s, e in spans]) if spans else np.zeros(0, dtype=np.int64)
        g = self.group_index[rows]
        n = self.groups.num_rows
        present = np.bincount(g, minlength=n)
        shown = np.flatnonzero(present)
        expected = np.where(self.group_is_izone[shown], members[INTERMEDIATE_ZONE], members[DATAZONE]).astype(np.int64)
        columns: dict[str, object] = {}
        for name in SUMMED:
            x = self.counts[name][rows]
            known = ~np.isnan(x)
            count = np.bincount(g, weights=known, minlength=n)[shown]
            total = np.bincount(g, weights=np.where(known, x, 0.0), minlength=n)[shown]
            columns[name] = pa.array(total, mask=count != expected)
        withheld = self.is_withheld[rows]
        denominator = self.counts["denominator"][rows]
        revised = self.is_revised[rows]
        any_revised = np.bincount(g, weights=revised == 1, minlength=n)[shown] > 0
        revised_known = np.bincount(g, weights=revised >= 0, minlength=n)[shown] > 0
        groups = self.groups.take(shown)
        return pa.table({
            "indicator_id": groups.column("indicator_id"),
            "area_type": pa.array([area_type] * len(shown), pa.string()),
            "area_code": pa.array([area_code] * len(shown), pa.string()),
            "period_label": groups.column("period_label"),
            "period_year": groups.column("period_year"),
            "age_band": groups.column("age_band"),
            "numerator": columns["numerator"], "denominator": columns["denominator"],
            "value": pa.nulls(len(shown), pa.float64()),
            "numerator_estimate": columns["numerator_estimate"], "numerator_lower": columns["numerator_lower"],
            "numerator_upper": columns["numerator_upper"],
            "withheld_members": pa.array(np.bincount(g, weights=withheld, minlength=n)[shown].astype(np.int64)),
            "withheld_denominator": pa.array(np.bincount(
                g, weights=np.where(withheld & ~np.isnan(denominator), denominator, 0.0), minlength=n)[shown]),
            "is_revised": pa.array(any_revised, mask=~revised_known),
            "source_release": pa.array(self._latest_release(rows, g, n)[shown], pa.string()),
            "members_present": pa.array(present[shown].astype(np.int64)),
            "members_expected": pa.array(expected),
            "is_direct": pa.array(np.zeros(len(shown), dtype=bool)),
        }, schema=BUILT_SCHEMA)

    def _latest_release(self, rows: np.ndarray, g: np.ndarray, n: int) -> np.ndarray:
        """``max(source_release)`` per group (None when no member names one): ``releases`` is sorted,
        so the latest is the highest position present (one bincount over group x position)."""
        width = len(self.releases) + 1
        present = np.bincount(g * width + self.release[rows], minlength=n * width).reshape(n, width) > 0
        rank = width - 1 - np.argmax(present[:, ::-1], axis=1)
        return np.array([None, *self.releases], dtype=object)[rank]


def whole_izones(datazones: Sequence[str], izone_of: Mapping[str, str], izone_size: Mapping[str, int]) -> list[str]:
    """The intermediate zones wholly inside an area of ``datazones`` (distinct codes) when the area
    is an exact union of them, else none (the rule of ``user_areas._cell_statements``)."""
    inside = Counter(izone_of[code] for code in datazones if code in izone_of)
    whole = [iz for iz, n in inside.items() if n == izone_size[iz]]
    return whole if sum(izone_size[iz] for iz in whole) == len(datazones) else []


#: per reader: the build id read and its cell counts (None: that build's sums are made in SQL).
#: Not ``Queries.parsed``, the per-build memo of derived values: user-made areas are computed from a
#: reader (``user_area_profile``), a fork of Queries copies its memo, and the memo stops storing at
#: 256 values, after which these counts would be read again (~0.5 s) for every profile.
_loaded: weakref.WeakKeyDictionary[WarehouseReader, tuple[str, CellFacts | None]] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


def cell_facts(reader: WarehouseReader) -> CellFacts | None:
    """The cell counts of the reader's current build, read on first use after each build (one
    thread reads them, the others wait)."""
    build_id = reader.build_id()
    held = _loaded.get(reader)
    if held is not None and held[0] == build_id:
        return held[1]
    with _loading:
        held = _loaded.get(reader)
        if held is None or held[0] != build_id:
            facts = CellFacts.load(reader)
            held = _loaded[reader] = (facts.build_id if facts is not None else build_id, facts)
        return held[1]
