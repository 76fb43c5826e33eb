"""One error type for bad input, so every message names file, row, column and a remedy.

Why: an officer who drops a file into ``data/raw`` must be told exactly what to fix,
without a traceback (the CLI prints ``str(error)`` and exits non-zero unless ``--debug``).
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A raw input file cannot be used as it is.

    Attributes name where the problem is so the CLI, tests and the dashboard can show it.
    ``row`` is the 1-based line number in the file as a user sees it in a text editor or
    spreadsheet (header = row 1), or ``None`` when the problem is the whole file.
    """

    def __init__(
        self,
        file: str | Path | None,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.reason = reason
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.hint:
            text += f". What to do: {self.hint}"
        return text


class CheckFailed(Exception):
    """A data check found bad rows; the build is aborted and the live warehouse untouched."""

    def __init__(self, failures: dict[str, list[tuple]], columns: dict[str, list[str]]) -> None:
        self.failures = failures
        self.columns = columns
        names = ", ".join(sorted(failures))
        super().__init__(f"{len(failures)} data check(s) failed: {names}")


def damaged_warehouse(path: str | Path | None, exc: BaseException) -> InputError:
    """The message for a warehouse file DuckDB cannot read (truncated, overwritten, bit-flipped)."""
    first = (str(exc).splitlines() or [""])[0]
    return InputError(path, f"the warehouse cannot be read, the file may be damaged ({first})",
                      hint="run `cpop build` to rebuild it (the build replaces the file); if a build is running, "
                           "wait for it to finish")


#: Words in DuckDB's messages for a file that is damaged (truncated, not a database, bit-flipped).
CORRUPTION_WORDS = ("not a valid duckdb database", "corrupt database", "checksum", "could not read enough bytes",
                    "invalid database", "serialization", "database file was created by")


def is_corruption(exc: BaseException) -> bool:
    """True when DuckDB's error says the file itself is damaged (not a query's own mistake)."""
    text = str(exc).lower()
    return any(word in text for word in CORRUPTION_WORDS)
