"""Issue 16: the annual report shows data-reporting timeliness and completeness per responsible unit (docx,
xlsx, html from one outline section), and says in one sentence when the region has no data requests.
Real SQLite and PostgreSQL; the synthetic county and units of tests/test_reporting.py."""

from __future__ import annotations

from docx import Document
from openpyxl import load_workbook

import test_reporting
from gongfu.reporting import form_view, save, submit
from gongfu.reports import build_report, write_report
from gongfu.reports.charts import render_all
from gongfu.reports.outline import outline
from test_reporting import COUNTY, _issue_and_open, who

seeded = test_reporting.seeded  # the fixture: a county plan, two units, their members
HEADING = "数据报送及时率与完整率"


def _submit_statistics_bureau(db) -> None:
    fid = _issue_and_open(db)
    view = form_view(db, who(db, "rep"), fid)
    entries = [{"item": i["item"], "value": v} for i, v in zip(view["items"], ["1000", "1.6"], strict=True)]
    v = save(db, who(db, "rep"), fid, entries, version=view["version"])
    submit(db, who(db, "rep"), fid, version=v["version"])


def test_report_tables_show_on_time_late_missing_and_rates(db, seeded, tmp_path) -> None:
    _submit_statistics_bureau(db)  # 区统计局 late (submitted after the 2026-01-10 due day); 区发改局 missing
    data = build_report(db, COUNTY, 2025)
    charts = render_all(data)
    section = next(s for s in outline(data, charts) if s.heading.endswith(HEADING))
    assert "完整率50.0%、及时率0.0%" in section.paragraphs[0]
    paths = {f: write_report(data, f, tmp_path / f"r.{f}", charts) for f in ("docx", "xlsx", "html")}
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(paths["docx"]).tables]
    table = next(t for t in tables if t[0][:2] == ["地区", "责任单位"])
    rows = {r[1]: r[2:] for r in table[1:]}
    # 应报, 按时, 迟报, 未报, 未到期, 完整率, 及时率, 来源
    assert rows["区统计局"] == ["1", "0", "1", "0", "0", "100.0%", "0.0%", "附表4"]
    assert rows["区发改局"] == ["1", "0", "0", "1", "0", "0.0%", "0.0%", "附表4"]
    detail = next(t for t in tables if t[0][:3] == ["编号", "地区", "责任单位"])
    assert sorted(r[-1] for r in detail[1:]) == ["未报", "迟报"]
    ws = load_workbook(paths["xlsx"])["数据报送"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["秀洲区", "区统计局", 1, 0, 1, 0, 0, 1.0, 0.0] in [v[:9] for v in values] or any(
        v[1:9] == ["区统计局", 1, 0, 1, 0, 0, 1.0, 0.0] for v in values
    )
    html = paths["html"].read_text(encoding="utf-8")
    assert HEADING in html and "区发改局" in html and "附表4　数据报送明细" in html


def test_region_without_data_requests_says_so(db, seeded, tmp_path) -> None:
    data = build_report(db, COUNTY, 2025)
    section = next(s for s in outline(data, {}) if s.heading.endswith(HEADING))
    assert section.tables == [] and len(section.paragraphs) == 1
    assert "尚未下达数据需求" in section.paragraphs[0]
    path = write_report(data, "docx", tmp_path / "r.docx", render_all(data))
    assert any("尚未下达数据需求" in p.text for p in Document(path).paragraphs)
