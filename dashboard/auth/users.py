"""Officers' accounts: a small JSON file of argon2 password hashes under ``data/user/``.

Why: a board member browsing is a viewer and needs no account; only officers, who save areas
and write commentary, sign in. Accounts are few (a council's handful of officers) and must
survive warehouse rebuilds and stay out of git, so they live beside the saved areas in
``<user_dir>/users.json`` (gitignored, written 0600 under a lock and replaced atomically).
Passwords are hashed with argon2id (argon2-cffi, OWASP's parameters); the file never holds a
password.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.data.locked_json import locked_json, read_json_object

USERS_FILE = "users.json"
OFFICER = "officer"
ROLES = (OFFICER,)
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
#: argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): argon2-cffi's default
#: (64 MiB, 4 lanes) would let a burst of sign-in attempts take a 2-core server's memory and CPU.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class UserError(ValueError):
    """An account cannot be added or removed as asked (bad name, weak password, unknown user)."""


@dataclass(frozen=True)
class Account:
    """One officer's account (no password: only its hash is kept, and not here)."""

    username: str
    role: str
    created_at: str


def normalise_username(name: str) -> str:
    """The stored form of a user name (lower case, trimmed), or UserError saying what is allowed."""
    cleaned = (name or "").strip().lower()
    if not USERNAME_PATTERN.fullmatch(cleaned):
        raise UserError(f"'{name}' is not a usable user name: use 1-64 letters, digits, '.', '_', '-' or '@', "
                        "starting with a letter or digit (an e-mail address will do)")
    return cleaned


def check_password(password: str) -> None:
    """Refuse a password too short to resist guessing, or absurdly long."""
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise UserError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise UserError(f"the password must have at most {MAX_PASSWORD_CHARS} characters")


class UserStore:
    """Add, remove, list and verify officers in ``<user_dir>/users.json``."""

    def __init__(self, user_dir: Path) -> None:
        self.path = Path(user_dir) / USERS_FILE

    def _read(self) -> dict[str, dict]:
        return read_json_object(self.path)

    def _locked(self) -> AbstractContextManager[dict[str, dict]]:
        return locked_json(self.path, private=True)

    def add(self, username: str, password: str, role: str = OFFICER, *, replace: bool = False) -> Account:
        """Create an account (or, with ``replace``, set a new password for an existing one)."""
        name = normalise_username(username)
        check_password(password)
        if role not in ROLES:
            raise UserError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
        with self._locked() as data:
            if name in data and not replace:
                raise UserError(f"user '{name}' already exists (use --replace to set a new password)")
            created = data.get(name, {}).get("created_at") or datetime.now(UTC).isoformat(timespec="seconds")
            data[name] = {"password_hash": _HASHER.hash(password), "role": role, "created_at": created}
        return Account(name, role, created)

    def remove(self, username: str) -> None:
        """Delete an account; UserError when there is none of that name."""
        name = (username or "").strip().lower()
        with self._locked() as data:
            if name not in data:
                raise UserError(f"no user '{username}' (see `cpop user list`)")
            del data[name]

    def list(self) -> list[Account]:
        """Every account, by name."""
        return [Account(name, str(rec.get("role", OFFICER)), str(rec.get("created_at", "")))
                for name, rec in sorted(self._read().items()) if isinstance(rec, dict)]

    def get(self, username: str) -> Account | None:
        """The account of that name, or None."""
        rec = self._read().get((username or "").strip().lower())
        if not isinstance(rec, dict):
            return None
        return Account(username.strip().lower(), str(rec.get("role", OFFICER)), str(rec.get("created_at", "")))

    def verify(self, username: str, password: str) -> Account | None:
        """The account when ``password`` is its password, else None (in about the same time either way)."""
        name = (username or "").strip().lower()
        rec = self._read().get(name) if len(password or "") <= MAX_PASSWORD_CHARS else None
        stored = rec.get("password_hash") if isinstance(rec, dict) else None
        try:
            _HASHER.verify(stored if isinstance(stored, str) else _DUMMY_HASH, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if not isinstance(stored, str):
            return None
        return Account(name, str(rec.get("role", OFFICER)), str(rec.get("created_at", "")))

    def has_accounts(self) -> bool:
        """Whether any officer is configured (the sign-in page says how to add one when not)."""
        return bool(self._read())
