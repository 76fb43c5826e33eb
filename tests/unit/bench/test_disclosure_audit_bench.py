"""`make bench`'s last step reads the audit's inputs from both warehouse files. It read the public
file alone after the warehouse was split in two (``core`` moved to ``cpop.internal.duckdb``), so
``make bench`` ended with a CatalogException; this runs it on the session's demo warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.disclosure_audit_bench import measure


def test_the_audit_bench_measures_a_built_warehouse(demo_warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    measure(demo_warehouse, "demo")
    line = capsys.readouterr().out
    found = re.search(r"demo: audit [\d.]+ s \((ok|over the \d+ s target)\); ([\d,]+) withheld cells read, 0 too narrow",
                      line)
    assert found, line
    withheld = re.search(r"([\d,]+) of ([\d,]+) cells under cpop's rule withheld", line)
    assert withheld and 0 < int(withheld[1].replace(",", "")) < int(withheld[2].replace(",", "")), line
