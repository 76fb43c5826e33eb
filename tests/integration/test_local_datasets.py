"""Local datasets end to end: ``cpop local add`` → publish → build → in the marts like a national
indicator (suppressed, marked local) → revise → roll back (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from etl.build import build
from etl.cli import app
from etl.settings import get_settings
from etl.warehouse_files import open_pair
from tests.fixtures.local import (
    attendance_meta,
    council_attendance_xlsx,
    ctr_meta,
    ctr_postcodes_csv,
    deleted_postcodes,
)
from tests.fixtures.local_marking import assert_exports_mark_local

pytestmark = pytest.mark.slow
runner = CliRunner()


def _query(warehouse: Path, sql: str) -> pd.DataFrame:
    con = open_pair(warehouse)  # the public file with the internal one attached (core.* lives there)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def _cli(*args: str) -> str:
    result = runner.invoke(app, ["local", *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _published_inputs(user: Path) -> dict[str, bytes]:
    """Every file of the published local tree the build reads (etl/local/published.py), by path."""
    root = user / "local" / "published"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_publish_build_revise_roll_back(demo_warehouse: Path, tmp_path: Path) -> None:
    demo_raw = demo_warehouse.parent.parent / "raw"
    user = tmp_path / "user"
    where = ["--warehouse", str(demo_warehouse), "--user-dir", str(user)]
    # every data zone of the country: partial coverage trips the disclosure audit (see docs/local-data.md)
    zones = _query(demo_warehouse, "SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                   "ORDER BY area_code")["area_code"].tolist()
    postcodes = _query(demo_warehouse, "SELECT postcode, datazone_code FROM core.dim_postcode ORDER BY postcode "
                                       "LIMIT 30")

    # a council service's workbook at data zone level, one column per school year
    fixture = council_attendance_xlsx(tmp_path / "attendance.xlsx", zones)
    meta = tmp_path / "attendance.yaml"
    meta.write_text(yaml.safe_dump(attendance_meta()), encoding="utf-8")
    out = _cli("add", str(fixture.path), "--meta", str(meta), "--raw-dir", str(demo_raw), *where)
    read, accepted = fixture.records, fixture.accepted
    assert f"rows read {read:,} = accepted {accepted:,} + quarantined {read - accepted:,}" in out
    assert "Kept as version 1 of local dataset 'school_attendance'" in out

    # a postcode extract, with terminated postcodes added to (a copy of) the postcode directory
    raw = tmp_path / "raw"
    shutil.copytree(demo_raw / "postcodes", raw / "postcodes")
    release = next((raw / "postcodes").iterdir()).name
    gone = deleted_postcodes(raw, release, zones[0])
    ctr = ctr_postcodes_csv(tmp_path / "ctr.csv", postcodes["postcode"].tolist(), gone)
    ctr_yaml = tmp_path / "ctr.yaml"
    ctr_yaml.write_text(yaml.safe_dump(ctr_meta()), encoding="utf-8")
    out = _cli("add", str(ctr.path), "--meta", str(ctr_yaml), "--raw-dir", str(raw), *where)
    assert "deleted (terminated) postcode" in out and "postcode not in the postcode directory" in out
    out = _cli("report", "council_tax_reduction", "--user-dir", str(user))
    assert f"accepted {ctr.accepted:,}" in out and "ZZ99 9AZ" in out
    quarantine = pd.read_csv(user / "local" / "council_tax_reduction" / "v001" / "quarantine.csv", dtype=str)
    assert quarantine.groupby("reason").size().to_dict() == dict(ctr.expected)
    assert "ZZ99 9AZ has been deleted from the postcode directory" in quarantine["detail"].tolist()
    assert "school_attendance" in _cli("list", "--user-dir", str(user))

    _cli("publish", "school_attendance", "--user-dir", str(user))
    _cli("publish", "council_tax_reduction", "--user-dir", str(user))
    first_inputs = _published_inputs(user)
    settings = get_settings(raw_dir=demo_raw, warehouse_path=tmp_path / "wh" / "cpop.duckdb", user_dir=user)
    build(settings, demo=True)
    wh = settings.warehouse_path

    meta_rows = _query(wh, "SELECT indicator_id, is_local, local_organisation, sharing_restriction, licence "
                           "FROM meta.indicators WHERE is_local ORDER BY 1")
    assert meta_rows["indicator_id"].tolist() == ["local_council_tax_reduction", "local_school_attendance"]
    school = meta_rows.set_index("indicator_id").loc["local_school_attendance"]
    assert (school["local_organisation"], school["sharing_restriction"]) == ("Demo Council Education Services",
                                                                             "CPP partners only")
    assert not _query(wh, "SELECT * FROM meta.indicators WHERE NOT is_local AND local_organisation IS NOT NULL").size
    assert_exports_mark_local(wh, "local_school_attendance",
                              "Local data: Demo Council Education Services (CPP partners only)")

    values = _query(wh, "SELECT * FROM marts.indicator_values WHERE indicator_id = 'local_school_attendance'")
    dz = values[values["area_type"] == "datazone"].set_index(["area_code", "period_label"])
    # zone 6 (row 8) has 3 pupils in 2019/20: a count below 5 is withheld
    small = dz.loc[(zones[6], "2019/20")]
    assert bool(small["is_suppressed"]) and pd.isna(small["numerator"])
    # an unsuppressed figure: the workbook's count over the NRS population 5-15, per 1,000
    book = pd.read_excel(fixture.path, sheet_name="Attendance", dtype=str).drop_duplicates("Data Zone")  # 1st kept
    shown = dz.xs("2022/23", level="period_label")
    code = shown[~shown["is_suppressed"]].index[0]
    row, cell = shown.loc[code], int(book.loc[book["Data Zone"] == code, "2022/23"].item())
    assert row["numerator"] == cell
    assert row["value"] == pytest.approx(cell / row["denominator"] * 1000)
    assert row["denominator"] > 0
    assert {"council", "scotland", "ward"} <= set(values["area_type"])
    assert not values["is_revised"].any()
    ctr_values = _query(wh, "SELECT count(*) AS n FROM marts.indicator_values "
                            "WHERE indicator_id = 'local_council_tax_reduction' AND area_type = 'datazone'")
    assert ctr_values["n"].item() > 0

    # a revision: version 2 changes four 2022/23 counts; published, its changed values are flagged
    revised = council_attendance_xlsx(tmp_path / "attendance-v2.xlsx", zones, revise=4)
    out = _cli("add", str(revised.path), "--meta", str(meta), "--raw-dir", str(demo_raw), *where)
    assert "values revised since the previous version: 4" in out
    _cli("publish", "school_attendance", "--user-dir", str(user))
    build(settings, demo=True)
    v2 = _query(wh, "SELECT area_code, numerator, is_revised, is_suppressed FROM marts.indicator_values WHERE "
                    "indicator_id = 'local_school_attendance' AND area_type = 'datazone' AND period_label = '2022/23'"
                ).set_index("area_code")
    assert v2.loc[zones[:4], "is_revised"].all() and not v2.loc[zones[4:-1], "is_revised"].any()

    # roll back: the build reads exactly what it read for version 1 (whose values and flags the first build
    # checked above), so the next build publishes version 1's values again with nothing flagged revised. A
    # third whole demo build here cost a minute of `make test`; the officer's journey in `make test-slow`
    # (tests/e2e/test_e2e_local_data.py) builds after a roll back and reads version 1's values on the page.
    assert _published_inputs(user) != first_inputs  # version 2 is what is published now
    assert "now publishes version 1" in _cli("rollback", "school_attendance", "--user-dir", str(user))
    assert _published_inputs(user) == first_inputs
