"""Properties of the aggregation SQL (marts/indicator_sums.sql + computed_values.sql) on
random data zone facts: children sum to parents, row order does not matter, and a rate is the
ratio of sums, not an average of rates."""

from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.build import SQL_DIR
from etl.catalogue.models import SoaPriority
from etl.frames import create_table
from etl.reference import write_reference_tables
from tests.fixtures.sql_world import FEATURE_DEFAULTS

N_DZ = 12
# 12 data zones; IZ = 3 data zones each; ward = 4 each (cuts across IZs); 2 councils of 6.
IZ = [f"S0291{i // 3:04d}" for i in range(N_DZ)]
WARD = [f"S1391{i // 4:04d}" for i in range(N_DZ)]
COUNCIL = [f"S1291{i // 6:04d}" for i in range(N_DZ)]
DZ = [f"S0191{i:04d}" for i in range(N_DZ)]


def _bridge() -> pd.DataFrame:
    rows = []
    for i, dz in enumerate(DZ):
        for area_type, code in [("datazone", dz), ("intermediate_zone", IZ[i]), ("ward", WARD[i]),
                                ("council", COUNCIL[i]), ("scotland", "S92000003")]:
            rows.append(("datazone", dz, area_type, code))
    return pd.DataFrame(rows, columns=["child_type", "child_code", "area_type", "area_code"])


def _indicators() -> pd.DataFrame:
    return pd.DataFrame([{
        "indicator_id": "pct", "aggregation": "extensive", "measure_type": "percentage", "multiplier": 100.0,
        "ci_method": "wilson", "disclosure_min_count": 1, "disclosure_suppress_zero": False, "rolling_years": 1,
        "disclosure_applied_by": "cpop",
        "geographies": ["datazone", "intermediate_zone", "ward", "council", "scotland"],
        "soa_priority": SoaPriority.economy.value,
    }])


def _run(facts: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    for schema in ("core", "meta", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    create_table(con, "core.fct_indicator_feature", facts, select=FEATURE_DEFAULTS)
    create_table(con, "core.bridge_area_area", _bridge())
    create_table(con, "meta.indicators", _indicators())
    con.execute("CREATE TABLE meta.indicator_mappings (indicator_id VARCHAR, side VARCHAR, "
                "population_age_from INTEGER, population_age_to INTEGER, population_by_age_band BOOLEAN)")
    write_reference_tables(con)
    con.execute((SQL_DIR / "macros.sql").read_text())
    for table in ("indicator_sums", "computed_values"):
        con.execute(f"CREATE TABLE marts.{table} AS " + (SQL_DIR / "marts" / f"{table}.sql").read_text())
    out = con.execute("SELECT * FROM marts.computed_values ORDER BY area_type, area_code").df()
    con.close()
    return out


counts = st.lists(st.tuples(st.integers(0, 500), st.integers(1, 400)), min_size=N_DZ, max_size=N_DZ)


def _facts(pairs: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": "pct", "feature_type": "datazone", "feature_code": DZ, "period_label": "2020",
        "period_year": 2020, "age_band": pd.array([None] * N_DZ, dtype="Int64"),
        "numerator": [float(min(n, d + n)) for n, d in pairs], "denominator": [float(d + n) for n, d in pairs],
        "value": [None] * N_DZ, "is_revised": False, "source_release": "r1",
    })


@settings(max_examples=40, deadline=None)
@given(counts)
def test_children_sum_to_parents_for_every_partition(pairs: list[tuple[int, int]]) -> None:
    out = _run(_facts(pairs))
    scotland = out[out.area_type == "scotland"].iloc[0]
    for area_type in ("datazone", "intermediate_zone", "ward", "council"):
        part = out[out.area_type == area_type]
        assert part.numerator.sum() == scotland.numerator
        assert part.denominator.sum() == scotland.denominator


@settings(max_examples=25, deadline=None)
@given(counts, st.randoms(use_true_random=False))
def test_row_order_does_not_change_results(pairs: list[tuple[int, int]], rnd) -> None:  # noqa: ANN001
    facts = _facts(pairs)
    shuffled = facts.sample(frac=1.0, random_state=rnd.randint(0, 10_000)).reset_index(drop=True)
    pd.testing.assert_frame_equal(_run(facts), _run(shuffled))


@settings(max_examples=40, deadline=None)
@given(counts)
def test_rate_is_ratio_of_sums_never_mean_of_rates(pairs: list[tuple[int, int]]) -> None:
    facts = _facts(pairs)
    out = _run(facts).set_index(["area_type", "area_code"])
    for iz in sorted(set(IZ)):
        members = facts[[code == iz for code in IZ]]
        expected = members.numerator.sum() / members.denominator.sum() * 100
        assert abs(out.loc[("intermediate_zone", iz), "value"] - expected) < 1e-9
    # a concrete case where the two differ: 1/1 and 0/9 → ratio of sums 10 %, mean of rates 50 %
    facts = _facts([(1, 0), (0, 9)] + [(0, 1)] * (N_DZ - 2))
    iz0 = _run(facts).set_index(["area_type", "area_code"]).loc[("intermediate_zone", IZ[0]), "value"]
    assert abs(iz0 - 100 * 1 / 11) < 1e-9  # (1 + 0 + 0) / (1 + 9 + 1)
