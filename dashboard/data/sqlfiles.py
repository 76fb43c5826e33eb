"""Load the dashboard's SQL from ``dashboard/data/sql/<name>.sql``.

Why: SQL lives in .sql files (readable, lintable, reviewable by researchers), not in Python
strings; reading each once keeps the cost off the request path.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def load_sql(name: str) -> str:
    """The text of ``sql/<name>.sql``; raises FileNotFoundError naming the file."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {path}")
    return path.read_text(encoding="utf-8")
