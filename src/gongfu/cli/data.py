"""`gongfu data`: data requests (数据需求), reporting forms and their approval, timeliness (数据填报)."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, table
from gongfu.cli.acting import AS
from gongfu.cli.output import FORMAT, OUT, Format, emit, write

NAME = "data"
HELP = "数据填报：数据需求清单、填报表、逐级审核、及时率与完整率"
app = typer.Typer(no_args_is_help=True)
REGION = typer.Option(..., "--region", help="地区代码或名称")


def _problems(exc, name: str) -> None:
    from rich.markup import escape

    from gongfu.cli import err_console

    err_console.print(f"[red]错误[/red] {name}: {len(exc.problems)} 个问题，未保存任何数据:")
    for p in exc.problems[:200]:
        err_console.print(
            escape(f"  {name}:{p.row or '-'} [{p.column or p.code}] {p.message}"), highlight=False
        )


@app.command("requests")
def requests_cmd(
    region: str = REGION,
    year: int = typer.Option(..., "--year", help="报送年份"),
    children: bool = typer.Option(False, "--children", help="包括下辖地区（及其分解目标）"),
    mapping: Path = typer.Option(
        None, "--mapping", help="指标 → 责任单位映射文件（.csv/.xlsx；可选列：地区、周期、期限）"
    ),
    period_type: str = typer.Option(
        "year",
        "--period-type",
        help="填报周期：year（年）、quarter（季）或 month（月）；映射文件中有“周期”列时以其为准",
    ),
    due_days: int = typer.Option(10, "--due-days", help="期末后的报送天数（10 即次月 10 日）"),
    fmt: Format = FORMAT,
    out: Path = typer.Option(
        None, "--out", "-o", help="输出文件（xlsx 默认：数据需求清单-地区-年份.xlsx；其他格式默认标准输出）"
    ),
    issue: bool = typer.Option(False, "--issue", help="保存需求，以便各单位打开填报表"),
    chain: str = typer.Option("unit,region", "--chain", help="审核层级：unit,region[,parent]"),
    as_user: str | None = AS,
) -> None:
    """数据需求清单：当年尚无数据的目标、应报送的单位与报送期限。

    示例: gongfu data requests --region 331000 --year 2026 --format xlsx
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.errors import ValidationFailed
    from gongfu.reporting import issue as issue_requests
    from gongfu.reporting import needed
    from gongfu.reporting.periods import period_type as parse_type
    from gongfu.reporting.workbook import write_requests_xlsx

    db = get_db()
    scope = acting(db, as_user, region)
    try:
        rows = needed(
            db,
            scope,
            region,
            year,
            children=children,
            mapping=mapping,
            period_type=parse_type(period_type),
            due_days=due_days,
        )
    except ValidationFailed as exc:
        _problems(exc, mapping.name if mapping else "mapping")
        raise typer.Exit(2) from None
    if issue:
        done = issue_requests(db, scope, rows, chain=tuple(x.strip() for x in chain.split(",") if x.strip()))
        console.print(f"已下发 {done['added']} 项数据需求（已有 {done['kept']} 项未变）", highlight=False)
    keys = (
        "region",
        "region_name",
        "indicator",
        "indicator_name",
        "year",
        "period",
        "responsible_unit",
        "unit_source",
        "due",
        "target",
        "target_unit",
        "measure_unit",
    )
    if fmt in (Format.json, Format.jsonl, Format.csv):
        write(fmt, out, NAME, [{k: r[k] for k in keys} for r in rows])
    elif fmt == Format.xlsx:  # the styled 数据需求清单, not the generic sheet
        path = write_requests_xlsx(rows, out or Path(f"数据需求清单-{scope.region(region).code}-{year}.xlsx"))
        console.print(f"{len(rows)} 项数据需求 → {path}", highlight=False)
    else:
        console.print(
            table(
                f"数据需求清单（{year}年，{len(rows)} 项）",
                ["地区", "指标", "报告期", "责任单位", "报送期限", "目标值"],
                [
                    (
                        r["region_name"],
                        r["indicator_name"],
                        r["period"],
                        r["responsible_unit"] + ("（默认）" if r["unit_source"] == "default" else ""),
                        r["due"],
                        f"{r['target']:g}{r['target_unit']}",
                    )
                    for r in rows
                ],
            )
        )


@app.command("member")
def member_cmd(
    user: str = typer.Argument(..., help="用户名"),
    region: str = REGION,
    unit: str = typer.Option(..., "--unit", help="责任单位，如 区统计局"),
    duty: str = typer.Option(..., "--duty", help="职责：reporter（填报员）或 approver（审核员）"),
    as_user: str | None = AS,
) -> None:
    """把用户设为某单位的填报人或审核人。

    示例: gongfu data member wang --region 330411 --unit 县统计局 --duty reporter
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.reporting import add_member
    from gongfu.reporting.members import DUTIES

    out = add_member(get_db(), acting(get_db(), as_user, region), user, region=region, unit=unit, duty=duty)
    again = "（已是，未变）" if out["already"] else ""
    console.print(
        f"{out['user']} → {out['unit']}（{out['region']}）{DUTIES[out['duty']]}{again}", highlight=False
    )


@app.command("open")
def open_cmd(
    region: str = REGION,
    unit: str = typer.Option(..., "--unit", help="单位名称"),
    period: str = typer.Option(..., "--period", help="报送期：2026、2026Q1 或 202603"),
    as_user: str | None = AS,
) -> None:
    """为某单位某期打开（或找到）填报表，打印表单编号。

    示例: gongfu data open --region 330411 --unit 县统计局 --period 2026
    """
    from gongfu.cli import console
    from gongfu.reporting import open_form
    from gongfu.reporting.periods import parse_period_id, type_of

    year, period = parse_period_id(period)
    ptype = type_of(period)
    db = get_db()
    from gongfu.cli.acting import acting

    fid = open_form(
        db, acting(db, as_user, region), region=region, unit=unit, year=year, period=period, period_type=ptype
    )
    console.print(f"填报表 {fid}")


@app.command("show")
def show_cmd(
    form: int = typer.Argument(..., help="填报表编号"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """一张填报表：各项数据及上期值与目标、状态与每一步记录。

    示例: gongfu data show 3
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.reporting import form_view

    db = get_db()
    v = form_view(db, acting(db, as_user, None), form)
    if emit(v, fmt, out, name=NAME):
        return
    console.print(
        f"填报表{v['form']} {v['region_name']} {v['unit']} {v['period_label']} — {v['state_zh']}"
        + (f"，待{v['waiting_for']}" if v["waiting_for"] else ""),
        highlight=False,
    )
    console.print(
        table(
            None,
            ["项", "指标", "单位", "上期", "目标", "填报值", "说明", "变动原因"],
            [
                (
                    i["n"],
                    i["indicator_name"],
                    i["unit"],
                    i["last_period"],
                    i["target"],
                    i["value"],
                    i["note"],
                    i["reason"],
                )
                for i in v["items"]
            ],
        )
    )
    console.print(
        table(
            "办理记录",
            ["时间", "人员", "操作", "原因"],
            [(s["at"], s["actor"], s["action_zh"], s["reason"]) for s in v["steps"]],
        )
    )


@app.command("fill")
def fill_cmd(
    file: Path = typer.Argument(..., help="填好的数据需求清单（.xlsx）"),
    draft: bool = typer.Option(False, "--draft", help="只保存为草稿，不提交"),
    as_user: str | None = AS,
) -> None:
    """保存并提交已填好的数据需求清单（与表单相同的校验；全部行成功或全部不保存）。

    示例: gongfu data fill 数据需求清单.xlsx --as wang
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.errors import ValidationFailed
    from gongfu.reporting.workbook import fill_from_xlsx

    db = get_db()
    try:
        out = fill_from_xlsx(db, acting(db, as_user, None), file, submit=not draft)
    except ValidationFailed as exc:
        _problems(exc, file.name)
        raise typer.Exit(2) from None
    for f in out["forms"]:
        console.print(
            f"填报表{f['form']} {f['unit']}（{f['region']}）: {f['values']} 项 → {f['state_zh']}",
            highlight=False,
        )


def _move(action: str, form: int, as_user: str | None, reason: str = "") -> None:
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.reporting import approve, form_view, return_form, revise, submit, withdraw

    db = get_db()
    scope = acting(db, as_user, None)
    version = form_view(db, scope, form)["version"]
    if action == "return":
        out = return_form(db, scope, form, reason, version=version)
    else:
        fn = {"submit": submit, "withdraw": withdraw, "approve": approve, "revise": revise}[action]
        out = fn(db, scope, form, version=version)
    extra = f"，入库 {out['added']} 项新数、{out['revised']} 项修订" if "added" in out else ""
    console.print(f"填报表{form} → {out['state_zh']}（已审 {out['level']} 级）{extra}", highlight=False)


@app.command("submit")
def submit_cmd(form: int = typer.Argument(..., help="填报表编号"), as_user: str | None = AS) -> None:
    """提交填报表（先校验每一项数据）。

    示例: gongfu data submit 3 --as wang
    """
    _move("submit", form, as_user)


@app.command("withdraw")
def withdraw_cmd(form: int = typer.Argument(..., help="填报表编号"), as_user: str | None = AS) -> None:
    """在第一级审核前撤回已提交的填报表。

    示例: gongfu data withdraw 3 --as wang
    """
    _move("withdraw", form, as_user)


@app.command("approve")
def approve_cmd(form: int = typer.Argument(..., help="填报表编号"), as_user: str | None = AS) -> None:
    """在当前层级审核通过；最后一级通过后数据入库。

    示例: gongfu data approve 3 --as li
    """
    _move("approve", form, as_user)


@app.command("return")
def return_cmd(
    form: int = typer.Argument(..., help="填报表编号"),
    reason: str = typer.Option(..., "--reason", help="原因"),
    as_user: str | None = AS,
) -> None:
    """把填报表退回填报人并说明原因。

    示例: gongfu data return 3 --reason 口径不符 --as li
    """
    _move("return", form, as_user, reason)


@app.command("revise")
def revise_cmd(form: int = typer.Argument(..., help="填报表编号"), as_user: str | None = AS) -> None:
    """重新打开已审核的填报表以便更正。

    示例: gongfu data revise 3 --as wang
    """
    _move("revise", form, as_user)


@app.command("timeliness")
def timeliness_cmd(
    region: str = REGION,
    year: int = typer.Option(..., "--year", help="年份"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """各单位按时、迟报、漏报情况，完整率与及时率，以及逾期未报的需求。

    示例: gongfu data timeliness --region 331000 --year 2026
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.reporting import timeliness

    out = timeliness(get_db(), acting(get_db(), as_user, region), region, year)
    if emit(out, fmt, out, name=NAME):
        return

    def pct(v):
        return "—" if v is None else f"{v * 100:.0f}%"

    console.print(
        table(
            f"报送及时率与完整率（{year}年，截至{out['as_of']}）",
            ["地区", "单位", "应报", "按时", "迟报", "未报", "未到期", "完整率", "及时率"],
            [
                (
                    u["region_name"],
                    u["unit"],
                    u["expected"],
                    u["on_time"],
                    u["late"],
                    u["missing"],
                    u["pending"],
                    pct(u["completeness"]),
                    pct(u["timeliness"]),
                )
                for u in out["units"]
            ],
        )
    )
    if out["overdue"]:
        console.print(
            table(
                "逾期未报",
                ["地区", "单位", "报告期", "报送期限", "逾期天数", "状态"],
                [
                    (
                        r["region_name"],
                        r["unit"],
                        r["period_label"],
                        r["due"],
                        r["overdue_days"],
                        r["state"] or "未填报",
                    )
                    for r in out["overdue"]
                ],
            )
        )
