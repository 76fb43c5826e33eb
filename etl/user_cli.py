"""``cpop user add/remove/list/audit``: officers' accounts and the audit log, on the server.

Why: viewers need no account; whoever runs cpop gives each officer one from the command line
(there is no sign-up page, so nobody can make themselves an officer from a browser). Accounts
live in ``<user_dir>/users.json`` (argon2 hashes, outside git); each change is written to the
audit log too.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from etl.cli_common import ACTOR, err, user_dir_of

user_app = typer.Typer(help="Officers' accounts (who may save areas and write commentary) and the audit log.",
                       no_args_is_help=True)
console = Console()
UserDirOpt = Annotated[Path | None, typer.Option("--user-dir", help="Folder of accounts, saved areas and "
                                                 "commentary (default data/user, or CPOP_USER_DIR).")]


def _password(from_stdin: bool) -> str:
    """The new password: one line of standard input (scripts), or typed twice at a prompt."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (10 characters or more): ")
    if getpass.getpass("Same password again: ") != first:
        err.print("[bold red]Error:[/] the two passwords differ; nothing was changed.")
        raise typer.Exit(code=1)
    return first


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ - @; an e-mail address will do).")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first "
                                                 "line of standard input instead of prompting.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Set a new password for an existing user.")] = False,
    user_dir: UserDirOpt = None,
) -> None:
    """Give an officer an account (asks for the password; it is stored only as an argon2 hash)."""
    from dashboard.auth.audit import AuditLog
    from dashboard.auth.users import UserError, UserStore

    folder = user_dir_of(user_dir)
    try:
        account = UserStore(folder).add(name, _password(password_stdin), replace=replace)
    except UserError as exc:
        err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    AuditLog(folder).append(ACTOR, "set password" if replace else "add user", account.username, role=account.role)
    console.print(f"{'Password changed for' if replace else 'Added'} officer '{account.username}'. They sign in "
                  "at /sign-in on the dashboard.")


@user_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="User name.")], user_dir: UserDirOpt = None) -> None:
    """Remove an officer's account (they are signed out on their next request)."""
    from dashboard.auth.audit import AuditLog
    from dashboard.auth.users import UserError, UserStore

    folder = user_dir_of(user_dir)
    try:
        UserStore(folder).remove(name)
    except UserError as exc:
        err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    AuditLog(folder).append(ACTOR, "remove user", name.strip().lower())
    console.print(f"Removed '{name.strip().lower()}'.")


@user_app.command("list")
def list_users(user_dir: UserDirOpt = None) -> None:
    """List officers' accounts (never their passwords)."""
    from dashboard.auth.users import UserStore

    accounts = UserStore(user_dir_of(user_dir)).list()
    if not accounts:
        console.print("No officer accounts: anyone can read the dashboard, nobody can change it. "
                      "Add one with `cpop user add <name>`.")
        return
    table = Table("user", "role", "created (UTC)")
    for account in accounts:
        table.add_row(account.username, account.role, account.created_at)
    console.print(table)


@user_app.command("audit")
def audit(last: Annotated[int, typer.Option("--last", help="Show the last N entries.")] = 50,
          user_dir: UserDirOpt = None) -> None:
    """Show the audit log: who changed what, and when (sign-ins, saved areas, commentary, accounts)."""
    from dashboard.auth.audit import AuditLog

    entries = list(AuditLog(user_dir_of(user_dir)).entries())[-max(last, 0):] if last else []
    if not entries:
        console.print("The audit log is empty.")
        return
    table = Table("when (UTC)", "who", "did", "to", "details")
    for e in entries:
        table.add_row(e.at, e.user, e.action, e.target, ", ".join(f"{k}={v}" for k, v in sorted(e.details.items())))
    console.print(table)
