"""The forecast (the UN ESCAP "anticipated progress" idea): a time-weighted linear regression on the
observed years, projected to the target year.

Weights grow linearly with time: the i-th observed year y_i gets w_i = y_i − y_first + 1, so the most
recent years weigh most (ESCAP's papers motivate such weighting; the exact weights here are ours).
For geometrically growing levels the regression is on log(value) (all values must be positive), so the
projection follows a constant growth rate; `method` says which was used.
"""

from __future__ import annotations

import numpy as np

FIT_METHODS = ("linear", "log-linear")
TRENDS = ("up", "down", "flat")


def time_weighted_fit_rows(years, Y, M, n_obs, first_y, want_log, tyear, th):
    """Time-weighted least squares per row; rows with fewer than two observed years get NaN.

    Returns (forecast at the target year, slope, method, trend): the slope is per year, on the log scale
    for "log-linear" (≈ growth rate); method and trend are indices into FIT_METHODS and TRENDS (-1 where
    undefined), the trend being the slope relative to the level beyond `th.flat_tolerance`.
    Sums run year by year, so that years outside a row's observations (weight 0) add exact zeros: a
    target's figures do not depend on which other targets it is evaluated with.
    """
    n, ny = Y.shape
    use_log = want_log & np.all(np.where(M, Y > 0, True), axis=1)
    Z = np.where(M, np.where(use_log[:, None], np.log(np.where(M & (Y > 0), Y, 1.0)), Y), 0.0).T.copy()
    W = np.where(M, years[None, :] - first_y[:, None] + 1.0, 0.0).T.copy()
    sw, swt, swv = np.zeros(n), np.zeros(n), np.zeros(n)
    for j in range(ny):
        sw += W[j]
        swt += W[j] * years[j]
        swv += W[j] * Z[j]
    tbar, vbar = swt / sw, swv / sw
    sxx, sxy = np.zeros(n), np.zeros(n)
    for j in range(ny):
        wd = W[j] * (years[j] - tbar)
        sxx += wd * (years[j] - tbar)
        sxy += wd * (Z[j] - vbar)
    ok = n_obs >= 2
    slope = np.where(ok, sxy / sxx, np.nan)
    lin = vbar + slope * (tyear - tbar)
    fc = np.where(use_log, np.where(lin < 709.0, np.exp(np.minimum(lin, 709.0)), np.inf), lin)
    fc = np.where(ok & np.isfinite(fc), fc, np.nan)
    method = np.where(ok, use_log.astype(int), -1)
    rel = np.where(use_log, slope, slope / np.maximum(np.abs(vbar), 1e-12))
    tol = th.flat_tolerance
    trend = np.where(ok, np.where(rel > tol, 0, np.where(rel < -tol, 1, 2)), -1)
    return fc, slope, method, trend
