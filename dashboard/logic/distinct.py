"""Words made once per distinct key, then given to every row of a frame.

Why: the tables, profiles and exports label tens of thousands of rows with a handful of
distinct provenance sentences; walking every row as a Python tuple cost more than making the
sentences (a fifth of the Advanced tables callback at Scotland scale).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd


def per_distinct(frame: pd.DataFrame, keys: Sequence[str], make: Callable[..., Any]) -> np.ndarray:
    """``make(*row[keys])`` for every row, called once per distinct combination of ``keys``.

    Missing values (NaN, NA) count as one value each, as ``drop_duplicates`` counts them, and
    reach ``make`` as the object values ``astype(object)`` gives.
    """
    if frame.empty:
        return np.empty(0, dtype=object)
    codes = frame.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
    _, first = np.unique(codes, return_index=True)
    made = np.empty(len(first), dtype=object)
    made[:] = [make(*key) for key in frame[list(keys)].iloc[first].astype(object).itertuples(index=False, name=None)]
    return made[codes]
