"""The annual comprehensive evaluation report (年度综合评价报告) in docx, xlsx, html and pdf.

`build_report(db, region, year)` gathers the data from the services; `write_report(data, fmt, out)` renders
it (charts are drawn once and can be passed in to render several formats from one build).
"""

from __future__ import annotations

from pathlib import Path

from gongfu.errors import require
from gongfu.reports.build import build_report
from gongfu.reports.data import ReportData
from gongfu.reports.errors import ToolMissing

FORMATS = ("docx", "xlsx", "html", "pdf")


def default_name(region: str, year: int, fmt: str) -> str:
    return f"年度综合评价报告-{region}-{year}.{fmt}"


def write_report(data: ReportData, fmt: str, out: Path, charts: dict[str, bytes] | None = None) -> Path:
    """Write the report in `fmt` to `out`; `charts` from `charts.render_all(data)` (drawn here if None)."""
    if fmt == "xlsx":
        from gongfu.reports.xlsx import write_report_xlsx

        return write_report_xlsx(data, out)
    require("matplotlib", "reports", "报告图表")
    from gongfu.reports.charts import render_all

    charts = render_all(data) if charts is None else charts
    if fmt == "docx":
        from gongfu.reports.docx import write_docx

        return write_docx(data, charts, out)
    if fmt == "html":
        from gongfu.reports.html import write_html

        return write_html(data, charts, out)
    if fmt == "pdf":
        from gongfu.reports.pdf import write_pdf

        return write_pdf(data, charts, out)
    raise ValueError(f"unknown report format {fmt!r} ({', '.join(FORMATS)})")


__all__ = ["FORMATS", "ReportData", "ToolMissing", "build_report", "default_name", "write_report"]
