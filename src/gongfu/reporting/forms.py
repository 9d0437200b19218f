"""Reporting forms (填报表) and their approval: the state machine.

    draft ──submit──► submitted ──approve (each level of the chain)──► approved ──revise──► draft
      ▲                 │  │                                              (a later approval stores a revision)
      └──withdraw───────┘  └──return (with a reason, any level)──► returned ──submit──► submitted

Withdraw is open only before the first approval. The reporter is a reporter of the unit; each level's
approver is checked by `members.require_approver`, and nobody approves their own figures or approves twice.
Only the last approval turns the figures into observations, through the observation service (so revisions
follow the import rules), with the form, period, reporter, approvers and times as provenance.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.access import audit
from gongfu.access.scope import Scope
from gongfu.catalog.catalog import load_catalog
from gongfu.errors import ConflictError, InputError, NotFound, ScopeError, ValidationFailed
from gongfu.reporting import periods as P
from gongfu.reporting.members import LEVEL_NAMES, require_approver, require_reporter
from gongfu.reporting.validate import check_item, parse_value
from gongfu.store.db import Database
from gongfu.store.reporting_tables import DataRequestRow, ReportFormRow, ReportItemRow, ReportStepRow
from gongfu.store.tables import ObservationRow, TargetRow

STATES = {"draft": "草稿", "submitted": "已报送", "returned": "已退回", "approved": "已审核入库"}
ACTIONS = {
    "open": "建表",
    "save": "保存草稿",
    "submit": "报送",
    "withdraw": "撤回",
    "approve": "审核通过",
    "return": "退回",
    "revise": "更正",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _form(s: Session, scope: Scope, form_id: int, version: int | None = None) -> ReportFormRow:
    form = s.get(ReportFormRow, form_id)
    if form is None or not scope.sees(form.region_code):
        raise NotFound(f"没有编号为{form_id}的填报表（或不在您的地区范围内）")
    if version is not None and form.version != version:
        raise ConflictError(
            f"填报表{form_id}已被他人修改（版本{form.version}，您的是{version}），请刷新后重试"
        )
    return form


def _step(
    s: Session, scope: Scope, form: ReportFormRow, action: str, reason: str = "", extra: dict | None = None
) -> None:
    s.add(ReportStepRow(form_id=form.id, actor=scope.actor, action=action, level=form.level, reason=reason))
    audit.record(
        s,
        scope.actor,
        f"report.{action}",
        "report_form",
        form.id,
        region=form.region_code,
        new={"state": form.state, "level": form.level, "reason": reason or None, **(extra or {})},
    )
    s.flush()  # the form's version moves on here, so what the caller returns is the new one


def open_form(
    db: Database,
    scope: Scope,
    *,
    region: str,
    unit: str,
    year: int,
    period: str = "",
    period_type: str = "year",
) -> int:
    """The form of a unit for one period (created from the issued requests when first opened)."""
    code = scope.region(region).code
    if period not in P.periods(period_type, year):
        raise InputError(f"报告期{period or '（全年）'}不属于{P.PERIOD_TYPES[period_type]}报")
    with db.session() as s:
        found = s.scalar(
            select(ReportFormRow).where(
                ReportFormRow.region_code == code,
                ReportFormRow.unit_name == unit,
                ReportFormRow.period_type == period_type,
                ReportFormRow.year == year,
                ReportFormRow.period == period,
            )
        )
        if found is not None:
            return found.id
        reqs = list(
            s.scalars(
                select(DataRequestRow)
                .where(
                    DataRequestRow.region_code == code,
                    DataRequestRow.unit_name == unit,
                    DataRequestRow.period_type == period_type,
                    DataRequestRow.year == year,
                )
                .order_by(DataRequestRow.id)
            )
        )
        if not reqs:
            raise NotFound(f"{unit}在{scope.registry.describe(code)}没有{P.label(year, period)}的数据需求")
        chain = list(dict.fromkeys(lv for r in reqs for lv in r.chain))
        form = ReportFormRow(
            region_code=code,
            unit_name=unit,
            period_type=period_type,
            year=year,
            period=period,
            chain=chain,
            items=[ReportItemRow(request_id=r.id, indicator_code=r.indicator_code) for r in reqs],
        )
        require_reporter(s, scope, form)
        s.add(form)
        s.flush()
        _step(s, scope, form, "open")
        return form.id


def _figure(s: Session, indicator: str, region: str, year: int, period: str) -> float | None:
    q = select(ObservationRow.value).where(
        ObservationRow.indicator_code == indicator,
        ObservationRow.region_code == region,
        ObservationRow.year == year,
        ObservationRow.period == period,
        ObservationRow.superseded_by.is_(None),
        ObservationRow.vintage != "synthetic",
    )
    return s.scalar(q.limit(1))


def _context(s: Session, form: ReportFormRow, item: ReportItemRow) -> dict:
    py, pp = P.previous(form.year, form.period)
    req = s.get(DataRequestRow, item.request_id)
    target = s.get(TargetRow, req.target_id) if req and req.target_id else None
    return {
        "last_period": _figure(s, item.indicator_code, form.region_code, py, pp),
        "last_year": _figure(s, item.indicator_code, form.region_code, form.year - 1, form.period)
        if form.period
        else None,
        "target": target.value if target else None,
        "target_unit": target.unit if target else "",
        "target_year": target.year if target else None,
        "due": P.due_date(form.year, form.period, req.due_days).isoformat() if req else None,
    }


def _problems(s: Session, form: ReportFormRow) -> list:
    catalog, out = load_catalog(), []
    for n, item in enumerate(form.items, start=1):
        ctx = _context(s, form, item)
        out += check_item(
            catalog.get(item.indicator_code),
            item.value,
            reason=item.reason,
            last_period=ctx["last_period"],
            last_year=ctx["last_year"],
            row=n,
        )
    return out


def save(
    db: Database,
    scope: Scope,
    form_id: int,
    entries: list[dict],
    *,
    version: int,
    evidence: dict[int, tuple[str, bytes]] | None = None,
) -> dict:
    """Save values, notes, reasons (and evidence files, by item id) as a draft; a value that is not a number
    is a problem and nothing is saved."""
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        require_reporter(s, scope, form)
        _save(s, scope, form, entries, evidence or {})
        return {"form": form.id, "state": form.state, "version": form.version}


def _save(
    s: Session, scope: Scope, form: ReportFormRow, entries: list[dict], evidence: dict[int, tuple[str, bytes]]
) -> None:
    from gongfu.errors import Problem
    from gongfu.work.evidence import check

    if form.state not in ("draft", "returned"):
        raise ConflictError(f"填报表{form.id}{STATES[form.state]}，不能修改（{_hint(form)}）")
    items = {i.id: i for i in form.items}
    problems = []
    for n, e in enumerate(entries, start=1):
        item = items.get(int(e.get("item", 0) or 0))
        if item is None:
            problems.append(Problem("item", f"填报表{form.id}没有第{e.get('item')}项", n))
            continue
        value, why = parse_value(e.get("value"))
        if why:
            problems.append(Problem("type", why, n, load_catalog().get(item.indicator_code).name))
            continue
        item.value = value
        item.note = str(e.get("note") or "")[:300]
        item.reason = str(e.get("reason") or "")[:300]
    for item_id, (name, content) in evidence.items():
        if item_id not in items:
            raise InputError(f"填报表{form.id}没有第{item_id}项")
        ok = check(name, content)
        item = items[item_id]
        item.evidence_name, item.evidence_type, item.evidence_sha256, item.evidence = (
            ok.file_name,
            ok.media_type,
            ok.sha256,
            ok.content,
        )
    if problems:
        raise ValidationFailed(f"填报表{form.id}", problems)
    form.reporter = scope.actor
    _step(s, scope, form, "save")


def _hint(form: ReportFormRow) -> str:
    if form.state == "submitted":
        return (
            f"待{LEVEL_NAMES.get(form.chain[form.level], form.chain[form.level])}"
            if form.level < len(form.chain)
            else ""
        )
    return "可更正后重新报送" if form.state == "approved" else "可修改"


def submit(db: Database, scope: Scope, form_id: int, *, version: int) -> dict:
    """Submit a draft or returned form once every figure passes the checks (all problems listed)."""
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        require_reporter(s, scope, form)
        _submit(s, scope, form)
        return form_state(form)


def _submit(s: Session, scope: Scope, form: ReportFormRow) -> None:
    if form.state not in ("draft", "returned"):
        raise ConflictError(f"填报表{form.id}{STATES[form.state]}，不能报送（{_hint(form)}）")
    problems = _problems(s, form)
    if problems:
        raise ValidationFailed(f"填报表{form.id}", problems)
    now = _now()
    form.state, form.level, form.reporter, form.submitted_at = "submitted", 0, scope.actor, now
    form.first_submitted_at = form.first_submitted_at or now
    _step(s, scope, form, "submit")


def withdraw(db: Database, scope: Scope, form_id: int, *, version: int) -> dict:
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        require_reporter(s, scope, form)
        if form.state != "submitted" or form.level > 0:
            raise ConflictError(
                f"填报表{form.id}只能在首级审核前撤回（现为{STATES[form.state]}，已审{form.level}级）"
            )
        form.state = "draft"
        _step(s, scope, form, "withdraw")
        return form_state(form)


def _approvers(form: ReportFormRow) -> set[str]:
    """Who approved since the last submission."""
    since = max((st.id for st in form.steps if st.action == "submit"), default=0)
    return {st.actor for st in form.steps if st.action == "approve" and st.id > since}


def _level_check(s: Session, scope: Scope, form: ReportFormRow) -> str:
    if form.state != "submitted":
        raise ConflictError(f"填报表{form.id}{STATES[form.state]}，不在审核中")
    level = form.chain[form.level]
    require_approver(s, scope, form, level)
    if scope.actor == form.reporter:
        raise ScopeError(f"审核人不能是填报人（{scope.actor}）")
    if scope.actor in _approvers(form):
        raise ScopeError(f"{scope.actor}已审核过本表的上一级，同一人不能审核两级")
    return level


def approve(db: Database, scope: Scope, form_id: int, *, version: int) -> dict:
    """Approve at the form's current level; the last level stores the figures as observations."""
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        level = _level_check(s, scope, form)
        if form.level + 1 < len(form.chain):
            form.level += 1
            _step(s, scope, form, "approve", extra={"at_level": level})
            return form_state(form)
        drafts = _drafts(s, scope, form)
    from gongfu.observations.service import store_drafts

    # The figures are stored first (one transaction of the observation service), then the form is marked
    # approved with its version checked; a concurrent approval fails there, and its figures, identical to
    # these, count as unchanged — nothing is stored twice.
    summary = store_drafts(db, drafts, source=f"填报表{form_id}", kind="report", by=scope.actor)
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        form.level += 1
        form.state, form.approved_at, form.import_id = "approved", _now(), summary.import_id
        _step(
            s,
            scope,
            form,
            "approve",
            extra={
                "at_level": level,
                "import_id": summary.import_id,
                "added": summary.added,
                "revised": summary.revised,
            },
        )
        return {
            **form_state(form),
            "import_id": summary.import_id,
            "added": summary.added,
            "revised": summary.revised,
        }


def _drafts(s: Session, scope: Scope, form: ReportFormRow) -> list:
    """The form's figures as observation drafts; after a correction (revise) a changed figure is a revision,
    an unchanged one keeps the vintage it has, so it counts as unchanged."""
    from gongfu.model import ObservationDraft

    catalog = load_catalog()
    approvers = [*sorted(_approvers(form)), scope.actor]
    revised = any(st.action == "revise" for st in form.steps)
    when = form.submitted_at.isoformat(timespec="minutes") if form.submitted_at else ""
    out = []
    for n, i in enumerate(form.items, start=1):
        if i.value is None:
            continue
        vintage = ""
        if revised:
            current = s.scalar(
                select(ObservationRow).where(
                    ObservationRow.indicator_code == i.indicator_code,
                    ObservationRow.region_code == form.region_code,
                    ObservationRow.year == form.year,
                    ObservationRow.period == form.period,
                    ObservationRow.superseded_by.is_(None),
                )
            )
            same = current is not None and abs(current.value - i.value) <= 1e-9 * max(1.0, abs(i.value))
            vintage = current.vintage if same and current is not None else "revised"
        out.append(
            ObservationDraft(
                indicator=i.indicator_code,
                region=form.region_code,
                year=form.year,
                period=form.period,
                value=i.value,
                unit=catalog.get(i.indicator_code).unit,
                source=f"填报表{form.id}（{form.unit_name}）",
                source_row=n,
                source_text=f"{P.label(form.year, form.period)} {form.unit_name}填报 {i.value:g}；填报人{form.reporter}"
                f"（{when}报送）；审核人{'、'.join(approvers)}（{_now().isoformat(timespec='minutes')}）",
                note=(i.note or "")[:300],
                vintage=vintage,
            )
        )
    return out


def return_form(db: Database, scope: Scope, form_id: int, reason: str, *, version: int) -> dict:
    """Return a form to its reporter at the current level, with a reason."""
    if not reason.strip():
        raise InputError("退回须写明原因")
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        level = _level_check(s, scope, form)
        form.state, form.level = "returned", 0
        _step(s, scope, form, "return", reason.strip(), extra={"at_level": level})
        return form_state(form)


def revise(db: Database, scope: Scope, form_id: int, *, version: int) -> dict:
    """Reopen an approved form for a correction; its next approval stores revisions (history kept)."""
    with db.session() as s:
        form = _form(s, scope, form_id, version)
        require_reporter(s, scope, form)
        if form.state != "approved":
            raise ConflictError(f"填报表{form.id}{STATES[form.state]}，只有已审核入库的表可以更正")
        form.state, form.level = "draft", 0
        _step(s, scope, form, "revise")
        return form_state(form)


def form_state(form: ReportFormRow) -> dict:
    return {
        "form": form.id,
        "state": form.state,
        "state_zh": STATES[form.state],
        "level": form.level,
        "version": form.version,
    }
