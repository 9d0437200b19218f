"""Reading offices' task lists: merged headers and cells, deadlines, every problem with its row (synthetic)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gongfu.errors import InputError, ValidationFailed
from gongfu.work.deadlines import DeadlineError, parse_deadline
from gongfu.work.excel import read_task_list, split_units


def synthetic_list(path: Path, rows: list[list], *, two_row_header: bool = True) -> Path:
    """A list laid out as offices do: a merged title row, a two-row header, a merged group heading."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年某市重点任务清单（合成数据）"])
    ws.merge_cells("A1:F1")
    if two_row_header:
        ws.append(["序号", "重点任务", "责任单位", None, "完成时限", "年度目标"])
        ws.append([None, None, "牵头单位", "配合单位", None, None])
        for rng in ("A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3"):
            ws.merge_cells(rng)
    else:
        ws.append(["序号", "任务", "牵头单位", "配合单位", "完成时限", "年度目标"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_two_row_merged_header_group_heading_and_vertical_merge(tmp_path: Path) -> None:
    p = tmp_path / "synthetic.xlsx"
    wb_rows = [
        ["一、产业发展"],
        [1, "推进数字经济核心产业", "市经信局", "市发改局、市科技局等", "2024年6月底前", "增长10%"],
        [2, "培育专精特新企业", None, "市财政局", "2024年12月31日", "新增50家"],
        [3, "建设未来社区", "各县（市、区）政府", None, "长期坚持", ""],
    ]
    synthetic_list(p, wb_rows)
    wb = openpyxl.load_workbook(p)
    wb.active.merge_cells("A4:F4")  # the group heading across the row
    wb.active.merge_cells("C5:C6")  # one lead unit for two tasks
    wb.save(p)
    lines = read_task_list(p, year=2024)
    assert [ln.title for ln in lines] == ["推进数字经济核心产业", "培育专精特新企业", "建设未来社区"]
    assert [ln.row for ln in lines] == [5, 6, 7]
    assert lines[0].lead_units == ["市经信局"] and lines[0].co_units == ["市发改局", "市科技局"]
    assert lines[1].lead_units == ["市经信局"]  # from the merged cell above
    assert lines[0].due == date(2024, 6, 30) and lines[1].due == date(2024, 12, 31) and lines[2].due is None
    assert lines[0].group == "一、产业发展" and lines[0].annual_goal == "增长10%"


def test_all_problems_reported_with_rows_nothing_returned(tmp_path: Path) -> None:
    p = synthetic_list(tmp_path / "synthetic-bad.xlsx", [
        [1, "任务甲", "市发改局", None, "2024年13月", ""],
        [2, None, "市发改局", None, "2024年底", ""],
        [2, "任务丙", None, None, "某时", ""],
    ], two_row_header=False)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        read_task_list(p, year=2024)
    got = {(pr.row, pr.code) for pr in exc.value.problems}
    assert got == {(3, "bad-deadline"), (4, "no-task"), (5, "no-lead-unit"), (5, "bad-deadline"),
                   (5, "duplicate-seq")}  # fmt: skip


def test_no_header_and_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "synthetic-noheader.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["甲", "乙"])
    wb.save(p)
    with pytest.raises(ValidationFailed, match="找不到表头"):
        read_task_list(p)
    with pytest.raises(InputError, match=r"不是可读取的 \.xlsx"):
        read_task_list(b"not a zip", file_name="x.xlsx")


@pytest.mark.parametrize(("text", "year", "want"), [
    ("2024年6月底前", None, date(2024, 6, 30)),
    ("2024-12-31", None, date(2024, 12, 31)),
    ("2024.9", None, date(2024, 9, 30)),
    ("2025年底", None, date(2025, 12, 31)),
    ("年底前", 2024, date(2024, 12, 31)),
    ("9月底前", 2024, date(2024, 9, 30)),
    ("三季度", 2024, date(2024, 9, 30)),
    ("2024年上半年", None, date(2024, 6, 30)),
    ("2024年6月启动，2025年12月完成", None, date(2025, 12, 31)),
    ("２０２４年２月", None, date(2024, 2, 29)),
    ("长期坚持", None, None),
    ("", None, None),
])  # fmt: skip
def test_deadlines(text: str, year: int | None, want: date | None) -> None:
    assert parse_deadline(text, year) == want


@pytest.mark.parametrize("text", ["9月底", "尽快", "2024年13月"])
def test_unreadable_deadlines(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, None)


def test_split_units() -> None:
    assert split_units("市发改局、市财政局，各镇（街道）等") == ["市发改局", "市财政局", "各镇（街道）"]


def test_a_deadline_before_the_start_of_the_list_year_is_a_problem(tmp_path: Path) -> None:
    p = synthetic_list(tmp_path / "synthetic-early.xlsx", [
        [1, "任务甲", "市发改局", None, "2023年12月底前", ""],
        [2, "任务乙", "市发改局", None, "2024年1月1日", ""],
    ], two_row_header=False)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        read_task_list(p, year=2024)
    assert [(pr.row, pr.code) for pr in exc.value.problems] == [(3, "due-before-start")]
    assert "2024-01-01" in exc.value.problems[0].message
    assert [ln.due for ln in read_task_list(p)] == [date(2023, 12, 31), date(2024, 1, 1)]  # no year: no start
