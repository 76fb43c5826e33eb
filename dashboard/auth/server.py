"""Sign-in, sign-out, sessions and request guards on the dashboard's Flask server.

Why: viewers read without an account; officers sign in (Flask-Login sessions, argon2 hashes in
``users.json``) to change what a board sees. Everything here runs before any Dash callback:

- the session cookie is signed with a key from ``CPOP_SECRET_KEY`` or a random key generated once
  into ``<user_dir>/secret_key`` (never in git), HttpOnly and SameSite=Lax (Secure when
  ``CPOP_SECURE_COOKIES`` is set);
- the sign-in and sign-out forms carry a CSRF token (Flask-WTF's signed, session-bound token);
- every POST (Dash callbacks included) must come from the server's own origin: a browser always
  sends ``Origin`` (or at least ``Referer``) on a POST, and one naming another site is refused;
- a request body larger than ``max_request_bytes`` is refused from its Content-Length before
  it is read (Flask's ``MAX_CONTENT_LENGTH``; ``cpop serve`` sets the same limit in waitress);
- optionally (``CPOP_AUTH_PROXY_HEADER``, off by default) the user name in a header set by the
  council's reverse proxy is trusted instead of the sign-in form.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import ValidationError

from dashboard.auth.audit import AuditLog
from dashboard.auth.users import OFFICER, Account, UserStore

log = logging.getLogger(__name__)
SIGN_IN_PAGE = "/sign-in"
SIGN_IN_PATH = "/auth/sign-in"
SIGN_OUT_PATH = "/auth/sign-out"
SECRET_FILE = "secret_key"
CSRF_FIELD = "csrf_token"
SETTINGS_KEY = "cpop.auth_settings"


class Officer(UserMixin):
    """The signed-in user as Flask-Login sees it: a name and a role."""

    def __init__(self, account: Account) -> None:
        self.id = account.username
        self.role = account.role


def secret_key(settings: object) -> str:
    """The session-signing key: ``settings.secret_key`` or the generated ``<user_dir>/secret_key``."""
    configured = getattr(settings, "secret_key", None)
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    path = Path(settings.user_dir) / SECRET_FILE  # type: ignore[attr-defined]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two servers starting at once never both write; 0600 from the first byte
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def signed_in_officer() -> str | None:
    """The name of the officer making the current request, or None for a viewer."""
    try:
        user = current_user
        if user and user.is_authenticated and getattr(user, "role", None) == OFFICER:
            return str(user.id)
    except (AttributeError, RuntimeError):  # outside a request, or an app without sign-in
        return None
    return None


def audit_log() -> AuditLog:
    """The audit log of the app serving the current request."""
    return AuditLog(Path(flask.current_app.extensions[SETTINGS_KEY].user_dir))


def user_store() -> UserStore:
    """The officers' accounts of the app serving the current request."""
    return UserStore(Path(flask.current_app.extensions[SETTINGS_KEY].user_dir))


def proxy_header() -> str | None:
    """The trusted proxy header's name, or None when sign-in uses the form (the default)."""
    return flask.current_app.extensions[SETTINGS_KEY].auth_proxy_header or None


def csrf_token() -> str:
    """A CSRF token for a form in the page being built (bound to the visitor's session)."""
    return generate_csrf()


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path on this site only (never ``//other`` or a full URL)."""
    path = path or "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


def _same_origin(request: flask.Request, allowed: set[str]) -> bool:
    """Whether a POST comes from this site: its Origin (or, failing that, Referer) names this
    server or an allowed origin. A request with neither is not from a browser page (browsers send
    Origin on every POST), so it cannot ride on a visitor's session and is let through."""
    claimed = request.headers.get("Origin") or (
        _origin_of(request.headers["Referer"]) if request.headers.get("Referer") else None)
    if claimed is None:
        return True
    return claimed in {request.host_url.rstrip("/"), *allowed}


def _officer(name: str) -> Officer | None:
    """The officer called ``name``, or None (also when users.json cannot be read: everyone is then a
    viewer, and the log says why, rather than every page failing)."""
    try:
        account = user_store().get(name)
    except (OSError, ValueError) as exc:
        log.error("cannot read the officers' accounts (%s): everyone is a viewer until it is fixed", exc)
        return None
    return Officer(account) if account else None


def install_auth(server: flask.Flask, settings: object) -> None:
    """Sessions, sign-in/out routes, the same-origin rule and the request size limit on ``server``."""
    server.extensions[SETTINGS_KEY] = settings
    server.secret_key = secret_key(settings)
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(getattr(settings, "secure_cookies", False)),
        MAX_CONTENT_LENGTH=int(settings.max_request_bytes),  # type: ignore[attr-defined]
        WTF_CSRF_TIME_LIMIT=8 * 3600, WTF_CSRF_FIELD_NAME=CSRF_FIELD,
    )
    allowed = {o.strip().rstrip("/") for o in str(getattr(settings, "allowed_origins", "")).split(",") if o.strip()}
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.init_app(server)

    @manager.user_loader
    def _load(user_id: str) -> Officer | None:
        if proxy_header():  # the proxy decides on every request; no session sign-in
            return None
        return _officer(user_id)

    @manager.request_loader
    def _from_proxy(request: flask.Request) -> Officer | None:
        header = proxy_header()
        name = request.headers.get(header) if header else None
        return _officer(name) if name else None

    @server.before_request
    def _refuse_cross_site_posts() -> flask.Response | None:
        if flask.request.method in ("GET", "HEAD", "OPTIONS") or _same_origin(flask.request, allowed):
            return None
        log.warning("refused a %s to %s from origin %s", flask.request.method, flask.request.path,
                    flask.request.headers.get("Origin") or flask.request.headers.get("Referer"))
        return flask.make_response(({"error": "This request came from another site and was refused. "
                                     "Open cpop at its own address and try again."}, 403))

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_: RequestEntityTooLarge) -> flask.Response:
        mb = 1024 * 1024
        request_mb = int(settings.max_request_bytes) // mb  # type: ignore[attr-defined]
        upload_mb = int(settings.max_upload_bytes) // mb  # type: ignore[attr-defined]
        return flask.make_response(({"error": f"The request is too large (more than {request_mb} MB): upload "
                                     f"files of at most {upload_mb} MB, and download smaller tables (fewer "
                                     "indicators or areas)."}, 413))

    @server.post(SIGN_IN_PATH)
    def _sign_in() -> flask.Response:
        form = flask.request.form
        next_path = safe_next(form.get("next"))
        back = f"{SIGN_IN_PAGE}?next={quote(next_path)}"
        if proxy_header():
            return flask.redirect(f"{back}&error=proxy")
        try:
            validate_csrf(form.get(CSRF_FIELD))
        except ValidationError:
            return flask.redirect(f"{back}&error=expired")
        username = (form.get("username") or "")[:256]
        try:
            account = user_store().verify(username, form.get("password") or "")
        except (OSError, ValueError) as exc:  # users.json unreadable: nobody signs in, and the log says why
            log.error("cannot read the officers' accounts (%s)", exc)
            account = None
        if account is None or account.role != OFFICER:
            audit_log().append(username.strip().lower() or "(blank)", "sign-in refused", "session",
                               remote=flask.request.remote_addr)
            return flask.redirect(f"{back}&error=wrong")
        flask.session.clear()  # a fresh session (and CSRF token) for the signed-in officer
        login_user(Officer(account))
        audit_log().append(account.username, "sign in", "session", remote=flask.request.remote_addr)
        return flask.redirect(next_path)

    @server.post(SIGN_OUT_PATH)
    def _sign_out() -> flask.Response:
        try:
            validate_csrf(flask.request.form.get(CSRF_FIELD))
        except ValidationError:
            return flask.redirect("/")
        name = signed_in_officer()
        logout_user()
        flask.session.clear()
        if name:
            audit_log().append(name, "sign out", "session", remote=flask.request.remote_addr)
        return flask.redirect("/")
