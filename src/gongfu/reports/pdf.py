"""The report as PDF: WeasyPrint (PyPI) lays out the same self-contained HTML, fonts from fontconfig."""

from __future__ import annotations

from pathlib import Path

from gongfu.reports.data import ReportData
from gongfu.reports.errors import ToolMissing
from gongfu.reports.html import render_html


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise ToolMissing(
            f"生成PDF需要 WeasyPrint 与 Pango（{type(exc).__name__}: {str(exc).splitlines()[0]}）："
            "请运行 pip install 'gongfu[pdf]'（安装 weasyprint），并 apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    return weasyprint


def write_pdf(data: ReportData, charts: dict[str, bytes], out: Path) -> Path:
    weasyprint = _weasyprint()
    weasyprint.HTML(string=render_html(data, charts)).write_pdf(out)
    return out
