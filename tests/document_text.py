"""The text a reader sees in a Word, Excel or HTML document: paragraphs, table cells, sheet cells."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in doc.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    parts = list(wb.sheetnames)
    for ws in wb.worksheets:
        parts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def html_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return html_lib.unescape(text)
