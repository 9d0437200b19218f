"""The progress ratio (the Eurostat / Open SDG method) and the growth figures behind it, over arrays.

ratio = s · actual / |required|, where s is +1 for higher-is-better and −1 for lower, `actual` is the
growth from the base (year y0, value b) to the latest value x, and `required` the growth from the base
to the target t by the target year T. The "cagr" method uses compound annual growth rates
((x/b)^(1/(y−y0)) − 1); the "linear" method, used when a value is ≤ 0 or the unit is a share, uses
the average change per year ((x − b)/(y − y0)), as Open SDG advises for such series.
`required_growth` is what is needed from the latest value on, in the same method's terms.

A ratio is *ill-conditioned* when the required growth is tiny beside the realised one (a target almost
equal to its base): its digits then say nothing, and a change in the last bit of an input moves it by
millions. Such a ratio is not used (`ratio` is NaN) and `flag` says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

nan = np.nan

# Beyond this magnitude a progress ratio (or its attainment / time-progress stand-in) is not a measure
# of progress but of a target that equals its base; the colour thresholds all lie within ±1.
RATIO_LIMIT = 1e3
METHODS = ("cagr", "linear")
ILL_CONDITIONED = "所需增速近乎为零(目标与基期几乎相同), 进度比病态, 不予采用"


def realised_rate(x, year, b0, y0, cumulative):
    """Realised growth in percent (annual CAGR or cumulative change); NaN where undefined."""
    ok = (b0 > 0) & (x > 0) & ~np.isnan(y0)
    annual = np.where(ok & (year > y0), ((x / b0) ** (1.0 / (year - y0)) - 1.0) * 100.0, nan)
    cum = np.where(ok, (x / b0 - 1.0) * 100.0, nan)
    return np.where(cumulative, cum, annual)


@dataclass
class Progress:
    method: np.ndarray  # index into METHODS, -1 where undefined
    historic_growth: np.ndarray  # actual growth per year since the base (rate for cagr, units for linear)
    required_total_growth: np.ndarray  # growth per year base → target needed at the start
    required_growth: np.ndarray  # growth per year needed from the latest value to the target year
    ratio: np.ndarray  # NaN when undefined or ill-conditioned
    flag: np.ndarray  # 0 where a computed ratio was not used (ILL_CONDITIONED says why), else -1


def progress_ratio(b0, y0, x, ly, t_level, tyear, sign, share, ok) -> Progress:
    """Every figure of the progress measure where `ok` (a base, a latest value and a level to reach)."""
    cagr_m = ~share & (b0 > 0) & (x > 0) & (t_level > 0)

    def grow(v, b, k):
        return np.where(k > 0, np.where(cagr_m, (v / b) ** (1.0 / k) - 1.0, (v - b) / k), nan)

    historic = np.where(ok, grow(x, b0, ly - y0), nan)
    req_total = np.where(ok, grow(t_level, b0, tyear - y0), nan)
    req_now = np.where(ok, grow(t_level, x, tyear - ly), nan)
    ratio = np.where(
        ~np.isnan(historic) & ~np.isnan(req_total) & (req_total != 0) & (sign != 0),
        sign * historic / np.abs(req_total),
        nan,
    )
    ill = ~(np.abs(ratio) <= RATIO_LIMIT) & ~np.isnan(ratio)
    method = np.where(ok, np.where(cagr_m, 0, 1), -1)
    flag = np.where(ill, 0, -1)
    return Progress(method, historic, req_total, req_now, np.where(ill, nan, ratio), flag)
