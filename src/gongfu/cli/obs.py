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
    files: list[Path] = typer.Argument(..., help="CSV or XLSX files (long layout, or wide with --mapping)"),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mapping file for the wide yearbook layout"),
) -> None:
    """Import observation files. A file with any problem imports nothing and lists every problem."""
    from gongfu.cli import console
    from gongfu.errors import ValidationFailed
    from gongfu.observations.reader import COLUMN_LABELS
    from gongfu.observations.service import import_file

    db = get_db()
    for f in files:
        try:
            with progress() as bar:
                bar.add_task(f"导入 {f.name}", total=None)
                s = import_file(db, f, mapping=mapping, by=cli_actor())
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
    region: str | None = typer.Option(None, "--region", help="Region code or name"),
    indicator: str | None = typer.Option(None, "--indicator", help="Catalog code, name or alias"),
    all_versions: bool = typer.Option(False, "--history", help="Include superseded figures"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """List stored figures with their sources (current only, or the full revision history)."""
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
