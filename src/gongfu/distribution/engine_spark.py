"""The Spark engine: population-scale microdata on a cluster, reduced to `DistributionStats`.

Sums are ordinary Spark aggregates. Running sums in income order avoid a single-partition window: the
records are range-partitioned by income and sorted within partitions; a first pass returns each
partition's totals (the offsets), a second finds the crossing records with those offsets. The formulas are
finished by `measures.finish`, as for every engine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from gongfu.distribution.measures import (
    Crossing,
    DistributionStats,
    GroupStats,
    MeasureConfig,
    MomentSums,
    median_targets,
)
from gongfu.distribution.spec import Columns, Report, Rules, invalid_error, nonpositive_error
from gongfu.errors import InputError


def session(master: str | None = None, app_name: str = "gongfu-distribution"):
    """A SparkSession on `master` (default local[2]); the Python workers use this interpreter."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InputError("需要 pyspark: pip install pyspark") from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master or "local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    return builder.getOrCreate()


def _read(spark, path: Path, columns: Columns):
    from pyspark.errors import AnalysisException

    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            df = spark.read.parquet(str(path))
        elif suffix in (".csv", ".gz", ".txt"):
            df = spark.read.option("header", True).csv(str(path))
        else:
            raise InputError("只支持 Parquet 或 CSV 文件", file=str(path))
        return df.select(*columns.used())
    except AnalysisException as exc:
        raise InputError(f"无法读取或找不到列: {str(exc).splitlines()[0]}", file=str(path)) from exc


def _clean(df, columns: Columns, rules: Rules, file: str, extra: list[str] | None = None):
    from pyspark.sql import functions as F

    def num(c: str | None):
        return F.col(c).try_cast("double") if c else F.lit(1.0)

    cols = [
        num(columns.income).alias("income"),
        num(columns.weight).alias("hw"),
        num(columns.persons).alias("persons"),
    ]
    cols += [F.col(c).cast("string").alias(f"g{i}") for i, c in enumerate(columns.groups)]
    if columns.strata:
        cols.append(F.col(columns.strata).cast("string").alias("stratum"))
    raw = df.select(*cols, *(extra or []))

    def bad_number(c: str):
        return F.col(c).isNull() | F.isnan(c) | ~(F.col(c) > 0) | (F.col(c) == float("inf"))

    checks = [
        ("收入缺失", F.col("income").isNull() | F.isnan("income")),
        ("权重缺失或不为正", bad_number("hw")),
        ("户人数缺失或不为正", bad_number("persons")),
    ]
    checks += [(f"分组列 {c} 缺失", F.col(f"g{i}").isNull()) for i, c in enumerate(columns.groups)]
    if columns.strata:
        checks.append(("层 (strata) 缺失", F.col("stratum").isNull()))
    invalid = checks[0][1]
    for _, cond in checks[1:]:
        invalid = invalid | cond
    pc = F.col("income") / F.col("persons")
    aggs = [F.count(F.lit(1))] + [F.count(F.when(cond, 1)) for _, cond in checks]
    aggs += [F.count(F.when(invalid, 1)), F.count(F.when(~invalid & (pc <= 0), 1))]
    counts = raw.agg(*aggs).first()
    report = Report(records=int(counts[0]))
    if rules.invalid == "error":
        for (what, _), k in zip(checks, counts[1 : 1 + len(checks)], strict=True):
            if k:
                raise invalid_error(what, int(k), None, file)
    n_invalid, n_nonpos = int(counts[-2]), int(counts[-1])
    if n_nonpos and rules.nonpositive == "error":
        raise nonpositive_error(n_nonpos, None, file)
    clean = raw.where(~invalid)
    y = pc
    if rules.nonpositive == "drop":
        clean = clean.where(pc > 0)
        report.dropped_nonpositive = n_nonpos
    elif rules.nonpositive == "clip":
        y = F.greatest(pc, F.lit(float(rules.floor)))
        report.clipped = n_nonpos
    report.dropped_invalid = n_invalid
    report.used = report.records - n_invalid - report.dropped_nonpositive
    if report.used == 0:
        raise InputError("没有可用的记录", file=file)
    clean = clean.select("*", pc.alias("pc"), y.alias("y"), (F.col("hw") * F.col("persons")).alias("pw"))
    return clean, report


def _sums(F) -> list:
    y, pw = F.col("y"), F.col("pw")
    return [F.sum(pw), F.sum(pw * y), F.sum(pw * y * F.log(y)), F.sum(pw * F.log(y))]


def _pass1(groups: list[str]):
    """Per partition: totals, the local Lorenz area and each group's weight."""

    def run(batches):
        import pyarrow as pa
        from pyspark import TaskContext

        pid = TaskContext.get().partitionId()
        w_tot = wy_tot = area = 0.0
        g_w: dict[tuple[str, str], float] = {}
        for b in batches:
            y = b.column("y").to_numpy(zero_copy_only=False)
            pw = b.column("pw").to_numpy(zero_copy_only=False)
            wy = pw * y
            cwy = wy_tot + np.cumsum(wy)
            area += float(pw @ (2.0 * cwy - wy))
            w_tot += float(pw.sum())
            wy_tot = float(cwy[-1]) if len(cwy) else wy_tot
            for g in groups:
                labels = b.column(g).to_numpy(zero_copy_only=False)
                for label in np.unique(labels):
                    key = (g, str(label))
                    g_w[key] = g_w.get(key, 0.0) + float(pw[labels == label].sum())
        rows = [(pid, "", "", w_tot, wy_tot, area)] + [(pid, g, k, v, 0.0, 0.0) for (g, k), v in g_w.items()]
        names = ("pid", "col", "key", "w", "wy", "area")
        schema = pa.schema(
            [
                ("pid", pa.int32()),
                ("col", pa.string()),
                ("key", pa.string()),
                ("w", pa.float64()),
                ("wy", pa.float64()),
                ("area", pa.float64()),
            ]
        )
        yield pa.RecordBatch.from_pylist([dict(zip(names, r, strict=True)) for r in rows], schema=schema)

    return run


def _pass2(offsets: dict, targets: dict):
    """Per partition: for each target, the first local record whose global running weight reaches it.

    `offsets[pid]` = {(col, key): (weight before, income before)}; `targets[id]` = (col, key, weight).
    """

    def run(batches):
        import pyarrow as pa
        from pyspark import TaskContext

        pid = TaskContext.get().partitionId()
        run_w = dict(offsets.get(pid, {}))
        found: dict[int, tuple[float, float, float]] = {}
        for b in batches:
            y = b.column("y").to_numpy(zero_copy_only=False)
            pw = b.column("pw").to_numpy(zero_copy_only=False)
            cols = {
                c: b.column(c).to_numpy(zero_copy_only=False).astype(str)
                for c in {t[0] for t in targets.values()}
                if c
            }
            for tid, (col, key, target) in targets.items():
                if tid in found:
                    continue
                if col:
                    m = cols[col] == key
                    gy, gw = y[m], pw[m]
                else:
                    gy, gw = y, pw
                if not len(gy):
                    continue
                w0, wy0 = run_w.get((col, key), (0.0, 0.0))
                cw = w0 + np.cumsum(gw)
                cwy = wy0 + np.cumsum(gw * gy)
                i = int(np.searchsorted(cw, target, side="left"))
                if i < len(gy):
                    found[tid] = (float(cw[i] - gw[i]), float(cwy[i] - gw[i] * gy[i]), float(gy[i]))
            for col, key in {(t[0], t[1]) for t in targets.values()}:
                if col:
                    m = cols[col] == key
                    gy, gw = y[m], pw[m]
                else:
                    gy, gw = y, pw
                w0, wy0 = run_w.get((col, key), (0.0, 0.0))
                run_w[(col, key)] = (w0 + float(gw.sum()), wy0 + float((gw * gy).sum()))
        rows = [{"pid": pid, "tid": t, "wb": v[0], "wyb": v[1], "y": v[2]} for t, v in found.items()]
        yield pa.RecordBatch.from_pylist(
            rows,
            schema=pa.schema(
                [
                    ("pid", pa.int32()),
                    ("tid", pa.int32()),
                    ("wb", pa.float64()),
                    ("wyb", pa.float64()),
                    ("y", pa.float64()),
                ]
            ),
        )

    return run


def compute(
    path: str | Path,
    columns: Columns,
    rules: Rules,
    config: MeasureConfig,
    *,
    spark=None,
    master: str | None = None,
    partitions: int = 8,
) -> tuple[DistributionStats, Report]:
    """Sufficient statistics of a Parquet/CSV file computed by Spark."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    path = Path(path)
    file = str(path)
    if not path.exists() and "://" not in file:
        raise InputError("文件不存在", file=file)
    spark = spark or session(master)
    clean, report = _clean(_read(spark, path, columns), columns, rules, file)
    band_aggs = [
        F.sum(F.when((F.col("income") >= lo) & (F.col("income") < hi), F.col("hw")))
        for lo, hi in config.bands
    ]
    row = clean.agg(
        F.count(F.lit(1)),
        *_sums(F),
        F.sum("hw"),
        F.sum(F.when(F.col("pc") < float(config.low_income_threshold), F.col("hw"))),
        *band_aggs,
    ).first()
    n = int(row[0])
    sums = MomentSums(*(float(v) for v in row[1:5]))
    household_w, low_w = float(row[5]), float(row[6] or 0.0)
    band_w = {b: float(v or 0.0) for b, v in zip(config.bands, row[7:], strict=True)}
    gnames = [f"g{i}" for i in range(len(columns.groups))]
    group_sums: dict[str, dict[str, MomentSums]] = {}
    group_max: dict[tuple[str, str], float] = {}
    for g in gnames:
        group_sums[g] = {}
        for r in clean.groupBy(g).agg(*_sums(F), F.max("y")).collect():
            group_sums[g][str(r[0])] = MomentSums(*(float(v) for v in r[1:5]))
            group_max[(g, str(r[0]))] = float(r[5])

    ordered = clean.select("y", "pw", *gnames).repartitionByRange(partitions, "y").sortWithinPartitions("y")
    ordered = ordered.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        p1 = ordered.mapInArrow(
            _pass1(gnames), "pid int, col string, key string, w double, wy double, area double"
        )
        parts = sorted(p1.collect(), key=lambda r: r["pid"])
        offsets: dict[int, dict] = {}
        run: dict[tuple[str, str], tuple[float, float]] = {}
        area = 0.0
        for r in parts:
            key = (r["col"], r["key"])
            offsets.setdefault(r["pid"], {})[key] = run.get(key, (0.0, 0.0))
            w0, wy0 = run.get(key, (0.0, 0.0))
            if not r["col"]:
                area += r["area"] + 2.0 * wy0 * r["w"]
            run[key] = (w0 + r["w"], wy0 + r["wy"])
        points = config.points()
        targets: dict[int, tuple[str, str, float]] = {i: ("", "", p * sums.w) for i, p in enumerate(points)}
        for g in gnames:
            for label, s in group_sums[g].items():
                lo, hi = median_targets(s.w)
                targets[len(targets)] = (g, label, lo)
                targets[len(targets)] = (g, label, hi)
        p2 = ordered.mapInArrow(_pass2(offsets, targets), "pid int, tid int, wb double, wyb double, y double")
        first: dict[int, tuple] = {}
        for r in p2.collect():
            if r["tid"] not in first or r["pid"] < first[r["tid"]][0]:
                first[r["tid"]] = (r["pid"], r["wb"], r["wyb"], r["y"])
        last_y = ordered.agg(F.max("y")).first()[0]
    finally:
        ordered.unpersist()

    def crossing(tid: int) -> Crossing:
        if tid in first:
            _, wb, wyb, y = first[tid]
            return Crossing(wb, wyb, y)
        # The target lies a hair above the running total by rounding: the last record.
        col, key, _ = targets[tid]
        return Crossing(sums.w, sums.wy, group_max[(col, key)] if col else float(last_y))

    crossings = {p: crossing(i) for i, p in enumerate(points)}
    groupings: dict[str, dict[str, GroupStats]] = {}
    tid = len(points)
    for col, g in zip(columns.groups, gnames, strict=True):
        groupings[col] = {}
        for label, s in group_sums[g].items():
            groupings[col][label] = GroupStats(s, crossing(tid).y, crossing(tid + 1).y)
            tid += 2
    stats = DistributionStats(
        n=n,
        sums=sums,
        lorenz_area=area,
        crossings=crossings,
        household_w=household_w,
        band_w=band_w,
        low_income_w=low_w,
        groupings=groupings,
    )
    return stats, report


def sorted_records(
    path: str | Path,
    columns: Columns,
    rules: Rules,
    config: MeasureConfig,
    *,
    spark=None,
    master: str | None = None,
):
    """The cleaned records in income order (ties in file order), collected to the driver as a memory-engine
    `Prepared`, for bootstrap replicates drawn exactly as the memory engine draws them."""
    from pyspark.sql import functions as F

    from gongfu.distribution.engine_memory import LOW_BIT, from_sorted

    path = Path(path)
    file = str(path)
    spark = spark or session(master)
    raw = _read(spark, path, columns).withColumn("_rn", F.monotonically_increasing_id())
    clean, report = _clean(raw, columns, rules, file, extra=["_rn"])
    flag = (F.col("pc") < float(config.low_income_threshold)).cast("int") * (1 << LOW_BIT)
    for b, (lo, hi) in enumerate(config.bands):
        flag = flag + ((F.col("income") >= lo) & (F.col("income") < hi)).cast("int") * (1 << b)
    gnames = [f"g{i}" for i in range(len(columns.groups))]
    cols = ["y", "pw", "hw", flag.alias("flags"), *gnames] + (["stratum"] if columns.strata else [])
    t = clean.select(*cols, "_rn").orderBy("y", "_rn").toArrow()
    groups = {}
    for col, g in zip(columns.groups, gnames, strict=True):
        labels, codes = np.unique(
            np.asarray(t.column(g).to_pylist(), dtype=object).astype(str), return_inverse=True
        )
        groups[col] = ([str(v) for v in labels], codes.astype(np.uint8 if len(labels) <= 256 else np.int32))
    strata = None
    if columns.strata:
        _, strata = np.unique(
            np.asarray(t.column("stratum").to_pylist(), dtype=object).astype(str), return_inverse=True
        )
    num = {c: t.column(c).to_numpy() for c in ("y", "pw", "hw", "flags")}
    return from_sorted(num["y"], num["pw"], num["hw"], num["flags"], groups, strata, report, config.bands)
