"""`gongfu finding`: supervision findings (督查问题) and their rectification loop."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import Format, get_db, print_json, table

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


def state_code(name: str) -> str:
    """A finding state by its code or its Chinese name (整改中 → rectifying); anything else as given."""
    from gongfu.work.findings import STATE_NAMES

    name = name.strip()
    return {zh: code for code, zh in STATE_NAMES.items()}.get(name, name)


def _named(code: str) -> str:
    from gongfu.work.findings import STATE_NAMES

    return f"{STATE_NAMES[code]}（{code}）" if code in STATE_NAMES else code


STATE_HELP = "assigned 已交办 | rectifying 整改中 | submitted 已提交 | verified 已核验 | closed 已销号 | returned 已退回"


@app.command("move")
def move_cmd(
    finding_id: int = typer.Argument(...),
    state: str = typer.Argument(..., help=STATE_HELP),
    note: str = typer.Option("", "--note"),
    evidence: list[Path] = typer.Option([], "--evidence", help="Evidence file (repeat)"),
    version: int | None = typer.Option(None, "--version", help="The version you read (conflict check)"),
    as_user: str | None = AS,
) -> None:
    """Move a finding; the state by its code or its Chinese name (rectifying 或 整改中). A move not allowed
    exits non-zero naming the states this role may move it to.

    Example: gongfu finding move 3 整改中 --as unit_a
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
    region: str = typer.Option(..., "--region"),
    state: str | None = typer.Option(None, "--state"),
    open_only: bool = typer.Option(False, "--open", help="Only findings not closed"),
    fmt: Format = typer.Option(Format.table, "--format"),
    as_user: str | None = AS,
) -> None:
    """The findings queue of a region subtree, earliest deadline first."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.finding_service import findings
    from gongfu.work.findings import STATE_NAMES

    db = get_db()
    rows = findings(db, acting(db, as_user, region), region, state=state_code(state) if state else None,
                    open_only=open_only)  # fmt: skip
    if fmt is Format.json:
        print_json(rows)
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
