"""The composite index (综合指数) over regions, its ranking, and how the ranking depends on the weights.

Steps:
1. Normalise attainment per indicator. Attainment is already in [0, 1] (clipped), so "none" only clips;
   "minmax" rescales each indicator across regions to [0, 1] ((a − min)/(max − min)), leaving an
   indicator that is equal everywhere at its own level, since it cannot tell regions apart.
2. Within a dimension, the (indicator-weighted, default equal) mean of the indicators a region has.
3. Across dimensions, the weighted mean of the dimension scores a region has (weights renormalised over
   them); the weights are "equal", "expert" (a mapping dimension → weight, e.g. from `read_weights_csv`),
   or "entropy" (the entropy weight method over the regions' dimension scores).
4. Rank: 1 = highest index; ties share the best rank; a region without data has no rank.
Regions, dimensions and indicators are processed in sorted order, so the result does not depend on the
order of the input rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from gongfu.errors import InputError

SCHEMES = ("equal", "expert", "entropy")


@dataclass
class CompositeResult:
    regions: list[str]
    dimensions: list[str]
    weights: np.ndarray  # per dimension, sums to 1
    scores: np.ndarray  # regions × dimensions, NaN where a region has no indicator in the dimension
    index: np.ndarray  # per region, NaN without data
    rank: np.ndarray  # per region, 0 without data
    scheme: str

    def to_frame(self) -> pl.DataFrame:
        cols = {
            "region": self.regions,
            "index": pl.Series(self.index).fill_nan(None),
            "rank": pl.Series(self.rank, dtype=pl.Int64).replace(0, None),
        }
        for j, d in enumerate(self.dimensions):
            cols[d] = pl.Series(self.scores[:, j]).fill_nan(None)
        return pl.DataFrame(cols)

    def to_dicts(self) -> list[dict]:
        return self.to_frame().to_dicts()


def _frame(data: pl.DataFrame | Iterable[Mapping]) -> pl.DataFrame:
    df = data if isinstance(data, pl.DataFrame) else pl.DataFrame(list(data))
    missing = {"region", "indicator", "dimension", "attainment"} - set(df.columns)
    if missing:
        raise InputError(f"composite input lacks columns: {', '.join(sorted(missing))}")
    return df.filter(pl.col("attainment").is_not_null() & pl.col("attainment").is_not_nan())


def rank_desc(values: np.ndarray) -> np.ndarray:
    """Competition ranks along axis 0 (1 = largest; ties share the best rank); 0 where NaN."""
    v = np.where(np.isnan(values), -np.inf, values)
    srt = np.sort(v, axis=0)
    m = v.shape[0]
    if v.ndim == 1:
        greater = m - np.searchsorted(srt, v, side="right")
    else:
        greater = np.stack(
            [m - np.searchsorted(srt[:, k], v[:, k], side="right") for k in range(v.shape[1])], axis=1
        )
    return np.where(np.isnan(values), 0, greater + 1).astype(int)


def entropy_weights(scores: np.ndarray) -> np.ndarray:
    """Entropy weight method over columns of a (regions × criteria) matrix of non-negative scores.

    p_ij = x_ij / Σ_i x_ij, e_j = −Σ_i p_ij ln p_ij / ln m_j (m_j regions with a value), d_j = 1 − e_j,
    w_j = d_j / Σ d_j: a criterion on which regions differ more weighs more. If no criterion
    discriminates (all d_j = 0) the weights are equal. NaN entries are left out.
    """
    x = np.clip(np.asarray(scores, dtype=float), 0.0, None)
    k = x.shape[1]
    d = np.zeros(k)
    for j in range(k):
        col = np.sort(x[~np.isnan(x[:, j]), j])  # sorted: the sums do not depend on region order
        total = col.sum()
        if len(col) < 2 or total <= 0:
            continue
        p = col / total
        nz = p[p > 0]
        e = -(nz * np.log(nz)).sum() / np.log(len(col))
        d[j] = max(0.0, 1.0 - e)
    if d.sum() <= 0:
        return np.full(k, 1.0 / k)
    return d / d.sum()


def _aggregate(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean across columns over the non-NaN entries; weights may be (k,) or (n, k)."""
    have = ~np.isnan(scores)
    filled = np.where(have, scores, 0.0)
    w = np.atleast_2d(weights)
    num = filled @ w.T
    den = have.astype(float) @ w.T
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / den, np.nan)
    return out[:, 0] if np.ndim(weights) == 1 else out


def dimension_scores(
    data: pl.DataFrame | Iterable[Mapping],
    normalise: str = "none",
    indicator_weights: Mapping[str, float] | None = None,
) -> tuple[list[str], list[str], np.ndarray]:
    """(regions, dimensions, regions × dimensions scores) from region/indicator/dimension/attainment rows."""
    df = _frame(data)
    if df.select(pl.struct("region", "indicator").is_duplicated().any()).item():
        raise InputError("composite input has two attainments for the same region and indicator")
    dims_of = df.select("indicator", "dimension").unique()
    if dims_of["indicator"].is_duplicated().any():
        raise InputError("an indicator is listed under two dimensions")
    regions = sorted(df["region"].unique().to_list())
    indicators = sorted(dims_of["indicator"].to_list())
    dim_map = dict(zip(dims_of["indicator"], dims_of["dimension"], strict=True))
    dimensions = sorted(set(dim_map.values()))
    ri = {r: i for i, r in enumerate(regions)}
    ii = {k: i for i, k in enumerate(indicators)}
    a = np.full((len(regions), len(indicators)), np.nan)
    a[[ri[r] for r in df["region"]], [ii[k] for k in df["indicator"]]] = np.clip(
        df["attainment"].to_numpy(), 0, 1
    )
    if normalise == "minmax":
        lo, hi = np.nanmin(a, axis=0), np.nanmax(a, axis=0)
        span = hi - lo
        a = np.where(span > 0, (a - lo) / np.where(span > 0, span, 1.0), a)
    elif normalise != "none":
        raise InputError(f"unknown normalisation {normalise!r} (none, minmax)")
    iw = np.array([float((indicator_weights or {}).get(k, 1.0)) for k in indicators])
    scores = np.full((len(regions), len(dimensions)), np.nan)
    for j, dim in enumerate(dimensions):
        cols = [ii[k] for k in indicators if dim_map[k] == dim]
        scores[:, j] = _aggregate(a[:, cols], iw[cols])
    return regions, dimensions, scores


def scheme_weights(
    scheme: str, dimensions: list[str], scores: np.ndarray, expert: Mapping[str, float] | None = None
) -> np.ndarray:
    """Dimension weights (summing to 1) under "equal", "expert" or "entropy"."""
    if scheme == "equal":
        return np.full(len(dimensions), 1.0 / len(dimensions))
    if scheme == "entropy":
        return entropy_weights(scores)
    if scheme == "expert":
        if not expert:
            raise InputError("the expert weighting needs weights by dimension")
        missing = [d for d in dimensions if d not in expert]
        if missing:
            raise InputError(f"expert weights missing for dimensions: {', '.join(missing)}")
        w = np.array([float(expert[d]) for d in dimensions])
        if (w < 0).any() or w.sum() <= 0:
            raise InputError("expert weights must be non-negative and not all zero")
        return w / w.sum()
    raise InputError(f"unknown weighting {scheme!r} ({', '.join(SCHEMES)})")


def composite_index(
    data: pl.DataFrame | Iterable[Mapping],
    weights: str = "equal",
    expert: Mapping[str, float] | None = None,
    indicator_weights: Mapping[str, float] | None = None,
    normalise: str = "none",
) -> CompositeResult:
    """The composite index of every region under one weighting scheme."""
    regions, dimensions, scores = dimension_scores(data, normalise, indicator_weights)
    w = scheme_weights(weights, dimensions, scores, expert)
    index = _aggregate(scores, w)
    return CompositeResult(regions, dimensions, w, scores, index, rank_desc(index), weights)


def rank_sensitivity(
    result: CompositeResult,
    n: int = 200,
    seed: int = 0,
    concentration: float = 50.0,
    expert: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """How far each region's rank moves when the dimension weights change.

    The ranks are recomputed under `n` weight vectors drawn from a Dirichlet distribution centred on
    the weights used (alpha = concentration × weight, floored at 0.01: larger concentration = smaller
    perturbations), and under each of the schemes (expert only when `expert` is given). Returns per
    region: rank, min_rank, max_rank, and the rank under each scheme.
    """
    rng = np.random.default_rng(seed)
    alpha = np.maximum(concentration * result.weights, 0.01)
    draws = rng.dirichlet(alpha, size=n) if n > 0 else np.empty((0, len(alpha)))
    schemes = [s for s in SCHEMES if s != "expert" or expert]
    named = np.stack([scheme_weights(s, result.dimensions, result.scores, expert) for s in schemes])
    ranks = rank_desc(_aggregate(result.scores, np.vstack([named, draws])))
    ranked = ranks > 0  # a zero expert weight can leave a region without an index under that scheme
    lo = np.where(ranked, ranks, np.iinfo(np.int64).max).min(axis=1)
    hi = np.where(ranked, ranks, 0).max(axis=1)
    has = ranked.any(axis=1)
    cols = {
        "region": result.regions,
        "rank": pl.Series(result.rank, dtype=pl.Int64).replace(0, None),
        "min_rank": pl.Series(np.where(has, lo, 0), dtype=pl.Int64).replace(0, None),
        "max_rank": pl.Series(np.where(has, hi, 0), dtype=pl.Int64).replace(0, None),
    }
    for k, s in enumerate(schemes):
        cols[f"rank_{s}"] = pl.Series(ranks[:, k], dtype=pl.Int64).replace(0, None)
    return pl.DataFrame(cols)


def read_weights_csv(path: str | Path) -> tuple[dict[str, float], dict[str, float]]:
    """Expert weights from a CSV with columns dimension, indicator (may be empty), weight.

    Rows without an indicator weigh the dimension; rows with one weigh the indicator within its dimension.
    """
    from gongfu.tabular import Column, Schema, read_table

    schema = Schema(
        (
            Column("dimension", ("dimension", "维度")),
            Column("indicator", ("indicator", "指标", "指标代码")),
            Column("weight", ("weight", "权重")),
        )
    )
    table = read_table(Path(path), schema)
    if not {"dimension", "weight"} <= table.columns.keys():
        raise InputError(
            "权重文件需要 dimension（维度）、indicator（指标）、weight（权重）三列", file=str(path)
        )
    dims: dict[str, float] = {}
    inds: dict[str, float] = {}
    for row_no, cells in table.rows:
        raw = table.get(cells, "weight")
        try:
            w = float(raw)
        except ValueError:
            raise InputError(f"权重 {raw!r} 不是数字", file=str(path), row=row_no) from None
        ind = table.get(cells, "indicator").strip()
        if ind:
            inds[ind] = w
        else:
            dims[table.get(cells, "dimension").strip()] = w
    return dims, inds
