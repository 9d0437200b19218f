"""Plan ingestion end to end: store, idempotence, all-or-nothing, provenance back to the original text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gongfu.errors import InputError
from gongfu.plans.service import get_plan, ingest, list_plans, read_plan
from gongfu.store.tables import PlanRow, TargetRow

PLANS = Path(__file__).parent / "data" / "plans"
JIAXING = PLANS / "jiaxing-2021-common-prosperity-action-plan.txt"
JIANGSHAN = PLANS / "jiangshan-2021-2025-common-prosperity-action-plan.txt"


def count(db, table) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_traditional_plan_targets_point_into_the_original_script() -> None:
    plan = read_plan(JIAXING)
    assert plan.script == "traditional"
    assert plan.meta.region_code == "330400"
    assert (plan.meta.period_start, plan.meta.period_end) == (2021, 2025)
    gdp = next(t for t in plan.targets if t.indicator.endswith("地区生产总值") and t.value == 9000)
    assert plan.original[gdp.start : gdp.end] == "全市地區生產總值達到9000億元"  # Traditional, as in the file
    assert gdp.indicator == "全市地区生产总值"  # Simplified wording


def test_ingest_stores_plan_targets_tasks_and_is_idempotent(db) -> None:
    first = ingest(db, [JIAXING, JIANGSHAN])
    assert [r.created for r in first] == [True, True]
    again = ingest(db, [JIAXING])
    assert again[0].created is False and again[0].plan_id == first[0].plan_id
    assert count(db, PlanRow) == 2
    plan = get_plan(db, first[0].plan_id)
    assert plan.region_code == "330400" and len(plan.targets) == first[0].targets >= 30
    t = next(t for t in plan.targets if t.value == 7.8)
    assert plan.original_text[t.start : t.end] == t.span and "7.8萬元" in t.span
    assert t.indicator_code == "per_capita_disposable_income"
    assert t.span in t.sentence
    # a list item without its subject (…10萬~50萬元的群體比例達到81%、20萬~60萬元的群體比例…) keeps its code
    band = next(t for t in plan.targets if t.value == 45.5)
    assert band.indicator_code == "middle_income_share_20_60"
    listed = list_plans(db)
    assert [p["targets"] for p in listed] == [first[0].targets, first[1].targets]


def test_a_bad_file_in_the_batch_stores_nothing(db, tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputError, match=r"broken\.docx"):
        ingest(db, [JIAXING, bad])
    assert count(db, PlanRow) == 0 and count(db, TargetRow) == 0


def test_explicit_region_option_wins_over_an_unknown_place(tmp_path: Path) -> None:
    p = tmp_path / "plan.txt"
    p.write_text(
        "火星高质量发展建设共同富裕行动方案\n一、目标\n到2025年,居民人均可支配收入达到8万元。",
        encoding="utf-8",
    )
    plan = read_plan(p, region="330411")
    assert plan.meta.region_code == "330411"
    assert plan.targets[0].value == 8


def test_same_text_in_gb18030_gives_the_same_targets(tmp_path: Path) -> None:
    utf8 = read_plan(JIANGSHAN)
    gb = tmp_path / "jiangshan-gb18030.txt"
    gb.write_bytes(JIANGSHAN.read_text(encoding="utf-8").encode("gb18030"))
    other = read_plan(gb)
    assert other.encoding.lower().replace("-", "") in {"gb18030", "gbk"}
    assert [(t.indicator, t.value, t.start) for t in other.targets] == [
        (t.indicator, t.value, t.start) for t in utf8.targets
    ]


def test_cli_extract_jsonl_has_exactly_the_target_fields(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gongfu.cli import _register, app

    _register()
    src = tmp_path / "jiaxing.txt"
    shutil.copy(JIAXING, src)
    result = CliRunner().invoke(app, ["plan", "extract", str(src), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(rows) == 38
    assert set(rows[0]) == {
        "indicator",
        "value",
        "value2",
        "unit",
        "comparator",
        "year",
        "ambition",
        "baseline",
        "section",
        "start",
        "end",
        "qualifier",
        "damaged",
    }


def test_docx_target_table_gives_each_target_once_with_its_row_as_source(tmp_path: Path) -> None:
    from docx import Document

    d = Document()
    d.add_heading("某县高质量发展建设共同富裕示范区行动方案(2021-2025年)", 0)
    d.add_paragraph("到2025年,居民人均可支配收入达到7.5万元。")
    rows = [
        ["指标", "单位", "2020年", "2025年", "属性"],
        ["居民人均可支配收入", "万元", "5.2", "7.5", "预期性"],
        ["森林覆盖率", "%", "60", "62", "约束性"],
    ]
    table = d.add_table(rows=len(rows), cols=5)
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            table.cell(i, j).text = c
    path = tmp_path / "plan.docx"
    d.save(path)
    plan = read_plan(path, region="330881")
    forest = [t for t in plan.targets if t.indicator == "森林覆盖率"]
    assert len(forest) == 1
    f = forest[0]
    assert (f.value, f.baseline, f.unit, f.year, f.qualifier) == (62, 60, "%", 2025, "约束性")
    assert f.ambition == "binding"
    income = next(t for t in plan.targets if t.value == 7.5 and t.baseline == 5.2)
    assert (income.ambition, income.qualifier) == ("indicative", "预期性")
    assert plan.original[f.start : f.end].startswith("森林覆盖率")
    assert all(t.end > t.start for t in plan.targets)


def test_ingest_is_an_audit_event_in_the_same_transaction(db) -> None:
    from gongfu.access.audit import list_events

    ingest(db, [JIAXING], by="cli:analyst")
    ingest(db, [JIAXING], by="cli:analyst")  # already stored: nothing written, nothing recorded
    events = list_events(db, action="plan.ingest")
    assert len(events) == 1
    e = events[0]
    assert e.actor == "cli:analyst" and e.region_code == "330400" and e.new["targets"] == 38
