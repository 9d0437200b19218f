"""`gongfu region`: look up regions (行政区划) by code or name; a thin front over `gongfu.regions`."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from gongfu.cli import console
from gongfu.regions import Region, Registry, load
from gongfu.regions.registry import LEVEL_NAMES, RegionNotFound

NAME = "region"
HELP = "行政区划 (GB/T 2260)"
app = typer.Typer(no_args_is_help=True, help=HELP)

JSON_OPTION = typer.Option(False, "--json", help="输出 JSON")


def _as_dict(reg: Registry, r: Region) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "parent": r.parent,
        "full_name": reg.full_name(r.code),
        "valid_from": r.valid_from,
        "valid_to": r.valid_to or None,
        "source": r.source,
    }


def _print_json(data: object) -> None:
    console.print(
        json.dumps(data, ensure_ascii=False, indent=2), markup=False, highlight=False, soft_wrap=True
    )


def _validity(r: Region) -> str:
    return f"{r.valid_from} 起" + (f"，{r.valid_to} 止" if r.valid_to else "，现行")


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
    as_json: bool = JSON_OPTION,
) -> None:
    """显示一个行政区划：代码、名称、级别、上级、下级数量、有效期、来源。"""
    reg = load()
    r = reg.resolve(code)
    chain = reg.ancestors(r.code)
    n_children = len(reg.children(r.code))
    if as_json:
        data = _as_dict(reg, r)
        data["ancestors"] = [{"code": a.code, "name": a.name, "level": a.level} for a in chain]
        data["children_count"] = n_children
        _print_json(data)
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
    table.add_row("来源", r.source)
    console.print(table)


@app.command("find")
def find(
    name: str = typer.Argument(..., help="名称，可省略后缀（秀洲 → 秀洲区）"),
    within: str | None = typer.Option(None, "--within", help="只在此区划（代码或名称）内查找"),
    as_json: bool = JSON_OPTION,
) -> None:
    """按名称查找行政区划，列出全部匹配。"""
    reg = load()
    scope = reg.resolve(within).code if within else None
    found = reg.find(name, within=scope)
    if not found:
        where = f" within {reg.describe(scope)}" if scope else ""
        raise RegionNotFound(f"no region named {name!r}{where}")
    if as_json:
        _print_json([_as_dict(reg, r) for r in found])
        return
    console.print(_list_table(reg, found, f"“{name}” 的匹配"))
    if len(found) > 1:
        console.print(f"共 {len(found)} 个匹配，名称有歧义：请使用代码，或用 --within 限定范围。")


@app.command("children")
def children(
    code: str = typer.Argument(..., help="区划代码（或名称）"),
    as_json: bool = JSON_OPTION,
) -> None:
    """列出一个行政区划的直接下级。"""
    reg = load()
    r = reg.resolve(code)
    kids = reg.children(r.code)
    if as_json:
        _print_json([_as_dict(reg, k) for k in kids])
        return
    console.print(_list_table(reg, kids, f"{reg.full_name(r.code)} ({r.code}) 的下级：{len(kids)} 个"))
