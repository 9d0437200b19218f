"""The in-memory engine: polars reads the file, numpy sorts once and reduces to `DistributionStats`.

The sort by per-capita income is done once; bootstrap replicates and groups reuse that order, and the
Theil sums need no order at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from gongfu.distribution.measures import (
    Crossing,
    DistributionStats,
    GroupStats,
    MeasureConfig,
    MomentSums,
    crossings_sorted,
    median_targets,
)
from gongfu.distribution.spec import Columns, Report, Rules, invalid_error, nonpositive_error
from gongfu.errors import InputError


def read_frame(path: str | Path, columns: Columns) -> pl.DataFrame:
    """The used columns of a Parquet or CSV file."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", file=str(path))
    cols = columns.used()
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df = pl.read_parquet(path, columns=cols)
        elif path.suffix.lower() in (".csv", ".gz", ".txt"):
            df = pl.read_csv(path, columns=cols, infer_schema_length=100_000)
        else:
            raise InputError("只支持 Parquet 或 CSV 文件", file=str(path))
    except (pl.exceptions.ColumnNotFoundError, pl.exceptions.SchemaError) as exc:
        raise InputError(f"找不到列或列类型不符: {str(exc).splitlines()[0]}", file=str(path)) from exc
    except pl.exceptions.ComputeError as exc:
        raise InputError(f"无法读取: {str(exc).splitlines()[0]}", file=str(path)) from exc
    return df


@dataclass
class Prepared:
    """Clean records in ascending order of per-capita income (clipped if the rules say so)."""

    y: np.ndarray  # per-capita income used by the inequality measures
    lny: np.ndarray
    hw: np.ndarray  # household weight
    persons: np.ndarray
    flags: np.ndarray  # bit b set: household income in band b; top bit: per-capita income below the line
    bands: tuple[tuple[float, float], ...]
    groups: dict[str, tuple[list[str], np.ndarray, list[np.ndarray]]]  # column -> labels, codes, positions
    strata: np.ndarray | None  # stratum codes
    report: Report = field(default_factory=Report)

    @property
    def n(self) -> int:
        return len(self.y)


LOW_BIT = 7


def _numeric(df: pl.DataFrame, col: str, file: str | None) -> np.ndarray:
    try:
        return df.get_column(col).cast(pl.Float64, strict=True).to_numpy()
    except pl.exceptions.InvalidOperationError as exc:
        raise InputError(f"列 {col} 含非数值内容", file=file) from exc


def _codes(s: pl.Series) -> tuple[list[str], np.ndarray]:
    """Labels sorted, and each record's label index (hashing, no string sort of the records)."""
    s = s.cast(pl.String)
    phys = s.cast(pl.Categorical).to_physical()
    lut = pl.DataFrame({"code": phys, "label": s}).unique("code")
    present = lut.get_column("code").to_numpy().astype(np.int64)
    labels = lut.get_column("label").to_list()
    rank = np.argsort(np.array(labels, dtype=object))
    remap = np.zeros(int(present.max()) + 1, dtype=np.int32)
    remap[present[rank]] = np.arange(len(labels), dtype=np.int32)
    return [str(labels[i]) for i in rank], remap[phys.to_numpy()]


def income_order(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(permutation, sorted incomes) for positive incomes, ascending.

    Sorting unsigned keys is several times faster than argsort of floats: for positive doubles the bit
    pattern orders like the value, so the low bits are replaced by the record index and the keys sorted.
    Values that differ only in those low bits may come out of order; a stable argsort of the nearly sorted
    result (cheap) puts them right, so the order is exact.
    """
    n = len(y)
    k = max(1, (n - 1).bit_length())
    if k > 40 or not (y > 0).all():
        order = np.argsort(y, kind="stable")
        return order, y[order]
    key = y.view(np.uint64).copy()
    key >>= np.uint64(k)
    key <<= np.uint64(k)
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    key &= np.uint64((1 << k) - 1)
    order = key.view(np.int64)
    ys = y[order]
    if (ys[1:] < ys[:-1]).any():
        fix = np.argsort(ys, kind="stable")
        order, ys = order[fix], ys[fix]
    return order, ys


def prepare(df: pl.DataFrame, columns: Columns, rules: Rules, config: MeasureConfig, file: str | None = None):
    """Validate by `rules`, compute per-capita incomes and sort once."""
    n0 = df.height
    report = Report(records=n0)
    income = _numeric(df, columns.income, file)
    weight = _numeric(df, columns.weight, file) if columns.weight else np.ones(n0)
    persons = _numeric(df, columns.persons, file) if columns.persons else np.ones(n0)
    labels = {c: df.get_column(c) for c in columns.groups}
    strata = df.get_column(columns.strata) if columns.strata else None

    checks = [
        ("收入缺失", ~np.isfinite(income)),
        ("权重缺失或不为正", ~(np.isfinite(weight) & (weight > 0))),
        ("户人数缺失或不为正", ~(np.isfinite(persons) & (persons > 0))),
    ]
    checks += [(f"分组列 {c} 缺失", s.is_null().to_numpy()) for c, s in labels.items()]
    if strata is not None:
        checks.append(("层 (strata) 缺失", strata.is_null().to_numpy()))
    bad = np.zeros(n0, dtype=bool)
    for what, mask in checks:
        if mask.any():
            if rules.invalid == "error":
                raise invalid_error(what, int(mask.sum()), int(np.argmax(mask)) + 1, file)
            bad |= mask
    del checks
    with np.errstate(divide="ignore", invalid="ignore"):
        pc = income / persons
    nonpos = (pc <= 0) & ~bad
    if nonpos.any():
        if rules.nonpositive == "error":
            raise nonpositive_error(int(nonpos.sum()), int(np.argmax(nonpos)) + 1, file)
        if rules.nonpositive == "drop":
            bad |= nonpos
            report.dropped_nonpositive = int(nonpos.sum())
        else:
            report.clipped = int(nonpos.sum())
    report.dropped_invalid = int(bad.sum()) - report.dropped_nonpositive
    if bad.all():
        raise InputError("没有可用的记录", file=file)
    flags = np.zeros(n0, dtype=np.uint8)
    if len(config.bands) > LOW_BIT:
        raise InputError(f"收入段最多 {LOW_BIT} 个")
    for b, (lo, hi) in enumerate(config.bands):
        flags |= (((income >= lo) & (income < hi)).astype(np.uint8) << b).astype(np.uint8)
    flags |= ((pc < config.low_income_threshold).astype(np.uint8) << LOW_BIT).astype(np.uint8)
    del income
    group_codes = {c: _codes(s) for c, s in labels.items()}
    strata_codes = _codes(strata)[1] if strata is not None else None
    if bad.any():
        keep = ~bad
        weight, persons, pc, flags = weight[keep], persons[keep], pc[keep], flags[keep]
        group_codes = {c: (names, codes[keep]) for c, (names, codes) in group_codes.items()}
        strata_codes = strata_codes[keep] if strata_codes is not None else None
    report.used = len(pc)
    y = np.maximum(pc, rules.floor) if rules.nonpositive == "clip" else pc
    del pc

    order, y = income_order(y)
    hw, persons, flags = weight[order], persons[order], flags[order]
    groups = {}
    for c, (names, codes) in group_codes.items():
        codes = codes[order]
        groups[c] = (names, codes, _positions_by_code(codes, len(names)))
    return Prepared(
        y=y,
        lny=np.log(y),
        hw=hw,
        persons=persons,
        flags=flags,
        bands=tuple(config.bands),
        groups=groups,
        strata=None if strata_codes is None else strata_codes[order],
        report=report,
    )


def _positions_by_code(codes: np.ndarray, k: int) -> list[np.ndarray]:
    """Positions of each code, each list still in income order (a stable partition of the sort)."""
    small = np.uint8 if k <= 256 else np.uint16 if k <= 65536 else codes.dtype
    by = np.argsort(codes.astype(small), kind="stable")  # radix sort for small integers
    bounds = np.cumsum(np.bincount(codes, minlength=k))
    return np.split(by, bounds[:-1])


def stats(prep: Prepared, config: MeasureConfig, counts: np.ndarray | None = None) -> DistributionStats:
    """Sufficient statistics; `counts` multiplies household weights (a bootstrap replicate)."""
    hw = prep.hw if counts is None else prep.hw * counts
    pw = hw * prep.persons
    y = prep.y
    wy = pw * y
    cum_w = np.cumsum(pw)
    cum_wy = np.cumsum(wy)
    wlny = pw * prep.lny
    sums = MomentSums(float(cum_w[-1]), float(cum_wy[-1]), float(wlny @ y), float(wlny.sum()))
    area = float(pw @ (2.0 * cum_wy - wy))
    points = config.points()
    found = crossings_sorted(cum_w, cum_wy, pw, y, [p * sums.w for p in points])
    crossings = dict(zip(points, found, strict=True))
    del cum_w, cum_wy
    by_flag = np.bincount(prep.flags, weights=hw, minlength=256)
    flag_values = np.arange(256)
    band_w = {b: float(by_flag[(flag_values >> i) & 1 == 1].sum()) for i, b in enumerate(prep.bands)}
    low_w = float(by_flag[(flag_values >> LOW_BIT) & 1 == 1].sum())
    groupings: dict[str, dict[str, GroupStats]] = {}
    for col, (names, codes, positions) in prep.groups.items():
        k = len(names)
        g_w = np.bincount(codes, weights=pw, minlength=k)
        g_wy = np.bincount(codes, weights=wy, minlength=k)
        g_wylny = np.bincount(codes, weights=wlny * y, minlength=k)
        g_wlny = np.bincount(codes, weights=wlny, minlength=k)
        groupings[col] = {}
        for j, (name, pos) in enumerate(zip(names, positions, strict=True)):
            g_cum = np.cumsum(pw[pos])
            lo, hi = median_crossings(g_cum, pos, y)
            g_sums = MomentSums(float(g_w[j]), float(g_wy[j]), float(g_wylny[j]), float(g_wlny[j]))
            groupings[col][name] = GroupStats(g_sums, lo, hi)
    return DistributionStats(
        n=prep.n,
        sums=sums,
        lorenz_area=area,
        crossings=crossings,
        household_w=float(hw.sum()),
        band_w=band_w,
        low_income_w=low_w,
        groupings=groupings,
    )


def median_crossings(cum_w: np.ndarray, pos: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    targets = median_targets(float(cum_w[-1]))
    idx = np.minimum(np.searchsorted(cum_w, targets, side="left"), len(pos) - 1)
    return float(y[pos[idx[0]]]), float(y[pos[idx[1]]])


__all__ = ["Crossing", "Prepared", "prepare", "read_frame", "stats"]
