"""Build now (issue 15): the progress file ``cpop build --progress-file`` writes, the runner that starts
the build in a separate process with the server's settings, and the page's callback as the server
meets it (a viewer is refused and starts nothing; a second click while a build runs says so)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dashboard import ids
from dashboard.app import create_app
from dashboard.auth.users import UserStore
from dashboard.components.build_status import BUILT, build_view, quick_profile_href
from dashboard.data import build_runner as runner
from dashboard.data.context import queries_of
from etl import build_progress as bp
from etl.cli import app as cli
from etl.settings import Settings
from tests.fixtures.dash_callbacks import callback_key, form_value, post, response_props

OFFICER, PASSWORD = "build-officer", "a long enough password"


def _words(value: Any) -> str:
    """Every string in a component tree (or a list of them), in order."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_words(v) for v in value)
    if isinstance(value, dict):  # a component as a callback response sends it
        return _words(value.get("props", {}).get("children", ""))
    children = getattr(value, "children", None)
    return _words(children) if children is not None else ""


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    child.wait()
    return child.pid


def test_the_progress_file_is_replaced_whole_and_says_the_stage_in_words(tmp_path: Path) -> None:
    path = tmp_path / "p" / "progress.json"
    reporter = bp.ProgressFile(path)
    assert bp.read_progress(path).state == bp.RUNNING and bp.read_progress(path).pid == os.getpid()
    reporter.tick("disclosure", 1, 2)
    progress = bp.read_progress(path)
    assert progress.stage_words == "applying disclosure control"
    # 8 stages before "disclosure", half of it done, of 14
    assert progress.percent == int(100 * (bp.STAGES.index("disclosure") + 0.5) / len(bp.STAGES)) == 60
    reporter.fail("the raw file x.csv, row 3: not a number")
    assert bp.read_progress(path).state == bp.FAILED and bp.read_progress(path).stage == "disclosure"
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no side file left
    assert bp.BuildProgress(state=bp.DONE).percent == 100
    path.write_text("{not json", encoding="utf-8")
    assert bp.read_progress(path) is None
    path.write_text(json.dumps({"state": "exploded"}), encoding="utf-8")
    assert bp.read_progress(path) is None


def test_cpop_build_writes_its_failure_in_plain_words_to_the_progress_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    result = CliRunner().invoke(cli, ["build", "--raw-dir", str(tmp_path / "missing"), "--warehouse",
                                      str(tmp_path / "w.duckdb"), "--progress-file", str(path)])
    assert result.exit_code == 1
    progress = bp.read_progress(path)
    assert progress.state == bp.FAILED and "missing does not exist" in progress.message
    assert "Traceback" not in progress.message


def test_the_child_gets_the_servers_settings_but_never_its_secret(tmp_path: Path) -> None:
    settings = Settings(warehouse_path=tmp_path / "w.duckdb", raw_dir=tmp_path / "raw", user_dir=tmp_path / "user",
                        catalogue_dir=None, secret_key="s3cret", threads=1)
    env = runner.child_environment(settings)
    assert env["CPOP_USER_DIR"] == str(tmp_path / "user") and env["CPOP_THREADS"] == "1"
    assert "CPOP_CATALOGUE_DIR" not in env and "CPOP_SECRET_KEY" not in env
    assert "s3cret" not in json.dumps(env)
    assert Settings(**{}).model_validate(settings.model_dump()).user_dir == settings.user_dir
    command = runner.build_command(settings)
    assert command[1:4] == ["-m", "etl.cli", "build"] and "--raw-dir" not in command  # no raw folder: not passed
    (tmp_path / "raw").mkdir()
    assert runner.build_command(settings)[-4:] == ["--raw-dir", str(tmp_path / "raw"), "--progress-file",
                                            str(runner.progress_path(settings))]


def test_a_running_build_is_named_and_a_dead_one_is_shown_as_failed(tmp_path: Path) -> None:
    settings = Settings(warehouse_path=tmp_path / "w.duckdb", user_dir=tmp_path / "user")
    assert runner.current_progress(settings) is None and runner.running_message(settings) is None
    path = runner.progress_path(settings)
    path.parent.mkdir(parents=True)
    path.write_text(bp.BuildProgress(state=bp.RUNNING, stage="marts", pid=os.getpid(), started_at="today").model_dump_json())
    assert "already running (started today, now computing the indicators for every area)" in runner.running_message(settings)
    assert runner.start_build(settings).started is False
    path.write_text(bp.BuildProgress(state=bp.RUNNING, pid=_dead_pid()).model_dump_json())
    progress = runner.current_progress(settings)
    assert progress.state == bp.FAILED and "ended before it finished" in progress.message
    assert runner.running_message(settings) is None


def test_start_build_runs_cpop_build_in_another_process_and_its_error_reaches_the_page(tmp_path: Path) -> None:
    """A real child process: the raw folder holds a file that is no source, so the build fails at once."""
    raw = tmp_path / "raw"
    (raw / "nonsense" / "2020").mkdir(parents=True)
    (raw / "nonsense" / "2020" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    settings = Settings(warehouse_path=tmp_path / "w.duckdb", raw_dir=raw, user_dir=tmp_path / "user")
    started = runner.start_build(settings)
    assert started.started and runner.current_progress(settings).state == bp.RUNNING
    assert runner.start_build(settings).started is False  # a second click while it runs
    deadline = time.monotonic() + 120
    while not runner.current_progress(settings).is_finished():
        assert time.monotonic() < deadline, "the build child did not finish"
        time.sleep(0.2)
    progress = runner.current_progress(settings)
    assert progress.state == bp.FAILED and progress.pid != os.getpid() and progress.message
    assert "Traceback" not in progress.message
    shown = _words(build_view(progress))
    assert "The build failed" in shown and progress.message in shown
    assert not (tmp_path / "w.duckdb").exists()


def test_the_view_says_built_with_a_link_to_the_indicator_on_the_quick_profile() -> None:
    done = build_view(bp.BuildProgress(state=bp.DONE, message="build b1 is live"), "local_x")
    assert BUILT in _words(done) and "Build b1 is live" in _words(done)
    assert quick_profile_href("local_x") == "/profile?indicator=local_x" and quick_profile_href(None) == "/profile"
    running = _words(build_view(bp.BuildProgress(state=bp.RUNNING, stage="checks", done=3, total=40), note="started"))
    assert "running the data checks (3 of 40)" in running and running.startswith("started")


@pytest.fixture
def served(tmp_path: Path) -> Any:
    """An app (no warehouse built: the Local data page does not need one) with an officer account."""
    user_dir = tmp_path / "user"
    UserStore(user_dir).add(OFFICER, PASSWORD)
    app = create_app(Settings(warehouse_path=tmp_path / "w.duckdb", user_dir=user_dir, raw_dir=tmp_path / "raw"))
    yield app, user_dir
    queries_of(app.server).reader.close()


def _press(client: Any, app: Any) -> str:
    response = post(client, app, callback_key(app, ids.LOCAL_BUILD_STATUS), {f"{ids.LOCAL_BUILD}.n_clicks": 1,
                                                                            f"{ids.LOCAL_DATASET}.value": None},
                    changed=[f"{ids.LOCAL_BUILD}.n_clicks"])
    assert response.status_code == 200, response.get_data(as_text=True)
    props = response_props(response)
    return _words(props[ids.LOCAL_BUILD_STATUS]["children"]), props[ids.LOCAL_BUILD_POLL]["disabled"]


def test_a_viewer_cannot_start_a_build_and_an_officer_is_told_when_one_is_running(served: Any) -> None:
    app, user_dir = served
    client = app.server.test_client()
    text, disabled = _press(client, app)
    assert "Only a signed-in officer" in text and disabled is True
    assert not (user_dir / "build").exists()  # nothing started, no file written

    page = post(client, app, callback_key(app, "_pages_content"),
                {"_pages_location.pathname": "/sign-in", "_pages_location.search": ""})
    client.post("/auth/sign-in", data={"username": OFFICER, "password": PASSWORD, "next": "/local",
                                       "csrf_token": form_value(page.get_data(as_text=True), "csrf_token")})
    path = user_dir / "build" / "progress.json"
    path.parent.mkdir(parents=True)
    path.write_text(bp.BuildProgress(state=bp.RUNNING, stage="core", pid=os.getpid(), started_at="now").model_dump_json())
    text, disabled = _press(client, app)
    assert "A build is already running" in text and "building the data-zone model" in text and disabled is False
    assert bp.read_progress(path).pid == os.getpid()  # the running build's file, not a new one
