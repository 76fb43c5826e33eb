"""``cpop spend add/list/remove``: an officer's spend and resource files, from the command line.

Why: the same as the dashboard's "Spend and need" page for whoever runs cpop: add a file
(checked against the warehouse's areas; each refused row printed with its row, column and
reason), list what is kept, remove a dataset. Each change is written to the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from etl.cli_common import ACTOR, fail, user_dir_of
from etl.errors import InputError
from etl.settings import get_settings

spend_app = typer.Typer(help="Spend and resource data (expenditure, staff hours, grants) to show against need.",
                        no_args_is_help=True)
console = Console()
UserDirOpt = Annotated[Path | None, typer.Option("--user-dir", help="Folder of user data (default data/user, or "
                                                 "CPOP_USER_DIR).")]
SHOWN_QUARANTINE = 20


@spend_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with columns area, year, amount (and optionally service, "
                                        "council).")],
    title: Annotated[str, typer.Option("--title", help="What the figures are, e.g. 'Youth work spend'.")],
    organisation: Annotated[str, typer.Option("--organisation", help="Who holds the figures.")],
    kind: Annotated[str, typer.Option("--kind", help="expenditure, staff_hours or grants.")] = "expenditure",
    units: Annotated[str | None, typer.Option("--units", help="Units (default £, or hours for staff_hours).")] = None,
    licence: Annotated[str, typer.Option("--licence", help="Licence or sharing restriction.")] = "",
    level: Annotated[str | None, typer.Option("--level", help="datazone, intermediate_zone, ward or locality "
                                              "(guessed from the codes when not given).")] = None,
    council: Annotated[str | None, typer.Option("--council", help="Council code or name, for locality names when "
                                                "the file has no council column.")] = None,
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="Warehouse whose areas the file is checked "
                                                   "against (default data/warehouse/cpop.duckdb).")] = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Check a spend file against the warehouse's areas and keep it (raw file, tidy rows, metadata)."""
    from dashboard.auth.audit import AuditLog
    from etl.spend.areas import warehouse_areas
    from etl.spend.store import SpendStore

    folder = user_dir_of(user_dir)
    try:
        areas = warehouse_areas(warehouse.resolve() if warehouse else get_settings().warehouse_path)
        meta, checked = SpendStore(folder).add(file, areas, title=title, organisation=organisation, measure_kind=kind,
                                               units=units, licence=licence, level=level, council=council,
                                               added_by=ACTOR)
    except InputError as exc:
        fail(str(exc))
        return
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        fail(f"the dataset's details are not valid ({problems})")
        return
    except ValueError as exc:
        fail(str(exc))
        return
    AuditLog(folder).append(ACTOR, "add spend dataset", meta.dataset_id, title=meta.title,
                            rows_accepted=meta.rows_accepted, rows_quarantined=meta.rows_quarantined)
    console.print(f"Added spend dataset '{meta.dataset_id}' ({meta.title}, {meta.organisation}): by {meta.area_type}, "
                  f"years {', '.join(map(str, meta.years))}; rows read {meta.rows_read:,} = accepted "
                  f"{meta.rows_accepted:,} + quarantined {meta.rows_quarantined:,}.", soft_wrap=True)
    if meta.rows_quarantined:
        table = Table("row", "column", "why it was not used", title=f"Quarantined rows (kept in "
                      f"{folder / 'spend' / meta.dataset_id / 'quarantine.csv'})")
        for r in checked.quarantined.head(SHOWN_QUARANTINE).itertuples(index=False):
            table.add_row(str(r[0]), str(r.column), str(r.reason))
        console.print(table)
        if meta.rows_quarantined > SHOWN_QUARANTINE:
            console.print(f"… and {meta.rows_quarantined - SHOWN_QUARANTINE:,} more in quarantine.csv.")


@spend_app.command("list")
def list_datasets(user_dir: UserDirOpt = None) -> None:
    """List the spend datasets kept."""
    from etl.spend.store import SpendStore

    datasets = SpendStore(user_dir_of(user_dir)).list()
    if not datasets:
        console.print("No spend datasets. Add one with `cpop spend add FILE --title ... --organisation ...`.")
        return
    for m in datasets:  # one block each: a wide table is unreadable in an 80-column terminal
        console.print(f"[bold]{m.dataset_id}[/]: {m.title} ({m.organisation}); {m.measure_label} by {m.area_type}, "
                      f"years {', '.join(m.period_label(y) for y in m.years)}; rows accepted {m.rows_accepted:,}, "
                      f"quarantined {m.rows_quarantined:,}; licence: {m.licence or 'not stated'}; added {m.added_at}"
                      f"{' by ' + m.added_by if m.added_by else ''}.", soft_wrap=True, highlight=False)


@spend_app.command("remove")
def remove(dataset: Annotated[str, typer.Argument(help="The dataset's id (see `cpop spend list`).")],
           user_dir: UserDirOpt = None) -> None:
    """Delete a spend dataset (its raw file, rows and quarantine)."""
    from dashboard.auth.audit import AuditLog
    from etl.spend.store import SpendStore

    folder = user_dir_of(user_dir)
    try:
        meta = SpendStore(folder).remove(dataset)
    except KeyError:
        fail(f"no spend dataset '{dataset}' (see `cpop spend list`)")
        return
    AuditLog(folder).append(ACTOR, "remove spend dataset", meta.dataset_id, title=meta.title)
    console.print(f"Removed spend dataset '{meta.dataset_id}' ({meta.title}).")
