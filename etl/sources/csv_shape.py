"""Every row of a CSV has a value for every column and none beyond the last, the last row is
whole, and the file is not longer than the row limit: checked before the file is landed.

Why: DuckDB pads a short row with NULLs (``null_padding``), so a row missing its last column
used to surface much later as a conversion error naming an internal SQL file, and a download cut
short in the middle of its last value (``15`` cut to ``1``) loaded the cut number without a word.
A row with one value too many (a stray comma) shifted every later value into the next column and
surfaced only as a failed check of the warehouse (a ward's population not adding up). All are
caught here with the raw file, row and column. A cut is recognised by the last row
ending without a line break while its last value is not empty: every publisher's CSV (and
Excel's "CSV UTF-8") ends with a line break.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from etl.errors import InputError


def open_text(path: Path) -> TextIO:
    """The file as UTF-8 text (a ``.gz`` file decompressed on the fly), BOM dropped."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


class _Lines:
    """An iterator over a text file's lines that remembers the last one (to see if it was cut)."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        for line in self._handle:
            self.last = line
            yield line


def check_csv_rows(path: Path, max_rows: int | None = None) -> int:
    """Raise InputError for the first short row, a cut last row, or too many rows; the row count.

    Rows are numbered as a spreadsheet shows them (header = row 1), as in ``raw`` tables.
    """
    if max_rows is None:
        from etl.settings import get_settings

        max_rows = get_settings().max_raw_rows
    with open_text(path) as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            return 0
        except csv.Error as exc:
            raise InputError(path, f"cannot read the header row ({exc})", row=1) from exc
        row_number, last = 1, header
        # trailing columns without a heading (a spreadsheet's stray commas) need no value
        named = len(header)
        while named and not header[named - 1].strip():
            named -= 1
        try:
            for values in reader:
                if not values or values == [""]:
                    continue  # a blank line is no row
                row_number += 1
                last = values
                if row_number - 1 > max_rows:
                    raise InputError(path, f"the file has more than {max_rows:,} data rows, over the limit "
                                     "(CPOP_MAX_RAW_ROWS)", row=row_number,
                                     hint="check this is the right file; if it really is this long, raise the "
                                          "limit (see docs/security.md, 'Limits')")
                extra = [v for v in values[len(header):] if v.strip()]
                if extra:
                    raise InputError(path, f"the row has {len(values)} values but the header has {len(header)} "
                                     f"columns: '{extra[0][:40]}' is beyond the last column "
                                     f"('{header[-1].strip()}'), so every value after a stray comma may be in "
                                     "the wrong column", row=row_number,
                                     hint="remove the stray comma, or put a value that holds a comma in double quotes")
                if len(values) < named:
                    missing = header[len(values)]
                    raise InputError(path, f"the row has {len(values)} value(s) but the header has {len(header)} "
                                     f"columns: the value for '{missing.strip()}' is missing", row=row_number,
                                     column=missing.strip(),
                                     hint="every row needs a value (or an empty cell: two commas) for every column; "
                                          "if this is the last row, the file may have been cut short: download it again")
        except csv.Error as exc:
            raise InputError(path, f"cannot be read as CSV ({exc})", row=row_number + 1,
                             hint="check the quotes in this row: a value with a comma must be in double quotes") from exc
    if row_number > 1 and not lines.last.endswith(("\n", "\r")) and last and last[-1].strip():
        column = header[len(last) - 1].strip() if len(last) <= len(header) else None
        raise InputError(path, f"the file ends in the middle of its last row (no line break after '{last[-1]}'): "
                         "it looks cut short, and the last value may be cut too", row=row_number, column=column,
                         hint="download the file again; if it is complete, add a line break at its end")
    return row_number - 1
