"""`gongfu catalog`: the indicator catalog and the wording matcher."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import table
from gongfu.cli.output import FORMAT, OUT, Format, emit, write
from gongfu.labels import DIRECTION_ZH, KIND_ZH

NAME = "catalog"
HELP = "指标目录 (列表、详情、匹配)"
app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_cmd(
    dimension: str | None = typer.Option(None, "--dimension", "-d", help="只列此维度"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """按维度列出指标目录。

    示例: gongfu catalog list --dimension 收入分配
    """
    from gongfu.catalog.catalog import load_catalog
    from gongfu.cli import console

    items = [i for i in load_catalog().all() if dimension is None or i.dimension == dimension]
    if fmt is not Format.table:
        write(
            fmt,
            out,
            NAME,
            [
                {
                    "code": i.code,
                    "name": i.name,
                    "unit": i.unit,
                    "direction": i.direction,
                    "dimension": i.dimension,
                }
                for i in items
            ],
        )
        return
    rows = [
        (
            i.code,
            i.name,
            i.unit,
            {"higher": "越高越好", "lower": "越低越好"}.get(i.direction, "区间"),
            i.dimension,
        )
        for i in items
    ]
    console.print(table(f"指标目录 ({len(items)})", ["代码", "名称", "单位", "方向", "维度"], rows))


@app.command("show")
def show_cmd(
    code: str = typer.Argument(..., help="指标目录代码"), fmt: Format = FORMAT, out: Path | None = OUT
) -> None:
    """显示一个指标：定义、单位、方向、维度、来源、别名。

    示例: gongfu catalog show gdp
    """
    from gongfu.catalog.catalog import load_catalog
    from gongfu.cli import console

    i = load_catalog().get(code)
    data = {
        "code": i.code,
        "name": i.name,
        "aliases": list(i.aliases),
        "unit": i.unit,
        "direction": i.direction,
        "dimension": i.dimension,
        "kind": i.kind,
        "growing_level": i.growing_level,
        "definition": i.definition,
        "source": i.source,
    }
    if emit(data, fmt, out, name=NAME):
        return
    console.print(
        table(
            f"{i.name} ({i.code})",
            ["项目", "内容"],
            [
                ("代码", i.code),
                ("名称", i.name),
                ("别名", "、".join(i.aliases)),
                ("单位", i.unit),
                ("方向", DIRECTION_ZH.get(i.direction, i.direction)),
                ("维度", i.dimension),
                ("类型", KIND_ZH.get(i.kind, i.kind)),
                ("按几何轨迹增长", "是" if i.growing_level else "否"),
                ("定义", i.definition),
                ("来源", i.source),
            ],
        )
    )


@app.command("match")
def match_cmd(
    wording: list[str] = typer.Argument(..., help="方案中的指标表述（可多个）"),
    unit: str = typer.Option("", "--unit", help="目标的单位，用于核对"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """把方案中的指标表述匹配到目录代码（或说明它仍是方案本地指标）。

    示例: gongfu catalog match 全市地区生产总值
    """
    from gongfu.catalog.matcher import match
    from gongfu.cli import console

    results = [(w, match(w, unit)) for w in wording]
    if emit(
        [{"wording": w, "code": m.code, "score": m.score, "how": m.how} for w, m in results],
        fmt,
        out,
        name=NAME,
    ):
        return
    rows = [(w, m.code or "— (方案自有指标)", f"{m.score:.2f}", m.how) for w, m in results]
    console.print(table("指标匹配", ["原文", "目录代码", "得分", "依据"], rows))
