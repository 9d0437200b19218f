"""One plan, one stored edition: the same document in another format, encoding or script is refused, and
`--replace` stores a new edition that supersedes the old one with the work built on it (issue 15, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from gongfu.errors import ConflictError
from gongfu.evaluation.service import evaluate_region
from gongfu.plans.service import edit_plan, get_plan, ingest, list_plans
from gongfu.plans.versions import similarity
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.tables import PlanRow

PLANS = Path(__file__).parent / "data" / "plans"
JIANGSHAN = PLANS / "jiangshan-2021-2025-common-prosperity-action-plan.txt"
JIAXING = PLANS / "jiaxing-2021-common-prosperity-action-plan.txt"
TAIZHOU = PLANS / "taizhou-2021-2025-common-prosperity-action-plan.txt"


def _variants(tmp_path: Path) -> tuple[Path, Path]:
    """The Jiangshan plan as GB 18030 text and as a Word document: other bytes, the same document."""
    from docx import Document

    text = JIANGSHAN.read_text(encoding="utf-8")
    gb = tmp_path / "jiangshan-gb18030.txt"
    gb.write_bytes(text.encode("gb18030"))
    d = Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    docx = tmp_path / "jiangshan.docx"
    d.save(docx)
    return gb, docx


def test_same_plan_in_another_encoding_or_format_is_refused_and_nothing_is_stored(db, tmp_path: Path) -> None:
    gb, docx = _variants(tmp_path)
    with pytest.raises(ConflictError, match=r"jiangshan-gb18030\.txt.*是同一文件.*--replace") as exc:
        ingest(db, [JIANGSHAN, gb, docx])
    assert "jiangshan.docx" in str(exc.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == 0  # the batch is all-or-nothing
    first = ingest(db, [JIANGSHAN])[0]
    with pytest.raises(ConflictError, match=rf"方案 {first.plan_id}"):
        ingest(db, [docx])
    assert len(list_plans(db)) == 1
    n = len(evaluate_region(db, "330881"))
    assert n == first.targets  # not doubled


def test_traditional_script_copy_is_the_same_document(db, tmp_path: Path) -> None:
    trad = tmp_path / "jiangshan-traditional.txt"
    import opencc

    trad.write_text(opencc.OpenCC("s2t").convert(JIANGSHAN.read_text(encoding="utf-8")), encoding="utf-8")
    ingest(db, [JIANGSHAN])
    with pytest.raises(ConflictError):
        ingest(db, [trad])


def test_other_plans_are_not_taken_for_the_same_document() -> None:
    a, b, c = (p.read_text(encoding="utf-8") for p in (JIANGSHAN, JIAXING, TAIZHOU))
    assert similarity(a, b) < 0.3 and similarity(a, c) < 0.3 and similarity(b, c) < 0.3
    assert similarity(a, a) == 1.0


def test_replace_supersedes_the_old_edition_and_carries_tasks_and_targets(db, tmp_path: Path) -> None:
    from gongfu.cli.acting import acting
    from gongfu.store.work_tables import TaskIndicatorRow, WorkTaskRow
    from gongfu.work import service

    _, docx = _variants(tmp_path)
    old = ingest(db, [JIANGSHAN])[0]
    scope = acting(db, None, "330881")
    made = service.import_plan(db, scope, old.plan_id, year=2024)
    assert made["tasks"] > 0
    new = ingest(db, [docx], replace=True)[0]
    assert new.created and new.replaced == old.plan_id and new.version == 2
    plans = {p["id"]: p for p in list_plans(db)}
    assert plans[old.plan_id]["superseded_by"] == new.plan_id and plans[new.plan_id]["superseded_by"] is None
    records = evaluate_region(db, "330881")
    assert records and {r["plan_id"] for r in records} == {new.plan_id}  # only the current edition
    new_plan = get_plan(db, new.plan_id)
    new_targets = {t.id for t in new_plan.targets}
    new_tasks = {t.id for t in new_plan.tasks}
    with db.session() as s:
        tasks = list(s.scalars(select(WorkTaskRow).where(WorkTaskRow.id.in_(made["task_ids"]))))
        assert {t.plan_id for t in tasks} == {new.plan_id}
        assert {t.plan_task_id for t in tasks} <= new_tasks
        links = list(
            s.scalars(select(TaskIndicatorRow).where(TaskIndicatorRow.task_id.in_(made["task_ids"])))
        )
        assert links and {lk.target_id for lk in links} <= new_targets
        ev = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "plan.replace")).one()
        assert ev.old["plan_id"] == old.plan_id and ev.new["tasks"] == made["tasks"]
    again = service.import_plan(db, scope, new.plan_id, year=2024)
    assert again["tasks"] == 0 and again["skipped"] == made["tasks"]  # carried tasks are not added twice


def test_from_plan_twice_adds_nothing_twice(db) -> None:
    from gongfu.cli.acting import acting
    from gongfu.work import service

    plan = ingest(db, [JIANGSHAN])[0]
    scope = acting(db, None, "330881")
    first = service.import_plan(db, scope, plan.plan_id, year=2024)
    second = service.import_plan(db, scope, plan.plan_id, year=2024)
    assert first["tasks"] > 0 and first["skipped"] == 0
    assert second["tasks"] == 0 and second["skipped"] == first["tasks"]


def test_plan_edit_corrects_region_title_period_and_is_audited(db) -> None:
    plan = ingest(db, [JIANGSHAN])[0]
    out = edit_plan(db, plan.plan_id, by="审核员", region="330802", title="新标题", period=(2022, 2026))
    assert out["old"]["region_code"] == "330881" and out["new"]["region_code"] == "330802"
    p = get_plan(db, plan.plan_id)
    assert (p.region_code, p.title, p.period_start, p.period_end) == ("330802", "新标题", 2022, 2026)
    assert {t.region_code for t in p.targets} == {"330802"}
    assert evaluate_region(db, "330881") == [] and len(evaluate_region(db, "330802")) == plan.targets
    with db.session() as s:
        ev = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "plan.edit")).one()
        assert ev.actor == "审核员" and ev.old["title"] != "新标题"
