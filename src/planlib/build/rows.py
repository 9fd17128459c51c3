"""A table's rows as plain Python values, read column by column: what the corpus-wide steps loop over.

``DataFrame.to_dict("records")`` boxes every cell of every column one by one (millions of calls on a
corpus, slowest on Arrow-backed strings); reading only the columns a step needs, each converted once
to a Python list, gives the same values (missing ones as None, numbers as int and float) at a
fraction of the cost.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def as_mask(mask) -> np.ndarray:
    """A boolean row mask as numpy (missing counts as false, as in pandas indexing)."""
    if isinstance(mask, pd.Series):
        return mask.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def column_lists(df: pd.DataFrame, columns: Sequence[str], mask=None) -> list[list]:
    """Each of ``columns`` (where ``mask`` holds) as a list of Python values, missing values as None."""
    keep = None if mask is None else as_mask(mask)
    out = []
    for c in columns:
        column = df[c] if keep is None else df[c][keep]  # filtered first: only the kept cells become objects
        out.append(column.to_numpy(dtype=object, na_value=None).tolist())
    return out


def records(df: pd.DataFrame, columns: Sequence[str], mask=None) -> list[dict]:
    """The rows of ``df`` (where ``mask`` holds) as dicts of ``columns`` only, in the table's order.

    The same values as ``df[mask][columns].astype(object).where(notna, None).to_dict("records")``.
    """
    columns = list(columns)
    return [dict(zip(columns, values)) for values in zip(*column_lists(df, columns, mask))]
