"""`gongfu finding`: supervision findings (督查问题) and their rectification loop."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from gongfu.cli._common import get_db, print_json, table
from gongfu.cli.acting import AS, DAY_FORMATS
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "finding"
HELP = "督查问题与整改闭环"
app = typer.Typer(no_args_is_help=True)


@app.command("add")
def add_cmd(
    title: str = typer.Argument(..., help="发现的问题"),
    task: int | None = typer.Option(None, "--task", help="针对此任务（默认其牵头单位）"),
    unit: str | None = typer.Option(None, "--unit", help="针对此单位（名称）"),
    region: str | None = typer.Option(None, "--region", help="责任单位所在地区（不用 --task 时）"),
    deadline: datetime | None = typer.Option(
        None, "--deadline", formats=DAY_FORMATS, help="整改时限 YYYY-MM-DD"
    ),
    detail: str = typer.Option("", "--detail", help="问题详情"),
    as_user: str | None = AS,
) -> None:
    """针对任务或责任单位登记一条督查问题。

    示例: gongfu finding add 进度滞后 --task 12 --deadline 2026-06-30
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work.finding_service import add_finding

    db = get_db()
    f = add_finding(db, acting(db, as_user, region), title=title, region=region, task_id=task, unit_name=unit,
                    deadline=day(deadline), detail=detail)  # fmt: skip
    console.print(f"已登记督查问题 {f['id']}（{f['state']}）")


def state_code(name: str) -> str:
    """A finding state by its code or its Chinese name (整改中 → rectifying); anything else as given."""
    from gongfu.work.findings import STATE_NAMES

    name = name.strip()
    return {zh: code for code, zh in STATE_NAMES.items()}.get(name, name)


def _named(code: str) -> str:
    from gongfu.work.findings import STATE_NAMES

    return f"{STATE_NAMES[code]}（{code}）" if code in STATE_NAMES else code


STATE_HELP = "目标状态：assigned 已交办、rectifying 整改中、submitted 已提交、verified 已核验、closed 已销号、returned 已退回"


@app.command("move")
def move_cmd(
    finding_id: int = typer.Argument(..., help="督查问题编号"),
    state: str = typer.Argument(..., help=STATE_HELP),
    note: str = typer.Option("", "--note", help="说明"),
    evidence: list[Path] = typer.Option([], "--evidence", help="佐证材料文件（可重复）"),
    version: int | None = typer.Option(None, "--version", help="您读取时的版本（用于冲突检查）"),
    as_user: str | None = AS,
) -> None:
    """流转督查问题；状态可用代码或中文名（rectifying 或 整改中）。不允许的流转会报错，并列出本角色可转到的状态。

    示例: gongfu finding move 3 整改中 --as unit_a
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import move_finding

    db = get_db()
    files = [(p.name, p.read_bytes()) for p in evidence]
    f = move_finding(db, acting(db, as_user), finding_id, state_code(state), version=version, note=note,
                     files=files)  # fmt: skip
    nxt = "、".join(_named(x) for x in f["next"]) or "无"
    console.print(
        f"督查问题 {finding_id} → {_named(f['state'])}（版本 {f['version']}；您接下来可转到: {nxt}）"
    )


@app.command("list")
def list_cmd(
    region: str = typer.Option(..., "--region", help="地区代码或名称"),
    state: str | None = typer.Option(None, "--state", help="状态"),
    open_only: bool = typer.Option(False, "--open", help="只列未销号的问题"),
    as_of: datetime | None = typer.Option(
        None, "--as-of", formats=DAY_FORMATS, help="截至此日 YYYY-MM-DD 的状态（只计当日及以前的登记和流转）"
    ),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """地区（含下辖）的督查问题队列，整改时限最近的在前。

    示例: gongfu finding list --region 330411 --state open
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import findings
    from gongfu.work.findings import STATE_NAMES

    db = get_db()
    rows = findings(db, acting(db, as_user, region), region, state=state_code(state) if state else None,
                    open_only=open_only, as_of=as_of.date() if as_of else None)  # fmt: skip
    if emit(rows, fmt, out, name=NAME):
        return
    console.print(table(f"督查问题（{len(rows)}）", ["ID", "问题", "单位", "任务", "状态", "整改时限", "逾期", "可转到"],
                        [(f["id"], f["title"], f["unit"], f["task_id"], STATE_NAMES[f["state"]], f["deadline"],
                          "是" if f["overdue"] else "", ", ".join(f["next"])) for f in rows]))  # fmt: skip


@app.command("show")
def show_cmd(finding_id: int = typer.Argument(..., help="督查问题编号"), as_user: str | None = AS) -> None:
    """一条督查问题及其全部流转记录。

    示例: gongfu finding show 3
    """
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import finding

    db = get_db()
    print_json(finding(db, acting(db, as_user), finding_id))
