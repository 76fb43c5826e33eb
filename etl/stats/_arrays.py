"""Small array helpers shared by the stats modules (private).

Why: every public function accepts a scalar or a whole pandas column and must reject bad
input by naming the argument, so the coercion lives in one place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

POLARITIES = ("high_is_good", "low_is_good")


def as_float(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``values`` as a float array (pandas NA and None become nan).

    Why: callers pass lists, numpy arrays or pandas Series with nullable dtypes; one
    conversion keeps the maths identical for all of them.
    """
    try:
        if hasattr(values, "to_numpy"):
            return np.asarray(values.to_numpy(dtype="float64", na_value=np.nan), dtype=float)
        return np.asarray(
            [np.nan if v is None or v is pd.NA else v for v in values]
            if isinstance(values, list | tuple)
            else values,
            dtype=float,
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"argument '{name}' must be numeric: {exc}") from exc


def unwrap(a: NDArray[Any]) -> Any:
    """Return a Python scalar for 0-d arrays, else the array unchanged.

    Why: ``wilson_ci(3, 10)`` should give floats, ``wilson_ci(col_x, col_n)`` arrays.
    """
    if np.ndim(a) == 0:
        item = np.asarray(a).item()
        return item
    return a


def check_polarity(polarity: Any, name: str = "polarity") -> NDArray[np.str_]:
    """Validate polarity (scalar or array of 'high_is_good'/'low_is_good').

    Why: a typo such as 'high' would otherwise silently be treated as low-is-good.
    """
    arr = np.asarray(polarity, dtype=object)
    bad = ~np.isin(arr, POLARITIES)
    if np.any(bad):
        first = arr[bad].ravel()[0] if arr.ndim else arr.item()
        raise ValueError(f"argument '{name}' must be one of {POLARITIES}, got {first!r}")
    return arr


def column_kept(values: Any) -> Any:
    """A pandas array as a column of ``pd.DataFrame({...})``, keeping its dtype: pandas would
    read text in an object array as ``str``, which a column taken from a frame does not become."""
    return pd.Series(values, dtype=object) if getattr(values.dtype, "numpy_dtype", None) == np.dtype(object) else values
