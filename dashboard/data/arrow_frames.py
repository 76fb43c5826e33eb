"""Query results read through Arrow, as the DataFrame DuckDB's ``.df()`` gives for the same rows.

Why: ``.df()`` hands pandas one Python string per cell, which pandas 3 converts again into Arrow
text; for the Advanced tables' rows (18,500 rows, 13 text columns) that was ~20 of the query's
~44 ms. Arrow's columns come across whole. The dtypes and missing values are made exactly those of
``.df()`` (text with no value at all as objects of None, integers and booleans with a missing value
as pandas' nullable types, decimals as floats), so a caller cannot tell which path read its rows.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NULLABLE_INTEGERS = {8: "Int8", 16: "Int16", 32: "Int32", 64: "Int64"}
_NULLABLE_UNSIGNED = {8: "UInt8", 16: "UInt16", 32: "UInt32", 64: "UInt64"}


def frame_like_df(table: pa.Table) -> pd.DataFrame:
    """``table`` as the DataFrame DuckDB's ``.df()`` gives for the same query.

    Raises TypeError for a column type this does not map (dates, times, lists, structs ...): read
    such results with ``WarehouseReader.query``."""
    return pd.DataFrame({name: _column(name, column) for name, column in zip(table.column_names, table.columns,
                                                                             strict=True)})


def _column(name: str, column: pa.ChunkedArray) -> pd.Series | list:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if column.null_count == len(column):  # .df() keeps text with no value at all as objects
            return pd.Series([None] * len(column), dtype=object, name=name)
        return column.to_pandas()
    if pa.types.is_integer(kind):
        if column.null_count:
            names = _NULLABLE_UNSIGNED if pa.types.is_unsigned_integer(kind) else _NULLABLE_INTEGERS
            return pd.Series(pd.array(column.to_pylist(), dtype=names[kind.bit_width]), name=name)
        return column.to_pandas()
    if pa.types.is_boolean(kind):
        if column.null_count:
            return pd.Series(pd.array(column.to_pylist(), dtype="boolean"), name=name)
        return column.to_pandas()
    if pa.types.is_floating(kind):
        return column.to_pandas()
    if pa.types.is_decimal(kind):
        return pc.cast(column, pa.float64()).to_pandas()
    raise TypeError(f"column {name!r} is {kind}: read it with WarehouseReader.query, not through Arrow")
