"""Queries.area answers from every area's rows read once per build, with exactly the values a query for
the one area gave: pages test a missing caveat with ``if``, and NaN is true where None is not."""

from __future__ import annotations

import math

import duckdb

from dashboard.data.queries import Queries, one_row_dicts

ONE_AREA = """
select a.area_type, a.area_code, a.area_name, a.council_code, a.council_name, a.population,
       a.datazone_count, a.fit_quality, a.footprint_share,
       coalesce(t.is_best_fit, false) as is_best_fit, t.caveat as fit_caveat,
       exists (select 1 from marts.areas as m where m.area_type = a.area_type and m.fit_quality is not null)
           as type_fit_measured
from marts.areas as a
left join meta.area_types as t using (area_type)
where a.area_type = $area_type and a.area_code = $area_code
"""


def test_every_area_is_looked_up_with_the_values_and_types_of_a_one_area_query(demo_queries: Queries) -> None:
    reader = demo_queries.reader
    keys = reader.query("select area_type, area_code from marts.areas "
                        "qualify row_number() over (partition by area_type order by area_code) <= 25")
    assert keys.area_type.nunique() >= 5
    for area_type, area_code in keys.itertuples(index=False):
        expected = reader.query(ONE_AREA, {"area_type": area_type, "area_code": area_code}).iloc[0].to_dict()
        found = demo_queries.area(area_type, area_code)
        assert repr(found) == repr(expected)
        assert [type(v) for v in found.values()] == [type(v) for v in expected.values()]
    scotland = demo_queries.area("scotland", "S92000003")
    assert scotland is not None and scotland["fit_caveat"] is None  # missing text: None, never NaN
    assert demo_queries.area("council", "S99999999") is None and demo_queries.area("nonsense", "S92000003") is None
    for code in (["S92000003"], None, {"a": 1}, 3):  # what a malformed payload could carry: no area, no error
        assert demo_queries.area("scotland", code) is None  # type: ignore[arg-type]


def test_a_looked_up_area_is_a_copy_the_caller_may_change(demo_queries: Queries) -> None:
    first = demo_queries.area("scotland", "S92000003")
    assert first is not None
    first["area_name"] = "changed"
    assert demo_queries.area("scotland", "S92000003")["area_name"] != "changed"  # type: ignore[index]


def test_rows_keep_what_a_one_row_query_gave_for_each_missing_value() -> None:
    """NaN for a missing float, None for missing text, integers and booleans; Python values otherwise."""
    rows = """select * from (values
        ('a', 1::bigint, 2::integer, 1.5::double, 0.5::float, true, 'caveat'),
        ('b', null, null, null, null, null, null)) as t(code, population, zones, fit, share, best, caveat)"""
    con = duckdb.connect()
    found = one_row_dicts(con.sql(rows).to_arrow_table())
    for code, row in zip(("a", "b"), found, strict=True):
        expected = con.execute(f"select * from ({rows}) where code = ?", [code]).df().iloc[0].to_dict()
        assert repr(row) == repr(expected)
        assert [type(v) for v in row.values()] == [type(v) for v in expected.values()]
    assert math.isnan(found[1]["fit"]) and found[1]["caveat"] is None and found[1]["population"] is None


def test_an_export_reads_its_area_as_the_pages_do_from_the_dashboard_and_from_a_bare_reader(
        demo_queries: Queries) -> None:
    """One source per figure (issue 13): the profile export read its area and best-fit caveat with queries of
    its own. Now it reads ``every_area.sql``: through ``Queries.area`` in the dashboard, and the same SQL for
    one area from a bare reader (the CLI's exports). Both give the pages' area and caveat."""
    from dashboard.exports import profile_data
    from dashboard.logic.fit_caveat import fit_caveat_text

    reader = demo_queries.reader
    keys = reader.query("select a.area_type, a.area_code from marts.areas as a join meta.area_types as t using (area_type) "
                        "where a.area_type in ('scotland', 'council', 'ward', 'community_council', 'datazone') "
                        "qualify row_number() over (partition by a.area_type order by a.area_code) <= 2")
    assert {"ward", "community_council"} <= set(keys.area_type)  # best-fit types, whose caveat is at stake
    for area_type, area_code in keys.itertuples(index=False):
        page = demo_queries.area(area_type, area_code)
        assert page is not None
        caveat = fit_caveat_text(page)
        for source in (demo_queries, reader):
            data = profile_data(source, area_type, area_code)
            assert (data.area_name, data.council_code, data.population, data.datazone_count) == (
                page["area_name"], page["council_code"], page["population"], page["datazone_count"])
            assert [w for w in data.warnings if w.startswith("Best-fit area.")] == (
                [f"Best-fit area. {caveat}"] if caveat else [])
    assert any(fit_caveat_text(demo_queries.area(*key)) for key in keys.itertuples(index=False))
