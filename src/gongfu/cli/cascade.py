"""`gongfu cascade`: targets broken down to the regions below (指标分解) and the consistency verdict."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import Format, get_db, print_json, table

NAME = "cascade"
HELP = "指标分解：把目标分解到下级地区，检查下级目标能否支撑上级目标"
app = typer.Typer(no_args_is_help=True)
AS = typer.Option(None, "--as", help="Act as this user (their role and region); default: local admin")


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
    file: Path = typer.Argument(..., help="分解表 (.xlsx or .csv): 地区, 指标, 目标值, 年份, 备注"),
    region: str = typer.Option(..., "--region", help="The parent region whose targets are broken down"),
    target: int = typer.Option(
        None, "--target", help="Parent target id (default: by each row's indicator and year)"
    ),
    as_user: str | None = AS,
) -> None:
    """Import a 分解表: every row valid or nothing stored; then print each parent's consistency verdict.

    Example: gongfu cascade import 分解表.xlsx --region 330400
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
    target: int = typer.Argument(..., help="Parent target id"),
    region: str = typer.Argument(..., help="Child region (code or name)"),
    value: float = typer.Argument(..., help="The child's target, in the parent target's unit"),
    note: str = typer.Option("", "--note"),
    replace: bool = typer.Option(False, "--replace", help="Change an existing child target"),
    as_user: str | None = AS,
) -> None:
    """Set one child target by hand.

    Example: gongfu cascade set 12 海盐县 98.5 --note 市政府分解
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
def link_cmd(region: str = typer.Option(..., "--region"), as_user: str | None = AS) -> None:
    """Link the region's targets to the same indicator and year in its child regions' own plans.

    Example: gongfu cascade link --region 330400
    """
    from gongfu.cascade import link_plans
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    out = link_plans(get_db(), acting(get_db(), as_user, region), region)
    console.print(f"关联 {len(out)} 个下级方案目标")


@app.command("show")
def show_cmd(
    target: int = typer.Argument(..., help="Parent target id"),
    fmt: Format = typer.Option(Format.table, "--format"),
    as_user: str | None = AS,
) -> None:
    """The cascade of one target: each child's target, attainment and colour, the verdict, the figures.

    Example: gongfu cascade show 12 --format json
    """
    from gongfu.cascade import cascade_view
    from gongfu.cascade.view import ORIGIN_ZH
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    view = cascade_view(get_db(), acting(get_db(), as_user, None), target)
    if fmt == Format.json:
        print_json(view)
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
    region: str = typer.Option(..., "--region"),
    fmt: Format = typer.Option(Format.table, "--format"),
    as_user: str | None = AS,
) -> None:
    """The region's targets that have been broken down, with their verdicts.

    Example: gongfu cascade list --region 330400
    """
    from gongfu.cascade import cascades
    from gongfu.cli import console
    from gongfu.cli.acting import acting

    rows = cascades(get_db(), acting(get_db(), as_user, region), region)
    if fmt == Format.json:
        print_json(rows)
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
