"""Spend datasets on disk: ``<user_dir>/spend/<dataset>/`` holds the officer's raw file as it
was given, ``spend.parquet`` (the accepted tidy rows), ``quarantine.csv`` (every refused row
with its reason and original values) and ``metadata.json``.

Why: spend data is the council's own, not a national source: it lives beside saved areas in
``data/user/`` (never in git, never in the warehouse), survives rebuilds, and the raw file is
kept so any figure can be traced back to the row it came from. A dataset is written into a
temporary folder and renamed into place, so a half-written dataset is never listed.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, Field, ValidationError, field_validator

from dashboard.safe_cells import csv_frame
from etl.errors import InputError
from etl.spend.read import ROW_COLUMN, read_spend_file
from etl.spend.validate import Checked, check_rows

log = logging.getLogger(__name__)
MeasureKind = Literal["expenditure", "staff_hours", "grants"]
MEASURE_WORDS: dict[str, str] = {"expenditure": "Expenditure", "staff_hours": "Staff hours", "grants": "Grants"}
DEFAULT_UNITS: dict[str, str] = {"expenditure": "£", "staff_hours": "hours", "grants": "£"}
SPEND_FILE, QUARANTINE_FILE, METADATA_FILE = "spend.parquet", "quarantine.csv", "metadata.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class SpendMetadata(BaseModel):
    """What a spend dataset is (given by the officer) and what its check found (counted)."""

    dataset_id: str
    title: str = Field(min_length=1, max_length=200)
    organisation: str = Field(min_length=1, max_length=200)
    measure_kind: MeasureKind = "expenditure"
    units: str = Field(min_length=1, max_length=40)
    licence: str = Field("", max_length=200)
    area_type: str
    source_file: str
    added_at: str
    added_by: str = ""
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    years: list[int]
    #: each year as the file wrote it (``"2023": "2023/24"`` for a financial year)
    period_labels: dict[str, str] = Field(default_factory=dict)
    services: list[str]
    councils: list[str]

    @field_validator("title", "organisation", "units", "licence")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @property
    def measure_label(self) -> str:
        """``Expenditure (£)``: the measure and its units, for headings and axes."""
        return f"{MEASURE_WORDS[self.measure_kind]} ({self.units})"

    def period_label(self, year: int) -> str:
        """The year as the file wrote it (``2023/24``), or the year itself."""
        return self.period_labels.get(str(year), str(year))


def dataset_id_for(title: str, taken: set[str]) -> str:
    """A folder name from the title (``Youth work spend 2023`` → ``youth-work-spend-2023``), made
    unique with ``-2``, ``-3`` … when taken."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:56] or "spend"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class SpendStore:
    """The spend datasets kept under ``<user_dir>/spend``."""

    def __init__(self, user_dir: Path) -> None:
        self.root = Path(user_dir) / "spend"

    def _folder(self, dataset_id: str) -> Path:
        if not isinstance(dataset_id, str) or not _ID.match(dataset_id):
            raise KeyError(f"no spend dataset '{dataset_id}'")
        return self.root / dataset_id

    def list(self) -> list[SpendMetadata]:
        """Every complete dataset, newest first."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in self.root.iterdir():
            if folder.is_dir() and not folder.name.startswith(".") and (folder / METADATA_FILE).is_file():
                try:
                    found.append(SpendMetadata.model_validate_json((folder / METADATA_FILE).read_text(encoding="utf-8")))
                except (ValidationError, OSError, UnicodeDecodeError) as exc:  # a hand-edited or damaged file
                    log.warning("spend dataset %s is not listed: its %s cannot be read (%s)", folder, METADATA_FILE,
                                str(exc).splitlines()[0])
        return sorted(found, key=lambda m: (m.added_at, m.dataset_id), reverse=True)

    def get(self, dataset_id: str) -> SpendMetadata:
        """One dataset's metadata; KeyError when there is none of that id."""
        path = self._folder(dataset_id) / METADATA_FILE
        if not path.is_file():
            raise KeyError(f"no spend dataset '{dataset_id}'")
        return SpendMetadata.model_validate_json(path.read_text(encoding="utf-8"))

    def rows(self, dataset_id: str) -> pd.DataFrame:
        """The accepted tidy rows of a dataset."""
        self.get(dataset_id)
        return pd.read_parquet(self._folder(dataset_id) / SPEND_FILE)

    def quarantine(self, dataset_id: str) -> pd.DataFrame:
        """The quarantined rows of a dataset (row, column, reason, then the row's own values)."""
        self.get(dataset_id)
        return pd.read_csv(self._folder(dataset_id) / QUARANTINE_FILE, dtype=str, keep_default_na=False)

    def quarantine_csv(self, dataset_id: str) -> bytes:
        """The quarantine file as kept (already formula-safe), for download."""
        self.get(dataset_id)
        return (self._folder(dataset_id) / QUARANTINE_FILE).read_bytes()

    def add(self, path: Path, areas: pd.DataFrame, *, title: str, organisation: str,
            measure_kind: str = "expenditure", units: str | None = None, licence: str = "", level: str | None = None,
            council: str | None = None, added_by: str = "", original_name: str | None = None) -> tuple[SpendMetadata, Checked]:
        """Read, check and keep ``path``; the metadata and the check (accepted and quarantined rows).

        Raises InputError when the file cannot be read at all or no row is accepted (nothing is
        kept then); pydantic's ValidationError for bad metadata.
        """
        path = Path(path)
        rows, roles = read_spend_file(path)
        checked = check_rows(rows, roles, areas, level=level, council=council)
        if checked.accepted.empty:
            first = checked.quarantined.iloc[0] if len(checked.quarantined) else None
            raise InputError(path, "no row could be used" + (f"; the first refused is row {first[ROW_COLUMN]}, column "
                                                             f"'{first['column']}': {first['reason']}" if first is not None
                                                             else ""),
                             hint="check the file is by the level and councils of this warehouse")
        taken = {p.name for p in self.root.iterdir()} if self.root.is_dir() else set()
        accepted = checked.accepted
        meta = SpendMetadata(
            dataset_id=dataset_id_for(title, taken), title=title, organisation=organisation,
            measure_kind=measure_kind,  # type: ignore[arg-type]
            units=units or DEFAULT_UNITS.get(measure_kind, "£"), licence=licence, area_type=checked.level,
            source_file=original_name or path.name, added_at=datetime.now(UTC).isoformat(timespec="seconds"),
            added_by=added_by, rows_read=checked.rows_read, rows_accepted=len(accepted),
            rows_quarantined=len(checked.quarantined), years=sorted({int(y) for y in accepted.year}),
            period_labels={str(int(y)): str(p) for y, p in zip(accepted.year, accepted.period_label, strict=True)},
            services=sorted(set(accepted.service)), councils=sorted(set(accepted.council_code.dropna())))
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".adding-", dir=self.root))
        try:
            shutil.copyfile(path, work / ("raw-" + re.sub(r"[^A-Za-z0-9._-]+", "_", meta.source_file)))
            accepted.to_parquet(work / SPEND_FILE, index=False)
            quarantined = checked.quarantined.merge(rows, on=ROW_COLUMN, how="left")
            csv_frame(quarantined.rename(columns={ROW_COLUMN: "row"})).to_csv(work / QUARANTINE_FILE, index=False)
            (work / METADATA_FILE).write_text(meta.model_dump_json(indent=2), encoding="utf-8")
            work.rename(self.root / meta.dataset_id)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return meta, checked

    def remove(self, dataset_id: str) -> SpendMetadata:
        """Delete a dataset (its raw file too); KeyError when there is none of that id."""
        meta = self.get(dataset_id)
        folder = self._folder(dataset_id)
        trash = folder.with_name(f".removing-{dataset_id}")
        folder.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
        return meta


def metadata_json(meta: SpendMetadata) -> str:
    """The metadata as JSON (``cpop spend list --json``)."""
    return json.dumps(meta.model_dump(), indent=2)
