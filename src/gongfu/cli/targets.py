"""`gongfu targets`: stored targets across plans (ambition side by side, unmatched list)."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, table
from gongfu.cli.output import FORMAT, OUT, Format, emit
from gongfu.fmt import target_text
from gongfu.labels import AMBITION_ZH

NAME = "targets"
HELP = "目标 (跨地区比较、未匹配清单)"
app = typer.Typer(no_args_is_help=True)


@app.command("compare")
def compare_cmd(
    indicator: str = typer.Option(..., "--indicator", "-i", help="指标目录代码（见 gongfu catalog list）"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """同一指标在各地的目标：目标值、年份、确保/力争、原文。

    示例: gongfu targets compare --indicator gdp
    """
    from gongfu.catalog.catalog import load_catalog
    from gongfu.cli import console
    from gongfu.plans.compare import compare_targets

    ind = load_catalog().get(indicator)
    rows = compare_targets(get_db(), ind.code)
    if emit(rows, fmt, out, name=NAME):
        return
    out = [
        (
            r["region_name"],
            r["region_code"],
            target_text(r["comparator"], r["value"], r["value2"], r["unit"]),
            r["year"] or "",
            AMBITION_ZH.get(r["ambition"], r["ambition"]),
            r["sentence"],
        )
        for r in rows
    ]
    console.print(
        table(f"{ind.name} ({ind.code}) 各地目标", ["地区", "代码", "目标", "年份", "类型", "原文"], out)
    )
    if not rows:
        console.print("没有已导入方案的目标对应此指标。")


@app.command("unmatched")
def unmatched_cmd(
    plan_id: int | None = typer.Option(None, "--plan", help="只看此方案（方案编号）"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """未匹配指标目录的目标（仍为方案本地指标）。

    示例: gongfu targets unmatched --plan 1
    """
    from gongfu.cli import console
    from gongfu.plans.compare import unmatched_targets

    found = unmatched_targets(get_db(), plan_id)
    if emit(found, fmt, out, name="unmatched"):
        return
    rows = [(t["plan_id"], t["id"], t["indicator"], f"{t['value']:g} {t['unit']}", t["span"]) for t in found]
    console.print(table(f"未匹配目录的指标 ({len(rows)})", ["方案", "ID", "指标", "目标", "原文"], rows))
