"""Run the distribution measures on a microdata file with a chosen engine, and turn them into observations.

The CLI, the web front and the benchmarks call `measure_file`; `to_drafts` maps the results onto catalog
codes with provenance (input file hash, engine, parameters).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from gongfu.distribution import engine_memory
from gongfu.distribution.bootstrap import bootstrap_ci
from gongfu.distribution.measures import MeasureConfig, finish
from gongfu.distribution.spec import Columns, Report, Rules
from gongfu.errors import InputError, require
from gongfu.model import ObservationDraft

Engine = Literal["memory", "duckdb", "spark"]
ENGINES: tuple[str, ...] = ("memory", "duckdb", "spark")

# Catalog codes this module may store, with their units (shares %, ratios and indices unit-less).
CATALOG_UNITS: dict[str, str] = {
    "gini": "",
    "theil_t": "",
    "theil_l": "",
    "theil_t_between_share": "%",
    "bottom20_share": "%",
    "bottom40_share": "%",
    "top10_share": "%",
    "top20_share": "%",
    "s80_s20": "",
    "palma_ratio": "",
    "middle_income_share_10_50": "%",
    "middle_income_share_20_60": "%",
    "low_income_count": "户",
    "low_income_share": "%",
    "urban_rural_income_ratio": "",
    "county_income_max_min_ratio": "",
}

_NAMES = {
    "gini": "基尼系数",
    "theil_t": "泰尔指数 T",
    "theil_l": "泰尔指数 L (平均对数偏差)",
    "s80_s20": "收入五等份比 S80/S20",
    "palma_ratio": "帕尔玛比值",
    "mean_income_per_capita": "人均可支配收入均值 (元)",
    "low_income_count": "人均收入低于标准的户数 (加权)",
    "low_income_share": "人均收入低于标准的户占比 (%)",
    "theil_t_between": "泰尔T 组间",
    "theil_t_within": "泰尔T 组内",
    "theil_t_between_share": "泰尔T 组间贡献 (%)",
    "theil_l_between": "泰尔L 组间",
    "theil_l_within": "泰尔L 组内",
    "group_mean_max_min_ratio": "组均值最高最低倍差",
    "group_median_max_min_ratio": "组中位数最高最低倍差",
    "urban_rural_income_ratio": "城乡居民收入倍差 (均值)",
    "urban_rural_median_ratio": "城乡居民收入倍差 (中位数)",
    "mean": "人均收入均值 (元)",
    "median": "人均收入中位数 (元)",
}


def label(key: str) -> str:
    """Chinese label of a result key such as `gini`, `top10_share`, `theil_t_between@county`."""
    base, _, where = key.partition("@")
    if base.startswith("bottom") and base.endswith("_share"):
        text = f"最低 {base[6:-6]}% 人群收入份额 (%)"
    elif base.startswith("top") and base.endswith("_share"):
        text = f"最高 {base[3:-6]}% 人群收入份额 (%)"
    elif base.startswith("middle_income_share_"):
        lo, hi = base.removeprefix("middle_income_share_").split("_")
        text = f"家庭年可支配收入 {lo}–{hi} 万元群体比例 (%)"
    else:
        text = _NAMES.get(base, base)
    return f"{text} [{where}]" if where else text


@dataclass
class Measure:
    key: str
    value: float
    ci: tuple[float, float] | None = None
    label: str = ""


@dataclass
class MeasureRun:
    """Results of one run with everything needed to reproduce it."""

    file: str
    sha256: str
    engine: str
    params: dict
    report: Report
    measures: list[Measure] = field(default_factory=list)
    ci_note: str = ""

    def value(self, key: str) -> float:
        for m in self.measures:
            if m.key == key:
                return m.value
        raise KeyError(key)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "engine": self.engine,
            "params": self.params,
            "records": asdict(self.report),
            "ci_note": self.ci_note,
            "measures": [
                {
                    "key": m.key,
                    "label": m.label,
                    "value": m.value,
                    "ci_low": m.ci[0] if m.ci else None,
                    "ci_high": m.ci[1] if m.ci else None,
                }
                for m in self.measures
            ],
        }


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def measure_file(
    path: str | Path,
    columns: Columns,
    *,
    engine: Engine = "memory",
    rules: Rules | None = None,
    config: MeasureConfig | None = None,
    replicates: int = 200,
    seed: int = 0,
    level: float = 0.95,
    spark_master: str | None = None,
    spark=None,
    memory_limit: str | None = None,
    on_replicate: Callable[[], None] | None = None,
) -> MeasureRun:
    """Every measure of a Parquet/CSV file; bootstrap CIs (households within strata) when replicates > 0."""
    path = Path(path)
    rules = rules or Rules()
    config = config or MeasureConfig()
    if engine not in ENGINES:
        raise InputError(f"未知的引擎: {engine} (可选 {', '.join(ENGINES)})")
    if not path.exists():
        raise InputError("文件不存在", file=str(path))
    cis: dict[str, tuple[float, float, int]] = {}
    ci_note = ""
    spark_kw = {"spark": spark, "master": spark_master}
    prep = None
    if engine == "memory":
        prep = engine_memory.prepare(
            engine_memory.read_frame(path, columns), columns, rules, config, str(path)
        )
        values = finish(engine_memory.stats(prep, config), config)
        report = prep.report
    elif engine == "duckdb":
        require("duckdb", "microdata", "DuckDB 引擎")
        from gongfu.distribution import engine_duckdb

        prep = engine_duckdb.prepared(path, columns, rules, config, memory_limit=memory_limit)
        if prep is not None:  # fits in memory: sorted once, reused by every replicate
            values = finish(engine_memory.stats(prep, config), config)
            report = prep.report
        else:
            stats, report = engine_duckdb.streamed(path, columns, rules, config, memory_limit=memory_limit)
            values = finish(stats, config)
    else:
        require("pyspark", "spark", "Spark 引擎")
        from gongfu.distribution import engine_spark

        stats, report = engine_spark.compute(path, columns, rules, config, **spark_kw)
        values = finish(stats, config)
    if replicates > 0:
        if engine == "duckdb" and prep is None:
            prep = engine_duckdb.sorted_records(path, columns, rules, config, memory_limit=memory_limit)
        elif engine == "spark":
            prep = engine_spark.sorted_records(path, columns, rules, config, **spark_kw)
        cis = bootstrap_ci(
            lambda counts: finish(engine_memory.stats(prep, config, counts), config),
            prep.n,
            strata=prep.strata,
            replicates=replicates,
            seed=seed,
            level=level,
            on_replicate=on_replicate,
        )
        ci_note = f"{level:.0%} 自助法百分位区间 (B={replicates}, seed={seed}"
        ci_note += f", 按 {columns.strata} 分层抽户)" if columns.strata else ", 抽户)"
    params = {
        "columns": asdict(columns),
        "rules": asdict(rules),
        "config": {k: v for k, v in asdict(config).items() if k not in ("urban_labels", "rural_labels")},
        "replicates": replicates,
        "seed": seed,
        "level": level,
    }
    measures = [
        Measure(k, v, (cis[k][0], cis[k][1]) if k in cis else None, label(k)) for k, v in values.items()
    ]
    return MeasureRun(str(path), file_sha256(path), engine, params, report, measures, ci_note)


def catalog_code(key: str, run: MeasureRun) -> str | None:
    """The catalog code a result key is stored under, or None when it has none."""
    base, _, col = key.partition("@")
    if not col:
        return base if base in CATALOG_UNITS else None
    groups = run.params["columns"]["groups"]
    if base == "theil_t_between_share" and groups and col == groups[0]:
        return base
    if base == "urban_rural_income_ratio":
        return base
    if base == "group_mean_max_min_ratio":
        urban_rural = any(m.key == f"urban_rural_income_ratio@{col}" for m in run.measures)
        return None if urban_rural else "county_income_max_min_ratio"
    return None


def is_synthetic(path: str | Path) -> bool:
    """Synthetic microdata: written by `synth` (Parquet metadata `gongfu.synthetic`) or named synthetic."""
    path = Path(path)
    if "synthetic" in path.name.lower():
        return True
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq

            meta = pq.read_schema(path).metadata or {}
        except (OSError, ValueError):
            return False
        return meta.get(b"gongfu.synthetic") == b"true"
    return False


def to_drafts(run: MeasureRun, region: str, year: int) -> list[ObservationDraft]:
    """Observations under catalog codes, with the file hash, engine and parameters as provenance.

    Results from synthetic microdata carry the vintage "synthetic": they are kept apart from real
    statistics and the evaluation never reads them.
    """
    synthetic = is_synthetic(run.file)
    params = json.dumps(run.params, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    drafts = []
    for m in run.measures:
        code = catalog_code(m.key, run)
        if code is None:
            continue
        note = f"{m.key}"
        if m.ci:
            note += f"; CI [{m.ci[0]:.6g}, {m.ci[1]:.6g}] {run.ci_note}"
        drafts.append(
            ObservationDraft(
                indicator=code,
                region=region,
                year=year,
                value=float(m.value),
                unit=CATALOG_UNITS[code],
                source=Path(run.file).name,
                source_text=f"engine={run.engine}; sha256={run.sha256}; params={params}",
                vintage="synthetic" if synthetic else "",
                note=("合成数据 synthetic; " if synthetic else "") + note,
            )
        )
    return drafts
