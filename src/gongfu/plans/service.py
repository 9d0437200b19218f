"""Plan services: read a document into an `ExtractedPlan`, store it, list and show stored plans.

The CLI, the web front and the reports call these; none of them holds extraction logic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from gongfu.access import audit
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.model import ExtractedPlan, Target
from gongfu.plans import versions
from gongfu.plans.reading import read_plan, sentence_of
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, SectionRow, TargetRow, TaskRow


@dataclass
class IngestResult:
    plan_id: int
    file_name: str
    created: bool  # False when the same file (by hash) was already stored
    targets: int
    tasks: int
    title: str
    region_code: str | None
    replaced: int | None = None  # the plan this new edition supersedes (`--replace`)
    version: int = 1
    warnings: list[str] = dataclasses.field(default_factory=list)  # what the reader could not settle
    summary: str = ""  # what was found, one line in Chinese


def ingest(db: Database, paths: list[Path], *, region: str | None = None, by: str = "",
           replace: bool = False) -> list[IngestResult]:  # fmt: skip
    """Store each plan; the same file (by SHA-256) is not stored twice for one region. A failing file stores
    nothing.

    The same document in another format, encoding or script (see `plans.versions`) is refused with a
    ConflictError naming the stored plan, unless `replace`: then it is stored as a new edition that
    supersedes the old one, and the work built on the old one moves to it.

    A plan must have a region to be stored: the document's own (guessed from its title, issuer and opening
    lines) or `region`; when neither gives one, nothing is stored and the error asks for `--region`.

    Each stored plan is an audit event by `by`, in the same transaction as the plan itself.

    All files are read and extracted before anything is written, so one bad file in the list leaves the
    database as it was.
    """
    plans = [read_plan(p, region=region) for p in paths]
    for plan in plans:
        if plan.meta.region_code is None:  # a stored plan is evaluated and scoped by its region
            raise InputError(
                "无法从文档确定方案所属地区，存储前需要地区：请用 --region 指定（地区代码或名称）",
                file=plan.file_name,
            )
    results = store_plans(db, plans, by=by, replace=replace)
    for r, plan in zip(results, plans, strict=False):
        r.warnings, r.summary = plan.warnings, plan.summary
    return results


def store_plans(
    db: Database, plans: list[ExtractedPlan], *, by: str = "", replace: bool = False
) -> list[IngestResult]:
    """Store plans already read (see `ingest`), in one transaction, each with its audit event."""
    from gongfu.evaluation import materialise

    results: list[IngestResult] = []
    refused: list[str] = []
    with db.session() as s:
        stamp_before, _ = materialise.input_stamp(s)
        for plan in plans:
            # per region: a document another region holds is news to this one, and the answer says nothing of it
            code = plan.meta.region_code
            same_region = PlanRow.region_code.is_(None) if code is None else PlanRow.region_code == code
            existing = s.scalar(select(PlanRow).where(PlanRow.sha256 == plan.sha256, same_region))
            if existing is not None:
                results.append(
                    IngestResult(
                        existing.id,
                        plan.file_name,
                        False,
                        len(existing.targets),
                        len(existing.tasks),
                        existing.title,
                        existing.region_code,
                    )
                )
                continue
            same = versions.same_document(s, plan.text, region=code)
            if same is not None and not replace:
                refused.append(
                    f"{plan.file_name} 与已导入的方案 {same.plan_id}（{same.file_name}，第{same.version}版）"
                    f"是同一文件（文字相同度 {same.score:.1%}）"
                )
                continue
            row = _plan_row(plan, by)
            s.add(row)
            s.flush()
            carried = versions.supersede(s, same.plan_id, row, by=by) if same is not None else None
            audit.record(
                s, by or "unknown", "plan.ingest", "plan", row.id, region=row.region_code,
                new={"title": row.title, "region_code": row.region_code, "targets": len(plan.targets),
                     "tasks": len(plan.tasks), "file_name": plan.file_name, "sha256": plan.sha256},
            )  # fmt: skip
            results.append(
                IngestResult(
                    row.id,
                    plan.file_name,
                    True,
                    len(plan.targets),
                    len(plan.tasks),
                    row.title,
                    row.region_code,
                    carried["replaced"] if carried else None,
                    row.version or 1,
                )
            )
        if refused:
            raise ConflictError(
                "；".join(refused) + "。未导入任何方案；如确为新版本，请加 --replace 以新版本替代旧版本"
                "（旧版本保留备查，任务和指标关联转到新版本）"
            )
        new = {t.region_code for r in results if r.created for t in s.get(PlanRow, r.plan_id).targets}
        if new:  # the stored evaluation of the regions with new targets, in this same transaction
            materialise.refresh(s, {c for c in new if c}, stamp_before)
    return results


def _plan_row(plan: ExtractedPlan, by: str) -> PlanRow:
    m = plan.meta
    row = PlanRow(
        sha256=plan.sha256,
        file_name=plan.file_name,
        kind=Path(plan.file_name).suffix.lstrip(".").lower(),
        encoding=plan.encoding,
        script=plan.script,
        title=m.title[:500],
        issuer=m.issuer[:300],
        issued_on=m.date,
        region_code=m.region_code,
        region_name=m.region_name,
        period_start=m.period_start,
        period_end=m.period_end,
        original_text=plan.original,
        normalised_text=plan.text,
        ingested_by=by,
    )
    row.sections = [
        SectionRow(path=s.path, marker=s.marker, title=s.title[:500], level=s.level, start=s.start, end=s.end)
        for s in plan.sections
    ]
    row.targets = [
        TargetRow(
            position=i,
            region_code=m.region_code,
            span=plan.original[t.start : t.end],
            sentence=sentence_of(plan.original, t.start, t.end) if t.end > t.start else "",
            **_target_fields(t),
        )
        for i, t in enumerate(plan.targets)
    ]
    row.tasks = [
        TaskRow(
            position=i,
            section=k.section,
            title=k.title[:500],
            text=k.text,
            start=k.start,
            end=k.end,
            lead_units=k.lead_units,
            co_units=k.co_units,
            target_positions=k.target_indexes,
        )
        for i, k in enumerate(plan.tasks)
    ]
    _match_indicators(row.targets)
    return row


def _target_fields(t: Target) -> dict:
    return {k: getattr(t, k) for k in Target.JSON_FIELDS}


def _match_indicators(rows: list[TargetRow]) -> None:
    """Fill the catalog code where the matcher is confident; unmatched targets stay plan-local."""
    try:
        from gongfu.catalog.matcher import match
    except ImportError:  # the catalog arrives with the evaluation work
        return
    for r in rows:
        r.indicator_code = match(r.indicator, r.unit).code


def list_plans(db: Database, *, where=None) -> list[dict]:
    """Every plan (with `where`, a scope clause on `PlanRow.region_code`, those in scope)."""
    with db.session() as s:
        n_targets = select(TargetRow.plan_id, func.count().label("n")).group_by(TargetRow.plan_id).subquery()
        q = select(PlanRow, n_targets.c.n).outerjoin(n_targets, n_targets.c.plan_id == PlanRow.id)
        if where is not None:
            q = q.where(where)
        out = []
        for row, n in s.execute(q.order_by(PlanRow.id)):
            out.append(
                {
                    "id": row.id,
                    "title": row.title,
                    "region_code": row.region_code,
                    "region_name": row.region_name,
                    "period": _period(row),
                    "issued_on": row.issued_on,
                    "targets": n or 0,
                    "file_name": row.file_name,
                    "script": row.script,
                    "version": row.version or 1,
                    "superseded_by": row.superseded_by,
                }
            )
        return out


def _period(row: PlanRow) -> str:
    if row.period_start and row.period_end:
        return f"{row.period_start}—{row.period_end}"
    return str(row.period_end or "")


def get_plan(db: Database, plan_id: int) -> PlanRow:
    """A stored plan with its sections, targets and tasks loaded."""
    with db.session() as s:
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"no plan with id {plan_id}; `gongfu plan list` shows the stored plans")
        _ = row.sections, row.targets, row.tasks  # load before the session closes
        return row


def edit_plan(db: Database, plan_id: int, *, by: str, region: str | None = None, title: str | None = None,
              period: tuple[int, int] | None = None) -> dict:  # fmt: skip
    """Correct a stored plan's region, title or period (audited, old → new). A new region moves the plan's
    targets with it, so they are evaluated there."""
    from gongfu.regions import load

    changes: dict = {}
    if region is not None:
        r = load().resolve(region)
        changes.update(region_code=r.code, region_name=r.name)
    if title is not None:
        if not title.strip():
            raise InputError("标题不能为空")
        changes["title"] = " ".join(title.split())[:500]
    if period is not None:
        start, end = period
        if not (1949 <= start <= end <= 2100):
            raise InputError(f"期限 {start}—{end} 不合理：须为 起始年-结束年，起始不晚于结束")
        changes.update(period_start=start, period_end=end)
    if not changes:
        raise InputError("没有要更改的内容：请给出 --region、--title 或 --period")
    with db.session() as s:
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(f"没有编号为 {plan_id} 的方案；`gongfu plan list` 列出已导入的方案")
        old = {k: getattr(row, k) for k in changes}
        for k, v in changes.items():
            setattr(row, k, v)
        if "region_code" in changes:
            for t in s.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id)):
                t.region_code = changes["region_code"]
        audit.record(
            s, by or "unknown", "plan.edit", "plan", plan_id, region=row.region_code, old=old, new=changes
        )
        return {"plan_id": plan_id, "old": old, "new": changes}


__all__ = [
    "IngestResult",
    "edit_plan",
    "get_plan",
    "ingest",
    "list_plans",
    "read_plan",
    "sentence_of",
    "store_plans",
]
