"""`gongfu task`: task lists (清单) — import, list, report progress, 销号, battle map, 督办单."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, print_json, refuse, table
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "task"
HELP = "工作体系：任务清单、进度报告、销号、挂图作战"
app = typer.Typer(no_args_is_help=True)

AS = typer.Option(None, "--as", help="Act as this user (their role and region); default: local admin")
REGION = typer.Option(..., "--region", help="Region code or name")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(
        ..., help="Task list (.xlsx): 序号, 任务, 牵头单位, 配合单位, 完成时限, 年度目标"
    ),
    kind: str = typer.Option(
        ..., "--list", help="key_tasks|breakthrough|reform (重点任务/突破性抓手/重大改革)"
    ),
    region: str = REGION,
    year: int = typer.Option(None, "--year", help="Year of the list (default: this year)"),
    name: str = typer.Option(
        "",
        "--name",
        help="List name (default: YYYY年 + the list's kind, e.g. YYYY年重点任务清单; YYYY = --year)",
    ),
    as_user: str | None = AS,
) -> None:
    """Import an office's Excel task list. Any problem imports nothing and lists every problem with its row.

    Rows whose 序号 is already in the list are skipped, so importing the same file twice adds nothing; a
    完成时限 before 1 January of --year is a problem.
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.errors import ValidationFailed
    from gongfu.work import service
    from gongfu.work.query import today

    db = get_db()
    try:
        out = service.import_excel(db, acting(db, as_user, region), file, kind=kind, region=region,
                                   year=year or today().year, list_name=name)  # fmt: skip
    except ValidationFailed as exc:
        refuse(exc, file.name)
    console.print(
        f"{file.name}: 导入 {out['tasks']} 项任务到「{out['list']}」（清单 {out['list_id']}，{out['units']} 个责任单位）"
    )
    if out["skipped"]:
        console.print(f"已存在 {out['skipped']} 项，未重复导入")


@app.command("from-plan")
def from_plan_cmd(
    plan_id: int = typer.Argument(..., help="Ingested plan id (gongfu plan list)"),
    kind: str = typer.Option("key_tasks", "--list"),
    year: int = typer.Option(None, "--year"),
    as_user: str | None = AS,
) -> None:
    """Make a list from an ingested plan's outline; each task keeps its link to the plan text and targets."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    out = service.import_plan(db, acting(db, as_user), plan_id, kind=kind, year=year)
    console.print(f"方案 {plan_id}: 新增 {out['tasks']} 项任务 → 「{out['list']}」（清单 {out['list_id']}）")
    if out["skipped"]:
        console.print(f"另有 {out['skipped']} 项任务已在该清单中，未重复添加")


@app.command("add")
def add_cmd(
    title: str = typer.Argument(..., help="任务"),
    region: str = REGION,
    lead: str = typer.Option(..., "--lead", help="牵头单位"),
    co: list[str] = typer.Option([], "--co", help="配合单位 (repeat)"),
    kind: str = typer.Option("key_tasks", "--list"),
    year: int = typer.Option(None, "--year"),
    due: str | None = typer.Option(None, "--due", help="YYYY-MM-DD"),
    person: str = typer.Option("", "--person", help="责任人"),
    as_user: str | None = AS,
) -> None:
    """Create a task by hand."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work import service
    from gongfu.work.query import today

    db = get_db()
    tid = service.add_task(db, acting(db, as_user, region), kind=kind, region=region, year=year or today().year,
                           title=title, lead=lead, co=co, due=parse_day(due, "--due"), person=person)  # fmt: skip
    console.print(f"已添加任务 {tid}")


@app.command("list")
def list_cmd(
    region: str = REGION,
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks past due, unfinished, not checked off"),
    as_of: str | None = typer.Option(None, "--as-of", help="Evaluate status on this day (YYYY-MM-DD)"),
    kind: str | None = typer.Option(None, "--list"),
    status: str | None = typer.Option(None, "--status", help="未启动|推进中|滞后|已完成|已销号"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    limit: int = typer.Option(500, "--limit"),
    as_user: str | None = AS,
) -> None:
    """Tasks of a region subtree with computed status and 时序进度, worst first."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work import query

    db = get_db()
    rows = query.tasks(db, acting(db, as_user, region), region, as_of=parse_day(as_of, "--as-of"),
                       overdue=overdue, kind=kind, status=status, limit=limit)  # fmt: skip
    if emit(rows, fmt, out, name=NAME):
        return
    pct = lambda v: "" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    console.print(table(f"任务（{len(rows)}）", ["ID", "清单", "序号", "任务", "牵头单位", "完成时限", "进度", "时间",
                                                "状态", "预警"],
                        [(t["id"], t["list_name"], t["seq"], t["title"][:40], t["lead_unit"], t["due_date"],
                          f"{t['percent']:g}%", pct(t["time_share"]), t["status"],
                          t["warning"] + ("·停滞" if t["stalled"] else "")) for t in rows]))  # fmt: skip


@app.command("show")
def show_cmd(task_id: int = typer.Argument(...), as_user: str | None = AS) -> None:
    """One task with goals, milestones, reports and evidence, plan text, policies, findings (JSON)."""
    from gongfu.cli.acting import acting
    from gongfu.work import query

    db = get_db()
    print_json(query.task(db, acting(db, as_user), task_id))


@app.command("report")
def report_cmd(
    task_id: int = typer.Argument(...),
    percent: float = typer.Option(..., "--percent", min=0, max=100),
    note: str = typer.Option("", "--note", help="What was done (进展情况)"),
    on: str | None = typer.Option(None, "--on", help="Report date (default today)"),
    evidence: list[Path] = typer.Option(
        [], "--evidence", help="Evidence file (repeat): pdf, png, jpg, docx, xlsx"
    ),
    milestone: int | None = typer.Option(None, "--milestone", help="Mark this milestone done"),
    version: int | None = typer.Option(None, "--version", help="The task version you read (conflict check)"),
    as_user: str | None = AS,
) -> None:
    """Report progress with evidence files (type checked from content, stored with SHA-256 and size)."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work import service

    db = get_db()
    files = [(p.name, p.read_bytes()) for p in evidence]
    out = service.report(db, acting(db, as_user), task_id, percent=percent, narrative=note,
                         on=parse_day(on, "--on"), files=files, version=version, milestone_done=milestone)  # fmt: skip
    console.print(
        f"任务 {task_id}: 报告 {out['report_id']} 已保存（{percent:g}%，佐证 {len(out['evidence'])} 份，版本 {out['version']}）"
    )
    for e in out["evidence"]:
        console.print(f"  {e['file_name']} {e['media_type']} {e['size']} 字节 sha256={e['sha256']}")


@app.command("checkoff")
def checkoff_cmd(
    task_id: int = typer.Argument(...),
    note: str = typer.Option("", "--note"),
    as_user: str | None = AS,
) -> None:
    """销号: a finished task with evidence, approved by a higher level."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    out = service.check_off(db, acting(db, as_user), task_id, note=note)
    console.print(f"任务 {task_id} 已销号（审核人 {out['checked_off_by']}）")


@app.command("milestone")
def milestone_cmd(task_id: int, name: str, due: str, as_user: str | None = AS) -> None:
    """Add a milestone (节点) with its due date."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work import service

    db = get_db()
    mid = service.add_milestone(db, acting(db, as_user), task_id, name, parse_day(due, "due"))  # type: ignore[arg-type]
    console.print(f"已添加节点 {mid}")


@app.command("goal")
def goal_cmd(task_id: int, year: int, goal: str, as_user: str | None = AS) -> None:
    """Set a task's goal for a year (分年度目标)."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    service.set_goal(db, acting(db, as_user), task_id, year, goal)
    console.print(f"任务 {task_id} {year}年目标已设定")


@app.command("battle-map")
def battle_map_cmd(
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="Output .xlsx"),
    year: int = typer.Option(None, "--year"),
    as_of: str | None = typer.Option(None, "--as-of"),
    kind: str | None = typer.Option(None, "--list"),
    as_user: str | None = AS,
) -> None:
    """Export the 挂图作战表: tasks × months coloured by status."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work.exports import battle_map
    from gongfu.work.query import today

    db = get_db()
    day = parse_day(as_of, "--as-of") or today()
    n = battle_map(db, acting(db, as_user, region), region, year or day.year, out, as_of=day, kind=kind)
    console.print(f"已写出 {out}（{n} 项任务）")


def _unit_id(db, scope, unit: str, region: str) -> int:
    from gongfu.errors import NotFound
    from gongfu.work.query import units

    if unit.isdigit():
        return int(unit)
    found = [u for u in units(db, scope, region) if u["name"] == unit]
    if not found:
        raise NotFound(
            f"no unit named {unit!r} in {region}; `gongfu task units --region {region}` lists them"
        )
    return found[0]["id"]


@app.command("accountability")
def accountability_cmd(
    unit: str = typer.Argument(..., help="Unit id or name"),
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="Output .xlsx"),
    as_of: str | None = typer.Option(None, "--as-of"),
    as_user: str | None = AS,
) -> None:
    """Export a unit's accountability sheet (责任清单)."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work.exports import accountability_sheet

    db = get_db()
    scope = acting(db, as_user, region)
    n = accountability_sheet(db, scope, _unit_id(db, scope, unit, region), out, as_of=parse_day(as_of))
    console.print(f"已写出 {out}（牵头 {n['lead']}，配合 {n['co']}，督查问题 {n['findings']}）")


@app.command("notice")
def notice_cmd(
    unit: str = typer.Argument(..., help="Unit id or name"),
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="Output .docx"),
    as_of: str | None = typer.Option(None, "--as-of"),
    signer: str = typer.Option(
        "", "--signer", help="签发人姓名 (default: the --as user; else a line to sign)"
    ),
    as_user: str | None = AS,
) -> None:
    """Write a 督办单 (.docx, GB/T 9704 layout): the unit's overdue tasks and open findings, with 文号.

    Example: gongfu task notice 区经信局 --region 330881 --out 督办单.docx --signer 张三
    """
    from gongfu.cli import console, err_console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.work.exports import supervision_notice

    db = get_db()
    scope = acting(db, as_user, region)
    n = supervision_notice(db, scope, _unit_id(db, scope, unit, region), out, as_of=parse_day(as_of),
                           signer=signer)  # fmt: skip
    for note in n["notes"]:
        err_console.print(f"注意：{note}")
    console.print(
        f"已写出 {out}（{n['number']}；逾期任务 {n['overdue']}，未销号问题 {n['findings']}，"
        f"{n['reply_by']} 前回复；签发人 {n['signer'] or '留空待签'}）"
    )


@app.command("units")
def units_cmd(region: str = REGION, as_user: str | None = AS) -> None:
    """The responsible units of a region subtree."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.query import units

    db = get_db()
    rows = units(db, acting(db, as_user, region), region)
    console.print(table("责任单位", ["ID", "名称", "地区", "类别"],
                        [(u["id"], u["name"], u["region_code"], u["kind"]) for u in rows]))  # fmt: skip


@app.command("link-indicator")
def link_indicator_cmd(task_id: int, indicator: str, as_user: str | None = AS) -> None:
    """Say that a task moves an indicator (catalog code)."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    service.link_indicator(db, acting(db, as_user), task_id, indicator)
    console.print(f"任务 {task_id} → 指标 {indicator}")
