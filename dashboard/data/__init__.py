"""The data layer: the only code that touches DuckDB (read-only, reopened on swap)."""

from dashboard.data.reader import WarehouseReader, WarehouseUnavailable

__all__ = ["WarehouseReader", "WarehouseUnavailable"]
