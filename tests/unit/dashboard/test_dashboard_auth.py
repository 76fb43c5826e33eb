"""Accounts, the audit log, the session key, the proxy header and the request guards (issue 14, finding 9)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import flask
import pytest
from typer.testing import CliRunner

from dashboard.auth.audit import AuditLog
from dashboard.auth.server import (
    _same_origin,
    install_auth,
    safe_next,
    secret_key,
    signed_in_officer,
)
from dashboard.auth.users import UserError, UserStore
from etl.cli import app as cli
from etl.settings import Settings

PASSWORD = "correct horse battery"


def test_accounts_keep_only_an_argon2_hash_in_a_private_file(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    assert not store.has_accounts()
    account = store.add("Officer@Council.example", PASSWORD)
    assert account.username == "officer@council.example" and account.role == "officer"
    text = store.path.read_text()
    assert PASSWORD not in text and json.loads(text)[account.username]["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.verify(" OFFICER@council.example ", PASSWORD) == account
    assert store.verify(account.username, PASSWORD + "x") is None
    assert store.verify("nobody", PASSWORD) is None
    assert store.verify(account.username, "x" * 5000) is None


@pytest.mark.parametrize(("name", "password", "message"), [
    ("", PASSWORD, "not a usable user name"),
    ("a b", PASSWORD, "not a usable user name"),
    ("../etc", PASSWORD, "not a usable user name"),
    ("officer", "short", "at least 10 characters"),
])
def test_bad_names_and_weak_passwords_are_refused(tmp_path: Path, name: str, password: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        UserStore(tmp_path).add(name, password)


def test_an_account_is_added_once_unless_replaced_and_removed_by_name(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("officer", PASSWORD)
    with pytest.raises(UserError, match="already exists"):
        store.add("officer", "another password")
    store.add("officer", "another password", replace=True)
    assert store.verify("officer", "another password") and not store.verify("officer", PASSWORD)
    store.remove("Officer")
    assert store.list() == []
    with pytest.raises(UserError, match="no user 'officer'"):
        store.remove("officer")


def test_the_audit_log_only_appends(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    log.append("a", "save area", "x1", name="One")
    first = log.path.read_bytes()
    log.append("b", "delete area", "x1")
    assert log.path.read_bytes().startswith(first)
    assert [(e.user, e.action, e.target, e.details) for e in log.entries()] == [
        ("a", "save area", "x1", {"name": "One"}), ("b", "delete area", "x1", {})]
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("not json\n")
    assert len(list(log.entries())) == 2  # a damaged line is skipped, never rewritten


def test_the_session_key_comes_from_settings_or_a_private_file_made_once(tmp_path: Path) -> None:
    assert secret_key(Settings(user_dir=tmp_path, secret_key="from-env")) == "from-env"
    first = secret_key(Settings(user_dir=tmp_path))
    assert len(first) == 64 and secret_key(Settings(user_dir=tmp_path)) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


@pytest.mark.parametrize(("asked", "goes"), [
    (None, "/"), ("/areas?id=x", "/areas?id=x"), ("//evil.example", "/"), ("https://evil.example/", "/"),
    ("areas", "/"), ("/\\evil.example", "/"),
])
def test_after_sign_in_only_paths_on_this_site(asked: str | None, goes: str) -> None:
    assert safe_next(asked) == goes


def test_a_post_must_come_from_this_site() -> None:
    app = flask.Flask(__name__)
    for headers, ok in [({}, True), ({"Origin": "http://cpop.local"}, True),
                        ({"Origin": "https://evil.example"}, False), ({"Origin": "null"}, False),
                        ({"Referer": "http://cpop.local/areas"}, True), ({"Referer": "http://evil.example/"}, False),
                        ({"Origin": "https://cpop.council.example"}, True)]:
        with app.test_request_context("/_dash-update-component", method="POST", base_url="http://cpop.local",
                                      headers=headers):
            assert _same_origin(flask.request, {"https://cpop.council.example"}) is ok, headers


def test_a_trusted_proxy_header_names_the_officer_only_when_switched_on(tmp_path: Path) -> None:
    UserStore(tmp_path).add("officer", PASSWORD)
    for header, expected in [(None, None), ("X-Remote-User", "officer")]:
        app = flask.Flask(__name__)
        install_auth(app, Settings(user_dir=tmp_path, auth_proxy_header=header))
        seen: list[str | None] = []
        app.add_url_rule("/who", "who", lambda seen=seen: seen.append(signed_in_officer()) or "")
        client = app.test_client()
        client.get("/who", headers={"X-Remote-User": "officer"})
        client.get("/who", headers={"X-Remote-User": "stranger"})
        assert seen == [expected, None]


def test_cpop_user_add_list_remove_and_audit(tmp_path: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["user", "add", "officer", "--password-stdin", "--user-dir", str(tmp_path)],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0 and "Added officer 'officer'" in added.output
    assert UserStore(tmp_path).verify("officer", PASSWORD)
    weak = runner.invoke(cli, ["user", "add", "other", "--password-stdin", "--user-dir", str(tmp_path)],
                         input="short\n")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    assert "officer" in runner.invoke(cli, ["user", "list", "--user-dir", str(tmp_path)]).output
    assert runner.invoke(cli, ["user", "remove", "officer", "--user-dir", str(tmp_path)]).exit_code == 0
    assert "No officer accounts" in runner.invoke(cli, ["user", "list", "--user-dir", str(tmp_path)]).output
    audit = runner.invoke(cli, ["user", "audit", "--user-dir", str(tmp_path)]).output
    assert "add user" in audit and "remove user" in audit


@pytest.mark.parametrize("error", [None, "wrong", "expired", "proxy", "made-up"])
def test_the_sign_in_page_says_how_to_get_an_account_and_what_went_wrong(tmp_path: Path, error: str | None) -> None:
    import dash
    from plotly.utils import PlotlyJSONEncoder

    from dashboard.app import create_app

    app = create_app(Settings(warehouse_path=tmp_path / "absent.duckdb", user_dir=tmp_path / "user"))
    entry = dash.page_registry["dashboard.pages.sign_in"]
    module = __import__(entry["module"], fromlist=["ERRORS"])
    layout, ERRORS, NO_ACCOUNTS = entry["layout"], module.ERRORS, module.NO_ACCOUNTS  # noqa: N806
    with app.server.test_request_context("/sign-in"):
        page = json.dumps(layout(next="//evil.example", error=error), cls=PlotlyJSONEncoder)
    def said(text: str) -> str:  # as it appears in the page's JSON
        return json.dumps(text)[1:-1]

    assert said(NO_ACCOUNTS) in page and "cpop user add" in page
    assert (said(ERRORS[error]) in page) if error in ERRORS else not any(said(m) in page for m in ERRORS.values())
    assert "evil.example" not in page  # the form only ever sends you back to this site
    UserStore(tmp_path / "user").add("officer", PASSWORD)
    with app.server.test_request_context("/sign-in"):
        assert said(NO_ACCOUNTS) not in json.dumps(layout(), cls=PlotlyJSONEncoder)


def test_an_unreadable_accounts_file_makes_everyone_a_viewer_not_a_500(tmp_path: Path) -> None:
    from dashboard.app import create_app

    app = create_app(Settings(warehouse_path=tmp_path / "absent.duckdb", user_dir=tmp_path))
    (tmp_path / "users.json").write_text("{not json")
    from tests.fixtures.dash_callbacks import callback_key, form_value, post

    client = app.server.test_client()
    page = post(client, app, callback_key(app, "_pages_content"), {"_pages_location.pathname": "/sign-in"})
    token = form_value(page.get_data(as_text=True), "csrf_token")
    response = client.post("/auth/sign-in", data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and "error=wrong" in response.headers["Location"]
    assert client.get("/_dash-layout").status_code == 200
