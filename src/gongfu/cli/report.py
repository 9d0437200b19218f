"""`gongfu report`: the annual comprehensive evaluation report (年度综合评价报告).

One run writes one or several formats (`--format docx,xlsx,html,pdf` or `all`) from one evaluation: the
report data are built once and the charts drawn once, then each format is rendered from them.
"""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import get_db, progress
from gongfu.errors import InputError


def parse_formats(text: str) -> list[str]:
    """`docx,xlsx` → ["docx", "xlsx"] (order kept, repeats once); `all` → every format."""
    from gongfu.reports import FORMATS

    if text.strip().lower() == "all":
        return list(FORMATS)
    out: list[str] = []
    for part in text.split(","):
        fmt = part.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in FORMATS:
            raise InputError(f"未知的报告格式 {fmt!r}（可选 {', '.join(FORMATS)} 或 all）")
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise InputError(f"--format 为空（可选 {', '.join(FORMATS)} 或 all）")
    return out


def output_paths(code: str, year: int, formats: list[str], out: Path | None) -> dict[str, Path]:
    """Where each format goes: the default names in the working folder; with `--out` a folder (one file
    per format inside) or, for one format, the file itself; `--out NAME.docx` with several formats keeps
    NAME and puts each format's suffix."""
    from gongfu.reports import default_name

    if out is None:
        return {f: Path(default_name(code, year, f)) for f in formats}
    if out.is_dir() or (not out.suffix and len(formats) > 1):
        return {f: out / default_name(code, year, f) for f in formats}
    if len(formats) == 1:
        return {formats[0]: out}
    return {f: out.with_suffix(f".{f}") for f in formats}


def report_cmd(
    region: str = typer.Option(..., "--region", "-r", help="地区代码或名称"),
    year: int = typer.Option(..., "--year", "-y", help="报告年份：数据截至此年"),
    fmt: str = typer.Option("docx", "--format", "-f", help="docx、xlsx、html、pdf，可逗号分隔多种，或 all"),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="输出文件；多种格式时为文件夹（默认 年度综合评价报告-地区代码-年份.格式）",
    ),
    children: bool = typer.Option(False, "--children", help="增加一章比较下辖地区"),
    weights: str = typer.Option(
        "equal", "--weights", help="综合指数权重：equal、entropy 或专家权重 CSV 文件"
    ),
) -> None:
    """年度综合评价报告：docx、xlsx、html、pdf，可一次写出多种格式。

    示例: gongfu report --region 嘉兴 --year 2024 --format docx,xlsx
    """
    from gongfu.cli import err_console
    from gongfu.regions import load
    from gongfu.reports import build_report, write_report

    formats = parse_formats(fmt)
    code = load().resolve(region).code
    paths = output_paths(code, year, formats, out)
    drawn = any(f != "xlsx" for f in formats)
    with progress() as bar:
        task = bar.add_task("评价数据汇总", total=1 + int(drawn) + len(formats))
        data = build_report(get_db(), code, year, children=children, weights=weights)
        bar.advance(task)
        charts: dict[str, bytes] | None = None
        if drawn:
            from gongfu.reports.charts import render_all

            bar.update(task, description="绘制图表")
            charts = render_all(data)
            bar.advance(task)
        for f in formats:
            bar.update(task, description=f"生成 {f}")
            paths[f].parent.mkdir(parents=True, exist_ok=True)
            write_report(data, f, paths[f], charts)
            bar.advance(task)
    for f in formats:
        err_console.print(f"已写出 {data.title}（{len(data.records)} 项目标）→ {paths[f]}")
    if "docx" in paths:
        from gongfu.reports.docx import report_notes

        for note in report_notes():
            err_console.print(f"注意：{note}")


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
