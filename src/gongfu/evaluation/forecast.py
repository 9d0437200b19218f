"""The forecast (the UN ESCAP "anticipated progress" idea): a time-weighted linear regression on the
observed years, projected to the target year.

Weights grow linearly with time: the i-th observed year y_i gets w_i = y_i − y_first + 1, so the most
recent years weigh most (ESCAP's papers motivate such weighting; the exact weights here are ours).
For geometrically growing levels the regression is on log(value) (all values must be positive), so the
projection follows a constant growth rate; `method` says which was used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fit:
    slope: float  # per year; on the log scale for "log-linear" (≈ growth rate)
    mean_year: float
    mean_value: float  # weighted mean of the (possibly logged) values
    method: str  # "linear" | "log-linear"

    def at(self, year: float) -> float:
        y = self.mean_value + self.slope * (year - self.mean_year)
        if self.method == "log-linear":
            return math.exp(y) if y < 709.0 else math.inf  # exp overflows past ~709
        return y


def time_weights(years: Sequence[int]) -> list[float]:
    first = years[0]
    return [float(y - first + 1) for y in years]


def time_weighted_fit(years: Sequence[int], values: Sequence[float], log: bool = False) -> Fit | None:
    """Weighted least-squares line through (year, value); None with fewer than two years.

    `years` must be sorted ascending and distinct (as `clean_series` returns them).
    """
    if len(years) < 2:
        return None
    use_log = log and all(v > 0 for v in values)
    ys = [math.log(v) for v in values] if use_log else list(values)
    w = time_weights(years)
    sw = sum(w)
    tbar = sum(wi * t for wi, t in zip(w, years, strict=True)) / sw
    vbar = sum(wi * v for wi, v in zip(w, ys, strict=True)) / sw
    sxx = sum(wi * (t - tbar) * (t - tbar) for wi, t in zip(w, years, strict=True))
    sxy = sum(wi * (t - tbar) * (v - vbar) for wi, t, v in zip(w, years, ys, strict=True))
    return Fit(sxy / sxx, tbar, vbar, "log-linear" if use_log else "linear")


def trend_of(fit: Fit | None, tolerance: float) -> str | None:
    """ "up" / "down" / "flat" from the fitted slope, relative to the level (per year)."""
    if fit is None:
        return None
    rel = fit.slope if fit.method == "log-linear" else fit.slope / max(abs(fit.mean_value), 1e-12)
    if rel > tolerance:
        return "up"
    if rel < -tolerance:
        return "down"
    return "flat"


def time_weighted_fit_rows(years, Y, M, n_obs, first_y, want_log, tyear, th):
    """Time-weighted least squares per row (forecast.time_weighted_fit, vectorised).

    Sums run column by column, in year order, so that they add up exactly as the scalar path does.
    """
    n, ny = Y.shape
    use_log = want_log & np.all(np.where(M, Y > 0, True), axis=1)
    Z = np.where(M, np.where(use_log[:, None], np.log(np.where(M & (Y > 0), Y, 1.0)), Y), 0.0)
    W = np.where(M, years[None, :] - first_y[:, None] + 1.0, 0.0)
    sw, swt, swv = np.zeros(n), np.zeros(n), np.zeros(n)
    for j in range(ny):
        sw += W[:, j]
        swt += W[:, j] * years[j]
        swv += W[:, j] * Z[:, j]
    tbar, vbar = swt / sw, swv / sw
    sxx, sxy = np.zeros(n), np.zeros(n)
    for j in range(ny):
        d = years[j] - tbar
        sxx += np.where(M[:, j], W[:, j] * d * d, 0.0)
        sxy += np.where(M[:, j], W[:, j] * d * (Z[:, j] - vbar), 0.0)
    ok = n_obs >= 2
    slope = np.where(ok, sxy / sxx, np.nan)
    lin = vbar + slope * (tyear - tbar)
    fc = np.where(use_log, np.where(lin < 709.0, np.exp(np.minimum(lin, 709.0)), np.inf), lin)
    fc = np.where(ok & np.isfinite(fc), fc, np.nan)
    method = np.where(ok, np.where(use_log, "log-linear", "linear"), None).astype(object)
    rel = np.where(use_log, slope, slope / np.maximum(np.abs(vbar), 1e-12))
    tol = th.flat_tolerance
    trend = np.where(ok, np.where(rel > tol, "up", np.where(rel < -tol, "down", "flat")), None).astype(object)
    return fc, slope, method, trend
