"""Derived marts built after ``marts.indicator_values`` (comparisons, trend, inequality, ...).

Why: each mart is one module with one job. A module here exposes ``ORDER: int`` and
``build(con, settings) -> None`` (settings gives ``raw_dir`` for a mart with its own small raw
source, e.g. family groups or targets); the build runner discovers them and runs them in ``ORDER`` after
the values mart and disclosure control, so adding a mart never means editing the runner.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType

import duckdb

from etl.settings import Settings

MartBuilder = Callable[[duckdb.DuckDBPyConnection, Settings], None]


def discover() -> list[ModuleType]:
    """Every mart module in this package, in build order."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "build") and hasattr(module, "ORDER"):
            modules.append(module)
    return sorted(modules, key=lambda m: (m.ORDER, m.__name__))
