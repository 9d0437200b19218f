"""The DuckDB engine: Parquet/CSV larger than memory on one machine, reduced in SQL to `DistributionStats`.

DuckDB does the cleaning, the sums and the running sums in income order (spilling to disk under its
memory limit); the formulas are finished by `measures.finish`, as for every engine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _source(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return f"read_parquet({_lit(str(path))})"
    if suffix in (".csv", ".gz", ".txt"):
        return f"read_csv({_lit(str(path))}, header = true)"
    raise InputError("只支持 Parquet 或 CSV 文件", file=str(path))


def connect(memory_limit: str | None = None, threads: int | None = None, temp_dir: str | None = None):
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = {_lit(memory_limit)}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET temp_directory = {_lit(temp_dir or tempfile.gettempdir())}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _define_views(con, path: Path, columns: Columns, rules: Rules, file: str) -> Report:
    inc = f"TRY_CAST({_q(columns.income)} AS DOUBLE)"
    w = f"TRY_CAST({_q(columns.weight)} AS DOUBLE)" if columns.weight else "1.0"
    p = f"TRY_CAST({_q(columns.persons)} AS DOUBLE)" if columns.persons else "1.0"
    groups = [f"CAST({_q(c)} AS VARCHAR) AS g{i}" for i, c in enumerate(columns.groups)]
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW raw AS SELECT {inc} AS income, {w} AS hw, {p} AS persons"
            + "".join(", " + g for g in groups)
            + (f", CAST({_q(columns.strata)} AS VARCHAR) AS stratum" if columns.strata else "")
            + f" FROM {_source(path)}"
        )
    except duckdb.Error as exc:
        raise InputError(f"无法读取: {str(exc).splitlines()[0]}", file=file) from exc
    checks = [
        ("收入缺失", "income IS NULL OR isnan(income)"),
        ("权重缺失或不为正", "hw IS NULL OR NOT (hw > 0) OR isinf(hw)"),
        ("户人数缺失或不为正", "persons IS NULL OR NOT (persons > 0) OR isinf(persons)"),
    ]
    checks += [(f"分组列 {c} 缺失", f"g{i} IS NULL") for i, c in enumerate(columns.groups)]
    if columns.strata:
        checks.append(("层 (strata) 缺失", "stratum IS NULL"))
    invalid = " OR ".join(f"({c})" for _, c in checks)
    counts = con.execute(
        "SELECT count(*), "
        + ", ".join(f"count(*) FILTER (WHERE {c})" for _, c in checks)
        + f", count(*) FILTER (WHERE NOT ({invalid}) AND income / persons <= 0) FROM raw"
    ).fetchone()
    report = Report(records=int(counts[0]))
    n_nonpos = int(counts[-1])
    n_invalid = 0
    for (what, _), k in zip(checks, counts[1:-1], strict=True):
        if k and rules.invalid == "error":
            raise invalid_error(what, int(k), None, file)
    if rules.invalid == "drop":
        n_invalid = con.execute(f"SELECT count(*) FROM raw WHERE {invalid}").fetchone()[0]
    if n_nonpos and rules.nonpositive == "error":
        raise nonpositive_error(n_nonpos, None, file)
    where = f"NOT ({invalid})"
    y = "income / persons"
    if rules.nonpositive == "drop":
        where += " AND income / persons > 0"
        report.dropped_nonpositive = n_nonpos
    elif rules.nonpositive == "clip":
        y = f"greatest(income / persons, {float(rules.floor)!r})"
        report.clipped = n_nonpos
    report.dropped_invalid = int(n_invalid)
    report.used = report.records - report.dropped_invalid - report.dropped_nonpositive
    if report.used == 0:
        raise InputError("没有可用的记录", file=file)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW clean AS SELECT *, income / persons AS pc, {y} AS y, "
        f"hw * persons AS pw FROM raw WHERE {where}"
    )
    return report


def _sums(prefix: str = "") -> str:
    return (
        f"sum({prefix}pw), sum({prefix}pw * {prefix}y), sum({prefix}pw * {prefix}y * ln({prefix}y)), "
        f"sum({prefix}pw * ln({prefix}y))"
    )


def compute(
    path: str | Path,
    columns: Columns,
    rules: Rules,
    config: MeasureConfig,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_dir: str | None = None,
) -> tuple[DistributionStats, Report]:
    """Sufficient statistics of a Parquet/CSV file computed inside DuckDB."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError("文件不存在", file=file)
    con = connect(memory_limit, threads, temp_dir)
    try:
        report = _define_views(con, path, columns, rules, file)
        bands = ", ".join(
            f"sum(hw) FILTER (WHERE income >= {lo!r} AND income < {hi!r})" for lo, hi in config.bands
        )
        row = con.execute(
            f"SELECT count(*), {_sums()}, sum(hw), "
            f"sum(hw) FILTER (WHERE pc < {float(config.low_income_threshold)!r})"
            + (f", {bands}" if bands else "")
            + " FROM clean"
        ).fetchone()
        n = int(row[0])
        sums = MomentSums(*(float(v) for v in row[1:5]))
        household_w = float(row[5])
        low_w = float(row[6] or 0.0)
        band_w = {b: float(v or 0.0) for b, v in zip(config.bands, row[7:], strict=True)}

        points = config.points()
        frame = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        picks = ", ".join(
            f"arg_min([cw - pw, cwy - wy, y], cw) FILTER (WHERE cw >= {p * sums.w!r})" for p in points
        )
        row = con.execute(
            f"WITH s AS ({_running(frame)}) SELECT sum(pw * (2 * cwy - wy)), {picks} FROM s"
        ).fetchone()
        area = float(row[0])
        crossings = {}
        for p, v in zip(points, row[1:], strict=True):
            if v is None:  # rounding left the last running sum a hair under p·W
                v = con.execute(
                    f"SELECT arg_max([cw - pw, cwy - wy, y], cw) FROM ({_running(frame)})"
                ).fetchone()[0]
            crossings[p] = Crossing(float(v[0]), float(v[1]), float(v[2]))

        groupings: dict[str, dict[str, GroupStats]] = {}
        for i, col in enumerate(columns.groups):
            groupings[col] = _group_stats(con, f"g{i}", frame)
    finally:
        con.close()
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


def _running(frame: str) -> str:
    return (
        f"SELECT y, pw, pw * y AS wy, sum(pw) OVER (ORDER BY y {frame}) AS cw, "
        f"sum(pw * y) OVER (ORDER BY y {frame}) AS cwy FROM clean"
    )


def _group_stats(con, g: str, frame: str) -> dict[str, GroupStats]:
    sums = {
        str(r[0]): MomentSums(*(float(v) for v in r[1:]))
        for r in con.execute(f"SELECT {g}, {_sums()} FROM clean GROUP BY {g}").fetchall()
    }
    lo_f, hi_f = median_targets(1.0)
    rows = con.execute(
        f"WITH t AS (SELECT {g} AS g, sum(pw) AS total FROM clean GROUP BY {g}), "
        f"s AS (SELECT {g} AS g, y, sum(pw) OVER (PARTITION BY {g} ORDER BY y {frame}) AS cw FROM clean) "
        f"SELECT s.g, arg_min(y, cw) FILTER (WHERE cw >= t.total * {lo_f!r}), "
        f"arg_min(y, cw) FILTER (WHERE cw >= t.total * {hi_f!r}), max_by(y, cw) "
        f"FROM s JOIN t ON s.g = t.g GROUP BY s.g"
    ).fetchall()
    out = {}
    for label, lo, hi, last in rows:
        out[str(label)] = GroupStats(
            sums[str(label)], float(lo if lo is not None else last), float(hi if hi is not None else last)
        )
    return out
