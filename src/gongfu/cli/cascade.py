"""`gongfu cascade`: targets broken down to the regions below (指标分解) and the consistency verdict."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, table
from gongfu.cli.acting import AS
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "cascade"
HELP = "指标分解：把目标分解到下级地区，检查下级目标能否支撑上级目标"
app = typer.Typer(no_args_is_help=True)


def _problems(exc, name: str) -> None:
    from rich.markup import escape

    from gongfu.cli import err_console

    err_console.print(f"[red]错误[/red] {name}: {len(exc.problems)} 个问题，未导入任何分解目标:")
    for p in exc.problems[:200]:
        err_console.print(
            escape(f"  {name}:{p.row or '-'} [{p.column or p.code}] {p.message}"), highlight=False
        )


def _verdict(view: dict) -> None:
    from gongfu.cli import console
    from gongfu.labels import comparator_zh

    p, v = view["parent"], view["verdict"]
    console.print(
        f"{p['region_name']} {p['indicator_name']} {comparator_zh(p['comparator'])} {p['target']:g}{p['unit']}（{p['year']}年）"
        f" — {v['status_zh']}：{v['message']}",
        highlight=False,
    )


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="分解表（.xlsx 或 .csv）：地区、指标、目标值、年份、备注"),
    region: str = typer.Option(..., "--region", help="其目标被分解的上级地区"),
    target: int = typer.Option(None, "--target", help="上级目标编号（默认按各行的指标与年份匹配）"),
    as_user: str | None = AS,
) -> None:
    """导入目标分解表：全部行有效才保存；随后给出每个上级目标的一致性结论。

    示例: gongfu cascade import 分解表.xlsx --region 331000
    """
    from gongfu.cascade import cascade_view, import_sheet
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.errors import ValidationFailed

    db = get_db()
    scope = acting(db, as_user, region)
    try:
        out = import_sheet(db, scope, file, region=region, target_id=target)
    except ValidationFailed as exc:
        _problems(exc, file.name)
        raise typer.Exit(2) from None
    if out["already_imported_as"] is not None:
        console.print(f"{file.name}: 同一文件已导入过（分解文件 {out['document']}），未重复导入")
    else:
        console.print(f"{file.name}: 导入 {len(out['links'])} 个分解目标（分解文件 {out['document']}）")
    for parent in out["parents"]:
        _verdict(cascade_view(db, scope, parent))


@app.command("set")
def set_cmd(
    target: int = typer.Argument(..., help="上级目标编号"),
    region: str = typer.Argument(..., help="下级地区（代码或名称）"),
    value: float = typer.Argument(..., help="下级目标值（以上级目标的单位计）"),
    note: str = typer.Option("", "--note", help="说明"),
    replace: bool = typer.Option(False, "--replace", help="修改已有的下级目标"),
    as_user: str | None = AS,
) -> None:
    """手工设定一个下级目标。

    示例: gongfu cascade set 12 海盐县 98.5 --note 市政府分解
    """
    from gongfu.cascade import cascade_view, set_child
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    db = get_db()
    scope = acting(db, as_user, None)
    out = set_child(db, scope, target, region, value, note=note, replace=replace)
    was = f"（原为 {out['changed_from']:g}）" if out["changed_from"] is not None else ""
    console.print(f"目标{target} → {scope.registry.describe(out['region'])}: {value:g}{was}", highlight=False)
    _verdict(cascade_view(db, scope, target))


@app.command("link")
def link_cmd(
    region: str = typer.Option(..., "--region", help="地区代码或名称"), as_user: str | None = AS
) -> None:
    """把本地区的目标与下级地区各自方案中同指标、同年份的目标关联起来。

    示例: gongfu cascade link --region 331000
    """
    from gongfu.cascade import link_plans
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    out = link_plans(get_db(), acting(get_db(), as_user, region), region)
    console.print(f"关联 {len(out)} 个下级方案目标")


@app.command("show")
def show_cmd(
    target: int = typer.Argument(..., help="上级目标编号"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """一个目标的分解：各下级的目标、实现度与预警颜色、一致性结论与数据。

    示例: gongfu cascade show 12
    """
    from gongfu.cascade import cascade_view
    from gongfu.cascade.view import ORIGIN_ZH
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    view = cascade_view(get_db(), acting(get_db(), as_user, None), target)
    if emit(view, fmt, out, name=NAME):
        return
    rows = [
        (
            c["region_name"],
            "—" if c["target"] is None else f"{c['target']:g}{c['unit']}",
            _pct((c["record"] or {}).get("attainment")),
            (c["record"] or {}).get("colour_zh", ""),
            {True: "是", False: "否", None: ""}[c["ok"]],
            ORIGIN_ZH.get(c["origin"] or "", "未分解"),
        )
        for c in view["children"]
    ]
    console.print(table(None, ["地区", "分解目标", "实现度", "预警", "达标", "来源"], rows))
    _verdict(view)
    f = view["figures"]
    if f["year"]:
        parent = "—" if f["parent"] is None else f"{f['parent']:g}"
        agg = "—" if f["aggregate"] is None else f"{f['aggregate']:g}"
        console.print(f"{f['year']}年下级实际值汇总 {agg}，本级实际值 {parent} {f['note']}", highlight=False)
    else:
        console.print(f["note"], highlight=False)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


@app.command("list")
def list_cmd(
    region: str = typer.Option(..., "--region", help="地区代码或名称"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """本地区已分解的目标及其一致性结论。

    示例: gongfu cascade list --region 331000
    """
    from gongfu.cascade import cascades
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    rows = cascades(get_db(), acting(get_db(), as_user, region), region)
    if emit(rows, fmt, out, name=NAME):
        return
    console.print(
        table(
            None,
            ["目标", "指标", "目标值", "年份", "下级数", "判定", "说明"],
            [
                (
                    r["target_id"],
                    r["indicator"],
                    f"{r['target']:g}{r['unit']}",
                    r["year"],
                    r["children"],
                    r["status_zh"],
                    r["message"],
                )
                for r in rows
            ],
        )
    )
