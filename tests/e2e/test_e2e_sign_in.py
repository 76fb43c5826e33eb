"""Issue 14, finding 9 in the browser: a viewer reads but cannot save; an officer signs in from
the navbar, saves an area, and signs out again."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import E2E_OFFICER, e2e_user_dir
from playwright.sync_api import expect

from dashboard import ids
from etl.warehouse_files import open_pair

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def test_officer_signs_in_saves_an_area_and_signs_out(page: Any, app_url: str, e2e_warehouse: Path,
                                                      sign_in: Any) -> None:
    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        zones = [r[0] for r in con.execute("SELECT datazone_code FROM core.dim_datazone ORDER BY 1 LIMIT 4").fetchall()]
    finally:
        con.close()
    # a viewer builds an area and sees its profile, but cannot save it
    pg.goto(app_url + "/areas")
    expect(pg.locator(f"#{ids.MY_SAVE}")).to_be_disabled()
    expect(pg.locator(f"#{ids.NAV_SIGN_IN}")).to_be_visible()
    # the officer signs in from the navbar link and comes back to where they were
    pg.click(f"#{ids.NAV_SIGN_IN}")
    expect(pg.get_by_role("heading", name="Sign in")).to_be_visible()
    pg.add_script_tag(path=str(AXE))
    violations = pg.evaluate("async () => (await axe.run(document)).violations.filter("
                             "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
    assert violations == []
    pg.fill(f"#{ids.SIGN_IN_USERNAME}", E2E_OFFICER[0])
    pg.fill(f"#{ids.SIGN_IN_PASSWORD}", "not the password")
    pg.click(f"#{ids.SIGN_IN_SUBMIT}")
    expect(pg.locator(f"#{ids.SIGN_IN_MESSAGE}")).to_contain_text("do not match")
    sign_in(pg, app_url, "/areas")
    expect(pg.locator(f"#{ids.NAVBAR}")).to_contain_text(f"Signed in as {E2E_OFFICER[0]}")
    pg.fill(f"#{ids.MY_CODES}", " ".join(zones))
    pg.press(f"#{ids.MY_CODES}", "Tab")
    expect(pg.locator(f"#{ids.MY_SUMMARY}")).to_contain_text("4 data zones selected")
    pg.fill(f"#{ids.MY_NAME}", "Signed-in officer's area")
    expect(pg.locator(f"#{ids.MY_SAVE}")).to_be_enabled()
    pg.click(f"#{ids.MY_SAVE}")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text("Saved 'Signed-in officer's area'")
    expect(pg).to_have_url(re.compile(r"/areas\?id=\w+"))
    area_id = pg.url.rpartition("id=")[2]
    audit = [json.loads(line) for line in (e2e_user_dir(e2e_warehouse) / "audit.jsonl").read_text().splitlines()]
    assert {"user": E2E_OFFICER[0], "action": "save area", "target": area_id} in [
        {k: e[k] for k in ("user", "action", "target")} for e in audit]
    # signing out makes them a viewer again: the saved area still shows, but cannot be changed
    pg.click(f"#{ids.NAV_SIGN_OUT}")
    expect(pg.locator(f"#{ids.NAV_SIGN_IN}")).to_be_visible()
    pg.goto(f"{app_url}/areas?id={area_id}")
    expect(pg.locator(f"#{ids.MY_NAME}")).to_have_value("Signed-in officer's area")
    expect(pg.locator(f"#{ids.MY_DELETE}")).to_be_disabled()
    assert watch.console_errors == [] and watch.remote_requests() == []
