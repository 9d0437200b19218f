"""Seeded bootstrap confidence intervals: households resampled with replacement, within strata if given.

A replicate is expressed as a count per household (how often it was drawn), so an engine that has sorted
its records once can recompute every measure by multiplying the weights — no re-sorting per replicate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gongfu.errors import InputError


class Resampler:
    """Draws replicate counts: n_h draws with replacement inside each stratum h of size n_h."""

    def __init__(self, n: int, strata: np.ndarray | None = None, seed: int = 0) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        if strata is None:
            self.perm = None
        else:
            strata = np.asarray(strata)
            if len(strata) != n:
                raise InputError("层 (strata) 与记录数不一致")
            _, codes = np.unique(strata, return_inverse=True)
            self.perm = np.argsort(codes, kind="stable")  # records grouped by stratum
            sizes = np.bincount(codes)
            starts = np.cumsum(sizes) - sizes
            layout = codes[self.perm]  # stratum of each draw: n_h draws per stratum
            self.draw_start = starts[layout].astype(np.int64)
            self.draw_size = sizes[layout].astype(np.float64)

    def counts(self) -> np.ndarray:
        if self.perm is None:
            picks = self.rng.integers(0, self.n, self.n)
            return np.bincount(picks, minlength=self.n).astype(np.float64)
        u = self.rng.random(self.n)
        picks = self.draw_start + np.minimum(
            (u * self.draw_size).astype(np.int64), self.draw_size - 1
        ).astype(np.int64)
        return np.bincount(self.perm[picks], minlength=self.n).astype(np.float64)


def bootstrap_ci(
    measure: Callable[[np.ndarray], dict[str, float]],
    n: int,
    *,
    strata: np.ndarray | None = None,
    replicates: int = 200,
    seed: int = 0,
    level: float = 0.95,
    on_replicate: Callable[[], None] | None = None,
) -> dict[str, tuple[float, float, int]]:
    """Percentile intervals: {measure: (low, high, replicates used)}.

    `measure(counts)` returns every measure for one replicate; a replicate in which a measure cannot be
    computed (e.g. a small group drew no household) is left out of that measure's interval, and the
    number used is reported with it.
    """
    if replicates < 2:
        raise InputError(f"自助法重复次数至少为 2: {replicates}")
    if not 0 < level < 1:
        raise InputError(f"置信水平须在 0 与 1 之间: {level}")
    sampler = Resampler(n, strata, seed)
    draws: dict[str, list[float]] = {}
    for _ in range(replicates):
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                values = measure(sampler.counts())
            except (ZeroDivisionError, ValueError, InputError):
                values = {}
        for key, v in values.items():
            if np.isfinite(v):
                draws.setdefault(key, []).append(v)
        if on_replicate is not None:
            on_replicate()
    alpha = (1.0 - level) / 2.0
    out = {}
    for key, vals in draws.items():
        if len(vals) >= 2:
            lo, hi = np.quantile(np.asarray(vals), [alpha, 1.0 - alpha])
            out[key] = (float(lo), float(hi), len(vals))
    return out
