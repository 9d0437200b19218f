"""The one output option of every listing command: `--format table|json|jsonl|csv|xlsx` and `--out`.

`table` is the human view each command draws; the others write the same records the service returned:
json as one document, jsonl one record a line, csv and xlsx one row a record (nested values as JSON text).
csv, json and jsonl go to standard output unless `--out` names a file; xlsx needs `--out` or writes
`<name>.xlsx`. (sqlite-utils' output_options is the model.)
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import typer


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


FORMAT_HELP = "输出格式：table（表格，默认）、json、jsonl、csv 或 xlsx"
OUT_HELP = "输出文件（xlsx 默认写到 <命令名>.xlsx；其他格式默认写到标准输出）"


def format_option(default: Format = Format.table):
    return typer.Option(default, "--format", "-f", help=FORMAT_HELP)


def out_option():
    return typer.Option(None, "--out", "-o", help=OUT_HELP)


def _text(v: object) -> object:
    if isinstance(v, dict | list | tuple):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _rows(data: object) -> list[dict]:
    if isinstance(data, dict):
        return [data]
    return [r if isinstance(r, dict) else {"value": r} for r in data]  # type: ignore[union-attr]


def _columns(rows: Sequence[dict]) -> list[str]:
    return list(dict.fromkeys(k for r in rows for k in r))


def emit(
    data: object, fmt: Format, out: Path | None = None, *, name: str = "output", rows: object = None
) -> bool:
    """Write `data` in `fmt` and return True; False for `table`, which the command draws itself.

    `rows`: the records for csv/xlsx/jsonl when `data` wraps them (e.g. a ranking inside a result dict)."""
    if fmt is Format.table:
        return False
    from gongfu.cli import console, err_console

    if fmt is Format.json:
        text = json.dumps(data, ensure_ascii=False, default=str, indent=2)
        if out is None:
            console.print_json(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
        return True
    records = _rows(data if rows is None else rows)
    if fmt is Format.jsonl:
        text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        _write(text, out)
        return True
    cols = _columns(records)
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows([[_text(r.get(c)) for c in cols] for r in records])
        _write(buf.getvalue(), out)
        return True
    from gongfu.documents import sheets

    path = out or Path(f"{name}.xlsx")
    wb = sheets.workbook()
    sheets.table_sheet(wb, name[:31], name, cols, [[_text(r.get(c)) for c in cols] for r in records])
    wb.save(path)
    err_console.print(f"已写出 {len(records)} 行 → {path}", highlight=False)
    return True


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, encoding="utf-8")


FORMAT = format_option()
OUT = out_option()


def write(fmt: Format, out: Path | None, name: str, data: object, rows: object = None) -> None:
    """`emit` with the format first, for commands that branch on `fmt is not Format.table` themselves."""
    emit(data, fmt, out, name=name, rows=rows)
