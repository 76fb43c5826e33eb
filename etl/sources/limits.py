"""Limits on what a raw file may cost the build, checked before the file is read.

Why: one oversized or hostile file must not take the build (or the machine) down. A 14 MB
workbook can hold a 2.6 GB sheet (an "xlsx bomb") that openpyxl would try to expand; a
``.csv.gz`` can decompress to anything. So before any reader opens a file the build checks,
cheaply: its size on disk; for a workbook, the uncompressed size of its parts (from the zip's
directory, nothing is expanded) and each sheet's declared dimension; for a gzip file, its
decompressed size (streamed, stopping at the limit). Row counts are checked as a CSV is read
(``etl.sources.csv_shape``).

The limits are settings (``CPOP_MAX_RAW_FILE_MB``, ``CPOP_MAX_RAW_ROWS``,
``CPOP_MAX_SHEET_CELLS``, ``CPOP_MAX_UNCOMPRESSED_MB``), far above any real publisher's file
(the largest in the real snapshot's sources is 8 MB); docs/security.md lists them.
"""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib
from pathlib import Path

from etl.errors import InputError

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
MB = 1024 * 1024


def _settings():  # noqa: ANN202 - the Settings object
    from etl.settings import get_settings

    return get_settings()


def _raise_hint() -> str:
    return "check this is the right file; if it really is this large, raise the limit (see docs/security.md, 'Limits')"


def check_raw_file(path: Path) -> None:
    """Refuse ``path`` when it exceeds a limit, naming the file, the size found and the limit."""
    limits = _settings()
    size = path.stat().st_size
    if size > limits.max_raw_file_mb * MB:
        raise InputError(path, f"the file is {size / MB:,.0f} MB, over the limit of {limits.max_raw_file_mb:,} MB "
                         "for one raw file (CPOP_MAX_RAW_FILE_MB)", hint=_raise_hint())
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        check_workbook(path)
    elif name.endswith(".gz"):
        check_gzip(path)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def check_workbook(path: Path) -> None:
    """A workbook's parts and sheets are within the limits, read from the zip directory and the
    first bytes of each sheet (nothing is expanded)."""
    limits = _settings()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                         hint="download the workbook again or save the data sheet as CSV UTF-8") from exc
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed_mb * MB:
            raise InputError(path, f"the workbook expands to {total / MB:,.0f} MB (from {path.stat().st_size / MB:,.1f} "
                             f"MB on disk), over the limit of {limits.max_uncompressed_mb:,} MB "
                             "(CPOP_MAX_UNCOMPRESSED_MB)", hint=_raise_hint())
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_sheet_dimension(path, archive, member)


def _check_sheet_dimension(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    limits = _settings()
    try:
        with archive.open(member) as handle:
            head = handle.read(4096)
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
        raise InputError(path, f"part {member.filename} of the workbook cannot be read ({exc})",
                         hint="download the workbook again or save the data sheet as CSV UTF-8") from exc
    match = _DIMENSION.search(head)
    if not match:
        return  # no declared dimension: the uncompressed-size limit still bounds it
    last_col, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    rows, columns = int(last_row), _column_number(last_col)
    sheet = member.filename.rsplit("/", 1)[-1]
    if rows > limits.max_raw_rows or rows * columns > limits.max_sheet_cells:
        raise InputError(path, f"sheet {sheet} declares {rows:,} rows x {columns:,} columns, over the limits of "
                         f"{limits.max_raw_rows:,} rows (CPOP_MAX_RAW_ROWS) and {limits.max_sheet_cells:,} cells "
                         "(CPOP_MAX_SHEET_CELLS)", hint=_raise_hint())


def check_gzip(path: Path) -> None:
    """A gzip file decompresses to at most the uncompressed limit (streamed; stops at the limit)."""
    limit = _settings().max_uncompressed_mb * MB
    seen = 0
    try:
        with gzip.open(path, "rb") as handle:
            while block := handle.read(MB):
                seen += len(block)
                if seen > limit:
                    raise InputError(path, f"the file decompresses to more than {limit // MB:,} MB "
                                     "(CPOP_MAX_UNCOMPRESSED_MB)", hint=_raise_hint())
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(path, f"cannot be decompressed as gzip ({exc})",
                         hint="download the file again, or decompress it yourself and put the .csv in its place") from exc
