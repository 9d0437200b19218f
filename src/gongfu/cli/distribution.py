"""`gongfu distribution`: income-distribution measures from household microdata; a thin front over
`gongfu.distribution.service` and `gongfu.distribution.synth`."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from gongfu.cli import console, err_console, state
from gongfu.cli._common import progress as _progress
from gongfu.cli.output import FORMAT, OUT, Format, write
from gongfu.errors import InputError

NAME = "distribution"
HELP = "收入分配测度 (基尼系数、泰尔指数…)"
app = typer.Typer(no_args_is_help=True, help=HELP)


class EngineName(StrEnum):
    memory = "memory"
    duckdb = "duckdb"
    spark = "spark"


def _band(text: str) -> tuple[float, float]:
    """ "10-50" (万元) → (100000, 500000)."""
    try:
        lo, hi = (float(x) * 1e4 for x in text.replace("–", "-").split("-"))
    except ValueError as exc:
        raise InputError(f"收入段写作 下限-上限 (万元)，如 10-50: {text}") from exc
    if not 0 <= lo < hi:
        raise InputError(f"收入段下限须小于上限: {text}")
    return lo, hi


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    if not math.isfinite(v):
        return str(v)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4f}"


@app.command("measure")
def measure(
    file: Path = typer.Argument(..., help="住户微观数据 (Parquet 或 CSV)"),
    income: str = typer.Option(..., "--income", help="家庭年可支配收入列 (元)"),
    weight: str | None = typer.Option(None, "--weight", help="户权数列 (缺省为 1)"),
    group: list[str] = typer.Option([], "--group", help="分组列 (城乡、县)，可重复"),
    persons: str | None = typer.Option(None, "--persons", help="户人数列；给出时按人均收入、按人加权"),
    strata: str | None = typer.Option(None, "--strata", help="抽样层列；自助法在层内抽户"),
    engine: EngineName = typer.Option(
        EngineName.memory, "--engine", help="计算引擎：memory、duckdb 或 spark"
    ),
    spark_master: str | None = typer.Option(None, "--spark-master", help="Spark master URL (缺省 local[2])"),
    memory_limit: str | None = typer.Option(None, "--memory-limit", help="DuckDB 内存上限，如 3GB"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    bootstrap: int = typer.Option(200, "--bootstrap", help="自助法重复次数 (0 = 不计算区间)"),
    seed: int = typer.Option(0, "--seed", help="自助法随机种子"),
    level: float = typer.Option(0.95, "--level", help="置信水平"),
    band: list[str] = typer.Option(["10-50", "20-60"], "--band", help="中等收入段 (万元/户/年)，可重复"),
    low_income: float = typer.Option(13_000.0, "--low-income", help="低收入标准 (元/人/年)"),
    invalid: str = typer.Option("error", "--invalid", help="缺失值、非正权数: error | drop"),
    nonpositive: str = typer.Option("error", "--nonpositive", help="人均收入≤0: error | drop | clip"),
    floor: float = typer.Option(1.0, "--floor", help="clip 时的人均收入下限 (元)"),
    save: bool = typer.Option(False, "--save", help="结果存为观测值 (需 --region 与 --year)"),
    region: str | None = typer.Option(None, "--region", help="区划代码或名称"),
    year: int | None = typer.Option(None, "--year", help="年份"),
    allow_synthetic: bool = typer.Option(
        False, "--allow-synthetic", help="允许保存合成数据的测度 (标为 synthetic, 不参与评价)"
    ),
) -> None:
    """计算基尼系数、泰尔指数及分解、收入份额、中等收入群体比例、低收入户与城乡倍差，附置信区间。

    示例: gongfu distribution measure synthetic-households.parquet --income income --group urban --bootstrap 200
    """
    from gongfu.distribution.measures import MeasureConfig
    from gongfu.distribution.service import measure_file, to_drafts
    from gongfu.distribution.spec import Columns, Rules

    if save and (region is None or year is None):
        raise InputError("--save 需要 --region 与 --year", file=str(file))
    if save and not allow_synthetic:
        from gongfu.distribution.service import is_synthetic

        if is_synthetic(file):
            raise InputError(
                "合成数据 (synthetic) 的测度不能存为统计观测值; 演示时可加 --allow-synthetic "
                "(结果标为 synthetic, 不参与评价)",
                file=str(file),
            )
    region_code = _resolve_region(region) if save and region else None
    columns = Columns(income, weight, persons, tuple(group), strata)
    rules = Rules(invalid, nonpositive, floor)  # type: ignore[arg-type]
    config = MeasureConfig(bands=tuple(_band(b) for b in band), low_income_threshold=low_income)
    reps = bootstrap if engine is EngineName.memory else 0
    with _progress() as bar:
        task = bar.add_task("自助法重复", total=reps or None, visible=reps > 0)
        run = measure_file(
            file,
            columns,
            engine=engine.value,
            rules=rules,
            config=config,
            replicates=bootstrap,
            seed=seed,
            level=level,
            spark_master=spark_master,
            memory_limit=memory_limit,
            on_replicate=lambda: bar.advance(task),
        )
    if fmt is not Format.table:
        write(fmt, out, NAME, run.to_json(), rows=run.to_json().get("measures"))
    else:
        _print_table(run)
    if save:
        from gongfu.cli._common import cli_actor
        from gongfu.observations.service import save_drafts

        drafts = to_drafts(run, region_code or "", int(year or 0))
        n = save_drafts(state.db_url, drafts, source_label=f"distribution:{file.name}", by=cli_actor())
        err_console.print(f"已保存 {len(drafts)} 项测度 ({n} 行新增或修订)，区划 {region_code}，{year} 年")


def _resolve_region(text: str) -> str:
    from gongfu.regions import load

    return load().resolve(text).code


def _print_table(run) -> None:
    r = run.report
    title = f"{Path(run.file).name} — {run.engine} 引擎，{r.used:,} 条记录"
    table = Table(title=title, title_justify="left", header_style="bold cyan")
    for head, justify in (("测度", "left"), ("代码", "left"), ("值", "right"), ("置信区间", "right")):
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for m in run.measures:
        ci = f"[{_fmt(m.ci[0])}, {_fmt(m.ci[1])}]" if m.ci else "—"
        table.add_row(m.label, m.key, _fmt(m.value), ci)
    console.print(table)
    notes = []
    if r.dropped_invalid:
        notes.append(f"剔除无效记录 {r.dropped_invalid:,} 条")
    if r.dropped_nonpositive:
        notes.append(f"剔除人均收入≤0 记录 {r.dropped_nonpositive:,} 条")
    if r.clipped:
        notes.append(f"人均收入≤0 记录 {r.clipped:,} 条按下限计")
    if run.ci_note:
        notes.append(f"区间: {run.ci_note}")
    for note in notes:
        console.print(note, highlight=False)


@app.command("synth")
def synth(
    households: int = typer.Option(..., "--households", help="户数"),
    out: Path = typer.Option(..., "--out", help="输出 Parquet 文件 (文件名须含 synthetic)"),
    urban_mean: float = typer.Option(74_997.0, "--urban-mean", help="城镇居民人均可支配收入 (元)"),
    rural_mean: float = typer.Option(40_311.0, "--rural-mean", help="农村居民人均可支配收入 (元)"),
    urban_share: float = typer.Option(0.74, "--urban-share", help="城镇户比例"),
    gini: float = typer.Option(0.30, "--gini", help="目标基尼系数 (按人)"),
    counties: int = typer.Option(20, "--counties", help="县数"),
    seed: int = typer.Option(0, "--seed", help="随机种子"),
) -> None:
    """写出合成住户微观数据：按给定城乡均值与基尼系数校准，仅用于演示和基准测试。

    示例: gongfu distribution synth --households 100000 --out synthetic-households.parquet
    """
    from gongfu.distribution.synth import SynthSpec, write

    spec = SynthSpec(households, urban_mean, rural_mean, urban_share, gini, counties, seed=seed)
    with _progress() as bar:
        task = bar.add_task("生成合成数据", total=households)
        path = write(spec, out, on_chunk=lambda n: bar.advance(task, n))
    console.print(
        f"已写出合成数据 {path} ({households:,} 户；列 household_id, county, urban_rural, persons, "
        "income, weight)",
        highlight=False,
    )
