"""Dependency rules (CONVENTIONS): only dashboard/data imports duckdb; nothing imports pages."""

from __future__ import annotations

import ast
from pathlib import Path

import dashboard

PACKAGE = Path(dashboard.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_data_layer_imports_duckdb() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if "duckdb" in {n.split(".")[0] for n in _imports(p)}
        and p.parent.name != "data"
    ]
    assert offenders == []


def test_nothing_imports_pages() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if any(n.startswith("dashboard.pages") for n in _imports(p))
    ]
    assert offenders == []


def test_no_plotly_express_in_the_dashboard() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if "plotly.express" in _imports(p)
    ]
    assert offenders == []
