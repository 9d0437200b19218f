"""`gongfu plan`: ingest plan documents, list and show them, extract targets without a database."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from gongfu.cli._common import cli_actor, get_db, progress, table
from gongfu.cli.output import FORMAT, OUT, Format, emit, write
from gongfu.errors import InputError
from gongfu.fmt import target_text
from gongfu.labels import AMBITION_ZH, SCRIPT_ZH

NAME = "plan"
HELP = "行动方案 (导入、目标抽取)"
app = typer.Typer(no_args_is_help=True)


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


@app.command("ingest")
def ingest_cmd(
    files: list[Path] = typer.Argument(..., help="方案文件（.txt .html .docx .pdf）"),
    region: str | None = typer.Option(
        None,
        "--region",
        help="地区代码或名称；仅当文档无法确定地区时需要。与文档自身地区不一致时给出警告",
    ),
    replace: bool = typer.Option(False, "--replace", help="已导入方案的新版本：保存并取代旧版"),
) -> None:
    """导入行动方案：保存全文、提纲、目标与任务；同一文件不重复导入。

    示例: gongfu plan ingest 嘉兴市行动方案.docx --region 嘉兴
    """
    from gongfu.cli import console, err_console
    from gongfu.plans.service import ingest

    db = get_db()
    with progress() as bar:
        bar.add_task(f"读取并抽取 {len(files)} 个文件", total=None)
        results = ingest(db, files, region=region, by=cli_actor(), replace=replace)
    for r in results:
        _report(err_console, r.summary, r.warnings)
    rows = [
        (
            r.plan_id,
            r.file_name,
            r.title,
            r.region_code or "",
            r.targets,
            r.tasks,
            _state(r),
        )
        for r in results
    ]
    console.print(table("方案导入", ["ID", "文件", "标题", "地区", "指标数", "任务数", "状态"], rows))


def _state(r) -> str:
    if not r.created:
        return "已存在"
    return f"新增（第{r.version}版，替代方案 {r.replaced}）" if r.replaced else "新增"


@app.command("edit")
def edit_cmd(
    plan_id: int = typer.Argument(..., help="方案编号（见 gongfu plan list）"),
    region: str | None = typer.Option(None, "--region", help="正确的地区（代码或无歧义的名称）"),
    title: str | None = typer.Option(None, "--title", help="正确的标题"),
    period: str | None = typer.Option(None, "--period", help="正确的期限，如 2021-2025"),
) -> None:
    """更正已导入方案的地区、标题或期限；更正留有审计记录（原值 → 新值）。

    示例: gongfu plan edit 1 --region 330400
    """
    from gongfu.cli import console
    from gongfu.plans.service import edit_plan

    span = None
    if period is not None:
        parts = period.replace("—", "-").replace("–", "-").split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise InputError(f"--period 应为 起始年-结束年（如 2021-2025），收到 {period!r}")
        span = (int(parts[0]), int(parts[1]))
    out = edit_plan(get_db(), plan_id, by=cli_actor(), region=region, title=title, period=span)
    for k, v in out["new"].items():
        console.print(f"方案 {plan_id} {EDIT_ZH.get(k, k)}: {out['old'][k] or '—'} → {v}", highlight=False)


EDIT_ZH = {"region_code": "地区代码", "region_name": "地区", "title": "标题", "period_start": "起始年",
           "period_end": "结束年"}  # fmt: skip


@app.command("list")
def list_cmd(fmt: Format = FORMAT, out: Path | None = OUT) -> None:
    """列出已导入的方案。

    示例: gongfu plan list --format csv
    """
    from gongfu.cli import console
    from gongfu.plans.service import list_plans

    plans = list_plans(get_db())
    if emit(plans, fmt, out, name="plans"):
        return
    cols = ["ID", "标题", "地区", "期限", "成文日期", "指标数", "文件", "版本"]
    rows = [
        (
            p["id"],
            p["title"],
            f"{p['region_name']} {p['region_code'] or ''}",
            p["period"],
            p["issued_on"] or "",
            p["targets"],
            p["file_name"],
            f"第{p['version']}版" + (f"，已被方案 {p['superseded_by']} 替代" if p["superseded_by"] else ""),
        )
        for p in plans
    ]
    console.print(table("已导入的方案", cols, rows))


@app.command("show")
def show_cmd(
    plan_id: int = typer.Argument(..., help="方案编号（见 gongfu plan list）"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    outline: bool = typer.Option(False, "--outline", help="显示提纲树"),
    tasks: bool = typer.Option(False, "--tasks", help="显示任务清单"),
) -> None:
    """显示一个方案：基本信息、目标（附原文位置）、提纲与任务。

    示例: gongfu plan show 1 --tasks
    """
    from gongfu.cli import console
    from gongfu.plans.service import get_plan

    p = get_plan(get_db(), plan_id)
    targets = [
        {
            "id": t.id,
            "indicator": t.indicator,
            "indicator_code": t.indicator_code,
            "value": t.value,
            "value2": t.value2,
            "unit": t.unit,
            "comparator": t.comparator,
            "year": t.year,
            "ambition": t.ambition,
            "section": t.section,
            "start": t.start,
            "end": t.end,
            "span": t.span,
            "damaged": t.damaged,
        }
        for t in sorted(p.targets, key=lambda t: t.position)
    ]
    if fmt is not Format.table:  # csv/xlsx/jsonl: one row per target
        write(
            fmt,
            out,
            "plan",
            {
                "id": p.id,
                "title": p.title,
                "issuer": p.issuer,
                "issued_on": p.issued_on,
                "region_code": p.region_code,
                "period": [p.period_start, p.period_end],
                "file_name": p.file_name,
                "script": p.script,
                "encoding": p.encoding,
                "sha256": p.sha256,
                "targets": targets,
                "sections": [{"path": s.path, "title": s.title, "level": s.level} for s in p.sections],
                "tasks": [
                    {
                        "section": k.section,
                        "title": k.title,
                        "lead_units": k.lead_units,
                        "co_units": k.co_units,
                    }
                    for k in p.tasks
                ],
            },
            rows=targets,
        )
        return
    console.print(f"[bold]{p.title}[/bold]")
    console.print(
        f"发布: {p.issuer or '—'}  日期: {p.issued_on or '—'}  地区: {p.region_name} {p.region_code or ''}"
        f"  期限: {p.period_start or '?'}—{p.period_end or '?'}  文字: {SCRIPT_ZH.get(p.script, p.script)} / {p.encoding.upper()}"
    )
    console.print(f"文件: {p.file_name}  SHA-256: {p.sha256[:16]}…")
    if outline:
        from gongfu.model import PlanMeta
        from gongfu.plans.doctime import outline_scopes

        meta = PlanMeta(p.title, p.issuer, p.issued_on, p.region_name or "", p.region_code, p.period_start,
                        p.period_end)  # fmt: skip
        line, scopes = outline_scopes(p.original_text, meta)
        console.print(line, highlight=False)
        for s in sorted(p.sections, key=lambda s: s.start):
            scope = scopes.get(s.start, "")
            console.print(
                "  " * (s.level - 1)
                + f"{s.marker} {s.title}"
                + (f"  [dim]〔{scope}〕[/dim]" if scope else ""),
                highlight=False,
            )
    if tasks:
        rows = [(k.position + 1, k.section, k.title, "、".join(k.lead_units)) for k in p.tasks]
        console.print(table(f"任务 ({len(p.tasks)})", ["#", "章节", "任务", "牵头单位"], rows))
    rows = [
        (
            t["id"],
            t["indicator"],
            t["indicator_code"] or "—",
            target_text(t["comparator"], t["value"], t["value2"], t["unit"]),
            t["year"] or "",
            AMBITION_ZH.get(t["ambition"], t["ambition"]),
            t["section"] or "",
            ("⚠ " if t["damaged"] else "") + t["span"],
        )
        for t in targets
    ]
    console.print(
        table(
            f"目标 ({len(targets)})", ["ID", "指标", "目录代码", "目标", "年份", "类型", "章节", "原文"], rows
        )
    )


def _report(err_console, summary: str, warnings: list[str]) -> None:
    """What was found in one document (a summary line) and what could not be settled, on stderr."""
    if summary:
        err_console.print(summary, highlight=False, soft_wrap=True)
    for w in warnings:
        err_console.print(f"[yellow]警告[/yellow] {w}", highlight=False, soft_wrap=True)


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:g}"


@app.command("extract")
def extract_cmd(
    file: Path = typer.Argument(..., help="方案文件"),
    fmt: ExtractFormat = typer.Option(
        ExtractFormat.jsonl, "--format", "-f", help="输出格式：jsonl、csv 或 xlsx"
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="输出文件（xlsx 必需）"),
    region: str | None = typer.Option(None, "--region", help="地区代码或名称（可选；默认按文档自身判断）"),
) -> None:
    """不入库，直接从方案文件中抽取目标（及任务）。

    示例: gongfu plan extract 方案.txt --format xlsx --out 目标.xlsx
    """
    from gongfu.cli import err_console
    from gongfu.plans import export
    from gongfu.plans.reading import read_plan

    plan = read_plan(file, region=region)
    _report(err_console, plan.summary, plan.warnings)
    if fmt is ExtractFormat.xlsx:
        if out is None:
            raise InputError("--format xlsx needs --out FILE.xlsx", file=str(file))
        export.write_xlsx(plan, out)
        err_console.print(f"已写出 {len(plan.targets)} 个指标、{len(plan.tasks)} 项任务 → {out}")
        return
    text = export.to_jsonl(plan) if fmt is ExtractFormat.jsonl else export.to_csv(plan)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8-sig" if fmt is ExtractFormat.csv else "utf-8")
        err_console.print(f"已写出 {len(plan.targets)} 个指标 → {out}")
