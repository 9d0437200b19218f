"""`gongfu obs`: import statistics files (all-or-nothing), list figures with their sources and history."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import cli_actor, get_db, progress, refuse, table
from gongfu.cli.output import FORMAT, OUT, Format, write
from gongfu.labels import vintage_zh

NAME = "obs"
HELP = "统计观测数据 (导入、查询、修订历史)"
app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_cmd(
    files: list[Path] = typer.Argument(..., help="CSV 或 XLSX 文件（长表，或配合 --mapping 的宽表）"),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="年鉴宽表的映射文件（.toml 或 .csv，见 README）"
    ),
) -> None:
    """导入统计观测文件（CSV/XLSX，长表或带映射文件的年鉴宽表）；有任何问题则整份不导入并列出全部问题。

    示例: gongfu obs import 年鉴.xlsx --mapping 嘉兴.toml
    """
    from gongfu.cli import console
    from gongfu.errors import ValidationFailed
    from gongfu.observations.reader import COLUMN_LABELS
    from gongfu.observations.service import import_file

    db = get_db()
    for f in files:
        try:
            with progress() as bar:
                task = bar.add_task(f"读取并校验 {f.name}（字节）", total=None)

                def show(stage: str, done: int, total: int, bar=bar, task=task, name=f.name) -> None:
                    if stage == "read":
                        bar.update(task, completed=done, total=total)
                    else:  # the file is read: the rows are being written in one transaction
                        bar.update(task, description=f"写入数据库 {name}")

                s = import_file(db, f, mapping=mapping, by=cli_actor(), progress=show)
        except ValidationFailed as exc:
            refuse(exc, f.name, lambda c: COLUMN_LABELS.get(c, c))
        if s.already_imported_as is not None:
            console.print(
                f"{f.name}: 该文件已导入过 (导入批次 {s.already_imported_as}, SHA-256 相同), 未做任何更改: "
                f"新增 0, 修订 0, 未变 {s.unchanged}"
            )
            continue
        console.print(
            f"{f.name}: 新增 {s.added}, 修订 {s.revised}, 未变 {s.unchanged}, "
            f"旧口径存档 {s.kept_as_history} (导入批次 {s.import_id})"
        )


@app.command("list")
def list_cmd(
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    indicator: str | None = typer.Option(None, "--indicator", help="指标目录代码、名称或别名"),
    all_versions: bool = typer.Option(False, "--history", help="包括已被修订取代的数据"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """列出已入库的数据及其来源（默认只列现行值，--all 含修订历史）。

    示例: gongfu obs list --indicator gdp --region 嘉兴
    """
    from gongfu.cli import console
    from gongfu.observations.service import history, indicator_code
    from gongfu.regions import load

    code = load().resolve(region).code if region else None
    ind = indicator_code(indicator) if indicator else None
    rows = [
        r for r in history(get_db(), indicator=ind, region=code) if all_versions or r.superseded_by is None
    ]
    if fmt is not Format.table:
        write(
            fmt,
            out,
            NAME,
            [
                {
                    "id": r.id,
                    "indicator": r.indicator_code,
                    "region": r.region_code,
                    "year": r.year,
                    "value": r.value,
                    "unit": r.unit,
                    "vintage": r.vintage,
                    "source": r.source,
                    "source_row": r.source_row,
                    "source_url": r.source_url,
                    "source_text": r.source_text,
                    "superseded_by": r.superseded_by,
                }
                for r in rows
            ],
        )
        return
    out = [
        (
            r.id,
            r.region_code,
            r.indicator_code,
            r.year,
            f"{r.value:g}",
            r.unit,
            vintage_zh(r.vintage),
            f"{r.source}:{r.source_row}" if r.source_row else r.source,
            f"→{r.superseded_by}" if r.superseded_by else "现行",
        )
        for r in rows
    ]
    console.print(
        table(
            f"观测数据 ({len(rows)})",
            ["ID", "地区", "指标", "年份", "数值", "单位", "口径", "来源", "状态"],
            out,
        )
    )
