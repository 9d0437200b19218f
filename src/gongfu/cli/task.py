"""`gongfu task`: task lists (清单) — import, list, report progress, 销号, battle map, 督办单."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from gongfu.cli._common import get_db, print_json, refuse, table
from gongfu.cli.acting import AS, DAY_FORMATS
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "task"
HELP = "工作体系：任务清单、进度报告、销号、挂图作战"
app = typer.Typer(no_args_is_help=True)

REGION = typer.Option(..., "--region", help="地区代码或名称")
LIST_HELP = "清单类型：key_tasks（重点任务）、breakthrough（突破性抓手）或 reform（重大改革）"
AS_OF = typer.Option(None, "--as-of", formats=DAY_FORMATS, help="按此日期计算（YYYY-MM-DD，默认今天）")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(
        ..., help="任务清单（.xlsx）：序号、任务、牵头单位、配合单位、完成时限、年度目标"
    ),
    kind: str = typer.Option(..., "--list", help=LIST_HELP),
    region: str = REGION,
    year: int = typer.Option(None, "--year", help="清单年份（默认今年）"),
    name: str = typer.Option(
        "",
        "--name",
        help="清单名称（默认：YYYY年 + 清单类别，如 YYYY年重点任务清单；YYYY 为 --year）",
    ),
    as_user: str | None = AS,
) -> None:
    """导入办公室的 Excel 任务清单；有任何问题则整份不导入，并逐行列出全部问题。

    示例: gongfu task import 重点任务.xlsx --list key_tasks --region 330411 --year 2024
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
    plan_id: int = typer.Argument(..., help="已导入方案编号（见 gongfu plan list）"),
    kind: str = typer.Option("key_tasks", "--list", help=LIST_HELP),
    year: int = typer.Option(None, "--year", help="年份"),
    as_user: str | None = AS,
) -> None:
    """由已导入方案的提纲生成任务清单；每项任务保留与方案原文和目标的关联。

    示例: gongfu task from-plan 1 --list key_tasks --year 2024
    """
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
    co: list[str] = typer.Option([], "--co", help="配合单位（可重复）"),
    kind: str = typer.Option("key_tasks", "--list", help=LIST_HELP),
    year: int = typer.Option(None, "--year", help="年份"),
    due: datetime | None = typer.Option(None, "--due", formats=DAY_FORMATS, help="日期（YYYY-MM-DD）"),
    person: str = typer.Option("", "--person", help="责任人"),
    as_user: str | None = AS,
) -> None:
    """手工新建一项任务。

    示例: gongfu task add 建设共富工坊 --region 330411 --list key_tasks --lead 县经信局 --due 2026-12-31
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work import service
    from gongfu.work.query import today

    db = get_db()
    tid = service.add_task(db, acting(db, as_user, region), kind=kind, region=region, year=year or today().year,
                           title=title, lead=lead, co=co, due=day(due), person=person)  # fmt: skip
    console.print(f"已添加任务 {tid}")


@app.command("list")
def list_cmd(
    region: str = REGION,
    overdue: bool = typer.Option(False, "--overdue", help="只列已过期、未完成、未销号的任务"),
    as_of: datetime | None = AS_OF,
    kind: str | None = typer.Option(None, "--list", help=LIST_HELP),
    status: str | None = typer.Option(None, "--status", help="未启动|推进中|滞后|已完成|已销号"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    limit: int = typer.Option(500, "--limit", help="最多列出的条数"),
    as_user: str | None = AS,
) -> None:
    """列出地区（含下辖）的任务及其状态与时序进度，最滞后的在前。

    示例: gongfu task list --region 330411 --overdue
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work import query

    db = get_db()
    rows = query.tasks(db, acting(db, as_user, region), region, as_of=day(as_of),
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
def show_cmd(task_id: int = typer.Argument(..., help="任务编号"), as_user: str | None = AS) -> None:
    """一项任务的全部信息：年度目标、节点、进展报告与佐证、方案原文、政策、督查问题。

    示例: gongfu task show 12
    """
    from gongfu.cli.acting import acting
    from gongfu.work import query

    db = get_db()
    print_json(query.task(db, acting(db, as_user), task_id))


@app.command("report")
def report_cmd(
    task_id: int = typer.Argument(..., help="任务编号"),
    percent: float = typer.Option(..., "--percent", min=0, max=100, help="完成进度（百分比，0–100）"),
    note: str = typer.Option("", "--note", help="进展情况"),
    on: datetime | None = typer.Option(None, "--on", formats=DAY_FORMATS, help="报告日期（默认今天）"),
    evidence: list[Path] = typer.Option(
        [], "--evidence", help="佐证材料文件（可重复）：pdf、png、jpg、docx、xlsx"
    ),
    milestone: int | None = typer.Option(None, "--milestone", help="标记此节点已完成"),
    version: int | None = typer.Option(None, "--version", help="您读取时的任务版本（用于冲突检查）"),
    as_user: str | None = AS,
) -> None:
    """报送任务进展并上传佐证材料（按内容识别文件类型，记录 SHA-256 与大小）。

    示例: gongfu task report 12 --percent 60 --note 完成选址 --evidence 照片.jpg
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work import service

    db = get_db()
    files = [(p.name, p.read_bytes()) for p in evidence]
    out = service.report(db, acting(db, as_user), task_id, percent=percent, narrative=note,
                         on=day(on), files=files, version=version, milestone_done=milestone)  # fmt: skip
    console.print(
        f"任务 {task_id}: 报告 {out['report_id']} 已保存（{percent:g}%，佐证 {len(out['evidence'])} 份，版本 {out['version']}）"
    )
    for e in out["evidence"]:
        console.print(f"  {e['file_name']} {e['media_type']} {e['size']} 字节 sha256={e['sha256']}")


@app.command("checkoff")
def checkoff_cmd(
    task_id: int = typer.Argument(..., help="任务编号"),
    note: str = typer.Option("", "--note", help="说明"),
    as_user: str | None = AS,
) -> None:
    """销号：已完成且有佐证的任务，由上级审核销号。

    示例: gongfu task checkoff 12 --note 已验收
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    out = service.check_off(db, acting(db, as_user), task_id, note=note)
    console.print(f"任务 {task_id} 已销号（审核人 {out['checked_off_by']}）")


@app.command("milestone")
def milestone_cmd(
    task_id: int = typer.Argument(..., help="任务编号"),
    name: str = typer.Argument(..., help="名称"),
    due: datetime = typer.Argument(..., formats=DAY_FORMATS, help="完成时限（YYYY-MM-DD）"),
    as_user: str | None = AS,
) -> None:
    """为任务添加节点及其完成时限。

    示例: gongfu task milestone 12 完成选址 2026-06-30
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    mid = service.add_milestone(db, acting(db, as_user), task_id, name, due.date())
    console.print(f"已添加节点 {mid}")


@app.command("goal")
def goal_cmd(
    task_id: int = typer.Argument(..., help="任务编号"),
    year: int = typer.Argument(..., help="年份"),
    goal: str = typer.Argument(..., help="年度目标"),
    as_user: str | None = AS,
) -> None:
    """设定任务某年度的目标（分年度目标）。

    示例: gongfu task goal 12 2026 完成80%
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    service.set_goal(db, acting(db, as_user), task_id, year, goal)
    console.print(f"任务 {task_id} {year}年目标已设定")


@app.command("battle-map")
def battle_map_cmd(
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="输出的 .xlsx 文件"),
    year: int = typer.Option(None, "--year", help="年份"),
    as_of: datetime | None = AS_OF,
    kind: str | None = typer.Option(None, "--list", help=LIST_HELP),
    as_user: str | None = AS,
) -> None:
    """导出挂图作战表：任务 × 月份，按状态着色。

    示例: gongfu task battle-map --region 330411 --year 2026 --out 挂图作战表.xlsx
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work.exports import battle_map
    from gongfu.work.query import today

    db = get_db()
    on = day(as_of) or today()
    n = battle_map(db, acting(db, as_user, region), region, year or on.year, out, as_of=on, kind=kind)
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
    unit: str = typer.Argument(..., help="责任单位编号或名称"),
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="输出的 .xlsx 文件"),
    as_of: datetime | None = AS_OF,
    as_user: str | None = AS,
) -> None:
    """导出一个责任单位的责任清单。

    示例: gongfu task accountability 县经信局 --region 330411 --out 责任清单.xlsx
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.work.exports import accountability_sheet

    db = get_db()
    scope = acting(db, as_user, region)
    n = accountability_sheet(db, scope, _unit_id(db, scope, unit, region), out, as_of=day(as_of))
    console.print(f"已写出 {out}（牵头 {n['lead']}，配合 {n['co']}，督查问题 {n['findings']}）")


@app.command("notice")
def notice_cmd(
    unit: str = typer.Argument(..., help="责任单位编号或名称"),
    region: str = REGION,
    out: Path = typer.Option(..., "--out", help="输出的 .docx 文件"),
    as_of: datetime | None = AS_OF,
    signer: str = typer.Option("", "--signer", help="签发人姓名（默认为 --as 用户；否则留空待签）"),
    as_user: str | None = AS,
) -> None:
    """写出督办单（.docx，GB/T 9704 版式）：该单位逾期任务与未销号督查问题，附文号。

    示例: gongfu task notice 县经信局 --region 330411 --out 督办单.docx
    """
    from gongfu.cli import console, err_console
    from gongfu.cli.acting import acting, day
    from gongfu.work.exports import supervision_notice

    db = get_db()
    scope = acting(db, as_user, region)
    n = supervision_notice(db, scope, _unit_id(db, scope, unit, region), out, as_of=day(as_of),
                           signer=signer)  # fmt: skip
    for note in n["notes"]:
        err_console.print(f"注意：{note}")
    console.print(
        f"已写出 {out}（{n['number']}；逾期任务 {n['overdue']}，未销号问题 {n['findings']}，"
        f"{n['reply_by']} 前回复；签发人 {n['signer'] or '留空待签'}）"
    )


@app.command("units")
def units_cmd(region: str = REGION, as_user: str | None = AS) -> None:
    """列出地区（含下辖）的责任单位。

    示例: gongfu task units --region 330411
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.query import units

    db = get_db()
    rows = units(db, acting(db, as_user, region), region)
    console.print(table("责任单位", ["ID", "名称", "地区", "类别"],
                        [(u["id"], u["name"], u["region_code"], u["kind"]) for u in rows]))  # fmt: skip


@app.command("link-indicator")
def link_indicator_cmd(
    task_id: int = typer.Argument(..., help="任务编号"),
    indicator: str = typer.Argument(..., help="指标目录代码"),
    as_user: str | None = AS,
) -> None:
    """登记某项任务推动某个指标（目录代码）。

    示例: gongfu task link-indicator 12 urban_rural_income_ratio
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work import service

    db = get_db()
    service.link_indicator(db, acting(db, as_user), task_id, indicator)
    console.print(f"任务 {task_id} → 指标 {indicator}")
