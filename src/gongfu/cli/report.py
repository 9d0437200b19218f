"""`gongfu report`: the annual comprehensive evaluation report (年度综合评价报告)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from gongfu.cli._common import get_db, progress


class ReportFormat(StrEnum):
    docx = "docx"
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"


def report_cmd(
    region: str = typer.Option(..., "--region", "-r", help="Region code or name"),
    year: int = typer.Option(..., "--year", "-y", help="Report year: data up to this year"),
    fmt: ReportFormat = typer.Option(ReportFormat.docx, "--format", "-f", help="docx | xlsx | html | pdf"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Output file (default 年度综合评价报告-CODE-YEAR.FORMAT)"
    ),
    children: bool = typer.Option(False, "--children", help="Add a chapter comparing the sub-regions"),
    weights: str = typer.Option(
        "equal", "--weights", help="Composite index weights: equal | entropy | a CSV of expert weights"
    ),
) -> None:
    """Write the annual evaluation report of a region from the stored evaluation."""
    from gongfu.cli import err_console
    from gongfu.regions import load
    from gongfu.reports import build_report, default_name, write_report

    code = load().resolve(region).code
    path = out or Path(default_name(code, year, fmt.value))
    with progress() as bar:
        task = bar.add_task("评价数据汇总", total=3 if fmt is ReportFormat.xlsx else 4)
        data = build_report(get_db(), code, year, children=children, weights=weights)
        bar.advance(task)
        charts: dict[str, bytes] | None = None
        if fmt is not ReportFormat.xlsx:
            from gongfu.reports.charts import render_all

            bar.update(task, description="绘制图表")
            charts = render_all(data)
            bar.advance(task)
        bar.update(task, description=f"生成 {fmt.value}")
        write_report(data, fmt.value, path, charts)
        bar.advance(task, 2)
    err_console.print(f"已写出 {data.title}（{len(data.records)} 项目标）→ {path}")


def register(app: typer.Typer) -> None:
    app.command("report", help="年度综合评价报告: docx、xlsx、html 或 pdf")(report_cmd)
