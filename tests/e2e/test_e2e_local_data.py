"""Local data in the browser: an officer signs in, uploads the council's attendance workbook, reads
the tool's guess, corrects the geography column, fills the metadata form, reads the validation
report (rows read = accepted + quarantined, the quarantined rows in a grid), keeps the file,
publishes it and rolls it back (issue 15)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import e2e_user_dir
from dropdowns import option
from playwright.sync_api import expect

from dashboard import ids
from etl.local.published import write_published
from etl.local.store import LocalStore
from tests.fixtures.local import council_attendance_xlsx

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DATASET = "school_attendance_e2e"
TEXT = {
    "id": DATASET, "title": "Pupils with attendance below 90%",
    "definition": "Pupils aged 5 to 15 whose attendance was below 90% in the school year, per 1,000 children.",
    "numerator_definition": "Pupils with attendance below 90% (school census)",
    "denominator_definition": "Children aged 5 to 15, NRS small-area population estimates",
    "source_organisation": "Demo Council Education Services", "release_date": "2025-10-01",
    "licence": "Open Government Licence v3.0", "sharing_restriction": "CPP partners only",
}
CHOICES = {"denominator_age_from": "5", "denominator_age_to": "15", "soa_priority": "Early years",
           "period_type": "School years"}


def _axe_serious(pg: Any) -> list[str]:
    pg.add_script_tag(path=str(AXE))
    return pg.evaluate("async () => (await axe.run(document)).violations.filter("
                       "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")


def _choose(pg: Any, box: str, label: str) -> None:
    pg.click(f"#{box}")
    option(pg, label).click()
    expect(pg.locator(f"#{box}")).to_contain_text(label)


@pytest.fixture
def workbook(e2e_warehouse: Path, tmp_path: Path) -> Any:
    with duckdb.connect(str(e2e_warehouse), read_only=True) as con:
        zones = [r[0] for r in con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                           "ORDER BY area_code").fetchall()]
    user_dir = e2e_user_dir(e2e_warehouse)
    yield council_attendance_xlsx(tmp_path / "attendance.xlsx", zones)
    shutil.rmtree(LocalStore(user_dir).dataset_dir(DATASET), ignore_errors=True)  # leave the shared app as found
    write_published(user_dir)


def test_officer_uploads_corrects_a_column_reads_the_report_publishes_and_rolls_back(
        page: Any, app_url: str, e2e_warehouse: Path, workbook: Any, sign_in: Any) -> None:
    pg, watch = page
    sign_in(pg, app_url, "/local")
    expect(pg.get_by_role("heading", name="Local data", exact=True)).to_be_visible()
    pg.locator(f"#{ids.LOCAL_UPLOAD} input[type=file]").set_input_files(str(workbook.path))
    expect(pg.locator(f"#{ids.LOCAL_FILE_STATUS}")).to_contain_text("attendance.xlsx, sheet 'Attendance'")
    expect(pg.locator(f"#{ids.LOCAL_GUESS}")).to_contain_text("geography: 'Data Zone'")
    expect(pg.locator(f"#{ids.LOCAL_GEOGRAPHY}")).to_contain_text("Data Zone")
    for name, value in TEXT.items():
        pg.fill(f"#{ids.LOCAL_META_PREFIX}{name}", value)
    for name, label in CHOICES.items():
        _choose(pg, f"{ids.LOCAL_META_PREFIX}{name}", label)

    _choose(pg, ids.LOCAL_GEOGRAPHY, "Data zone name")  # a wrong correction is named ...
    pg.click(f"#{ids.LOCAL_CHECK}")
    expect(pg.locator(f"#{ids.LOCAL_STATUS}")).to_contain_text("'Data zone name' are not area codes")
    _choose(pg, ids.LOCAL_GEOGRAPHY, "Data Zone")  # ... and corrected
    pg.click(f"#{ids.LOCAL_CHECK}")
    quarantined = workbook.records - workbook.accepted
    report = pg.locator(f"#{ids.LOCAL_REPORT}")
    expect(report).to_contain_text(f"Rows read {workbook.records:,} = accepted {workbook.accepted:,} + "
                                   f"quarantined {quarantined:,}")
    expect(report).to_contain_text("unknown area code: 4")
    expect(pg.locator(f"#{ids.LOCAL_QUARANTINE_GRID} .ag-center-cols-container .ag-row")).to_have_count(quarantined)
    pg.wait_for_load_state("networkidle")
    if os.environ.get("CPOP_DOCS_SCREENSHOTS"):  # regenerate the officers' guide's picture
        SCREENSHOTS.mkdir(exist_ok=True)
        pg.locator("#_pages_content").screenshot(path=str(SCREENSHOTS / "local-data.png"))
    assert _axe_serious(pg) == []  # the officer's form and report too

    pg.click(f"#{ids.LOCAL_KEEP}")
    expect(pg.locator(f"#{ids.LOCAL_STATUS}")).to_contain_text(f"Kept as version 1 of '{DATASET}'")
    expect(pg.locator(f"#{ids.LOCAL_DATASETS}")).to_contain_text("not published")
    _choose(pg, ids.LOCAL_DATASET, f"Pupils with attendance below 90% ({DATASET})")
    pg.click(f"#{ids.LOCAL_PUBLISH}")
    expect(pg.locator(f"#{ids.LOCAL_PUBLISH_STATUS}")).to_contain_text(f"Published version 1 of '{DATASET}'")
    expect(pg.locator(f"#{ids.LOCAL_PUBLISH_STATUS}")).to_contain_text("cpop build")
    store = LocalStore(e2e_user_dir(e2e_warehouse))
    assert store.state(DATASET).published_version == 1 and store.state(DATASET).versions[0].added_by == "e2e-officer"
    pg.click(f"#{ids.LOCAL_ROLLBACK}")
    expect(pg.locator(f"#{ids.LOCAL_PUBLISH_STATUS}")).to_contain_text("withdrawn")
    assert store.state(DATASET).published_version is None
    assert watch.console_errors == [] and watch.remote_requests() == []
