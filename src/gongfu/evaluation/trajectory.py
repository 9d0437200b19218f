"""The expected trajectory from (base year, base) to (target year, level to reach), and 时序进度, over arrays.

Linear for most indicators; geometric (constant growth rate) for levels that grow, like income and GDP,
where a straight line would ask for too much early and too little late. A geometric path needs both
ends positive; otherwise it is the linear one. The year-by-year path is part of every evaluation record
(`trajectory_path`), so the dashboard and the report draw the same line.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

nan = np.nan
KINDS = ("linear", "geometric")
PATH_DTYPE = pl.List(pl.Struct({"year": pl.Int64, "value": pl.Float64}))


def time_progress(year, start, end):
    """时序进度: the share of the period start → end elapsed at `year`, clipped to [0, 1]; NaN when the
    period is empty."""
    period = end - start
    return np.where(period > 0, np.clip((year - start) / period, 0.0, 1.0), nan)


def expected(b0, t_level, share, geo):
    """The value on the trajectory after `share` of the period."""
    return np.where(geo, b0 * (t_level / b0) ** share, b0 + (t_level - b0) * share)


def is_geometric(growing, b0, t_level):
    return growing & (b0 > 0) & (t_level > 0)


def paths(b0, y0, t_level, tyear, geo) -> pl.Series:
    """Each row's path, one point per year from the base year to the target year (empty when undefined)."""
    ok = ~np.isnan(b0) & ~np.isnan(y0) & ~np.isnan(t_level) & (tyear > y0)
    k = np.where(ok, tyear - y0 + 1, 0).astype(np.int64)
    row = np.repeat(np.arange(len(k)), k)
    offsets = np.concatenate(([0], np.cumsum(k)))
    step = np.arange(offsets[-1]) - offsets[row]
    year = y0[row] + step
    share = step / (tyear[row] - y0[row])
    value = expected(b0[row], t_level[row], share, geo[row])
    value = np.where(np.isfinite(value), value, nan)
    points = pa.StructArray.from_arrays(
        [pa.array(year.astype(np.int64)), pa.array(value, from_pandas=True)], names=["year", "value"]
    )
    lists = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), points)
    return pl.Series("trajectory_path", lists, dtype=PATH_DTYPE)
