"""`gongfu region`: look up regions (行政区划) by code or name; a thin front over `gongfu.regions`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gongfu.cli import console
from gongfu.cli.output import FORMAT, OUT, Format, write
from gongfu.regions import Region, Registry, load
from gongfu.regions.registry import LEVEL_NAMES

NAME = "region"
HELP = "行政区划 (GB/T 2260)"
app = typer.Typer(no_args_is_help=True, help=HELP)

WITHIN = "--within"
WITHIN_OPTION = typer.Option(None, WITHIN, help="只在此区划（代码或名称）内查找")


def _resolve(reg: Registry, code_or_name: str, within: str | None) -> Region:
    scope = reg.resolve(within, within_option=WITHIN).code if within else None
    return reg.resolve(code_or_name, within=scope, within_option=WITHIN)


def _as_dict(reg: Registry, r: Region) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "parent": r.parent,
        "full_name": reg.full_name(r.code),
        "valid_from": r.valid_from,
        "valid_to": r.valid_to or None,
        "status": "已撤销" if r.retired else "现行",
        "source": r.source,
    }


def _validity(r: Region) -> str:
    return f"{r.valid_from} 起" + (f"，{r.valid_to} 止（已撤销）" if r.retired else "，现行")


def _successors(reg: Registry, r: Region) -> list[dict]:
    return [
        {"code": c.new_code, "name": reg.get(c.new_code).name if c.new_code in reg else None, "date": c.date}
        for c in reg.successors(r.code)
    ]


def _list_table(reg: Registry, regions: list[Region], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for header in ("代码", "名称", "级别", "全称"):
        table.add_column(header)
    for r in regions:
        table.add_row(r.code, r.name, LEVEL_NAMES.get(r.level, r.level), reg.full_name(r.code))
    return table


@app.command("show")
def show(
    code: str = typer.Argument(..., help="区划代码（或名称）"),
    within: str | None = WITHIN_OPTION,
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """显示一个行政区划：代码、名称、级别、上级、下级数量、有效期（已撤销的含接替代码）、来源。

    示例: gongfu region show 嘉兴
    """
    reg = load()
    r = _resolve(reg, code, within)
    chain = reg.ancestors(r.code)
    n_children = len(reg.children(r.code))
    successors = _successors(reg, r)
    if fmt is not Format.table:
        data = _as_dict(reg, r)
        data["ancestors"] = [{"code": a.code, "name": a.name, "level": a.level} for a in chain]
        data["children_count"] = n_children
        data["successors"] = successors
        write(fmt, out, NAME, data)
        return
    table = Table(show_header=False, title=f"{r.name} ({r.code})", title_justify="left")
    table.add_column("项目", style="bold")
    table.add_column("值")
    table.add_row("代码", r.code)
    table.add_row("名称", r.name)
    table.add_row("全称", reg.full_name(r.code))
    table.add_row("级别", LEVEL_NAMES.get(r.level, r.level))
    table.add_row("上级", " › ".join(f"{a.name} {a.code}" for a in chain) or "（无）")
    table.add_row("下级数量", str(n_children))
    table.add_row("有效期", _validity(r))
    if successors:
        table.add_row("接替", "、".join(f"{x['name'] or ''} {x['code']}（{x['date']}）" for x in successors))
    table.add_row("来源", r.source)
    console.print(table)


@app.command("find")
def find(
    name: str = typer.Argument(..., help="名称，可省略后缀（秀洲 → 秀洲区）"),
    within: str | None = WITHIN_OPTION,
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """按名称查找行政区划，列出全部匹配（现行的优先，无现行匹配时列出已撤销的）。

    示例: gongfu region find 鼓楼 --within 福建
    """
    reg = load()
    scope = reg.resolve(within, within_option=WITHIN).code if within else None
    found = reg.find(name, within=scope)
    if not found:
        raise reg.name_not_found(name, within=scope)
    if fmt is not Format.table:
        write(fmt, out, NAME, [_as_dict(reg, r) for r in found])
        return
    console.print(_list_table(reg, found, f"“{name}” 的匹配"))
    if len(found) > 1:
        console.print(f"共 {len(found)} 个匹配，名称有歧义：请改用区划代码，或用 {WITHIN} 限定上级地区。")


@app.command("children")
def children(
    code: str = typer.Argument(..., help="区划代码（或名称）"),
    within: str | None = WITHIN_OPTION,
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """列出一个行政区划的直接下级（现行的；已撤销区划列出其撤销前的下级）。

    示例: gongfu region children 330400
    """
    reg = load()
    r = _resolve(reg, code, within)
    kids = reg.children(r.code)
    if fmt is not Format.table:
        write(fmt, out, NAME, [_as_dict(reg, k) for k in kids])
        return
    console.print(_list_table(reg, kids, f"{reg.full_name(r.code)} ({r.code}) 的下级：{len(kids)} 个"))
