"""`gongfu evaluate`: monitoring against targets (实现度, 时序进度, 预警)."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, table
from gongfu.cli.output import FORMAT, OUT, Format, emit, write
from gongfu.fmt import num as _num
from gongfu.fmt import pct as _pct
from gongfu.fmt import target_text
from gongfu.labels import COLOUR_STYLE, COLOUR_ZH, WEIGHTS_ZH

NAME = "evaluate"
HELP = "监测评价"


def evaluate_cmd(
    region: str = typer.Option(..., "--region", "-r", help="地区代码或名称"),
    year: int | None = typer.Option(None, "--year", "-y", help="评价截至此年份（默认最新数据）"),
    children: bool = typer.Option(False, "--children", help="包括下辖地区"),
    fmt: Format = FORMAT,
    out: Path | None = typer.Option(
        None, "--out", "-o", help="输出文件（xlsx 默认 evaluation-地区代码.xlsx；其他格式默认标准输出）"
    ),
) -> None:
    """监测评价：逐项目标的实现度、时序进度、进度比、预测与红橙黄绿灰预警。

    示例: gongfu evaluate --region 嘉兴 --year 2024
    """
    from gongfu.cli import console, err_console
    from gongfu.evaluation.service import colour_counts, evaluate_region
    from gongfu.regions import load

    code = load().resolve(region).code
    records = evaluate_region(get_db(), code, year=year, children=children)
    if fmt in (Format.json, Format.jsonl, Format.csv):
        write(fmt, out, NAME, records)
        return
    if fmt is Format.xlsx:  # the styled evaluation workbook
        from gongfu.evaluation.export import write_xlsx

        path = out or Path(f"evaluation-{code}.xlsx")
        write_xlsx(records, path)
        err_console.print(f"已写出 {len(records)} 条评价 → {path}")
        return
    rows = []
    for r in records:
        style = COLOUR_STYLE.get(r["colour"], "")
        rows.append(
            (
                r["region_name"],
                r["indicator_name"],
                target_text(r["comparator"], r["target"], r.get("value2"), r["unit"]),
                r["year"],
                _num(r.get("baseline")),
                f"{_num(r['latest'])} ({r['latest_year'] or '—'})",
                _pct(r["attainment"]),
                _pct(r.get("time_progress")),
                _num(r.get("progress_ratio")),
                f"[{style}]● {r['colour_zh']}[/{style}]",
                r["colour_reason"] or "",
            )
        )
    console.print(
        table(
            f"监测评价 {code}" + (f" (截至{year}年)" if year else ""),
            ["地区", "指标", "目标", "年份", "基期", "最新", "实现度", "时序进度", "进度比", "预警", "说明"],
            rows,
        )
    )
    counts = colour_counts(records)
    console.print("预警统计  " + "  ".join(f"{COLOUR_ZH[k]} {v}" for k, v in counts.items()))


def index_cmd(
    region: str = typer.Option(..., "--region", "-r", help="地区代码或名称（对其下级排名）"),
    year: int | None = typer.Option(None, "--year", "-y", help="年份"),
    weights: str = typer.Option(
        "equal", "--weights", "-w", help="权重：equal（等权）、entropy（熵权）或专家权重 CSV 文件"
    ),
    level: str | None = typer.Option(
        None, "--level", help="排名的下级层级：city（市）或 county（县）；默认直接下级"
    ),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """综合指数与排名（等权、熵权或专家权重），并给出权重扰动下的名次区间。

    示例: gongfu index --region 浙江 --weights entropy
    """
    from gongfu.cli import console
    from gongfu.evaluation.service import composite_index
    from gongfu.regions import load

    code = load().resolve(region).code
    result = composite_index(get_db(), code, year=year, weights=weights, level=level)
    if emit(result, fmt, out, name="index", rows=result["regions"]):
        return
    if not result["regions"]:
        console.print(result.get("note", "无数据"))
        return
    dims = list(result["weights"])
    rows = [
        (
            r["rank"] or "—",
            r["region_name"],
            r["region"],
            _num(r["index"]),
            f"{r['min_rank']}–{r['max_rank']}" if r["min_rank"] else "",
            f"{r['indicators']}/{r['targets']}",
            *(_pct(r["dimensions"].get(d)) for d in dims),
        )
        for r in result["regions"]
    ]
    console.print(
        table(
            f"综合指数（{WEIGHTS_ZH.get(result['scheme'], result['scheme'])}）",
            ["名次", "地区", "代码", "指数", "名次区间", "可评价/目标", *dims],
            rows,
        )
    )
    console.print("维度权重: " + ", ".join(f"{d} {w:.2f}" for d, w in result["weights"].items()))


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cmd)
    app.command("index")(index_cmd)
