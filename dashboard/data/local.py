"""A file uploaded on the Local data page, read and checked by the same service as ``cpop local add``.

Why: the page must show exactly what the CLI would (one source per figure), so it only turns a
``dcc.Upload`` payload into a file on disk, under the officer's own file name (the report and
the kept raw copy name it as they know it), and calls ``etl.local.service``. A problem with
the upload itself is reported naming that file name, never a temporary path.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.logic.area_upload import UploadError, decode_upload
from etl.errors import InputError
from etl.local.guess import ColumnGuess, guess_columns
from etl.local.table import SUFFIXES, UploadTable, read_upload

#: a file name kept on disk: the officer's, with anything but letters, digits and . _ - space replaced
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(filename: str) -> str:
    """``filename`` without folders or unusual characters, refused unless CSV or Excel."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip(" .")[:120]
    if Path(name).suffix.lower() not in SUFFIXES:
        raise UploadError(f"'{filename}' is not a CSV file or an Excel workbook (.xlsx): save the data as one")
    return name


@contextmanager
def uploaded_file(contents: str, filename: str, max_bytes: int) -> Iterator[Path]:
    """The upload written to a private temporary folder under its own (safe) name, for the block."""
    name = safe_name(filename)
    raw = decode_upload(contents, filename, max_bytes)
    with tempfile.TemporaryDirectory(prefix="cpop-local-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        try:
            yield path
        except InputError as exc:
            if exc.file != str(path):
                raise
            raise InputError(filename, exc.reason, row=exc.row, column=exc.column, hint=exc.hint) from None


def read_and_guess(path: Path, sheet: str | None) -> tuple[UploadTable, ColumnGuess]:
    """The file's table (``sheet``, or the first with data) and the tool's guess of its columns."""
    table = read_upload(path, sheet)
    return table, guess_columns(table)

