"""Every workbook gongfu writes has the office layout (title row, 单位 line, frozen header, print setup, CJK
font) and never a live formula: text starting with =, +, -, @ or a tab is written as text (issue 14)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gongfu.documents import sheets

EVIL = ['=HYPERLINK("http://evil.example/","点我")', "==", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).parents[1] / "src/gongfu/data/demo/zhejiang-sourced-observations.csv"


def _no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, f"{path.name}:{name} has a formula"


def _texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_text_is_written_as_text(tmp_path: Path, write_only: bool) -> None:
    wb = sheets.workbook(write_only=write_only)
    ws = wb.create_sheet("表")
    sheets.begin(ws, "=标题", ["甲", "乙"], unit="万元", org="某县共富办", on=date(2026, 12, 1))
    for v in EVIL:
        sheets.append(ws, [v, 1.5])
    sheets.finish(ws, columns=2, rows=len(EVIL))
    out = tmp_path / "t.xlsx"
    wb.save(out)
    _no_formulas(out)
    assert set(EVIL) | {"=标题"} <= _texts(out)
    ws = openpyxl.load_workbook(out)["表"]
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "A1:B1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "单位：万元" and "制表日期：2026年12月1日" in ws["B2"].value
    assert ws["A4"].font.name == sheets.BODY_FONT or ws["A5"].font.name == sheets.BODY_FONT


def test_work_exports_never_write_formulas(db, tmp_path: Path) -> None:
    from gongfu.work import query, service
    from gongfu.work.exports import accountability_sheet, battle_map
    from work_seed import COUNTY_A, scope

    admin = scope("admin", COUNTY_A)
    for title in EVIL[:3]:
        service.add_task(db, admin, kind="key_tasks", region=COUNTY_A, year=2024, title=title, lead="区发改局",
                         person="@张三", due=date(2024, 6, 30))  # fmt: skip
    out = tmp_path / "battle.xlsx"
    assert battle_map(db, admin, COUNTY_A, 2024, out, as_of=date(2024, 7, 1)) == 3
    _no_formulas(out)
    assert set(EVIL[:3]) | {"@张三"} <= _texts(out)
    unit = next(u for u in query.units(db, admin, COUNTY_A) if u["name"] == "区发改局")
    acc = tmp_path / "acc.xlsx"
    accountability_sheet(db, admin, unit["id"], acc, as_of=date(2024, 7, 1))
    _no_formulas(acc)
    assert set(EVIL[:3]) <= _texts(acc)


def test_evaluation_and_report_workbooks_never_write_formulas(tmp_path: Path) -> None:
    from gongfu.evaluation.service import evaluate_region
    from gongfu.observations.service import import_file
    from gongfu.plans.service import ingest
    from gongfu.reports import build_report, write_report
    from gongfu.reports.xlsx import write_records_xlsx
    from gongfu.store.db import open_db

    db = open_db(f"sqlite:///{tmp_path / 'r.db'}")
    ingest(db, [DATA / "plans/jiaxing-2021-common-prosperity-action-plan.txt"])
    import_file(db, DEMO)
    records = evaluate_region(db, "330400", year=2024)
    records[0] = {**records[0], "comparator": "==", "sentence": EVIL[0]}
    withobs = next(r for r in records if r["observations"])
    withobs["observations"][0] = {**withobs["observations"][0], "source_text": EVIL[4]}
    ev = write_records_xlsx(records, tmp_path / "eval.xlsx")
    _no_formulas(ev)
    assert {"=", EVIL[0], EVIL[4]} <= _texts(ev)  # == is shown as its label =, itself formula-like
    data = build_report(db, "330400", 2024)
    data.records[0]["comparator"] = "=="
    data.stats[0].source_text = EVIL[0]
    rep = write_report(data, "xlsx", tmp_path / "report.xlsx")
    _no_formulas(rep)
    assert {"=", EVIL[0]} <= _texts(rep)
    ws = openpyxl.load_workbook(rep)["摘要"]
    assert ws["A1"].value == data.title and ws.freeze_panes == "A4"
    db.engine.dispose()
