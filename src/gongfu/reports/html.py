"""The report as one self-contained HTML file: CSS inline, charts inlined as base64 PNG."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from gongfu.documents.official import AREA_W, column_widths
from gongfu.reports import fmt
from gongfu.reports.data import ReportData
from gongfu.reports.outline import Section, Table, outline

NUMERIC = {
    "基期值",
    "目标值（年份）",
    "最新值（年份）",
    "实现度",
    "预期值",
    "时序进度",
    "进度比",
    "数值",
    "年份",
}


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("gongfu.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _rows(t: Table) -> list[dict]:
    out = []
    for row, colour in zip(t.rows, t.colours or [None] * len(t.rows), strict=True):
        classes = ["num" if h in NUMERIC else "" for h in t.header]
        if t.colour_col is not None and colour:
            classes[t.colour_col] = f"c-{colour}"
        out.append({"cells": row, "classes": classes})
    return out


def _widths(t: Table) -> list[float]:
    """Column widths in percent, by the same rule as the Word tables: no column squeezed to one character."""
    mm = column_widths(t.header, t.rows, AREA_W, 8.5)
    return [round(100 * w / sum(mm), 2) for w in mm]


def _section(s: Section, charts: dict[str, bytes]) -> dict:
    return {
        "heading": s.heading,
        "paragraphs": s.paragraphs,
        "tables": [
            {"caption": t.caption, "header": t.header, "rows": _rows(t), "widths": _widths(t)}
            for t in s.tables
        ],
        "figures": [
            {"caption": f.caption, "data": base64.b64encode(charts[f.key]).decode("ascii")} for f in s.figures
        ],
    }


def render_html(data: ReportData, charts: dict[str, bytes]) -> str:
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            title=data.title,
            full_name=data.full_name,
            region=data.region,
            as_of_text=fmt.as_of_text(data),
            generated_on=fmt.date_zh(data.generated_on),
            sections=[_section(s, charts) for s in outline(data, charts)],
        )
    )


def write_html(data: ReportData, charts: dict[str, bytes], out: Path) -> Path:
    out.write_text(render_html(data, charts), encoding="utf-8")
    return out
