"""The DuckDB engine: Parquet/CSV of any size on one machine, reduced to `DistributionStats`.

Records that fit the memory budget (`memory_limit`, about 120 bytes a record) are read by DuckDB into one
Arrow table — numbers as DOUBLE, labels as ENUM codes — in file order, and cleaned, sorted once and reduced
by the in-memory kernel (`prepared`): the results and the bootstrap replicates are exactly the memory
engine's. Larger files take two scans (`streamed`): one aggregate (the checks of the rules, every sum, the
bands and the per-group sums as grouping sets) and one sort by income, streamed in Arrow batches through
the ordered kernel (`kernel.Ordered`) — DuckDB sorts, spilling to disk under its memory limit; no window
function. The formulas are finished by `measures.finish`, as for every engine. For bootstrap intervals of
a large file, `sorted_records` hands the cleaned records in income order (ties in file order) to the
memory engine's replicates, so the intervals equal the memory engine's for the same seed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import numpy as np

from gongfu.distribution.kernel import Ordered
from gongfu.distribution.measures import DistributionStats, GroupStats, MeasureConfig, MomentSums
from gongfu.distribution.spec import Columns, Report, Rules, invalid_error, nonpositive_error
from gongfu.errors import InputError


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _source(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return f"read_parquet({_lit(str(path))}, file_row_number = true)"
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
    con.execute("SET enable_progress_bar = false")  # never on the command's own output
    return con


BATCH = 1 << 20
# Peak bytes per record of the in-memory kernel (incomes, weights, codes, sort keys, sorted copies).
BYTES_PER_RECORD = 120
DEFAULT_BUDGET = 2 << 30  # bytes, when no memory_limit is given


def _bytes(limit: str | None) -> int:
    """A DuckDB memory_limit such as '3GB', '512MiB' in bytes (the default budget when not given)."""
    if not limit:
        return DEFAULT_BUDGET
    text = limit.strip().upper().replace(" ", "")
    units = {"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
             "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "B": 1}  # fmt: skip
    for unit, factor in units.items():
        if text.endswith(unit):
            try:
                return int(float(text[: -len(unit)]) * factor)
            except ValueError:
                break
    raise InputError(f"无法识别的内存上限: {limit}")


def _rows(con, path: Path) -> int | None:
    """Rows of a Parquet file from its footer (no scan); None for CSV."""
    if path.suffix.lower() not in (".parquet", ".pq"):
        return None
    return int(
        con.execute(f"SELECT sum(num_rows) FROM parquet_file_metadata({_lit(str(path))})").fetchone()[0]
    )


def fits_in_memory(con, path: Path, memory_limit: str | None) -> bool:
    """Whether the records fit the in-memory kernel within the memory budget (CSV: by file size)."""
    rows = _rows(con, path)
    if rows is None:
        rows = path.stat().st_size // 16  # a CSV record takes at least about 16 bytes
    return rows * BYTES_PER_RECORD <= _bytes(memory_limit)


def read_arrow(con, spec: _Spec, columns: Columns, file: str):
    """The used columns as DuckDB reads them (numbers as DOUBLE, unreadable ones NULL; labels as ENUM
    codes with a sorted dictionary), in file order, as one Arrow table for the in-memory kernel."""
    labelled = spec.groups + (["stratum"] if columns.strata else [])
    sel = ["income", "hw", "persons"]
    try:
        for g in labelled:  # an ENUM per label column: Arrow gets codes and a sorted dictionary
            labels = sorted(
                str(r[0])
                for r in con.execute(f"SELECT DISTINCT {g} FROM raw WHERE {g} IS NOT NULL").fetchall()
            )
            if not labels:  # all missing: left as text, the rules decide
                sel.append(g)
                continue
            con.execute(f"CREATE TYPE e_{g} AS ENUM ({', '.join(_lit(v) for v in labels)})")
            sel.append(f"CAST({g} AS e_{g}) AS {g}")
        return con.sql(f"SELECT {', '.join(sel)} FROM raw").to_arrow_table()
    except duckdb.Error as exc:
        raise InputError(f"无法读取或找不到列: {str(exc).splitlines()[0]}", file=file) from exc


def _inner_columns(columns: Columns) -> Columns:
    groups = tuple(f"g{i}" for i in range(len(columns.groups)))
    return Columns("income", "hw", "persons", groups, "stratum" if columns.strata else None)


def prepared(
    path: str | Path,
    columns: Columns,
    rules: Rules,
    config: MeasureConfig,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_dir: str | None = None,
):
    """The records read by DuckDB, cleaned and sorted once by the in-memory kernel (a memory-engine
    `Prepared`, group names as in the file), or None when they do not fit the memory budget."""
    from gongfu.distribution import engine_memory

    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError("文件不存在", file=file)
    con = connect(memory_limit, threads, temp_dir)
    try:
        if not fits_in_memory(con, path, memory_limit):
            return None
        con.execute("SET preserve_insertion_order = true")  # file order: ties keep it, as in memory
        spec = _Spec(con, path, columns, rules, file)
        table = read_arrow(con, spec, columns, file)
    finally:
        con.close()
    prep = engine_memory.prepare(table, _inner_columns(columns), rules, config, file)
    prep.groups = {c: prep.groups[g] for c, g in zip(columns.groups, spec.groups, strict=True)}
    return prep


class _Spec:
    """The SQL of one run: the raw view, what an invalid record is, and the cleaned income."""

    def __init__(self, con, path: Path, columns: Columns, rules: Rules, file: str) -> None:
        inc = f"TRY_CAST({_q(columns.income)} AS DOUBLE)"
        w = f"TRY_CAST({_q(columns.weight)} AS DOUBLE)" if columns.weight else "1.0"
        p = f"TRY_CAST({_q(columns.persons)} AS DOUBLE)" if columns.persons else "1.0"
        parquet = path.suffix.lower() in (".parquet", ".pq")
        rn = "file_row_number" if parquet else "row_number() OVER ()"
        sel = [f"{inc} AS income", f"{w} AS hw", f"{p} AS persons", f"{rn} AS rn"]
        sel += [f"CAST({_q(c)} AS VARCHAR) AS g{i}" for i, c in enumerate(columns.groups)]
        if columns.strata:
            sel.append(f"CAST({_q(columns.strata)} AS VARCHAR) AS stratum")
        try:
            con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS SELECT {', '.join(sel)} FROM {_source(path)}")
        except duckdb.Error as exc:
            raise InputError(f"无法读取: {str(exc).splitlines()[0]}", file=file) from exc
        self.checks = [
            ("收入缺失", "income IS NULL OR isnan(income)"),
            ("权重缺失或不为正", "hw IS NULL OR NOT (hw > 0) OR isinf(hw)"),
            ("户人数缺失或不为正", "persons IS NULL OR NOT (persons > 0) OR isinf(persons)"),
        ]
        self.checks += [(f"分组列 {c} 缺失", f"g{i} IS NULL") for i, c in enumerate(columns.groups)]
        if columns.strata:
            self.checks.append(("层 (strata) 缺失", "stratum IS NULL"))
        self.invalid = " OR ".join(f"({c})" for _, c in self.checks)
        self.keep = f"NOT ({self.invalid})"
        if rules.nonpositive == "drop":
            self.keep += " AND income / persons > 0"
        self.y = "income / persons"
        if rules.nonpositive == "clip":
            self.y = f"greatest(income / persons, {float(rules.floor)!r})"
        self.groups = [f"g{i}" for i in range(len(columns.groups))]


def _sums(y: str, keep: str) -> list[str]:
    f = f" FILTER (WHERE {keep} AND {y} > 0)"
    pw = "hw * persons"
    return [
        f"sum({pw}){f}",
        f"sum({pw} * {y}){f}",
        f"sum({pw} * {y} * ln({y})){f}",
        f"sum({pw} * ln({y})){f}",
    ]


def _scan(con, spec: _Spec, rules: Rules, config: MeasureConfig, file: str):
    """The one aggregate scan: (report, totals row, {group column: {label: MomentSums}})."""
    keep = spec.keep
    aggs = ["count(*)"] + [f"count(*) FILTER (WHERE {c})" for _, c in spec.checks]
    aggs += [f"count(*) FILTER (WHERE {spec.invalid})"]
    aggs += [
        f"count(*) FILTER (WHERE NOT ({spec.invalid}) AND income / persons <= 0)",
        f"count(*) FILTER (WHERE {keep})",
    ]
    aggs += _sums(spec.y, keep)
    aggs += [f"sum(hw) FILTER (WHERE {keep})"]
    aggs += [f"sum(hw) FILTER (WHERE {keep} AND income / persons < {float(config.low_income_threshold)!r})"]
    aggs += [
        f"sum(hw) FILTER (WHERE {keep} AND income >= {lo!r} AND income < {hi!r})" for lo, hi in config.bands
    ]
    sets = ", ".join(["()"] + [f"({g})" for g in spec.groups])
    keys = [f"GROUPING({g})" for g in spec.groups] + spec.groups
    try:
        rows = con.execute(
            f"SELECT {', '.join(keys + aggs)} FROM raw GROUP BY GROUPING SETS ({sets})"
            if spec.groups
            else f"SELECT {', '.join(aggs)} FROM raw"
        ).fetchall()
    except duckdb.Error as exc:
        raise InputError(f"无法读取或找不到列: {str(exc).splitlines()[0]}", file=file) from exc
    k = len(spec.groups)
    total = next(r for r in rows if all(r[:k]))[2 * k :] if k else rows[0]
    nc = len(spec.checks)
    report = Report(records=int(total[0]))
    if rules.invalid == "error":
        for (what, _), c in zip(spec.checks, total[1 : 1 + nc], strict=True):
            if c:
                raise invalid_error(what, int(c), None, file)
    n_invalid, n_nonpos, n_used = (int(v) for v in total[1 + nc : 4 + nc])
    if n_nonpos and rules.nonpositive == "error":
        raise nonpositive_error(n_nonpos, None, file)
    report.dropped_invalid = n_invalid if rules.invalid == "drop" else 0
    if rules.nonpositive == "drop":
        report.dropped_nonpositive = n_nonpos
    elif rules.nonpositive == "clip":
        report.clipped = n_nonpos
    report.used = n_used
    if report.used == 0:
        raise InputError("没有可用的记录", file=file)
    groups: dict[str, dict[str, MomentSums]] = {g: {} for g in spec.groups}
    for r in rows:
        for i, g in enumerate(spec.groups):
            if not r[i] and all(r[j] for j in range(k) if j != i) and r[k + i] is not None:
                vals = r[2 * k + 4 + nc : 2 * k + 8 + nc]
                if vals[0]:
                    groups[g][str(r[k + i])] = MomentSums(*(float(v) for v in vals))
    return report, total[4 + nc :], groups


def _enums(con, spec: _Spec, groups: dict[str, dict[str, MomentSums]]) -> dict[str, list[str]]:
    """An ENUM type per grouping, labels in Python's sort order, so codes match the memory engine's."""
    labels = {}
    for g in spec.groups:
        labels[g] = sorted(groups[g])
        con.execute(f"CREATE TYPE t_{g} AS ENUM ({', '.join(_lit(v) for v in labels[g])})")
    return labels


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
    """Sufficient statistics of a Parquet/CSV file. Records that fit the memory budget are read by
    DuckDB into Arrow and sorted once by the in-memory kernel (`prepared`); larger files take one
    aggregate scan and one DuckDB sort streamed through the ordered kernel (`streamed`)."""
    prep = prepared(
        path, columns, rules, config, memory_limit=memory_limit, threads=threads, temp_dir=temp_dir
    )
    if prep is not None:
        from gongfu.distribution import engine_memory

        return engine_memory.stats(prep, config), prep.report
    return streamed(
        path, columns, rules, config, memory_limit=memory_limit, threads=threads, temp_dir=temp_dir
    )


def streamed(
    path: str | Path,
    columns: Columns,
    rules: Rules,
    config: MeasureConfig,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_dir: str | None = None,
) -> tuple[DistributionStats, Report]:
    """Sufficient statistics of a file of any size: one aggregate scan, one sort streamed through the kernel."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError("文件不存在", file=file)
    con = connect(memory_limit, threads, temp_dir)
    try:
        spec = _Spec(con, path, columns, rules, file)
        report, row, group_sums = _scan(con, spec, rules, config, file)
        labels = _enums(con, spec, group_sums)
        sums = MomentSums(*(float(v or 0.0) for v in row[:4]))
        household_w, low_w = float(row[4] or 0.0), float(row[5] or 0.0)
        band_w = {b: float(v or 0.0) for b, v in zip(config.bands, row[6:], strict=True)}
        kern = Ordered(
            sums.w,
            config.points(),
            {g: np.array([group_sums[g][v].w for v in labels[g]]) for g in spec.groups},
        )
        codes = "".join(f", enum_code(CAST({g} AS t_{g})) AS {g}" for g in spec.groups)
        reader = con.sql(
            f"SELECT {spec.y} AS y, hw * persons AS pw{codes} FROM raw WHERE {spec.keep} ORDER BY y"
        ).to_arrow_reader(BATCH)
        for batch in reader:
            cols = {
                name: batch.column(i).to_numpy(zero_copy_only=False)
                for i, name in enumerate(batch.schema.names)
            }
            kern.feed(cols["y"], cols["pw"], {g: cols[g] for g in spec.groups})
    finally:
        con.close()
    groupings: dict[str, dict[str, GroupStats]] = {}
    for col, g in zip(columns.groups, spec.groups, strict=True):
        med = kern.medians(g)
        groupings[col] = {
            v: GroupStats(group_sums[g][v], float(med[j, 0]), float(med[j, 1]))
            for j, v in enumerate(labels[g])
        }
    stats = DistributionStats(
        n=report.used,
        sums=sums,
        lorenz_area=kern.area,
        crossings=kern.crossings(),
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
    memory_limit: str | None = None,
):
    """The cleaned records in income order (ties in file order) as a memory-engine `Prepared`, for the
    bootstrap replicates. Holds the records in memory (about 30 bytes each)."""
    from gongfu.distribution.engine_memory import LOW_BIT, from_sorted

    path = Path(path)
    file = str(path)
    con = connect(memory_limit, None, None)
    try:
        if path.suffix.lower() not in (".parquet", ".pq"):  # row_number() OVER () in file order
            con.execute("SET preserve_insertion_order = true")
            con.execute("SET threads = 1")
        spec = _Spec(con, path, columns, rules, file)
        report, _, group_sums = _scan(con, spec, rules, config, file)
        labels = _enums(con, spec, group_sums)
        flags = [f"((income / persons < {float(config.low_income_threshold)!r})::INTEGER << {LOW_BIT})"]
        flags += [
            f"((income >= {lo!r} AND income < {hi!r})::INTEGER << {b})"
            for b, (lo, hi) in enumerate(config.bands)
        ]
        sel = [f"{spec.y} AS y", "hw * persons AS pw", "hw", f"({' | '.join(flags)})::UTINYINT AS flags"]
        sel += [f"enum_code(CAST({g} AS t_{g})) AS {g}" for g in spec.groups]
        if columns.strata:
            sel.append("stratum")
        a = con.execute(f"SELECT {', '.join(sel)} FROM raw WHERE {spec.keep} ORDER BY y, rn").fetchnumpy()
    finally:
        con.close()
    strata = None
    if columns.strata:
        _, strata = np.unique(np.asarray(a["stratum"], dtype=object).astype(str), return_inverse=True)
    groups = {c: (labels[g], np.asarray(a[g])) for c, g in zip(columns.groups, spec.groups, strict=True)}
    return from_sorted(a["y"], a["pw"], a["hw"], a["flags"], groups, strata, report, config.bands)
