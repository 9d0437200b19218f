"""The annual report's structure: headings, tables and numbers equal the evaluation output, and every data
table row cites a source the appendix resolves. Real fixture: the Jiaxing plan and the sourced demo figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from gongfu.evaluation.service import evaluate_region
from gongfu.reports import build_report, fmt, write_report
from gongfu.reports.charts import render_all
from gongfu.reports.outline import APPENDIX, outline

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).parents[1] / "src/gongfu/data/demo/zhejiang-sourced-observations.csv"
CITY, YEAR = "330400", 2024


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from gongfu.observations.service import import_file
    from gongfu.plans.service import ingest
    from gongfu.store.db import open_db

    tmp = tmp_path_factory.mktemp("report")
    db = open_db(f"sqlite:///{tmp / 'report.db'}")
    ingest(db, [DATA / "plans/jiaxing-2021-common-prosperity-action-plan.txt"])
    import_file(db, DEMO)
    data = build_report(db, CITY, YEAR)
    charts = render_all(data)
    paths = {f: write_report(data, f, tmp / f"report.{f}", charts) for f in ("docx", "xlsx", "html")}
    yield db, data, charts, paths
    db.engine.dispose()


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(path).tables]


def test_docx_headings_follow_the_outline(built) -> None:
    _, data, charts, paths = built
    doc = Document(paths["docx"])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in outline(data, charts)]
    assert headings[0] == "一、总体评价"
    assert headings[-1] == APPENDIX
    dims = {r["dimension"] for r in evaluate_region(built[0], CITY, year=YEAR)}
    assert {h.split("、", 1)[1] for h in headings[1 : 1 + len(dims)]} == dims
    assert any(p.style.name == "Title" and "综合评价报告" in p.text for p in doc.paragraphs)


def test_chapter_tables_equal_the_evaluation_output(built) -> None:
    db, data, _, paths = built
    records = evaluate_region(db, CITY, year=YEAR)  # straight from the service, not from the report
    tables = {t[0][0]: t for t in _docx_tables(paths["docx"])}  # no caption inside: key by first header
    chapter_tables = [t for t in _docx_tables(paths["docx"]) if t[0][0] == "指标（单位）"]
    assert len(chapter_tables) == len({r["dimension"] for r in records})
    rows = [row for t in chapter_tables for row in t[1:]]
    assert len(rows) == len(records)
    by_dim: dict[str, list[dict]] = {}
    for r in records:
        by_dim.setdefault(r["dimension"], []).append(r)
    ordered = [r for ch in data.chapters for r in by_dim[ch.dimension]]
    for row, r in zip(rows, ordered, strict=True):
        expected = fmt.cells(fmt.TARGET_COLUMNS[:-1], r)  # all but 来源
        assert row[:-1] == expected
        if r["attainment"] is not None:
            assert fmt.pct(r["attainment"]) in row
    assert "维度" in tables  # the summary table
    gdp = next(r for r in records if r["indicator_code"] == "gdp" and r["target"] == 9000.0)
    assert any(row[3] == f"{gdp['latest']:,.1f}（{gdp['latest_year']}年）" for row in rows)


def test_every_data_table_row_cites_a_source_in_the_appendix(built) -> None:
    _, data, _, paths = built
    tables = _docx_tables(paths["docx"])
    appendix_ids = {row[0] for t in tables if t[0][0] == "编号" for row in t[1:]}
    captions = [p.text for p in Document(paths["docx"]).paragraphs if p.style.name == "Caption"]
    table_ids = {c.split("　")[0] for c in captions}
    data_tables = [t for t in tables if t[0][0] != "编号"]
    assert data_tables
    for t in data_tables:
        assert t[0][-1] == "来源"
        for row in t[1:]:
            refs = [x for x in row[-1].split("、") if x]
            assert refs, row
            assert all(x in appendix_ids or x in table_ids for x in refs), row
    # each target's plan sentence and the row of its latest value are in the appendix
    for r in data.records:
        assert r["refs"][0].startswith("P")
        if r["latest"] is not None:
            stat = next(s for s in data.stats if s.ref == r["refs"][1])
            assert (stat.year, stat.value) == (r["latest_year"], r["latest"])
            assert stat.source and stat.source_row


def test_html_is_self_contained_with_the_same_headings(built) -> None:
    _, data, charts, paths = built
    html = paths["html"].read_text(encoding="utf-8")
    h1 = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<h1[^>]*>(.*?)</h1>", html)]
    assert h1 == [s.heading for s in outline(data, charts)]
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)
    assert "<link" not in html and "<script" not in html
    assert html.count("data:image/png;base64,") == sum(len(s.figures) for s in outline(data, charts)) >= 3


def test_xlsx_sheets_and_numbers(built) -> None:
    db, data, _, paths = built
    wb = load_workbook(paths["xlsx"])
    dims = [ch.dimension for ch in data.chapters]
    assert wb.sheetnames[0] == "摘要" and wb.sheetnames[-1] == "数据来源"
    assert all(d in wb.sheetnames for d in dims)
    records = {r["target_id"]: r for r in evaluate_region(db, CITY, year=YEAR)}
    ws = wb[dims[0]]
    header = [c.value for c in ws[3]]  # title row, 单位 line, header
    for row in ws.iter_rows(min_row=4, values_only=True):
        cells = dict(zip(header, row, strict=True))
        r = next(
            r
            for r in records.values()
            if r["indicator"] == cells["方案原文指标"] and r["target"] == cells["目标值"]
        )
        assert cells["实现度"] == r["attainment"] and cells["最新值"] == r["latest"]
        assert cells["来源"]
    ids = {c.value for c in wb["数据来源"]["A"][3:]}
    assert {s.ref for s in data.stats} | {p.ref for p in data.sentences} <= ids


def test_composite_index_in_the_summary(built) -> None:
    _, data, _, paths = built
    text = "\n".join(p.text for p in Document(paths["docx"]).paragraphs)
    assert fmt.composite_text(data) in text
    if data.composite.available:
        assert data.composite.rank is not None and 0 <= data.composite.index <= 1


def test_growth_is_shown_as_the_evaluation_measured_it() -> None:
    from gongfu.reports.fmt import growth

    assert growth({"method": "cagr", "historic_growth": 0.0523}, "historic_growth") == "+5.2%"
    linear = {"method": "linear", "unit": "%", "required_growth": 0.8667}
    assert growth(linear, "required_growth") == "+0.87个百分点/年"
    assert growth({"method": "linear", "unit": "岁"}, "required_growth") == "—"
