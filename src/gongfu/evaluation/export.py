"""Evaluation records → a formatted Excel workbook (one sheet per dimension, one for sources).

The workbook code lives with the reports (`gongfu.reports.xlsx`), which the annual report extends.
"""

from __future__ import annotations

from pathlib import Path

from gongfu.reports.xlsx import write_records_xlsx


def write_xlsx(records: list[dict], out: Path) -> None:
    write_records_xlsx(records, out)
