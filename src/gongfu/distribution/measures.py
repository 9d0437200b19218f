"""Income-distribution measures: the one definition of each, as plain functions with no I/O.

Every engine (numpy in memory, DuckDB, Spark) reduces the microdata to the same sufficient statistics
(`DistributionStats`: weighted sums, the Lorenz area in income order and a few "crossing" records) in its
own system, then calls `finish()`. The convenience functions (`gini`, `theil_t`, …) go the same way on
numpy arrays, so there is exactly one formula per measure.

Definitions (y = per-capita income, w = person weight; households are weighted by their own weight):
- Gini (基尼系数): 1 − Σ pᵢ (Lᵢ₋₁ + Lᵢ) over records sorted by y, with pᵢ = wᵢ/W and Lᵢ the cumulative income
  share — the trapezoid rule on the Lorenz curve. Ties and duplicated records leave it unchanged.
- Theil T = Σ (wᵢyᵢ/S) ln(yᵢ/μ); Theil L (mean log deviation) = Σ (wᵢ/W) ln(μ/yᵢ); both need y > 0.
  Between-group parts use group means; within parts are the income-share (T) or population-share (L)
  weighted group indices, so between + within equals the total.
- Quantile share L(p): the Lorenz curve at population share p, interpolated linearly inside the record
  that straddles p (a record is split, as if its weight were people).
- Weighted median: the income where the cumulative weight reaches half; when it reaches exactly half at a
  record's end (|F − ½| ≤ 1e-12), the mean of that income and the next — numpy's median for unit weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gongfu.errors import InputError

MEDIAN_TOL = 1e-12
# Population shares the fixed ratios need: S80/S20 uses 0.2 and 0.8, Palma uses 0.4 and 0.9.
RATIO_POINTS = (0.2, 0.4, 0.8, 0.9)
URBAN_LABELS = ("城镇", "城市", "urban", "Urban", "URBAN", "城")
RURAL_LABELS = ("农村", "乡村", "rural", "Rural", "RURAL", "乡")


@dataclass(frozen=True)
class MeasureConfig:
    """What to compute: share points, household income bands (元/年), the per-capita low-income line."""

    bottom: tuple[float, ...] = (0.2, 0.4)
    top: tuple[float, ...] = (0.1, 0.2)
    bands: tuple[tuple[float, float], ...] = ((100_000.0, 500_000.0), (200_000.0, 600_000.0))
    low_income_threshold: float = 13_000.0
    urban_labels: tuple[str, ...] = URBAN_LABELS
    rural_labels: tuple[str, ...] = RURAL_LABELS

    def points(self) -> tuple[float, ...]:
        """Population shares at which the Lorenz curve is needed, sorted."""
        pts = set(RATIO_POINTS) | set(self.bottom) | {round(1.0 - t, 12) for t in self.top}
        for p in pts:
            if not 0.0 < p < 1.0:
                raise InputError(f"份额点须在 0 与 1 之间: {p}")
        return tuple(sorted(pts))

    def band_code(self, band: tuple[float, float]) -> str:
        lo, hi = band
        return f"middle_income_share_{lo / 1e4:g}_{hi / 1e4:g}"


@dataclass(frozen=True)
class MomentSums:
    """Weighted sums a Theil index needs: W = Σw, S = Σwy, Σwy·ln y, Σw·ln y."""

    w: float
    wy: float
    wylny: float
    wlny: float

    def __add__(self, other: MomentSums) -> MomentSums:
        return MomentSums(
            self.w + other.w, self.wy + other.wy, self.wylny + other.wylny, self.wlny + other.wlny
        )

    @property
    def mean(self) -> float:
        return self.wy / self.w


@dataclass(frozen=True)
class Crossing:
    """The first record, in income order, whose cumulative weight reaches a target weight."""

    cum_w_before: float  # cumulative weight of the records before it
    cum_wy_before: float  # cumulative income of the records before it
    y: float  # its income


@dataclass
class GroupStats:
    """One group of a grouping (urban/rural, county): its sums and its median crossings."""

    sums: MomentSums
    median_lo: float  # income of the first record with F ≥ ½ − tol
    median_hi: float  # income of the first record with F ≥ ½ + tol


@dataclass
class DistributionStats:
    """The sufficient statistics of one sample; every engine produces this and nothing else."""

    n: int  # records used
    sums: MomentSums  # person weights and per-capita incomes
    lorenz_area: float  # Σ wᵢ (2 Cᵢ − wᵢ yᵢ) in income order, Cᵢ the cumulative Σwy
    crossings: dict[float, Crossing]  # by population share p, targets p·W
    household_w: float  # Σ household weights
    band_w: dict[tuple[float, float], float]  # Σ household weight with lo ≤ household income < hi
    low_income_w: float  # Σ household weight with per-capita income < threshold
    groupings: dict[str, dict[str, GroupStats]] = field(default_factory=dict)


# --- the finishing formulas -------------------------------------------------------------------------


def gini_from_area(sums: MomentSums, lorenz_area: float) -> float:
    """Gini from the Lorenz area sum: 1 − Σ wᵢ (2Cᵢ − wᵢyᵢ) / (W·S)."""
    if sums.wy <= 0:
        raise InputError("收入总和不为正，基尼系数无定义")
    return 1.0 - lorenz_area / (sums.w * sums.wy)


def theil_from_sums(s: MomentSums) -> tuple[float, float]:
    """(Theil T, Theil L) from moment sums; incomes must have been positive."""
    ln_mu = math.log(s.wy / s.w)
    return s.wylny / s.wy - ln_mu, ln_mu - s.wlny / s.w


def lorenz_from_crossing(p: float, sums: MomentSums, c: Crossing) -> float:
    """L(p): income share of the poorest p of the population (linear inside the straddling record)."""
    return (c.cum_wy_before + (p * sums.w - c.cum_w_before) * c.y) / sums.wy


def median_from_crossings(lo: float, hi: float) -> float:
    return 0.5 * (lo + hi)


def median_targets(total_w: float) -> tuple[float, float]:
    """Cumulative-weight targets for `median_lo` and `median_hi`."""
    return 0.5 * total_w * (1.0 - MEDIAN_TOL), 0.5 * total_w * (1.0 + MEDIAN_TOL)


def theil_decomposition(groups: dict[str, MomentSums]) -> dict[str, float]:
    """Between/within parts of Theil T and L for a partition of the sample."""
    total = MomentSums(0.0, 0.0, 0.0, 0.0)
    for s in groups.values():
        total = total + s
    t, ell = theil_from_sums(total)
    mu = total.mean
    t_between = t_within = l_between = l_within = 0.0
    for s in groups.values():
        tg, lg = theil_from_sums(s)
        share_y, share_w = s.wy / total.wy, s.w / total.w
        t_between += share_y * math.log(s.mean / mu)
        t_within += share_y * tg
        l_between += share_w * math.log(mu / s.mean)
        l_within += share_w * lg
    return {
        "theil_t": t,
        "theil_t_between": t_between,
        "theil_t_within": t_within,
        "theil_t_between_share": 100.0 * t_between / t if t > 0 else 0.0,
        "theil_l": ell,
        "theil_l_between": l_between,
        "theil_l_within": l_within,
    }


def _match(label: str, candidates: tuple[str, ...]) -> bool:
    return label.strip() in candidates


def finish(stats: DistributionStats, config: MeasureConfig) -> dict[str, float]:
    """Every measure, keyed by catalog code (per grouping: `code@column`, group means `mean@column=label`)."""
    out: dict[str, float] = {}
    s = stats.sums
    out["gini"] = gini_from_area(s, stats.lorenz_area)
    out["theil_t"], out["theil_l"] = theil_from_sums(s)
    lorenz = {p: lorenz_from_crossing(p, s, c) for p, c in stats.crossings.items()}
    for p in config.bottom:
        out[f"bottom{round(p * 100):d}_share"] = 100.0 * lorenz[p]
    for t in config.top:
        out[f"top{round(t * 100):d}_share"] = 100.0 * (1.0 - lorenz[round(1.0 - t, 12)])
    out["s80_s20"] = (1.0 - lorenz[0.8]) / lorenz[0.2]
    out["palma_ratio"] = (1.0 - lorenz[0.9]) / lorenz[0.4]
    out["mean_income_per_capita"] = s.mean
    for band in config.bands:
        out[config.band_code(band)] = 100.0 * stats.band_w[band] / stats.household_w
    out["low_income_count"] = stats.low_income_w
    out["low_income_share"] = 100.0 * stats.low_income_w / stats.household_w
    for col, groups in stats.groupings.items():
        if len(groups) < 2:
            raise InputError(f"分组列 {col} 只有一个取值，无法分解")
        dec = theil_decomposition({k: g.sums for k, g in groups.items()})
        for key in ("theil_t_between", "theil_t_within", "theil_t_between_share"):
            out[f"{key}@{col}"] = dec[key]
        for key in ("theil_l_between", "theil_l_within"):
            out[f"{key}@{col}"] = dec[key]
        means = {k: g.sums.mean for k, g in groups.items()}
        medians = {k: median_from_crossings(g.median_lo, g.median_hi) for k, g in groups.items()}
        for k in sorted(groups):
            out[f"mean@{col}={k}"] = means[k]
            out[f"median@{col}={k}"] = medians[k]
        out[f"group_mean_max_min_ratio@{col}"] = max(means.values()) / min(means.values())
        out[f"group_median_max_min_ratio@{col}"] = max(medians.values()) / min(medians.values())
        urban = [k for k in groups if _match(k, config.urban_labels)]
        rural = [k for k in groups if _match(k, config.rural_labels)]
        if len(urban) == 1 and len(rural) == 1:
            out[f"urban_rural_income_ratio@{col}"] = means[urban[0]] / means[rural[0]]
            out[f"urban_rural_median_ratio@{col}"] = medians[urban[0]] / medians[rural[0]]
    return out


# --- the same statistics from numpy arrays (used by the memory engine and the pure functions) ---------


def moment_sums(y: np.ndarray, w: np.ndarray, lny: np.ndarray | None = None) -> MomentSums:
    lny = np.log(y) if lny is None else lny
    wy = w * y
    return MomentSums(float(w.sum()), float(wy.sum()), float(wy @ lny), float(w @ lny))


def crossings_sorted(cum_w: np.ndarray, cum_wy: np.ndarray, w: np.ndarray, y: np.ndarray, targets):
    """Crossing records for cumulative-weight targets over arrays already in income order."""
    idx = np.minimum(np.searchsorted(cum_w, np.asarray(targets, dtype=float), side="left"), len(y) - 1)
    out = []
    for i in idx:
        out.append(Crossing(float(cum_w[i] - w[i]), float(cum_wy[i] - w[i] * y[i]), float(y[i])))
    return out


def lorenz_area_sorted(w: np.ndarray, wy: np.ndarray, cum_wy: np.ndarray) -> float:
    return float(w @ (2.0 * cum_wy - wy))


def weighted_median_sorted(y: np.ndarray, w: np.ndarray) -> float:
    cum_w = np.cumsum(w)
    lo_t, hi_t = median_targets(float(cum_w[-1]))
    idx = np.minimum(np.searchsorted(cum_w, [lo_t, hi_t], side="left"), len(y) - 1)
    return median_from_crossings(float(y[idx[0]]), float(y[idx[1]]))


def _arrays(y, w) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    if y.shape != w.shape or y.ndim != 1 or len(y) == 0:
        raise InputError("收入与权重须为等长的一维非空数组")
    if not (np.isfinite(y).all() and np.isfinite(w).all()):
        raise InputError("收入或权重含缺失值")
    if (w <= 0).any():
        raise InputError("权重须为正")
    return y, w


def _positive(y: np.ndarray, what: str) -> None:
    if (y <= 0).any():
        raise InputError(f"{what}需要正的收入 (发现 {int((y <= 0).sum())} 个非正值)")


def gini(y, w=None) -> float:
    """Weighted Gini of non-negative incomes (sorted cumulative-share formula, O(n log n))."""
    y, w = _arrays(y, w)
    if (y < 0).any():
        raise InputError("基尼系数需要非负的收入")
    order = np.argsort(y, kind="stable")
    ys, ws = y[order], w[order]
    wy = ws * ys
    return gini_from_area(
        MomentSums(float(ws.sum()), float(wy.sum()), 0.0, 0.0), lorenz_area_sorted(ws, wy, np.cumsum(wy))
    )


def theil_t(y, w=None) -> float:
    y, w = _arrays(y, w)
    _positive(y, "泰尔指数T")
    return theil_from_sums(moment_sums(y, w))[0]


def theil_l(y, w=None) -> float:
    y, w = _arrays(y, w)
    _positive(y, "泰尔指数L")
    return theil_from_sums(moment_sums(y, w))[1]


def theil_by_group(y, w, group) -> dict[str, float]:
    """Theil T and L with their between/within decomposition over `group` labels."""
    y, w = _arrays(y, w)
    _positive(y, "泰尔指数")
    labels, codes = np.unique(np.asarray(group).astype(str), return_inverse=True)
    lny = np.log(y)
    groups = {}
    for k, label in enumerate(labels):
        m = codes == k
        groups[str(label)] = moment_sums(y[m], w[m], lny[m])
    return theil_decomposition(groups)


def lorenz_share(y, w, p: float) -> float:
    """L(p), the income share of the poorest share p of the population (0 < p < 1)."""
    y, w = _arrays(y, w)
    order = np.argsort(y, kind="stable")
    ys, ws = y[order], w[order]
    wy = ws * ys
    cum_w, cum_wy = np.cumsum(ws), np.cumsum(wy)
    sums = MomentSums(float(cum_w[-1]), float(cum_wy[-1]), 0.0, 0.0)
    (c,) = crossings_sorted(cum_w, cum_wy, ws, ys, [p * sums.w])
    return lorenz_from_crossing(p, sums, c)


def weighted_median(y, w=None) -> float:
    y, w = _arrays(y, w)
    order = np.argsort(y, kind="stable")
    return weighted_median_sorted(y[order], w[order])


def band_share(household_income, w, lo: float, hi: float) -> float:
    """Share (%) of households with lo ≤ household income < hi (中等收入群体比例)."""
    x, w = _arrays(household_income, w)
    return 100.0 * float(w[(x >= lo) & (x < hi)].sum() / w.sum())


def low_income(per_capita_income, w, threshold: float) -> tuple[float, float]:
    """(weighted count, share %) of households with per-capita income below `threshold`."""
    x, w = _arrays(per_capita_income, w)
    below = float(w[x < threshold].sum())
    return below, 100.0 * below / float(w.sum())
