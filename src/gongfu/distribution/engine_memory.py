"""The in-memory engine: the file is read column by column, numpy sorts once and reduces to `DistributionStats`.

The sort by per-capita income is done once (`income_order`); the ordered kernel (`kernel.Ordered`) takes
the Lorenz area, every quantile crossing and the group medians from that one order, and every bootstrap
replicate reuses it. The Theil sums, bands and low-income counts need no order at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from gongfu.distribution.kernel import Ordered, group_sums
from gongfu.distribution.measures import DistributionStats, GroupStats, MeasureConfig, MomentSums
from gongfu.distribution.spec import Columns, Report, Rules, invalid_error, nonpositive_error
from gongfu.errors import InputError

LOW_BIT = 7


def read_frame(path: str | Path, columns: Columns) -> pl.DataFrame | pa.Table:
    """The used columns of a Parquet file (an Arrow table: label columns keep the file's dictionary) or
    of a CSV file (a polars frame)."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", file=str(path))
    cols = columns.used()
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:  # ParquetFile, not read_table: no dataset layer (nor its pandas import) for one file
            pf = pq.ParquetFile(path)
            missing = [c for c in cols if c not in pf.schema_arrow.names]
            if missing:
                raise InputError(f"无法读取或找不到列: {', '.join(missing)}", file=str(path))
            return pf.read(columns=cols)
        except (pa.ArrowInvalid, OSError, KeyError, IndexError) as exc:
            raise InputError(f"无法读取或找不到列: {str(exc).splitlines()[0]}", file=str(path)) from exc
    if suffix not in (".csv", ".gz", ".txt"):
        raise InputError("只支持 Parquet 或 CSV 文件", file=str(path))
    try:
        return pl.read_csv(path, columns=cols, infer_schema_length=100_000)
    except (pl.exceptions.ColumnNotFoundError, pl.exceptions.SchemaError) as exc:
        raise InputError(f"找不到列或列类型不符: {str(exc).splitlines()[0]}", file=str(path)) from exc
    except pl.exceptions.ComputeError as exc:
        raise InputError(f"无法读取: {str(exc).splitlines()[0]}", file=str(path)) from exc


@dataclass
class Prepared:
    """Clean records in ascending order of per-capita income (clipped if the rules say so).

    Household weights and band flags stay in file order (their sums need no order); the sorted copies a
    bootstrap replicate needs are made on first use.
    """

    y: np.ndarray  # per-capita income used by the inequality measures, ascending
    lny: np.ndarray
    pw: np.ndarray  # person weight (household weight × persons), in income order
    order: np.ndarray | None  # file position (among clean records) of each sorted record; None: identity
    hw_file: np.ndarray  # household weight, file order
    flags_file: np.ndarray  # bit b: household income in band b; bit LOW_BIT: per-capita income below the line
    bands: tuple[tuple[float, float], ...]
    groups: dict[str, tuple[list[str], np.ndarray]]  # column -> labels, label code of each sorted record
    strata: np.ndarray | None  # stratum codes, in income order
    report: Report = field(default_factory=Report)
    _sorted: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.y)

    def sorted_(self, name: str) -> np.ndarray:
        """`hw` or `flags` in income order (made once, for bootstrap replicates)."""
        if name not in self._sorted:
            a = self.hw_file if name == "hw" else self.flags_file
            self._sorted[name] = a if self.order is None else a[self.order]
        return self._sorted[name]


def _numeric(df, col: str, file: str | None) -> np.ndarray:
    """A numeric column as float64 (nulls as NaN): straight from Arrow for numeric types, else via a
    strict polars cast (numbers written as text)."""
    if isinstance(df, pa.Table):
        arr = df.column(col)
        if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
            if arr.type != pa.float64():
                arr = pc.cast(arr, pa.float64())
            return _to_numpy(arr)
        df = pl.from_arrow(df.select([col]))
    try:
        return df.get_column(col).cast(pl.Float64, strict=True).to_numpy()
    except pl.exceptions.InvalidOperationError as exc:
        raise InputError(f"列 {col} 含非数值内容", file=file) from exc


def _view(c: pa.Array) -> np.ndarray:
    """A read-only numpy view of a fixed-width Arrow array's values (nulls filled: 0, NaN for floats).
    Read from the buffer: Array.to_numpy would import pandas, a second of CPU for nothing."""
    if pa.types.is_boolean(c.type):
        c = pc.cast(c, pa.uint8())
    dtype = np.dtype(c.type.to_pandas_dtype())
    values = np.frombuffer(c.buffers()[1], dtype=dtype, count=len(c), offset=c.offset * dtype.itemsize)
    if c.null_count:  # (fill_null would import pandas too)
        values = values.copy()
        values[_view(pc.is_null(c)).view(bool)] = np.nan if pa.types.is_floating(c.type) else 0
    return values


def _to_numpy(arr: pa.ChunkedArray) -> np.ndarray:
    """One writable numpy array from the chunks."""
    parts = [_view(c) for c in arr.chunks]
    if not parts:
        return np.empty(0, dtype=np.float64 if pa.types.is_floating(arr.type) else np.int64)
    return np.concatenate(parts) if len(parts) > 1 else parts[0].copy()


def _persons(df, col: str, file: str | None) -> np.ndarray:
    """Household sizes as stored when they are small integers without gaps (no float copy), else floats."""
    if isinstance(df, pa.Table):
        arr = df.column(col)
        if pa.types.is_integer(arr.type) and arr.null_count == 0:
            return _to_numpy(arr)
        return _numeric(df, col, file)
    s = df.get_column(col)
    if s.dtype.is_integer() and s.null_count() == 0:
        return s.to_numpy()
    return _numeric(df, col, file)


def _arrow(s) -> pa.ChunkedArray:
    if isinstance(s, pl.Series):
        return pa.chunked_array([s.to_arrow()])
    return s if isinstance(s, pa.ChunkedArray) else pa.chunked_array([s])


def _nulls(s) -> np.ndarray:
    arr = _arrow(s)
    if arr.null_count == 0:
        return np.zeros(len(arr), dtype=bool)
    return _to_numpy(pc.is_null(arr)).view(bool)


def _codes(s) -> tuple[list[str], np.ndarray]:
    """Labels sorted, and each record's label index: from the file's dictionary when it has one, else by
    hashing — never a string sort of the records. `s` is a polars Series or an Arrow array."""
    arr = _arrow(s)
    if pa.types.is_dictionary(arr.type):
        arr = arr.unify_dictionaries()
    else:
        arr = pc.dictionary_encode(pc.cast(arr, pa.string()))
    chunks = arr.chunks or [pa.array([], pa.dictionary(pa.int32(), pa.string()))]
    dictionary = [str(v) for v in pc.cast(chunks[0].dictionary, pa.string()).to_pylist()]
    filled = [c.indices for c in chunks]  # a missing label reads as code 0 (the rules drop or stop it)
    used = np.unique(np.concatenate([_view(pc.unique(c)) for c in filled]))
    used = used.astype(np.intp)
    labels = [dictionary[i] for i in used]
    rank = np.argsort(np.array(labels, dtype=object), kind="stable")
    small = np.uint8 if len(labels) <= 256 else np.int32
    idx = np.concatenate([_view(c) for c in filled])
    if (
        np.array_equal(used[rank], np.arange(len(dictionary)))
        and idx.dtype.itemsize <= np.dtype(small).itemsize
    ):
        return [labels[i] for i in rank], idx.astype(small, copy=False)  # the file's codes as they are
    remap = np.zeros(max(len(dictionary), 1), dtype=small)
    remap[used[rank]] = np.arange(len(labels))
    return [labels[i] for i in rank], remap[idx]


def income_order(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(permutation, sorted incomes) for positive incomes, ascending, ties in file order (a stable order).

    Sorting unsigned keys is several times faster than argsort of floats: for positive doubles the bit
    pattern orders like the value, so the key is the bit pattern less the smallest one, shifted right
    just enough that the record index fits in the low bits. Only values within a few ulps of each other
    can share a shifted key and come out of order; those few blocks are put right by a small sort, so the
    order is exactly that of a stable argsort.
    """
    n = len(y)
    k = max(1, (n - 1).bit_length())
    if k > 40 or n == 0 or not (y > 0).all() or not np.isfinite(y).all():
        order = np.argsort(y, kind="stable")
        return order, y[order]
    bits = y.view(np.uint64)
    lo = int(bits.min())
    shift = max(0, (int(bits.max()) - lo).bit_length() + k - 64)
    key = np.subtract(bits, np.uint64(lo))
    key >>= np.uint64(shift)
    key <<= np.uint64(k)
    idx = np.arange(n, dtype=np.uint64)
    key |= idx
    key.sort()
    key &= np.uint64((1 << k) - 1)
    order = key.view(np.int64)
    ys = np.take(y, order, out=idx.view(np.float64))  # the index buffer takes the sorted incomes
    if shift:
        bad = np.flatnonzero(ys[1:] < ys[:-1])
        if len(bad) and not _fix_blocks(ys, order, bad, lo, shift):
            fix = np.argsort(ys, kind="stable")
            order[:], ys[:] = order[fix], ys[fix]
    return order, ys


FIX_WINDOW = 8


def _fix_blocks(ys: np.ndarray, order: np.ndarray, bad: np.ndarray, lo: int, shift: int) -> bool:
    """Sort, by income then record index, each run of equal shifted keys that holds a pair out of order
    (`bad`: positions i with ys[i+1] < ys[i]), in place. The runs are found in a window around each such
    pair; False (nothing changed) when a run reaches past its window."""
    n, w = len(ys), FIX_WINDOW
    win = np.clip(bad[:, None] + np.arange(-w, w + 2), 0, n - 1)
    high = (ys[win].view(np.uint64) - np.uint64(lo)) >> np.uint64(shift)
    same = high == high[:, w : w + 1]
    inner = (win[:, 0] > 0) & same[:, 0] | (win[:, -1] < n - 1) & same[:, -1]
    if inner.any():
        return False
    a = win[np.arange(len(bad)), same.argmax(axis=1)]
    b = win[np.arange(len(bad)), same.shape[1] - 1 - same[:, ::-1].argmax(axis=1)] + 1
    a, first = np.unique(a, return_index=True)
    lens = b[first] - a
    pos = np.repeat(a - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    sub = pos[np.lexsort((order[pos], ys[pos], np.repeat(np.arange(len(a)), lens)))]
    order[pos], ys[pos] = order[sub], ys[sub]
    return True


def prepare(df, columns: Columns, rules: Rules, config: MeasureConfig, file: str | None = None) -> Prepared:
    """Validate by `rules`, compute per-capita incomes and sort once. `df`: a polars frame or Arrow table."""
    if isinstance(df, pa.Table):
        labels = {c: df.column(c) for c in columns.groups}
        strata = df.column(columns.strata) if columns.strata else None
        n0 = df.num_rows
    else:
        labels = {c: df.get_column(c) for c in columns.groups}
        strata = df.get_column(columns.strata) if columns.strata else None
        n0 = df.height
    report = Report(records=n0)
    income = _numeric(df, columns.income, file)
    weight = _numeric(df, columns.weight, file) if columns.weight else np.ones(n0)
    persons = _persons(df, columns.persons, file) if columns.persons else None
    del df

    checks = [("收入缺失", ~np.isfinite(income)), ("权重缺失或不为正", ~(np.isfinite(weight) & (weight > 0)))]
    if persons is not None:
        checks.append(("户人数缺失或不为正", ~(np.isfinite(persons) & (persons > 0))))
    checks += [(f"分组列 {c} 缺失", _nulls(s)) for c, s in labels.items()]
    if strata is not None:
        checks.append(("层 (strata) 缺失", _nulls(strata)))
    bad = np.zeros(n0, dtype=bool)
    for what, mask in checks:
        if mask.any():
            if rules.invalid == "error":
                raise invalid_error(what, int(mask.sum()), int(np.argmax(mask)) + 1, file)
            bad |= mask
    del checks
    with np.errstate(divide="ignore", invalid="ignore"):
        pcap = income if persons is None else income / persons
    nonpos = pcap <= 0
    if bad.any():
        nonpos &= ~bad
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
    flags = band_flags(income, pcap, config)
    # fresh memory is costly (page faults): the income buffer takes the person weights
    if persons is None:
        pw = weight
    else:
        pw = np.multiply(weight, persons, out=income if income.flags.writeable else None)
    del income
    group_codes = {c: _codes(s) for c, s in labels.items()}
    strata_codes = _codes(strata)[1] if strata is not None else None
    if bad.any():
        keep = ~bad
        weight, pw, pcap, flags = weight[keep], pw[keep], pcap[keep], flags[keep]
        group_codes = {c: (names, codes[keep]) for c, (names, codes) in group_codes.items()}
        strata_codes = strata_codes[keep] if strata_codes is not None else None
    report.used = len(pcap)
    y = np.maximum(pcap, rules.floor) if rules.nonpositive == "clip" else pcap
    del pcap

    order, ys = income_order(y)
    lny = np.log(ys, out=y) if y.flags.writeable and y.flags.owndata else np.log(ys)
    del y
    # Random gathers cost most here: one grouping of two labels rides in the weights' sign bit
    # (person weights are positive), so one gather brings both.
    rider = next(iter(group_codes)) if len(group_codes) == 1 else None
    two = rider is not None and len(group_codes[rider][0]) == 2 and group_codes[rider][1].dtype == np.uint8
    if two and pw.flags.writeable and not np.shares_memory(pw, weight):
        np.negative(pw, out=pw, where=group_codes[rider][1].view(bool))
        pw_s = pw[order]
        del pw
        sorted_codes = {rider: (group_codes[rider][0], np.signbit(pw_s).view(np.uint8))}
        np.abs(pw_s, out=pw_s)
    else:
        pw_s = pw[order]
        sorted_codes = {c: (names, codes[order]) for c, (names, codes) in group_codes.items()}
    return Prepared(
        y=ys,
        lny=lny,
        pw=pw_s,
        order=order,
        hw_file=weight,
        flags_file=flags,
        bands=tuple(config.bands),
        groups=sorted_codes,
        strata=None if strata_codes is None else strata_codes[order],
        report=report,
    )


def band_flags(income: np.ndarray, per_capita: np.ndarray, config: MeasureConfig) -> np.ndarray:
    """One byte per household: bit b set when its income is in band b, bit LOW_BIT when its per-capita
    income is below the line — so every band and the low-income count come from one weighted count."""
    if len(config.bands) > LOW_BIT:
        raise InputError(f"收入段最多 {LOW_BIT} 个")
    flags = (per_capita < config.low_income_threshold).view(np.uint8) << np.uint8(LOW_BIT)
    for b, (lo, hi) in enumerate(config.bands):
        inside = (income >= lo) & (income < hi)
        flags |= inside.view(np.uint8) << np.uint8(b)
    return flags


def flag_sums(flags: np.ndarray, hw: np.ndarray, bands) -> tuple[float, dict, float]:
    """(Σ household weight, Σ weight per band, Σ weight below the low-income line) in one pass."""
    by_flag = np.bincount(flags, weights=hw, minlength=256)
    values = np.arange(256)
    band_w = {b: float(by_flag[(values >> i) & 1 == 1].sum()) for i, b in enumerate(bands)}
    return float(by_flag.sum()), band_w, float(by_flag[(values >> LOW_BIT) & 1 == 1].sum())


def stats(prep: Prepared, config: MeasureConfig, counts: np.ndarray | None = None) -> DistributionStats:
    """Sufficient statistics; `counts` (in income order) multiplies household weights (a bootstrap
    replicate): the order is reused, nothing is sorted again."""
    if counts is None:
        pw, hw, flags = prep.pw, prep.hw_file, prep.flags_file
    else:
        pw, hw, flags = prep.pw * counts, prep.sorted_("hw") * counts, prep.sorted_("flags")
    y, lny = prep.y, prep.lny
    kern = Ordered(float(pw.sum()), config.points(), {c: len(names) for c, (names, _) in prep.groups.items()})
    kern.feed(y, pw, {c: codes for c, (_, codes) in prep.groups.items()}, lny)
    sums = MomentSums(kern.fed_w, kern.fed_wy, float(kern.theil[0]), float(kern.theil[1]))
    household_w, band_w, low_w = flag_sums(flags, hw, prep.bands)
    groupings: dict[str, dict[str, GroupStats]] = {}
    for col, (names, _) in prep.groups.items():
        g_sums = group_sums(kern.groupings[col].sums)
        med = kern.medians(col)
        groupings[col] = {
            name: GroupStats(g_sums[j], float(med[j, 0]), float(med[j, 1]))
            for j, name in enumerate(names)
            if counts is not None or g_sums[j].w > 0
        }
    return DistributionStats(
        n=prep.n,
        sums=sums,
        lorenz_area=kern.area,
        crossings=kern.crossings(),
        household_w=household_w,
        band_w=band_w,
        low_income_w=low_w,
        groupings=groupings,
    )


def from_sorted(y, pw, hw, flags, groups: dict[str, tuple[list[str], np.ndarray]], strata, report, bands):
    """A `Prepared` from records another engine has cleaned and sorted (by income, then file position),
    so its bootstrap replicates are drawn exactly as the memory engine draws them."""
    y = np.ascontiguousarray(y, dtype=np.float64)
    return Prepared(
        y=y,
        lny=np.log(y),
        pw=np.ascontiguousarray(pw, dtype=np.float64),
        order=None,
        hw_file=np.ascontiguousarray(hw, dtype=np.float64),
        flags_file=np.ascontiguousarray(flags, dtype=np.uint8),
        bands=tuple(bands),
        groups=groups,
        strata=strata,
        report=report,
    )


__all__ = [
    "Prepared",
    "band_flags",
    "flag_sums",
    "from_sorted",
    "income_order",
    "prepare",
    "read_frame",
    "stats",
]
