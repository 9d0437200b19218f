"""`gongfu finding`: supervision findings (督查问题) and their rectification loop."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, print_json, table
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "finding"
HELP = "督查问题与整改闭环"
app = typer.Typer(no_args_is_help=True)
AS = typer.Option(None, "--as", help="Act as this user (their role and region); default: local admin")


@app.command("add")
def add_cmd(
    title: str = typer.Argument(..., help="The problem found (问题)"),
    task: int | None = typer.Option(None, "--task", help="Against this task (its lead unit by default)"),
    unit: str | None = typer.Option(None, "--unit", help="Against this unit (name)"),
    region: str | None = typer.Option(None, "--region", help="Region of the unit (without --task)"),
    deadline: str | None = typer.Option(None, "--deadline", help="整改时限 YYYY-MM-DD"),
    detail: str = typer.Option("", "--detail"),
    as_user: str | None = AS,
) -> None:
    """Open a finding against a task or a unit."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work.finding_service import add_finding

    db = get_db()
    f = add_finding(db, acting(db, as_user, region), title=title, region=region, task_id=task, unit_name=unit,
                    deadline=parse_day(deadline, "--deadline"), detail=detail)  # fmt: skip
    console.print(f"已登记督查问题 {f['id']}（{f['state']}）")


@app.command("move")
def move_cmd(
    finding_id: int = typer.Argument(...),
    state: str = typer.Argument(..., help="assigned|rectifying|submitted|verified|closed|returned"),
    note: str = typer.Option("", "--note"),
    evidence: list[Path] = typer.Option([], "--evidence", help="Evidence file (repeat)"),
    version: int | None = typer.Option(None, "--version", help="The version you read (conflict check)"),
    as_user: str | None = AS,
) -> None:
    """Move a finding; a move not allowed exits non-zero naming the states this role may move it to."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import move_finding

    db = get_db()
    files = [(p.name, p.read_bytes()) for p in evidence]
    f = move_finding(db, acting(db, as_user), finding_id, state, version=version, note=note, files=files)
    nxt = ", ".join(f["next"]) or "无"
    console.print(f"督查问题 {finding_id} → {f['state']}（版本 {f['version']}；您接下来可转到: {nxt}）")


@app.command("list")
def list_cmd(
    region: str = typer.Option(..., "--region"),
    state: str | None = typer.Option(None, "--state"),
    open_only: bool = typer.Option(False, "--open", help="Only findings not closed"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """The findings queue of a region subtree, earliest deadline first."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import findings
    from gongfu.work.findings import STATE_NAMES

    db = get_db()
    rows = findings(db, acting(db, as_user, region), region, state=state, open_only=open_only)
    if emit(rows, fmt, out, name=NAME):
        return
    console.print(table(f"督查问题（{len(rows)}）", ["ID", "问题", "单位", "任务", "状态", "整改时限", "逾期", "可转到"],
                        [(f["id"], f["title"], f["unit"], f["task_id"], STATE_NAMES[f["state"]], f["deadline"],
                          "是" if f["overdue"] else "", ", ".join(f["next"])) for f in rows]))  # fmt: skip


@app.command("show")
def show_cmd(finding_id: int, as_user: str | None = AS) -> None:
    """One finding with its history of moves (JSON)."""
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import finding

    db = get_db()
    print_json(finding(db, acting(db, as_user), finding_id))
