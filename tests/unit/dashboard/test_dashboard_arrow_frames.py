"""Rows read through Arrow (frame_like_df) are exactly the frame DuckDB's .df() gives, so a query moved to
the faster path cannot change what a page shows: missing text, integers, booleans and decimals included."""

from __future__ import annotations

import duckdb
import pytest
from pandas.testing import assert_frame_equal

from dashboard.data.arrow_frames import frame_like_df
from dashboard.data.queries import Queries
from dashboard.data.sqlfiles import load_sql

EVERY_KIND = """
select * from (values
    ('a', 1::bigint, 1::integer, 1::smallint, 1::tinyint, 2::ubigint, 1.5, 2.5::double, 1.25::float, true, 'x',
     null::varchar),
    (null, null, null, null, null, null, null, null, null, null, 'y', null))
    as t(text, big, int, small, tiny, unsigned, decimal, double, float, flag, filled, no_text)
"""


@pytest.mark.parametrize("where", ["", "where text is not null", "where text is null", "where false"],
                         ids=["some missing", "none missing", "all missing", "no rows"])
def test_every_column_kind_matches_df_whatever_is_missing(where: str) -> None:
    con = duckdb.connect()
    sql = f"{EVERY_KIND} {where}"
    assert_frame_equal(frame_like_df(con.sql(sql).to_arrow_table()), con.execute(sql).df(), check_exact=True)


def test_a_kind_it_does_not_map_is_refused_by_name() -> None:
    table = duckdb.connect().sql("select date '2024-01-01' as published").to_arrow_table()
    with pytest.raises(TypeError, match="'published' is date32"):
        frame_like_df(table)


def test_advanced_tables_rows_are_the_frame_df_gave(demo_queries: Queries) -> None:
    reader = demo_queries.reader
    indicators = tuple(demo_queries.indicators().indicator_id)
    council = str(reader.query("select area_code from marts.areas where area_type = 'council' limit 1").area_code[0])
    for area_type, scope in (("datazone", council), ("ward", None), ("intermediate_zone", council)):
        params = {"indicators": indicators, "area_type": area_type, "council": scope}
        through_arrow = frame_like_df(reader.query_arrow(load_sql("table_rows"), params))
        assert len(through_arrow) > 0
        assert_frame_equal(through_arrow, reader.query(load_sql("table_rows"), params), check_exact=True)
