"""Plain row tuples → one DataFrame, with fixed column types.

The extraction loops build rows as plain tuples (no pandas per row: a
DataFrame or Series per mention costs far more than the rule that made it)
and turn them into a frame once, at the end of a report or of a whole
corpus. Column types are fixed here so an empty table has the same types as
a full one.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

#: numpy dtype for typed columns; every other column stays a list of Python objects (strings)
INT, FLOAT, BOOL = np.int64, np.float64, np.bool_


def frame(rows: Sequence[tuple] | Iterable[tuple], columns: Sequence[str],
          dtypes: dict[str, type] | None = None) -> pd.DataFrame:
    """A DataFrame of *rows* (tuples in *columns* order); *dtypes* names the numeric and boolean columns."""
    rows = rows if isinstance(rows, list) else list(rows)
    dtypes = dtypes or {}
    cols = list(zip(*rows)) if rows else [()] * len(columns)
    data = {}
    for name, values in zip(columns, cols):
        kind = dtypes.get(name)
        data[name] = np.asarray(values, dtype=kind) if kind is not None else list(values)
    return pd.DataFrame(data, columns=list(columns))
